"""The `microstructure schedule` command."""

import json
import re

import icalendar

from microstructure._data import load_data
from microstructure.cli import main
from microstructure.io import dumps
from microstructure.scheduling import example_schedule


def test_example_month_view(capsys, monkeypatch):
    """`--example --month` prints a calendar of the month with holidays and sessions."""
    monkeypatch.setenv("COLUMNS", "160")
    assert (
        main(["schedule", "--example", "--month", "2026-05", "--microstructure", "ms-neudorf"]) == 0
    )
    out = capsys.readouterr().out
    assert "May 2026" in out
    assert "Ascension" in out
    assert "12:30 RCP" in out


def test_list_and_buffer_findings(capsys):
    """Without --month or --out the occurrences are listed, then the travel-time findings."""
    status = main(
        ["schedule", "--example", "--from", "2026-05-04", "--to", "2026-05-05", "--buffer", "150"]
    )
    out = capsys.readouterr().out
    assert status == 0  # warnings only
    assert "2026-05-04 Mon 09:00–12:00 Europe/Paris ms-neudorf psy [psy-strasbourg]" in out
    assert out.count("MS-SCHED-002") == 2


def test_files_and_ics_export(tmp_path, capsys):
    """With a team file and a schedule file, --out writes a calendar holding each occurrence."""
    teams = tmp_path / "national.json"
    teams.write_text(json.dumps(load_data("examples/national.json")), encoding="utf-8")
    schedule = tmp_path / "schedule.json"
    schedule.write_text(dumps(example_schedule()), encoding="utf-8")
    out = tmp_path / "saint-denis.ics"
    argv = [
        "schedule",
        str(teams),
        "--schedule",
        str(schedule),
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--site",
        "cab-saint-denis",
        "--out",
        str(out),
        "--name",
        "Saint-Denis",
    ]
    assert main(argv) == 0
    assert "wrote" in capsys.readouterr().out
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Saint-Denis"
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Indian/Reunion"}


def test_schedule_found_next_to_the_team_file(tmp_path, capsys):
    """Without --schedule, network.schedule.json beside network.json is used; without it, exit 2."""
    teams = tmp_path / "network.json"
    teams.write_text(json.dumps(load_data("examples/national.json")), encoding="utf-8")
    argv = ["schedule", str(teams), "--from", "2026-05-01", "--to", "2026-05-31"]
    assert main(argv) == 2
    assert "network.schedule.json" in capsys.readouterr().err
    (tmp_path / "network.schedule.json").write_text(dumps(example_schedule()), encoding="utf-8")
    out = tmp_path / "network.ics"
    assert main([*argv, "--out", str(out)]) == 0
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    assert len(list(calendar.walk("VEVENT"))) > 0


def test_held_sessions_file(tmp_path, capsys):
    """--held checks the sessions held and prints the conformity findings."""
    held = tmp_path / "held.json"
    held.write_text(
        json.dumps([{"microstructure": "ms-neudorf", "activity": "rcp", "date": "2026-05-15"}]),
        encoding="utf-8",
    )
    argv = [
        "schedule",
        "--example",
        "--month",
        "2026-05",
        "--microstructure",
        "ms-neudorf",
        "--held",
        str(held),
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert (
        "MS-SCHED-011 @ $.months[0].weeks[0]: ms-neudorf: 0 psychologist consultations held in 2026-W19"
        in out
    )
    assert "MS-SCHED-013" not in out


def test_double_booking_exits_1(tmp_path, capsys):
    """A professional booked twice makes the command exit with status 1."""
    data = json.loads(dumps(example_schedule()))
    data["schedules"][1]["rules"][0]["start_time"] = "10:00"  # Hautepierre psy overlaps Neudorf's
    schedule = tmp_path / "schedule.json"
    schedule.write_text(json.dumps(data), encoding="utf-8")
    teams = tmp_path / "national.json"
    teams.write_text(json.dumps(load_data("examples/national.json")), encoding="utf-8")
    assert main(["schedule", str(teams), "--schedule", str(schedule), "--month", "2026-05"]) == 1
    assert "MS-SCHED-001" in capsys.readouterr().out


def test_bad_input_exits_2(tmp_path, capsys):
    """Missing inputs, a missing range or an invalid schedule give status 2 without traceback."""
    assert main(["schedule", "--month", "2026-05"]) == 2
    assert main(["schedule", "--example"]) == 2
    bad = tmp_path / "schedule.json"
    bad.write_text('{"schedules": [{"microstructure": "ms-x"}]}', encoding="utf-8")
    teams = tmp_path / "teams.json"
    teams.write_text(json.dumps(load_data("examples/national.json")), encoding="utf-8")
    assert main(["schedule", str(teams), "--schedule", str(bad), "--month", "2026-05"]) == 2
    err = capsys.readouterr().err
    assert "$.schedules[0].microstructure" in err
    assert "Traceback" not in err


def test_month_view_is_english_and_cuts_no_word_at_80_columns(capsys, monkeypatch):
    """At 80 columns every cell word is whole, headings are English, ids are in the legend."""
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["schedule", "--example", "--month", "2026-05"]) == 0
    out = capsys.readouterr().out
    cells = [
        word
        for line in out.splitlines()
        if line.startswith("│")
        for cell in line.strip("│").split("│")
        for word in cell.split()
    ]
    allowed = {"psy", "social", "psych", "RCP", "holiday", "A", "B", "C", "D"}
    for word in cells:
        assert word in allowed or word.isdigit() or re.fullmatch(r"\d\d:\d\d", word), word
    assert "Mon" in out
    assert "lundi" not in out
    for ms in ("ms-colmar", "ms-hautepierre", "ms-neudorf", "ms-saint-denis"):
        assert re.search(rf"^[A-D]: {ms}$", out, re.MULTILINE)
