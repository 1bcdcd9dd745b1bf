"""Indented JSON text, exactly as `json.dumps` writes it, mostly by the C encoder.

`json.dumps` falls back to its pure-Python encoder whenever ``indent`` is given, which
makes indented output several times slower than compact output. Here each object or
array that holds only numbers, strings, booleans and nulls (most of them: professionals,
sites, memberships) is written by the C encoder in one call, with the line break and
indentation of its depth as item separator; only the objects and arrays that hold others
are walked in Python. The text is the same as ``json.dumps(data, ensure_ascii=False,
indent=indent, allow_nan=False)``, character for character (a property test checks it).
"""

from __future__ import annotations

import json

# The C accelerator of `json` (CPython's `_json`), used by `json.dumps` itself.
from _json import encode_basestring, make_encoder
from itertools import chain
from typing import Any

__all__ = ["dumps_indented"]

_SCALARS = frozenset({str, int, float, bool, type(None)})
_ONLY_DICT = frozenset({dict})


def _not_serializable(value: object) -> Any:
    msg = f"Object of type {value.__class__.__name__} is not JSON serializable"
    raise TypeError(msg)


def _c_encoder(item_separator: str) -> Any:
    """The C encoder of `json`, without indentation, with this item separator."""
    sort_keys = skip_keys = allow_nan = False
    return make_encoder(
        None,  # no check for cycles: flat containers hold none, `_write` checks the others
        _not_serializable,
        encode_basestring,  # ensure_ascii=False
        None,  # no indent: the C encoder has none
        ": ",
        item_separator,
        sort_keys,
        skip_keys,
        allow_nan,
    )


class _Depth:
    """What one nesting depth writes: its line starts, and a C encoder for flat containers."""

    __slots__ = ("close", "encode", "inner", "open_array", "open_object", "separator", "unit")

    def __init__(self, newline: str, unit: str) -> None:
        self.unit = unit
        self.inner = newline + unit
        self.separator = "," + self.inner
        self.open_object = "{" + self.inner
        self.open_array = "[" + self.inner
        self.close = newline
        self.encode = _c_encoder(self.separator)


_SCALAR = _c_encoder(",")
_DEPTHS: dict[str, list[_Depth]] = {}


def dumps_indented(data: object, indent: int) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)``, faster.

    Raises:
        TypeError: for a value JSON cannot hold.
        ValueError: for NaN or infinities, an integer too long to write, or a cycle.
    """
    unit = " " * indent
    depths = _DEPTHS.get(unit)
    if depths is None:
        depths = _DEPTHS[unit] = [_Depth("\n", unit)]
    out: list[str] = []
    _write(data, 0, depths, out, set())
    return "".join(out)


def _key(key: object) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    # json's own conversion of other keys (numbers, booleans, null), and its errors.
    return json.dumps({key: 0}, ensure_ascii=False, allow_nan=False)[1:-4]


def _write(data: Any, depth: int, depths: list[_Depth], out: list[str], seen: set[int]) -> None:
    if isinstance(data, dict):
        _write_object(data, depth, depths, out, seen)
    elif isinstance(data, list | tuple):
        _write_array(data, depth, depths, out, seen)
    else:
        out.extend(_SCALAR(data, 0))


def _write_object(
    data: dict[Any, Any], depth: int, depths: list[_Depth], out: list[str], seen: set[int]
) -> None:
    level = depths[depth]
    if not data:
        out.append("{}")
    elif _flat(data):
        text = "".join(level.encode(data, 0))
        out.append(level.open_object + text[1:-1] + level.close + "}")
    else:
        _enter(data, depth, depths, seen)
        start = level.open_object
        for key, value in data.items():
            if type(value) is str:
                out.append(start + _key(key) + ": " + encode_basestring(value))
            elif type(value) in _SCALARS:
                out.append(start + _key(key) + ": " + "".join(_SCALAR(value, 0)))
            else:
                out.append(start + _key(key) + ": ")
                _write(value, depth + 1, depths, out, seen)
            start = level.separator
        out.append(level.close + "}")
        seen.discard(id(data))


def _write_array(
    data: list[Any] | tuple[Any, ...],
    depth: int,
    depths: list[_Depth],
    out: list[str],
    seen: set[int],
) -> None:
    level = depths[depth]
    if not data:
        out.append("[]")
    elif _SCALARS.issuperset(map(type, data)):
        text = "".join(level.encode(data, 0))
        out.append(level.open_array + text[1:-1] + level.close + "]")
    elif _flat_objects_only(data):
        out.append(_flat_objects(data, depth, depths))
    else:
        _enter(data, depth, depths, seen)
        start = level.open_array
        for value in data:
            if type(value) in _SCALARS:
                out.append(start + "".join(_SCALAR(value, 0)))
            else:
                out.append(start)
                _write(value, depth + 1, depths, out, seen)
            start = level.separator
        out.append(level.close + "]")
        seen.discard(id(data))


def _flat(mapping: dict[Any, Any]) -> bool:
    return _SCALARS.issuperset(map(type, mapping.values()))


def _flat_objects_only(data: list[Any] | tuple[Any, ...]) -> bool:
    """Whether every item is a non-empty dict of scalars (tested by C-level iteration)."""
    return (
        _ONLY_DICT.issuperset(map(type, data))
        and all(data)
        and _SCALARS.issuperset(map(type, chain.from_iterable(map(dict.values, data))))
    )


def _flat_objects(data: list[Any] | tuple[Any, ...], depth: int, depths: list[_Depth]) -> str:
    """An array of non-empty flat objects (a team's members), in one call of the C encoder.

    The encoder writes every separator with the indentation of the objects' items; the
    separators between objects, the only ones after a ``}`` (a flat object's values end
    with a digit, a letter or a quote), then get the indentation of the array's items.
    A line break is never inside a string, so no replacement can happen inside one.
    """
    if depth + 1 == len(depths):
        depths.append(_Depth(depths[depth].inner, depths[depth].unit))
    outer, inner = depths[depth], depths[depth + 1]
    text = "".join(inner.encode(data, 0))  # [{"k": v,<inner>"k": v},<inner>{...}]
    text = text.replace(
        "}" + inner.separator + "{", inner.close + "}" + outer.separator + inner.open_object
    )
    return outer.open_array + inner.open_object + text[2:-2] + inner.close + "}" + outer.close + "]"


def _enter(container: object, depth: int, depths: list[_Depth], seen: set[int]) -> None:
    """Note that ``container`` is being written (json's check for cycles)."""
    if id(container) in seen:
        msg = "Circular reference detected"
        raise ValueError(msg)
    seen.add(id(container))
    if depth + 1 == len(depths):
        depths.append(_Depth(depths[depth].inner, depths[depth].unit))
