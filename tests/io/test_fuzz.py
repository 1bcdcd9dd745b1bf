"""Random JSON thrown at `from_data` for every public record type: only MicrostructureError comes out."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microstructure
from microstructure.errors import MicrostructureError
from microstructure.io import from_data

#: Every public subpackage but the command line, found rather than listed.
SUBPACKAGES = tuple(
    info.name
    for info in pkgutil.iter_modules(microstructure.__path__)
    if info.ispkg and not info.name.startswith("_") and info.name != "cli"
)


def _record_types() -> list[Any]:
    found: dict[str, Any] = {}
    for name in SUBPACKAGES:
        module = importlib.import_module(f"microstructure.{name}")
        for public in module.__all__:
            obj = getattr(module, public)
            if inspect.isclass(obj) and attrs.has(obj):
                found[f"{name}.{public}"] = obj
    found["eligibility.Criterion"] = importlib.import_module("microstructure.eligibility").Criterion
    found["scheduling.Rule"] = importlib.import_module("microstructure.scheduling").Rule
    return sorted(found.items())


RECORD_TYPES = _record_types()
#: Every field name of every record type, so that random objects look like real ones.
FIELD_NAMES = sorted(
    {f.alias for _, cl in RECORD_TYPES if attrs.has(cl) for f in attrs.fields(cl)}
    | {"type", "x-unknown"}
)
KEYS = st.sampled_from(FIELD_NAMES)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**4_000, max_value=10**4_400),  # past Python's digit limit
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["gp", "weekly", "all", "not", "2026-05-14", "PT3H", "1e1000000", "67"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=8),
    max_leaves=40,
)


def _deep(depth: int, tag: str) -> object:
    value: object = {"type": tag}
    for _ in range(depth):
        value = {"type": tag, "criterion": value, "of": [value], "members": [value]}
    return value


@pytest.mark.parametrize(("name", "cl"), RECORD_TYPES, ids=[n for n, _ in RECORD_TYPES])
@settings(max_examples=40)
@given(data=JSON)
def test_random_json_gives_only_library_errors(name: str, cl: Any, data: object) -> None:
    """Whatever JSON-ready value is given, from_data returns or raises a MicrostructureError that prints."""
    try:
        from_data(cl, data)
    except MicrostructureError as error:
        assert str(error), name  # noqa: PT017 - most inputs fail, some succeed


@pytest.mark.parametrize(("name", "cl"), RECORD_TYPES, ids=[n for n, _ in RECORD_TYPES])
def test_deep_nesting_gives_only_library_errors(name: str, cl: Any) -> None:
    """Values nested thousands of levels deep give a MicrostructureError, never RecursionError."""
    for depth in (50, 3_000):
        for tag in ("not", "weekly"):
            try:
                from_data(cl, _deep(depth, tag))
            except MicrostructureError as error:
                assert str(error), name  # noqa: PT017 - most inputs fail, some succeed
