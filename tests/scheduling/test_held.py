"""Held-sessions files: the format envelope, the bare array written before, located errors."""

import json
from typing import Any

import pendulum
import pytest
from hypothesis import given
from tests.scheduling.strategies import HELD_FILES

from microstructure._data import load_data
from microstructure.cli import main
from microstructure.errors import ConfigurationError, ValidationError
from microstructure.io import Format, document_format, dumps, to_data
from microstructure.programs import Activity
from microstructure.scheduling import HeldSession, HeldSessions, SessionStatus, load_held

SESSION = {"microstructure": "ms-neudorf", "activity": "rcp", "date": "2026-03-12"}
ENVELOPE = {"format": "microstructure-held-sessions", "version": 1}


def _example() -> dict[str, Any]:
    data: dict[str, Any] = load_data("examples/held.json")
    return data


def test_example_file_is_enveloped_and_reads_like_its_bare_array(tmp_path):
    """The shipped example carries its format; its sessions as a bare array read the same."""
    data = _example()
    assert list(data)[:2] == ["format", "version"]
    assert (data["format"], data["version"]) == ("microstructure-held-sessions", 1)
    enveloped, bare = tmp_path / "held.json", tmp_path / "bare.json"
    enveloped.write_text(json.dumps(data), encoding="utf-8")
    bare.write_text(json.dumps(data["sessions"]), encoding="utf-8")
    held = load_held(enveloped)
    assert held == load_held(bare)
    assert len(held) == len(data["sessions"]) == 33
    assert held[0] == HeldSession(
        microstructure="ms-neudorf",
        activity=Activity.PSYCHOLOGIST_CONSULTATIONS,
        date=pendulum.date(2026, 3, 2),
    )
    assert [s.status for s in held].count(SessionStatus.CANCELLED) == 1


def test_object_without_format_reads_as_version_1():
    """An object without format and version keys reads like the enveloped file."""
    assert load_held({"sessions": [SESSION]}) == load_held({**ENVELOPE, "sessions": [SESSION]})
    assert load_held([]) == ()


@given(HELD_FILES)
def test_written_file_reads_back(held):
    """`dumps` of a `HeldSessions` writes the envelope first and `load_held` reads it back."""
    data = json.loads(dumps(held))
    assert {key: data[key] for key in ("format", "version")} == ENVELOPE
    assert load_held(data) == held.sessions
    assert load_held(data["sessions"]) == held.sessions


def test_newer_version_is_refused_at_version():
    """A file written for a newer version is refused at $.version, naming the version read."""
    with pytest.raises(ValidationError) as caught:
        load_held({**ENVELOPE, "version": 2, "sessions": [SESSION]})
    (detail,) = caught.value.errors
    assert detail.path == "$.version"
    assert detail.value == 2
    assert "expected version 1 at most" in detail.message
    assert "newer release" in detail.message


def test_another_format_is_refused_at_format():
    """A schedule file given as held sessions is refused at $.format, naming the format."""
    with pytest.raises(ValidationError) as caught:
        load_held({"format": "microstructure-schedule", "version": 1, "schedules": []})
    paths = [d.path for d in caught.value.errors]
    assert paths == ["$.format"]
    assert "'microstructure-held-sessions'" in caught.value.errors[0].message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("date", "2026-02-30", "ISO 8601 date"),
        ("activity", "yoga", "one of"),
        ("status", "postponed", "one of"),
        ("microstructure", "not an id", "id"),
    ],
)
def test_bad_session_is_located_in_both_forms(field, value, expected):
    """A bad session is at $.sessions[3] in the object and at $[3] in the bare array."""
    sessions = [SESSION] * 3 + [{**SESSION, field: value}]
    found = {}
    for data, prefix in (({**ENVELOPE, "sessions": sessions}, "$.sessions"), (sessions, "$")):
        with pytest.raises(ValidationError) as caught:
            load_held(data)
        (detail,) = caught.value.errors
        assert detail.path == f"{prefix}[3].{field}"
        assert detail.value == value
        assert expected in detail.message
        found[prefix] = (caught.value.subject, detail.message)
    assert found["$"] == found["$.sessions"]


def test_not_sessions_are_refused_where_they_are():
    """A bare array of strings and an object of another shape are refused at their paths."""
    with pytest.raises(ValidationError) as caught:
        load_held(["ms-neudorf"])
    assert [d.path for d in caught.value.errors] == ["$[0]"]
    with pytest.raises(ValidationError) as caught:
        load_held({"held": [SESSION]})
    assert sorted(d.path for d in caught.value.errors) == ["$.held", "$.sessions"]


def test_file_problems_name_the_file(tmp_path):
    """A missing file is a ConfigurationError naming it; a JSON syntax error is located."""
    missing = tmp_path / "missing.json"
    with pytest.raises(ConfigurationError, match=r"cannot read held sessions file .*missing\.json"):
        load_held(missing)
    broken = tmp_path / "broken.json"
    broken.write_text('{"sessions": [', encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_held(broken)
    assert str(broken) in str(caught.value)


def test_held_sessions_class():
    """`HeldSessions` holds a tuple of `HeldSession`, has a format, and refuses anything else."""
    session = HeldSession(
        microstructure="ms-neudorf", activity=Activity.RCP, date=pendulum.date(2026, 3, 12)
    )
    assert HeldSessions([session]).sessions == (session,)
    assert document_format(HeldSessions) == Format("microstructure-held-sessions", 1)
    assert list(to_data(HeldSessions([session]))) == ["format", "version", "sessions"]
    with pytest.raises(ValidationError) as caught:
        HeldSessions([SESSION])
    assert caught.value.errors[0].path.endswith("sessions")


def test_cli_reads_both_forms_and_refuses_a_newer_version(tmp_path, capsys):
    """`schedule --held` reads the object and the bare array alike; a newer version exits 2."""
    argv = ["schedule", "--example", "--month", "2026-03", "--microstructure", "ms-colmar"]
    outputs = []
    for name, data in (("held.json", _example()), ("bare.json", _example()["sessions"])):
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        status = main([*argv, "--held", str(path)])
        outputs.append((status, capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert "MS-SCHED-011" in outputs[0][1]
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**_example(), "version": 2}), encoding="utf-8")
    assert main([*argv, "--held", str(newer)]) == 2
    err = capsys.readouterr().err
    assert str(newer) in err
    assert "$.version" in err
