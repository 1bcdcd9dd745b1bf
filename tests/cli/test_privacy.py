"""Privacy and faults of the command line: planted identities, part files, signals, -O."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from microstructure.cli import main
from microstructure.identifiers import Key, Pseudonymizer

# Recognisable values, one per identity column; none can appear by chance.
PLANTED = {
    "birth_name": "Zqwxbirthname",
    "first_name": "Zqwxfirstname",
    "birth_date": "17/04/1931",
    "sex": "F",
    "used_name": "Zqwxusedname",
    "other_given_names": "Zqwxothera Zqwxotherb",
    "ADRESSE": "Zqwx rue secrete",
    "TELEPHONE": "0612345678",
}
SECRETS = ("zqwx", "1931", "0612345678")


def _assert_clean(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text.lower(), f"{secret!r} leaked"


def _identities(path: Path, rows: int = 1, *, bad: bool = True) -> None:
    header = ";".join(PLANTED)
    good = ";".join(PLANTED.values())
    lines = [header, *([good] * rows)]
    if bad:
        lines += [
            good.replace("17/04/1931", "31/02/1931"),  # a bad date
            good.replace(";F;", ";Zqwxsex;"),  # a bad sex
            good.replace("Zqwxbirthname", "Zqwxйn"),  # a bad name
            "Zqwxshort;row",  # too few fields
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def key(tmp_path):
    """A private site key file."""
    path = tmp_path / "site.key"
    Key(bytes(range(32))).write(path)
    return str(path)


def test_no_planted_identity_in_any_pseudonymize_output(tmp_path, key, capsys):
    """By default no column is copied: no planted value in OUT, messages or a part file."""
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    _identities(source)
    status = main(["pseudonymize", str(source), str(target), "--site-key-file", key])
    captured = capsys.readouterr()
    assert status == 1
    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "pseudonym"
    assert len(rows) == 2
    _assert_clean(captured.out, captured.err, *(p.read_text("utf-8") for p in tmp_path.iterdir()
                                                 if p.suffix in {".csv", ".part"} and p != source))  # fmt: skip


def test_keep_never_copies_an_identity_column(tmp_path, key, capsys):
    """--keep naming used_name or other_given_names (present in the header) is refused."""
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    _identities(source, bad=False)
    for column in ("used_name", "other_given_names"):
        argv = ["pseudonymize", str(source), str(target), "--site-key-file", key, "--keep", column]
        assert main(argv) == 2
    assert "identity or dropped" in capsys.readouterr().err
    assert not target.exists()


def test_no_planted_value_in_eligibility_messages(tmp_path, capsys):
    """Bad cells and a header made of patient data are reported without their content."""
    situations = tmp_path / "s.csv"
    situations.write_text(
        "code;age;sex;extra.zqwx\nA1;Zqwxage;Zqwxsex;1\n", encoding="utf-8"
    )  # fmt: skip
    assert main(["eligibility", str(situations)]) == 1
    header = tmp_path / "h.csv"
    header.write_text(";".join(PLANTED.values()) + "\n" + "x;" * 7 + "x\n", encoding="utf-8")
    assert main(["eligibility", str(header)]) == 2
    captured = capsys.readouterr()
    assert "line 2, field age" in captured.err
    assert "line 1, column 1" in captured.err
    _assert_clean(captured.out, captured.err)


def _big_identities(path: Path, rows: int) -> None:
    header = "birth_name;first_name;birth_date;sex\n"
    row = "Zqwxbirthname;Zqwxfirstname;17/04/1931;F\n"
    path.write_text(header + row * rows, encoding="utf-8")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_run_removes_the_part_file(tmp_path, key, sig):
    """SIGTERM is handled like Ctrl-C: the part file is removed and OUT is untouched."""
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    _big_identities(source, 3_000_000)  # long enough to be stopped mid-run on a loaded machine
    target.write_text("previous\n", encoding="utf-8")
    argv = [sys.executable, "-m", "microstructure", "pseudonymize", str(source), str(target)]
    process = subprocess.Popen(
        [*argv, "--site-key-file", key, "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.csv.*.part")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(tmp_path.glob(".out.csv.*.part")), "the run did not start writing"
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    assert process.returncode == (143 if sig == signal.SIGTERM else 130)
    assert b"Traceback" not in err
    assert not list(tmp_path.glob("*.part"))
    assert target.read_text(encoding="utf-8") == "previous\n"


def test_calendar_name_cannot_inject_lines_even_under_optimize(tmp_path):
    """A --name with line breaks is escaped: no assert needed, nothing injected with -O."""
    out = tmp_path / "out.ics"
    name = "Réseau\r\nBEGIN:VEVENT\nSUMMARY:injected\u2028x;y,z\\"
    for flags in ([], ["-O"]):
        result = subprocess.run(
            [sys.executable, *flags, "-m", "microstructure", "schedule", "--example",
             "--month", "2026-05", "--out", str(out), "--name", name],
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        lines = out.read_bytes().decode().split("\r\n")
        assert "SUMMARY:injected" not in lines
        assert lines.count("BEGIN:VEVENT") == sum(line.startswith("UID:") for line in lines)
        assert "X-WR-CALNAME:Réseau BEGIN:VEVENT SUMMARY:injected x\\;y\\,z\\\\" in lines


def test_sigkill_part_file_is_documented():
    """The docs say where a part file is left by SIGKILL."""
    text = Path(str(sys.modules["microstructure.cli._files"].__file__)).read_text(encoding="utf-8")
    assert "SIGKILL" in text
    assert ".NAME.XXXXXXXX.part" in text
    docs = Path(__file__).parents[2] / "docs"
    assert any("SIGKILL" in page.read_text(encoding="utf-8") for page in docs.rglob("*.md"))


def test_pseudonymizer_unchanged_by_the_default_columns(tmp_path, key, capsys):
    """The pseudonym depends on the identity only, whatever columns are copied."""
    source = tmp_path / "in.csv"
    _identities(source, bad=False)
    for keep, name in ((None, "a.csv"), ("ADRESSE", "b.csv")):
        argv = ["pseudonymize", str(source), str(tmp_path / name), "--site-key-file", key]
        assert main([*argv, *(["--keep", keep] if keep else [])]) == 0
    capsys.readouterr()
    first = (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()[1]
    second = (tmp_path / "b.csv").read_text(encoding="utf-8").splitlines()[1].split(";")[0]
    assert first == second
    assert first.startswith("v1s:")
    assert isinstance(Pseudonymizer(site_key=Key.from_file(key)), Pseudonymizer)


def test_team_texts_with_line_breaks_stay_in_their_content_line(tmp_path, capsys):
    """A site or microstructure name with line breaks cannot add lines to the calendar."""
    import copy
    import json

    from microstructure._data import load_data

    data = copy.deepcopy(load_data("examples/national.json"))
    ms = data["networks"][0]["microstructures"][0]
    ms["name"] = "Neudorf\r\nBEGIN:VEVENT\nSUMMARY:injected"
    ms["site"]["name"] = "Site\nLOCATION:injected\x00"
    teams, schedule = tmp_path / "national.json", tmp_path / "national.schedule.json"
    teams.write_text(json.dumps(data), encoding="utf-8")
    schedule.write_text(json.dumps(load_data("examples/schedule.json")), encoding="utf-8")
    out = tmp_path / "out.ics"
    argv = ["schedule", str(teams), "--month", "2026-05", "--out", str(out)]
    assert main([*argv, "--microstructure", ms["id"]]) == 0
    capsys.readouterr()
    lines = out.read_bytes().decode().split("\r\n")
    assert not [line for line in lines if line.startswith(("SUMMARY:injected", "LOCATION:inj"))]
    assert lines.count("BEGIN:VEVENT") == sum(line.startswith("UID:") for line in lines)
    assert "\x00" not in out.read_bytes().decode()
