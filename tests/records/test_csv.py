"""CSV import: a table export of a generated care file reads back as the same events."""

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from tests.records import helpers as h

from microstructure.errors import ValidationError
from microstructure.io import to_data
from microstructure.records import CSV_COLUMNS, RcpMeeting, event_type, import_csv, sort_key
from microstructure.synthetic import generate

FILES = {
    "patient": "patients.csv",
    "referral": "referrals.csv",
    "assessment": "assessments.csv",
    "inclusion": "inclusions.csv",
    "consultation": "consultations.csv",
    "rcp-meeting": "rcp-meetings.csv",
    "exit": "exits.csv",
}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v).lower() if isinstance(v, bool) else str(v) for v in value)
    return str(value)


def export(events: Iterable[Any], folder: Path) -> None:
    """Write events as a vendor would: one CSV per type, columns as documented."""
    rows: dict[str, list[dict[str, str]]] = {name: [] for name in CSV_COLUMNS}
    for event in events:
        data = to_data(event)
        name = FILES[data.pop("type")]
        if isinstance(event, RcpMeeting):
            rows["rcp-cases.csv"] += [{"meeting": event.id} | case for case in data.pop("cases")]
        if "decision" in data:
            data |= data.pop("decision")
        if "duration" in data:
            data["duration_minutes"] = int(event.duration.total_seconds() // 60)
            del data["duration"]
        rows[name].append({k: _cell(v) for k, v in data.items()})
    for name, columns in CSV_COLUMNS.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, [c.rstrip("?") for c in columns])
            writer.writeheader()
            writer.writerows(rows[name])


def test_a_csv_export_reads_back_as_the_same_events(tmp_path):
    """Every event of a generated file survives the CSV round trip."""
    events = list(generate(patients=15, seed=5))
    export(events, tmp_path)
    assert sorted(import_csv(tmp_path), key=sort_key) == sorted(events, key=sort_key)


def test_every_type_has_a_file():
    """The documented files cover every record type."""
    assert {event_type(e) for e in h.pathway()} == set(FILES)


def test_bad_cells_are_located_by_file_line_and_field(tmp_path):
    """Every bad cell is reported with file, line and field; nothing is returned."""
    export(h.pathway(), tmp_path)
    path = tmp_path / "exits.csv"
    text = path.read_text(encoding="utf-8").replace("goals-reached", "bored")
    path.write_text(text, encoding="utf-8")
    cases = tmp_path / "rcp-cases.csv"
    cases.write_text(cases.read_text(encoding="utf-8") + "rcp-404,K3M7-QXVG,continue\n")
    patients = tmp_path / "patients.csv"
    patients.write_text(patients.read_text(encoding="utf-8").replace(",1980,", ",19x0,"))
    with pytest.raises(ValidationError) as caught:
        import_csv(tmp_path)
    assert [e.path for e in caught.value.errors] == [
        "patients.csv line 2: $.birth_year",
        "exits.csv line 2: $.reason",
        "rcp-cases.csv: $.meeting",
    ]
    assert "19x0" not in str(caught.value)


def test_missing_and_unknown_columns_are_reported(tmp_path):
    """A header without a required column, or with an unknown one, is reported."""
    (tmp_path / "exits.csv").write_text("id,recorded_at,patient,date,why\n")
    with pytest.raises(ValidationError) as caught:
        import_csv(tmp_path)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("exits.csv line 1: $.reason", "required column is missing"),
        ("exits.csv line 1: $.why", "unexpected column"),
    ]
