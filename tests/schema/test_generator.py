"""The generator on types other than the document classes: collections, unions, errors."""

import enum

import attrs
import jsonschema
import pytest

from microstructure.errors import ValidationError
from microstructure.io import Format, from_data, schema


class _Colour(enum.Enum):
    RED = 1
    BLUE = 2


@attrs.frozen
class _Box:
    """A box for the tests."""

    size: tuple[int, str]
    label: str | None = "none"
    colour: _Colour = _Colour.RED


def _agree(cl: object, data: object) -> bool:
    accepted = jsonschema.Draft202012Validator(schema(cl)).is_valid(data)
    try:
        from_data(cl, data)
    except ValidationError:
        return accepted is False
    return accepted is True


@pytest.mark.parametrize(
    ("cl", "data"),
    [
        (list[int], [1, 2]),
        (list[int], ["1"]),
        (dict[str, int], {"a": 1}),
        (dict[str, int], {"a": "1"}),
        (tuple[int, str], [1, "a"]),
        (tuple[int, str], [1, "a", 2]),
        (tuple[int, str], [1]),
        (frozenset[str], ["a", "b"]),
        (int | None, None),
        (int | None, "1"),
        (_Box, {"size": [1, "a"], "label": None, "colour": 2}),
        (_Box, {"size": [1, "a"], "colour": 3}),
        (_Box, {"size": [1, "a"], "extra": 3}),
    ],
)
def test_schema_and_converter_agree_on_other_types(cl, data):
    """For collections, plain unions, int enums and a class of the caller, both agree."""
    assert _agree(cl, data)


def test_class_of_the_caller():
    """A class outside the library gets its fields, defaults and enum values."""
    generated = schema(_Box)
    box = generated["$defs"]["_Box"]
    assert box["description"] == "A box for the tests."
    assert box["required"] == ["size"]
    assert box["properties"]["colour"] == {"$ref": "#/$defs/_Colour", "default": 1}
    assert generated["$defs"]["_Colour"] == {"title": "_Colour", "enum": [1, 2]}


def test_header_schema_of_a_format():
    """A `Format` gives the schema of a header line naming it."""
    header = schema(Format("microstructure-records", 1))
    validator = jsonschema.Draft202012Validator(header)
    assert validator.is_valid({"format": "microstructure-records", "version": 1})
    assert not validator.is_valid({"format": "microstructure-records", "version": 2})
    assert not validator.is_valid({"format": "microstructure-records"})


@pytest.mark.parametrize("cl", [bytes, complex, "network", int | str])
def test_types_the_library_cannot_build_are_refused(cl):
    """A type without a schema is a located `ValidationError` naming the argument."""
    with pytest.raises(ValidationError) as caught:
        schema(cl)
    assert caught.value.errors[0].path == "$.cl"
