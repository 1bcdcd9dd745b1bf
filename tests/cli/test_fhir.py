"""The ``microstructure fhir export`` command: the library's Bundle, written safely."""

import json
import stat
from pathlib import Path

import pytest

from microstructure.cli import main
from microstructure.evaluation import Report
from microstructure.examples import example_national, write_example
from microstructure.fhir import bundle, dumps
from microstructure.io import load
from microstructure.records import read_records, write_records
from microstructure.synthetic import generate


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The example files, a generated records file and its JSON report."""
    folder = tmp_path_factory.mktemp("fhir-cli")
    write_example(folder)
    write_records(folder / "records.jsonl", generate(patients=40, seed=5))
    status = main(
        [
            "report",
            str(folder / "records.jsonl"),
            "--teams",
            str(folder / "national.json"),
            "--period",
            "2026",
            "--format",
            "json",
            "--out",
            str(folder / "report.json"),
        ]
    )
    assert status == 0
    return {
        "teams": folder / "national.json",
        "records": folder / "records.jsonl",
        "report": folder / "report.json",
        "schedule": folder / "national.schedule.json",
    }


def _export(files: dict[str, Path], out: Path, *extra: str) -> int:
    argv = ["fhir", "export", "--teams", str(files["teams"]), "--records", str(files["records"])]
    return main([*argv, *extra, "--out", str(out)])


def test_export_writes_the_librarys_bundle(files, tmp_path, capsys):
    """The file is `dumps(bundle(...))` of the same inputs, private to its owner."""
    out = tmp_path / "bundle.json"
    assert _export(files, out, "--report", str(files["report"])) == 0
    published = load(Report, str(files["report"]))
    expected = dumps(bundle(example_national(), read_records(files["records"]), published))
    assert out.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    count = len(json.loads(expected)["entry"])
    assert f"wrote {count:,} resource(s)" in capsys.readouterr().out


def test_export_computes_a_report_with_period(files, tmp_path):
    """With --period the report is computed from the records: MeasureReports per unit."""
    out = tmp_path / "bundle.json"
    status = _export(
        files, out, "--period", "2026-Q1", "--level", "microstructure", "--breakdown", "sex"
    )
    assert status == 0
    found = json.loads(out.read_text(encoding="utf-8"))
    reports = [
        e["resource"] for e in found["entry"] if e["resource"]["resourceType"] == "MeasureReport"
    ]
    assert reports
    assert {r["period"]["start"] for r in reports} == {"2026-01-01"}
    assert {g["code"]["text"].split()[0] for r in reports for g in r["group"]} == {"microstructure"}


def test_the_base_option_names_the_systems(files, tmp_path):
    """--base sets the library's own systems."""
    out = tmp_path / "bundle.json"
    assert _export(files, out, "--base", "https://rms.example.org/fhir") == 0
    assert "https://rms.example.org/fhir/sid/anonymous-code" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--report", "REPORT", "--period", "2026"], "not both"),
        (["--level", "network"], "give --period too"),
        (["--base", "ftp://x"], "http(s) URL"),
    ],
)
def test_inconsistent_options_exit_2(files, tmp_path, capsys, extra, message):
    """Contradictory or incomplete options exit 2 with a sentence, writing nothing."""
    out = tmp_path / "bundle.json"
    extra = [str(files["report"]) if item == "REPORT" else item for item in extra]
    assert _export(files, out, *extra) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_period_needs_records(files, tmp_path, capsys):
    """A report computed with --period needs records."""
    out = tmp_path / "bundle.json"
    argv = ["fhir", "export", "--teams", str(files["teams"]), "--period", "2026", "--out", str(out)]
    assert main(argv) == 2
    assert "--records" in capsys.readouterr().err


def test_export_never_overwrites_an_input(files, capsys):
    """The output cannot be one of the inputs: refused, the input intact."""
    before = files["records"].read_bytes()
    assert _export(files, files["records"]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert files["records"].read_bytes() == before
