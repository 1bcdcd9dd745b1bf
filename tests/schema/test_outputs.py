"""The JSON outputs of commands are documents too: format, version, schema, read back."""

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from tests.errors.strategies import ERROR_DETAILS, JSON_SCALARS
from tests.records import helpers as h
from tests.schema.helpers import problems

from microstructure.cli import main
from microstructure.errors import ErrorDetail, FindingsReport, ValidationError
from microstructure.examples import example_national
from microstructure.io import dumps, from_data, loads, to_data
from microstructure.records import write_records
from microstructure.synthetic import generate

FORMAT = {"format": "microstructure-findings", "version": 1}


def _teams(tmp_path: Path) -> str:
    path = tmp_path / "national.json"
    path.write_text(dumps(example_national()), encoding="utf-8")
    return str(path)


def _printed(capsys: pytest.CaptureFixture[str]) -> Any:
    report = json.loads(capsys.readouterr().out)
    assert dict(list(report.items())[:2]) == FORMAT
    assert problems("findings", report) == []
    assert isinstance(from_data(FindingsReport, report), FindingsReport)
    return report


def test_check_of_a_valid_file(capsys):
    """``check --format json`` of the example: valid, no count, its findings."""
    assert main(["check", "--example", "--on", "2026-06-01", "--format", "json"]) == 0
    report = _printed(capsys)
    assert report["valid"] is True
    assert report["events"] is None
    assert report["errors"] == []


def test_check_of_an_invalid_file(tmp_path, capsys):
    """An invalid team file gives a report that is not valid, with the located errors."""
    path = tmp_path / "bad.json"
    data = json.loads(dumps(example_national()))
    data["networks"][0]["id"] = ["not", ["an", ["id"]]]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["check", str(path), "--format", "json"]) == 2
    report = _printed(capsys)
    assert report["valid"] is False
    assert report["findings"] == []
    assert [(e["path"], e["value"]) for e in report["errors"]] == [
        ("$.networks[0].id", "['not', ['an', ['id']]]")
    ]


def test_records_validate_counts_and_findings(tmp_path, capsys):
    """``records validate --format json``: the counts of a hand-made pathway and its finding."""
    path = tmp_path / "care.jsonl"
    events = [*h.pathway(), h.exit_(id="x-2", date=h.day(6, 10))]
    write_records(path, events)
    code = main(["records", "validate", str(path), "--teams", _teams(tmp_path), "--format", "json"])
    assert code == 1
    report = _printed(capsys)
    assert (report["valid"], report["events"], report["patients"]) == (
        True,
        len(events),
        len({e.patient for e in events if hasattr(e, "patient")}),
    )
    assert [f["code"] for f in report["findings"]] == ["MS-REC-013"]


def test_records_validate_of_a_generated_file(tmp_path, capsys):
    """A generated file: valid, every event counted, no error finding."""
    path = tmp_path / "care.jsonl"
    count = write_records(path, generate(patients=20, seed=3))
    code = main(["records", "validate", str(path), "--teams", _teams(tmp_path), "--format", "json"])
    assert code == 0
    report = _printed(capsys)
    assert report["events"] == count


def test_records_validate_of_a_bad_line_withholds_the_value(tmp_path, capsys):
    """A bad anonymous code: not valid, the line located, the code not printed."""
    path = tmp_path / "care.jsonl"
    write_records(path, h.pathway())
    text = path.read_text(encoding="utf-8").replace('"K3M7-QXVG"', '"K3M7-QXVH"', 1)
    path.write_text(text, encoding="utf-8")
    code = main(["records", "validate", str(path), "--teams", _teams(tmp_path), "--format", "json"])
    assert code == 2
    out = capsys.readouterr().out
    assert "QXVH" not in out
    report = json.loads(out)
    assert report["valid"] is False
    assert problems("findings", report) == []


def test_a_newer_version_is_refused():
    """A findings report of version 2 is refused at ``$.version``."""
    text = json.dumps({**FORMAT, "version": 2, "valid": True})
    with pytest.raises(ValidationError) as caught:
        loads(FindingsReport, text)
    assert caught.value.errors[0].path == "$.version"


@given(ERROR_DETAILS)
def test_error_details_read_back_equal(detail):
    """An error detail whose value is a short JSON scalar reads back equal."""
    assert from_data(ErrorDetail, json.loads(json.dumps(to_data(detail)))) == detail


@given(JSON_SCALARS | JSON_SCALARS.map(lambda v: [v, {"k": v}]))
def test_values_are_bounded_json(value):
    """Any value is written as JSON of bounded size: as it is, or as its short text."""
    written = to_data(ErrorDetail(path="$", message="m", value=value))["value"]
    json.dumps(written, allow_nan=False)
    assert written == value or (isinstance(written, str) and len(written) <= 200)


@pytest.mark.parametrize(
    "value",
    [b"\x00", {1, 2}, 10**5000, float("nan"), "x" * 10**6, complex(1, 2)],
    ids=["bytes", "set", "huge-int", "nan", "huge-string", "complex"],
)
def test_values_json_cannot_hold_become_short_text(value):
    """Bytes, sets, huge integers, NaN, a megabyte string: short text, never a crash."""
    written = to_data(ErrorDetail(path="$", message="m", value=value))["value"]
    assert isinstance(written, str)
    assert len(written) <= 200
    json.dumps(written)


def test_an_unreadable_report_has_no_findings():
    """Errors and findings together are refused: a file that cannot be read has no findings."""
    finding = FindingsReport.of([]).findings
    with pytest.raises(ValidationError) as caught:
        FindingsReport(valid=True, errors=(ErrorDetail(path="$", message="m"),), findings=finding)
    assert caught.value.errors[0].path == "$.valid"
    with pytest.raises(ValidationError):
        FindingsReport(valid=False)
