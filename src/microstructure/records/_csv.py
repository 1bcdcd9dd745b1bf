"""CSV import, for vendors whose exports are tables: one CSV file per type of event."""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from microstructure.errors import ConfigurationError, ErrorDetail, FieldError, ValidationError
from microstructure.io import from_data
from microstructure.records._model import (
    Assessment,
    Consultation,
    Event,
    Exit,
    Inclusion,
    Patient,
    RcpMeeting,
    Referral,
)

__all__ = ["CSV_COLUMNS", "import_csv"]

#: The file names and columns of a CSV export; ``?`` marks a column that may be empty.
#: Lists (indications, answers, attendees…) are written in one cell, separated by ``;``.
CSV_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "patients.csv": (
        "id", "recorded_at", "patient", "birth_year", "sex", "national_pseudonym?", "department?",
    ),
    "referrals.csv": (
        "id", "recorded_at", "patient", "date", "microstructure", "referrer",
        "indications?", "substances?", "situations?",
    ),
    "assessments.csv": (
        "id", "recorded_at", "patient", "date", "instrument", "stage", "answers?", "total?",
    ),
    "inclusions.csv": (
        "id", "recorded_at", "patient", "date", "program", "microstructure",
        "outcome", "policy", "policy_version",
    ),
    "consultations.csv": (
        "id", "recorded_at", "patient", "start", "professional", "role", "status", "mode",
        "duration_minutes", "session?",
    ),
    "rcp-meetings.csv": ("id", "recorded_at", "date", "microstructure", "attendees?"),
    "rcp-cases.csv": ("meeting", "patient", "outcome"),
    "exits.csv": ("id", "recorded_at", "patient", "date", "reason"),
}  # fmt: skip

_CLASSES: Final[Mapping[str, type[Any]]] = {
    "patients.csv": Patient,
    "referrals.csv": Referral,
    "assessments.csv": Assessment,
    "inclusions.csv": Inclusion,
    "consultations.csv": Consultation,
    "rcp-meetings.csv": RcpMeeting,
    "exits.csv": Exit,
}
_DECISION = ("outcome", "policy", "policy_version")
_LISTS = frozenset({"indications", "substances", "situations", "attendees"})


def _number(cell: str) -> object:
    """An integer cell as an int; anything else stays text, for the converter to report."""
    text = cell.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return cell


def _answer(cell: str) -> object:
    text = cell.strip().lower()
    if text in {"true", "yes", "oui"}:
        return True
    if text in {"false", "no", "non"}:
        return False
    return _number(cell)


def _cell(name: str, cell: str) -> tuple[str, object]:
    if name in _LISTS:
        return name, [part.strip() for part in cell.split(";") if part.strip()]
    if name == "answers":
        return name, [_answer(part) for part in cell.split(";")]
    if name in {"birth_year", "total"}:
        return name, _number(cell)
    if name == "duration_minutes":
        value = _number(cell)
        if isinstance(value, int) and value >= 0:
            return "duration", f"PT{value}M" if value else "PT0S"
        return "duration", cell
    return name, cell


def _read(
    path: Path, columns: tuple[str, ...], errors: list[ErrorDetail]
) -> list[tuple[int, dict[str, str]]]:
    names = [c.rstrip("?") for c in columns]
    required = {c for c in columns if not c.endswith("?")}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = sorted(required - set(header))
            extra = sorted(set(header) - set(names))
            if missing or extra:
                errors.extend(
                    ErrorDetail(
                        path=f"{path.name} line 1: $.{name}", message="required column is missing"
                    )
                    for name in missing
                )
                errors.extend(
                    ErrorDetail(path=f"{path.name} line 1: $.{name}", message="unexpected column")
                    for name in extra
                )
                return []
            return [(number, row) for number, row in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 CSV text"
        msg = f"cannot read CSV file {str(path)!r}: {reason}"
        raise ConfigurationError(msg) from None


def _data(row: Mapping[Any, Any]) -> dict[str, object]:
    data: dict[str, object] = {}
    for name, cell in row.items():
        if name is None or cell is None or cell == "":
            continue
        key, value = _cell(name, cell)
        data[key] = value
    return data


def _structure(
    cl: type[Any], data: dict[str, object], where: str, errors: list[ErrorDetail]
) -> Any:
    try:
        return from_data(cl, data)
    except ValidationError as exc:
        errors.extend(attrs.evolve(e, path=f"{where}: {e.path}") for e in exc.errors)
        return None


def import_csv(folder: str | Path) -> list[Event]:  # noqa: C901 - checks, then one pass per file
    r"""Read the CSV files of a vendor export (named as in `CSV_COLUMNS`) into events.

    Files that are absent are skipped. Cells are converted as in the JSON Lines format
    (dates and date-times in ISO 8601, codes as documented), except that lists are
    ``;``-separated and a consultation's duration is in whole minutes. RCP cases are
    rows of ``rcp-cases.csv`` naming their meeting. Reading is strict: if any cell is
    wrong, nothing is returned and every problem is reported with its file, line and
    field, never with a personal value.

    Raises:
        ConfigurationError: if a file cannot be read.
        ValidationError: listing every problem of every file.

    Examples:
        >>> import pathlib, tempfile
        >>> from microstructure.records import import_csv
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "exits.csv").write_text(
        ...     "id,recorded_at,patient,date,reason\n"
        ...     "x-1,2026-06-01T18:00:00+02:00,K3M7-QXVG,2026-06-01,moved\n")
        >>> [e.reason.value for e in import_csv(folder)]
        ['moved']
    """
    given: object = folder
    if not isinstance(given, str | os.PathLike):
        raise FieldError(type(given).__name__, "a folder path")
    root = Path(folder)
    if not root.is_dir():
        msg = f"cannot read CSV export {str(root)!r}: not a folder"
        raise ConfigurationError(msg)
    errors: list[ErrorDetail] = []
    events: list[Event] = []
    rows_by_file = {
        name: _read(root / name, columns, errors)
        for name, columns in CSV_COLUMNS.items()
        if (root / name).exists()
    }
    cases: dict[str, list[dict[str, object]]] = {}
    for number, row in rows_by_file.get("rcp-cases.csv", []):
        data = _data(row)
        meeting = data.pop("meeting", None)
        if not isinstance(meeting, str):
            errors.append(
                ErrorDetail(
                    path=f"rcp-cases.csv line {number}: $.meeting",
                    message="required key is missing",
                )
            )
            continue
        cases.setdefault(meeting, []).append(data)
    seen_meetings: set[str] = set()
    for name, cl in _CLASSES.items():
        for number, row in rows_by_file.get(name, []):
            data = _data(row)
            if cl is Inclusion:
                data["decision"] = {k: data.pop(k) for k in _DECISION if k in data}
            if cl is RcpMeeting and isinstance(data.get("id"), str):
                meeting_id = str(data["id"])
                seen_meetings.add(meeting_id)
                data["cases"] = cases.get(meeting_id, [])
            event = _structure(cl, data, f"{name} line {number}", errors)
            if event is not None:
                events.append(event)
    errors.extend(
        ErrorDetail(
            path="rcp-cases.csv: $.meeting",
            message="expected the id of a meeting of rcp-meetings.csv",
            value=meeting_id,
        )
        for meeting_id in sorted(set(cases) - seen_meetings)
    )
    if errors:
        raise ValidationError(errors, subject=f"CSV export {str(root)!r}")
    return events
