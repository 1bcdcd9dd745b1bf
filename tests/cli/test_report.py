"""The report command: a published report from care records, and exit 2 on bad input."""

import csv
import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from microstructure.cli import main
from microstructure.evaluation import Database, indicators, render, report
from microstructure.examples import example_national
from microstructure.io import to_data
from microstructure.records import write_records
from microstructure.scheduling import example_schedule
from microstructure.synthetic import generate


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The example teams and schedule, and a year of generated records, as files."""
    folder = tmp_path_factory.mktemp("report")
    files = {
        "teams": folder / "national.json",
        "schedule": folder / "schedule.json",
        "records": folder / "records.jsonl",
    }
    files["teams"].write_text(json.dumps(to_data(example_national())), encoding="utf-8")
    files["schedule"].write_text(json.dumps(to_data(example_schedule())), encoding="utf-8")
    with files["records"].open("w", encoding="utf-8") as out:
        write_records(out, generate(patients=150, seed=3))
    return {name: str(path) for name, path in files.items()}


def _argv(inputs: dict[str, str], out: object, *options: str) -> list[str]:
    return [
        "report",
        inputs["records"],
        "--teams",
        inputs["teams"],
        "--schedule",
        inputs["schedule"],
        "--out",
        str(out),
        *options,
    ]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[object, str]:
    status: object
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse usage errors
        status = exc.code
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--period", "2026-13"], "expected a period such as 2026"),
        (["--period", "last year"], "expected a period such as 2026"),
        (["--period", "2026", "--level", "county"], "expected a level: one of microstructure"),
        (["--period", "2026", "--breakdown", "colour"], "expected a breakdown: one of sex"),
        (["--period", "2026", "--threshold", "0"], "expected a whole number from 1"),
        (["--period", "2026", "--threshold", "1_0"], "expected a whole number from 1"),
        (["--period", "2026", "--threshold", "\u0661\u0662"], "expected a whole number from 1"),
        (["--period", "2026", "--threshold", "9" * 40], "expected a whole number from 1"),
        (["--period", "2026", "--indicator", "happiness"], "happiness"),
        (["--period", "2026", "--format", "pdf"], "invalid choice: 'pdf'"),
        (["--format", "csv"], "--period"),
    ],
)
def test_bad_options_exit_2_with_a_sentence(tmp_path, inputs, capsys, options, expected):
    """Unknown periods, levels, breakdowns, thresholds, indicators, formats: exit 2, nothing written."""
    if "--format" not in options:
        options = [*options, "--format", "csv"]
    status, output = _run(_argv(inputs, tmp_path / "r.csv", *options), capsys)
    assert status == 2, output
    assert expected in output
    assert "Traceback" not in output
    assert not (tmp_path / "r.csv").exists()


def test_no_records_and_no_database_exits_2(tmp_path, inputs, capsys):
    """Without records files and without --db there is nothing to report on."""
    argv = ["report", "--teams", inputs["teams"], "--period", "2026"]
    status, output = _run([*argv, "--format", "md", "--out", str(tmp_path / "r.md")], capsys)
    assert status == 2
    assert "no records" in output


def test_a_microstructure_team_file_is_refused(tmp_path, inputs, capsys):
    """A report covers a network or the nation: a lone microstructure file exits 2."""
    lone = tmp_path / "ms.json"
    ms = to_data(example_national().networks[0].microstructures[0])
    lone.write_text(json.dumps(ms), encoding="utf-8")
    argv = ["report", inputs["records"], "--teams", str(lone), "--period", "2026"]
    status, output = _run([*argv, "--format", "csv", "--out", str(tmp_path / "r.csv")], capsys)
    assert status == 2
    assert "expected a network or a national file" in output


def test_the_report_is_the_librarys(tmp_path, inputs, capsys):
    """The command writes what report and render give for the same inputs, and says so."""
    out = tmp_path / "report.md"
    options = ["--period", "2026", "--level", "network", "--level", "microstructure"]
    options += ["--breakdown", "sex", "--indicator", "active-file", "--format", "md"]
    status, output = _run(_argv(inputs, out, *options), capsys)
    assert status == 0, output
    with Database(example_national(), schedule=example_schedule()) as database:
        database.add_records(inputs["records"])
        expected = report(
            database,
            ["active-file"],
            periods=["2026"],
            levels=["network", "microstructure"],
            breakdowns=[None, "sex"],
            charts=False,
        )
    assert out.read_text(encoding="utf-8") == render(expected, "md")
    masked = sum(cell.mask is not None for cell in expected.table.cells)
    assert f"{len(expected.table.cells):,} cell(s), {masked:,} masked, to {out}" in output


def test_csv_report_of_the_whole_catalogue(tmp_path, inputs, capsys):
    """By default every indicator of the catalogue is reported, masked cells explained."""
    out = tmp_path / "report.csv"
    status, output = _run(_argv(inputs, out, "--period", "2026-Q1", "--format", "csv"), capsys)
    assert status == 0, output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {row["indicator"] for row in rows} == set(indicators())
    assert {row["period"] for row in rows} == {"2026-Q1"}
    assert all(row["note"] for row in rows if row["mask"] or not row["value"])


def test_html_report_has_charts_and_follows_the_umask(tmp_path, inputs, capsys):
    """The HTML page has its charts; the report (aggregates) is not private."""
    out = tmp_path / "report.html"
    umask = os.umask(0o022)
    try:
        status, output = _run(
            _argv(
                inputs, out, "--period", "2026", "--indicator", "active-file", "--format", "html"
            ),
            capsys,
        )
    finally:
        os.umask(umask)
    assert status == 0, output
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") >= 2
    assert "http" not in page
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_database_file_keeps_records_between_runs(tmp_path, inputs, capsys):
    """With --db, a second run without records files reports the same figures."""
    db = tmp_path / "network.duckdb"
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    options = ["--period", "2026", "--indicator", "active-file", "--format", "json"]
    status, output = _run([*_argv(inputs, first, *options), "--db", str(db)], capsys)
    assert status == 0, output
    argv = ["report", "--teams", inputs["teams"], "--schedule", inputs["schedule"], "--db", str(db)]
    status, output = _run([*argv, *options, "--out", str(second)], capsys)
    assert status == 0, output
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text(encoding="utf-8"))["table"]["cells"]


@pytest.mark.parametrize("which", ["records", "teams", "schedule"])
def test_refuses_to_write_over_an_input(inputs, capsys, which):
    """--out naming an input exits 2 and leaves the input as it was."""
    before = Path(inputs[which]).read_bytes()
    argv = _argv(inputs, inputs[which], "--period", "2026", "--format", "csv")
    status, output = _run(argv, capsys)
    assert status == 2
    assert "refusing to overwrite" in output
    assert Path(inputs[which]).read_bytes() == before


def test_progress_is_shown_on_a_terminal_only(tmp_path, inputs, capsys, monkeypatch):
    """On a terminal the progress display goes to stderr; the report is the same."""
    plain, shown = tmp_path / "plain.csv", tmp_path / "shown.csv"
    options = ["--period", "2026", "--indicator", "active-file", "--format", "csv"]
    status, quiet = _run(_argv(inputs, plain, *options), capsys)
    assert status == 0
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, _ = _run(_argv(inputs, shown, *options), capsys)
    assert status == 0
    assert plain.read_bytes() == shown.read_bytes()
    assert "reading records" not in quiet


VIDEO = """
[[indicators]]
id = "video-consultations"
title = { en = "Video consultations", fr = "Téléconsultations" }
description = { en = "Share of held consultations held by video.", fr = "Part en vidéo." }
unit = "percent"

[indicators.numerator]
population = "consultations"
where = [
  { column = "status", operator = "eq", value = "held" },
  { column = "mode", operator = "eq", value = "video" },
]

[indicators.denominator]
population = "consultations"
where = [{ column = "status", operator = "eq", value = "held" }]
"""


def test_a_networks_own_indicator_from_a_file(tmp_path, inputs, capsys):
    """--indicators FILE adds the network's indicator, reported at the nation level too."""
    own = tmp_path / "ours.toml"
    own.write_text(VIDEO, encoding="utf-8")
    out = tmp_path / "report.csv"
    options = ["--period", "2026", "--indicators", str(own), "--indicator", "video-consultations"]
    options += ["--level", "nation", "--level", "region", "--format", "csv"]
    status, output = _run(_argv(inputs, out, *options), capsys)
    assert status == 0, output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {row["indicator"] for row in rows} == {"video-consultations"}
    assert {(row["level"], row["unit"]) for row in rows} >= {("nation", "FR"), ("region", "44")}
    assert {row["value_unit"] for row in rows} == {"percent"}


def test_an_invalid_own_indicator_names_its_path(tmp_path, inputs, capsys):
    """A typo in the network's indicator file exits 2 with the file and the field path."""
    own = tmp_path / "ours.toml"
    own.write_text(VIDEO.replace('column = "mode"', 'column = "mood"'), encoding="utf-8")
    options = ["--period", "2026", "--indicators", str(own), "--format", "csv"]
    status, output = _run(_argv(inputs, tmp_path / "r.csv", *options), capsys)
    assert status == 2
    assert str(own) in output
    assert "$.indicators[0].numerator.where[1].column" in output


def test_own_indicators_join_the_whole_catalogue(tmp_path, inputs, capsys):
    """--indicators FILE without --indicator reports the catalogue and the network's own."""
    own = tmp_path / "ours.toml"
    own.write_text(VIDEO, encoding="utf-8")
    out = tmp_path / "report.csv"
    options = ["--period", "2026-01", "--indicators", str(own), "--format", "csv"]
    status, output = _run(_argv(inputs, out, *options), capsys)
    assert status == 0, output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {row["indicator"] for row in rows} == {*indicators(), "video-consultations"}
    options = [*options[:-2], "--indicator", "happiness", "--format", "csv"]
    status, output = _run(_argv(inputs, tmp_path / "r2.csv", *options), capsys)
    assert status == 2
    assert "happiness" in output
