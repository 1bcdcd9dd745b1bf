"""The command line: demo and check, exit statuses, no traceback on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.samples import FOUR_MISTAKE_PATHS, network_with_four_mistakes

from microstructure.cli import main
from microstructure.examples import example_network
from microstructure.io import to_data


def _write(tmp_path: Path, data: object, name: str = "network.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_demo_shows_teams_counts_and_findings(capsys):
    """The demo prints a network of the synthetic nation, the counts by role and the findings."""
    assert main(["demo", "--on", "2023-06-01"]) == 0
    out = capsys.readouterr().out
    assert "Réseau fictif Bas-Rhin" in out
    assert "Europe/Paris" in out
    assert "psychologue" in out
    assert "MS-TEAM-009" in out


def test_check_clean_file_exits_0(tmp_path, capsys):
    """A file with no error finding exits 0 and says how many findings it has."""
    path = _write(tmp_path, to_data(example_network()))
    assert main(["check", path, "--on", "2026-06-01"]) == 0
    assert "1 finding(s), 0 error(s)" in capsys.readouterr().out


def test_check_with_error_findings_exits_1(tmp_path, capsys):
    """A network without coordination exits 1 and prints the finding."""
    data = to_data(example_network())
    data["coordination"] = []
    assert main(["check", _write(tmp_path, data), "--on", "2026-06-01"]) == 1
    assert "MS-TEAM-005" in capsys.readouterr().out


def test_check_invalid_file_exits_2_listing_every_problem(tmp_path, capsys):
    """Wrong role, bad date, extra key and missing GP are all listed, with exit 2."""
    data = network_with_four_mistakes()
    assert main(["check", _write(tmp_path, data)]) == 2
    err = capsys.readouterr().err
    assert "4 problems" in err
    for path in FOUR_MISTAKE_PATHS:
        assert path in err


def test_check_json_output(tmp_path, capsys):
    """--format json prints a findings report: its format, version and findings."""
    path = _write(tmp_path, to_data(example_network()))
    main(["check", path, "--on", "2026-06-01", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert list(report)[:2] == ["format", "version"]
    assert (report["format"], report["version"], report["valid"]) == (
        "microstructure-findings",
        1,
        True,
    )
    assert [f["code"] for f in report["findings"]] == ["MS-TEAM-009"]
    assert report["findings"][0]["severity"] == "info"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{oops", "expected valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[]", "expected an object"),
    ],
)
def test_unreadable_input_never_shows_a_traceback(tmp_path, content, expected):
    """Broken files give exit 2 and a one-paragraph message, never a traceback."""
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "microstructure", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert expected in result.stderr


def test_bad_date_option_is_a_usage_error(capsys):
    """A malformed --on date is refused by the argument parser (exit 2)."""
    with pytest.raises(SystemExit) as exc_info:
        main(["check", "x.json", "--on", "01/06/2026"])
    assert exc_info.value.code == 2
    assert "expected an ISO date" in capsys.readouterr().err


_WHOLE_NUMBER_OPTIONS = [
    (["records", "generate", "--out", "x.jsonl", "--patients"], "of at least 0"),
    (["records", "generate", "--out", "x.jsonl", "--patients", "1", "--seed"], "of at least 0"),
    (["synthesize", "--out", "x", "--scale"], "from 1 to 1,000"),
    (["synthesize", "--out", "x", "--seed"], "of at least 0"),
    (["schedule", "--example", "--month", "2026-05", "--buffer"], "from 0 to 1,440"),
    (
        [
            "report",
            "--teams",
            "t.json",
            "--period",
            "2026",
            "--format",
            "csv",
            "--out",
            "r.csv",
            "--threshold",
        ],
        "from 1 to 1,000,000",
    ),
]
_BAD_WHOLE_NUMBERS = ["-1", "1_0", "+5", "\u0663", "9" * 5000]


@pytest.mark.parametrize(
    ("arguments", "wanted", "value"),
    [
        (arguments, wanted, value)
        for arguments, wanted in _WHOLE_NUMBER_OPTIONS
        for value in [*_BAD_WHOLE_NUMBERS, *(["2000000"] if " to " in wanted else [])]
    ],
)
def test_whole_number_options_refuse_the_same_way(  # noqa: PLR0917 - pytest fixtures
    tmp_path, monkeypatch, capsys, arguments, wanted, value
):
    """Every whole-number option refuses a bad value with one sentence and exit 2, writing nothing."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        main([*arguments, value])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert f"expected a whole number {wanted}, got " in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
