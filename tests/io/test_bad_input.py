"""Bad input at the io level: every problem is a located ValidationError, never a Python error."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pendulum
import pytest

from microstructure import io
from microstructure.eligibility import Criterion, Situation
from microstructure.errors import FieldError, ValidationError
from microstructure.identifiers import Identity, Sex
from microstructure.io import dumps, from_data, loads, read_file, to_data
from microstructure.scheduling import NetworkSchedule
from microstructure.teams import Network, Professional

DEPTH = 100_000


def _nested_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def _nested_value(depth: int) -> object:
    value: object = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("depth", [1_000, DEPTH])
def test_deep_json_text_is_a_validation_error(depth: int) -> None:
    """JSON nested 1,000 levels or more is reported at $, not as a RecursionError."""
    with pytest.raises(ValidationError) as caught:
        loads(Network, '{"microstructures": ' + _nested_json(depth) + "}")
    assert "nested" in str(caught.value) or "expected" in str(caught.value)


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_deep_files_are_validation_errors(tmp_path: Path, suffix: str) -> None:
    """read_file reports deep nesting in JSON and TOML as a ValidationError naming the file."""
    file = tmp_path / f"deep{suffix}"
    text = _nested_json(DEPTH) if suffix == ".json" else "a = " + _nested_json(DEPTH)
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match="less deeply nested") as caught:
        read_file(file)
    assert caught.value.subject == str(file)


def test_deep_data_is_a_validation_error_and_prints() -> None:
    """from_data on deeply nested values fails cleanly, and the error prints without recursion."""
    with pytest.raises(ValidationError) as caught:
        from_data(Network, {"id": "n", "microstructures": _nested_value(DEPTH)})
    assert "$" in str(caught.value)
    deep_criterion: dict[str, object] = {"type": "not"}
    current = deep_criterion
    for _ in range(5_000):
        inner: dict[str, object] = {"type": "not"}
        current["criterion"] = inner
        current = inner
    with pytest.raises(ValidationError, match="nested at most 100 objects and lists deep"):
        from_data(Criterion, deep_criterion)


def test_huge_integers_are_validation_errors() -> None:
    """An integer over Python's 4,300-digit limit is a ValidationError, in text and in data."""
    with pytest.raises(ValidationError, match="4300 digits"):
        loads(Professional, '{"id": ' + "9" * 5_000 + "}")
    huge = int("9" * 4_000) * 10**1_000
    with pytest.raises(ValidationError) as caught:
        from_data(Professional, {"id": huge, "role": "gp"})
    assert "too large to show" in str(caught.value)
    assert caught.value.errors[0].path == "$.id"


def test_duplicate_keys_are_rejected_with_their_path() -> None:
    """A key given twice in one JSON object is an error at that key's path."""
    text = '{"id": "n", "microstructures": [{"id": "a", "id": "b"}]}'
    with pytest.raises(ValidationError) as caught:
        loads(Network, text)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("$.microstructures[0].id", "duplicate key")
    ]


def test_nan_and_infinity_are_not_json() -> None:
    """NaN and Infinity, which Python's json accepts, are refused."""
    for constant in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(ValidationError, match="not a number in JSON"):
            loads(Professional, '{"id": ' + constant + "}")


def test_a_string_where_a_list_is_expected_is_one_error() -> None:
    """A string is not walked character by character: one error, without the value echoed per character."""
    with pytest.raises(ValidationError) as caught:
        from_data(Situation, {"answers": {"audit": "ZZSECRETNAME"}})
    assert len(caught.value.errors) == 1
    with pytest.raises(ValidationError) as caught:
        from_data(NetworkSchedule, {"schedules": "ZZSECRETNAME"})
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("$.schedules", "expected an array, not a string")
    ]


def test_a_dict_where_a_list_is_expected_is_refused() -> None:
    """An object is not taken as the list of its keys."""
    with pytest.raises(ValidationError) as caught:
        from_data(Situation, {"situations": {"isolation": 1}})
    assert caught.value.errors[0].path == "$.situations"
    assert "an array" in caught.value.errors[0].message


def test_null_where_a_collection_is_expected_says_so() -> None:
    """A null where an array is expected says 'expected an array', not a Python message."""
    with pytest.raises(ValidationError) as caught:
        from_data(list[int], None)
    assert str(caught.value.errors[0]) == "expected an array, not null @ $"
    assert "NoneType" not in str(caught.value)


def test_identity_cannot_be_pickled() -> None:
    """An Identity refuses pickling, as a Key does, so it never lands in clear in a pickle."""
    person = Identity(
        birth_name="Dupont",
        first_name="Jean",
        birth_date=pendulum.date(1980, 1, 1),
        sex=Sex.MALE,
    )
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(person)


def test_wrong_enum_type_in_a_constructor_is_a_field_error() -> None:
    """Professional(role="gp") is a FieldError naming the role field, not a bare TypeError."""
    with pytest.raises(FieldError) as caught:
        Professional(id="gp-1", role="gp")  # type: ignore[arg-type]
    assert caught.value.field == "role"
    assert caught.value.errors[0].path == "$.role"


def test_a_converter_made_early_is_complete() -> None:
    """make_converter() before importing eligibility still structures criteria (no import-order state)."""
    code = textwrap.dedent(
        """
        from microstructure.io import make_converter
        conv = make_converter()
        import microstructure.eligibility as eligibility
        made = conv.structure({"type": "indication", "indication": "addiction"}, eligibility.Criterion)
        print(type(made).__name__)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "HasIndication", result.stderr


def test_hook_registration_is_private() -> None:
    """No public way to add hooks to the shared converter: register_hooks is gone from io."""
    assert "register_hooks" not in io.__all__
    assert not hasattr(io, "register_hooks")


@pytest.mark.parametrize(
    ("cl", "data", "path"),
    [
        (Criterion, {"indication": "addiction"}, "$.type"),
        (NetworkSchedule, {"schedules": [{"microstructure": "m", "rules": [{"id": "x"}]}]}, None),
    ],
)
def test_a_missing_tag_is_reported_at_type(cl: object, data: object, path: str | None) -> None:
    """Every tagged union reports a missing tag at its 'type' key."""
    with pytest.raises(ValidationError) as caught:
        from_data(cl, data)
    expected = path or "$.schedules[0].rules[0].type"
    assert (expected, "required key is missing") in [
        (e.path, e.message) for e in caught.value.errors
    ]


def test_tagged_unions_write_the_tag_first_and_drop_defaults() -> None:
    """Criteria and schedule rules are written the same way: 'type' first, defaults left out."""
    criterion = from_data(Criterion, {"type": "indication", "indication": "addiction"})
    assert to_data(criterion) == {"type": "indication", "indication": "addiction"}
    rule_data = {
        "type": "weekly",
        "id": "psy",
        "activity": "psychologist-consultations",
        "weekday": "monday",
        "start_time": "09:00",
        "duration": "PT3H",
        "valid_from": "2026-01-05",
    }
    schedule = from_data(
        NetworkSchedule, {"schedules": [{"microstructure": "m", "rules": [rule_data]}]}
    )
    written = json.loads(dumps(schedule))["schedules"][0]["rules"][0]
    assert next(iter(written)) == "type"
    assert written == rule_data
