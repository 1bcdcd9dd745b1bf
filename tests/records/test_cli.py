"""`microstructure records`: validate (exit 0/1/2, table or JSON), merge, generate."""

import json
import subprocess
import sys
from pathlib import Path

from tests.records import helpers as h

from microstructure.cli import main
from microstructure.examples import example_national
from microstructure.io import to_data
from microstructure.records import read_records, write_records


def _teams(tmp_path: Path) -> str:
    path = tmp_path / "national.json"
    path.write_text(json.dumps(to_data(example_national())), encoding="utf-8")
    return str(path)


def test_generate_then_validate_is_clean(tmp_path, capsys):
    """A generated file validates with exit 0 and says how many events it read."""
    out = tmp_path / "care.jsonl"
    assert main(["records", "generate", "--patients", "12", "--seed", "5", "--out", str(out)]) == 0
    count = len(read_records(out))
    assert f"wrote {count:,} event(s)" in capsys.readouterr().out
    assert main(["records", "validate", str(out), "--teams", _teams(tmp_path)]) == 0
    assert f"{count:,} event(s), 0 finding(s), 0 error(s)" in capsys.readouterr().out


def test_error_findings_exit_1_with_json(tmp_path, capsys):
    """A rule broken gives exit 1 and the finding in the JSON output."""
    path = tmp_path / "care.jsonl"
    write_records(path, [*h.pathway(), h.exit_(id="x-2", date=h.day(6, 10))])
    code = main(["records", "validate", str(path), "--teams", _teams(tmp_path), "--format", "json"])
    assert code == 1
    payload = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in payload["findings"]] == ["MS-REC-013"]
    assert payload["findings"][0]["path"] == '$["x-2"].date'


def test_bad_lines_exit_2_without_personal_values(tmp_path, capsys):
    """A bad line gives exit 2, its line number, and not the bad code."""
    path = tmp_path / "care.jsonl"
    write_records(path, h.pathway())
    text = path.read_text(encoding="utf-8").replace('"K3M7-QXVG"', '"K3M7-QXVH"', 1)
    path.write_text(text, encoding="utf-8")
    assert main(["records", "validate", str(path), "--teams", _teams(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "line 2: $.patient" in err
    assert "QXVH" not in err


def test_unreadable_input_exits_2(tmp_path):
    """A missing file gives exit 2, not a traceback."""
    args = ["records", "validate", str(tmp_path / "none.jsonl"), "--teams", _teams(tmp_path)]
    assert main(args) == 2


def test_merge_deduplicates_and_reports_conflicts(tmp_path, capsys):
    """Merging a file with itself keeps one copy; a conflict exits 1."""
    a = tmp_path / "a.jsonl"
    write_records(a, h.pathway())
    out = tmp_path / "all.jsonl"
    assert main(["records", "merge", str(a), str(a), "--out", str(out)]) == 0
    assert sorted(e.id for e in read_records(out)) == sorted(e.id for e in h.pathway())
    b = tmp_path / "b.jsonl"
    write_records(b, [h.exit_(reason="moved")])
    assert main(["records", "merge", str(a), str(b), "--out", str(out)]) == 1
    assert "MS-REC-011" in capsys.readouterr().out


def test_piped_output_has_no_progress_bar(tmp_path):
    """Run as a subprocess (not a terminal), stderr stays empty."""
    out = tmp_path / "care.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "microstructure", "records", "generate", "--patients", "3",
         "--out", str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stderr == ""
    assert done.stdout.startswith("wrote ")


def test_merge_refuses_to_overwrite_an_input(tmp_path, capsys):
    """`--out` naming one of the inputs is refused with exit 2; the input is untouched."""
    a = tmp_path / "a.jsonl"
    write_records(a, h.pathway())
    before = a.read_text(encoding="utf-8")
    assert main(["records", "merge", str(a), "--out", str(a)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert a.read_text(encoding="utf-8") == before


def test_outputs_are_private(tmp_path):
    """Generated and merged records files are readable by their owner only."""
    out = tmp_path / "care.jsonl"
    assert main(["records", "generate", "--patients", "2", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    merged = tmp_path / "all.jsonl"
    assert main(["records", "merge", str(out), "--out", str(merged)]) == 0
    assert merged.stat().st_mode & 0o777 == 0o600


def test_a_microstructure_team_file_is_accepted(tmp_path, capsys):
    """A team file of one microstructure validates the events of that microstructure."""
    ms = example_national().networks[0].microstructures[0]
    teams = tmp_path / "ms.json"
    teams.write_text(json.dumps(to_data(ms)), encoding="utf-8")
    path = tmp_path / "care.jsonl"
    write_records(path, h.pathway())
    assert main(["records", "validate", str(path), "--teams", str(teams)]) == 0
    assert "0 error(s)" in capsys.readouterr().out


def test_text_output_is_the_one_of_check(tmp_path, capsys):
    """The text output lists each finding as ``check`` does, then the counts."""
    path = tmp_path / "care.jsonl"
    events = [*h.pathway(), h.exit_(id="x-2", date=h.day(6, 10))]
    write_records(path, events)
    assert main(["records", "validate", str(path), "--teams", _teams(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith('error MS-REC-013 @ $["x-2"].date: ')
    assert lines[-1] == f"{len(events)} event(s), 1 finding(s), 1 error(s)"
