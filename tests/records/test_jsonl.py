"""The JSON Lines format: header, located bad lines without personal values, strict, atomic."""

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.records import helpers as h

from microstructure.errors import ConfigurationError, MicrostructureError, ValidationError
from microstructure.io import from_data, to_data
from microstructure.records import (
    FORMAT,
    VERSION,
    Event,
    LineError,
    dumps_records,
    iter_records,
    loads_records,
    parse_line,
    read_records,
    write_records,
)

HEADER = json.dumps({"format": FORMAT, "version": VERSION})


def _file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "care.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_first_line_is_the_header():
    """Written text starts with the format name and version."""
    first = dumps_records(h.pathway()).splitlines()[0]
    assert json.loads(first) == {"format": "microstructure-records", "version": 1}


@pytest.mark.parametrize(
    "header",
    [
        "",
        "{}",
        '{"format": "other", "version": 1}',
        '{"format": "microstructure-records", "version": 2}',
        "[1",
    ],
)
def test_a_wrong_header_is_refused(tmp_path, header):
    """A missing, foreign or future header raises a ValidationError located at line 1."""
    with pytest.raises(ValidationError) as caught:
        read_records(_file(tmp_path, header, json.dumps(to_data(h.patient()))))
    assert caught.value.errors[0].path.startswith("line 1: ")


def test_every_bad_line_is_reported_with_its_number_and_path(tmp_path):
    """Each bad line is reported, located, and nothing is loaded."""
    good = json.dumps(to_data(h.patient()))
    bad_date = json.dumps(to_data(h.exit_()) | {"date": "2026-13-01"})
    bad_type = json.dumps({"type": "visit"})
    path = _file(tmp_path, HEADER, good, bad_date, "{oops", good, bad_type)
    with pytest.raises(ValidationError) as caught:
        read_records(path)
    paths = [e.path for e in caught.value.errors]
    assert paths == ["line 3: $.date", "line 4: $", "line 6: $.type"]
    items = list(iter_records(path))
    assert [type(i).__name__ for i in items] == [
        "Patient", "LineError", "LineError", "Patient", "LineError",
    ]  # fmt: skip


def test_bad_lines_never_show_personal_values():
    """A wrong code, birth year or sex is reported without its value."""
    cases = {
        "patient": ("K3M7-QXVH", "K3M7"),
        "birth_year": (1812, "1812"),
        "sex": ("q", "'q'"),
        "national_pseudonym": ("v1n:Dupont", "Dupont"),
        "department": ("Strasbourg", "Strasbourg"),
    }
    for field, (value, secret) in cases.items():
        error = parse_line(json.dumps(to_data(h.patient()) | {field: value}), 2)
        assert isinstance(error, LineError)
        assert secret not in str(error)
        assert [(e.path, e.redacted) for e in error.errors] == [(f"$.{field}", True)]


@given(st.text(max_size=40) | st.binary(max_size=40))
def test_any_line_gives_an_event_or_a_line_error(text):
    """Whatever the line, parsing returns a LineError, never raises."""
    assert isinstance(parse_line(text, 2), (LineError, *map(type, h.pathway())))


def test_deep_or_huge_json_is_a_line_error():
    """Deep nesting and huge integers are reported as bad lines."""
    assert isinstance(parse_line("[" * 100_000 + "]" * 100_000, 2), LineError)
    assert isinstance(parse_line('{"type": "exit", "id": ' + "9" * 5000 + "}", 2), LineError)


def test_an_unreadable_file_is_a_configuration_error(tmp_path):
    """A missing or non-UTF-8 file raises ConfigurationError."""
    with pytest.raises(ConfigurationError):
        read_records(tmp_path / "missing.jsonl")
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(HEADER.encode() + b"\n\xe9\xff\n")
    with pytest.raises(ConfigurationError):
        read_records(path)


def test_writing_is_atomic(tmp_path):
    """A failing write leaves the previous file whole and no temporary file behind."""
    path = tmp_path / "care.jsonl"
    write_records(path, h.pathway())
    before = path.read_text(encoding="utf-8")

    def broken() -> Any:
        yield h.patient()
        raise RuntimeError

    with pytest.raises(RuntimeError):
        write_records(path, broken())
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["care.jsonl"]
    with pytest.raises(ConfigurationError):
        write_records(tmp_path / "no" / "such" / "dir.jsonl", h.pathway())


def test_blank_lines_are_skipped():
    """Empty lines between records are allowed."""
    text = dumps_records(h.pathway()).replace("\n", "\n\n")
    assert loads_records(text) == h.pathway()


def test_errors_are_library_errors():
    """Reading garbage raises only MicrostructureError."""
    with pytest.raises(MicrostructureError):
        loads_records("garbage")


def test_fields_equal_to_their_default_are_left_out_when_writing():
    """A written line has the tag first and no key for a field left at its default."""
    line = dumps_records([h.patient()]).splitlines()[1]
    assert list(json.loads(line)) == ["type", "id", "recorded_at", "patient", "birth_year", "sex"]
    meeting = dumps_records([h.meeting(h.CODE, cases=(), attendees=())]).splitlines()[1]
    assert "cases" not in json.loads(meeting)
    assert "attendees" not in json.loads(meeting)


def test_defaults_written_out_read_the_same_as_defaults_left_out():
    """A vendor line that writes every field, defaults included, reads as the same event."""
    explicit: dict[str, dict[str, object]] = {
        "patient": {"national_pseudonym": None, "department": None},
        "referral": {"situations": []},
        "assessment": {"total": None},
        "consultation": {"session": None},
        "rcp-meeting": {"attendees": [], "cases": []},
    }
    added = 0
    for event in [*h.pathway(), h.consultation(session=None), h.meeting(cases=(), attendees=())]:
        data = to_data(event)
        extra = {k: v for k, v in explicit.get(data["type"], {}).items() if k not in data}
        added += len(extra)
        assert parse_line(json.dumps(data | extra), 2) == event
    assert added == 7  # every default of the table above was written out


#: Values a vendor's line may hold in any field: wrong types, near misses, nested data.
ODD_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    1980,
    1.5,
    "",
    "x",
    "held",
    "f",
    "psy-strasbourg",
    "K3M7-QXVG",
    "2026-01-19",
    "2026-01-19T09:00:00",
    "2026-01-19T09:00:00+01:00",
    "PT45M",
    [],
    ["alcohol"],
    ["x", 1],
    {},
    {"patient": "K3M7-QXVG", "outcome": "continue"},
]


def _outcome(data: dict[str, Any]) -> object:
    """What the strict converter makes of ``data``: the event, or the error paths."""
    try:
        return from_data(Event, data)
    except ValidationError as exc:
        return [e.path for e in exc.errors]


def test_the_fast_reader_accepts_exactly_what_the_strict_converter_accepts():
    """Each field of each record set to each odd value: `parse_line` gives what `from_data` gives."""
    tried = 0
    for event in [*h.pathway(), h.assessment(answers=None, total=7)]:
        for field in [k for k in to_data(event) if k != "type"]:
            for value in ODD_VALUES:
                line = to_data(event) | {field: value}
                parsed = parse_line(json.dumps(line), 2)
                expected = _outcome(line)
                if isinstance(parsed, LineError):
                    assert [e.path for e in parsed.errors] == expected, (field, value)
                else:
                    assert parsed == expected, (field, value)
                    assert to_data(parsed) == to_data(expected), (field, value)
                tried += 1
    assert tried > 1000  # every field of every type, every value


def test_the_fast_reader_checks_nested_codes_as_the_strict_converter_does():
    """Odd values in an inclusion's decision and an RCP case: `parse_line` agrees with `from_data`."""
    for value in ODD_VALUES:
        inclusion = to_data(h.inclusion())
        inclusion["decision"]["outcome"] = value
        meeting = to_data(h.meeting())
        meeting["cases"][0]["outcome"] = value
        for line in (inclusion, meeting):
            parsed = parse_line(json.dumps(line), 2)
            expected = _outcome(line)
            if isinstance(parsed, LineError):
                assert [e.path for e in parsed.errors] == expected, value
            else:
                assert parsed == expected, value
