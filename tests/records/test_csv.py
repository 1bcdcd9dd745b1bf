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


def export(events: Iterable[Any], folder: Path, *, every_column: bool = True) -> None:
    """Write events as a vendor would: one CSV per type, columns as documented.

    With ``every_column`` false, an optional column no row fills is left out of the header.
    """
    rows: dict[str, list[dict[str, str]]] = {name: [] for name in CSV_COLUMNS}
    for event in events:
        data = to_data(event)  # fields equal to their default are left out
        name = FILES[data.pop("type")]
        if isinstance(event, RcpMeeting):
            cases = data.pop("cases", [])
            rows["rcp-cases.csv"] += [{"meeting": event.id} | case for case in cases]
        if "decision" in data:
            data |= data.pop("decision")
        if "duration" in data:
            data["duration_minutes"] = int(event.duration.total_seconds() // 60)
            del data["duration"]
        rows[name].append({k: _cell(v) for k, v in data.items()})
    for name, columns in CSV_COLUMNS.items():
        header = [
            c.rstrip("?")
            for c in columns
            if every_column or not c.endswith("?") or any(c[:-1] in row for row in rows[name])
        ]
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, header)
            writer.writeheader()
            writer.writerows(rows[name])


@pytest.mark.parametrize("every_column", [True, False])
def test_a_csv_export_reads_back_as_the_same_events(tmp_path, every_column):
    """Every event survives the CSV round trip, optional columns present but empty or absent."""
    events = [*generate(patients=15, seed=5), *h.pathway()]
    export(events, tmp_path, every_column=every_column)
    header = (tmp_path / "patients.csv").read_text(encoding="utf-8").splitlines()[0]
    assert ("national_pseudonym" in header) is every_column  # the generator never sets it
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
