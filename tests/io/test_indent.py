"""The fast indented writer of `microstructure.io.dumps` gives json.dumps' text exactly."""

import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microstructure.examples import example_national
from microstructure.io import dumps, to_data
from microstructure.io._indent import dumps_indented

# Strings made of the characters the writer's text replacements look for.
_TRICKY = st.text(alphabet='{}[]",:\\ab\n\u00e9', max_size=6)
_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text() | _TRICKY
_KEYS = _TRICKY | st.integers() | st.floats() | st.booleans() | st.none()
_FLAT = st.dictionaries(_KEYS, _SCALARS, max_size=4)
_DATA = st.recursive(
    _SCALARS | st.lists(_FLAT, max_size=4),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(_KEYS, inner, max_size=4)
        | st.lists(_FLAT, max_size=4)
        | st.tuples(inner, inner)
    ),
    max_leaves=40,
)


def _outcome(write: Callable[[], str]) -> object:
    try:
        return write()
    except (TypeError, ValueError) as exc:
        return type(exc)


@settings(max_examples=500)
@given(_DATA, st.integers(0, 16))
def test_same_text_as_json_dumps(data, indent):
    """Any JSON-like data gives json.dumps' text, or the same kind of error."""
    expected = _outcome(
        lambda: json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    )
    assert _outcome(lambda: dumps_indented(data, indent)) == expected


def test_cycle_is_refused_like_json():
    """A list holding itself is a ValueError, as with json.dumps."""
    cycle: list[object] = []
    cycle.append({"a": [cycle]})
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(cycle, 2)


def test_library_object_text_unchanged():
    """The example coordination written by dumps is json.dumps of its data, indent 2."""
    national = example_national()
    assert dumps(national) == json.dumps(to_data(national), ensure_ascii=False, indent=2)
