"""Converters that keep frozen records immutable all the way down.

A frozen attrs class only forbids rebinding its attributes; a ``list`` or ``dict`` it holds
can still be changed in place. These converters let constructors accept ordinary lists
and dicts while the record keeps a tuple or a read-only `types.MappingProxyType` copy.
Anything else is passed through unchanged, for the field's validator to report.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = ["frozen_mapping", "frozen_tuple", "read_only"]

K = TypeVar("K")
V = TypeVar("V")


def read_only(mapping: Mapping[K, V]) -> Mapping[K, V]:
    """A read-only view of a private copy of ``mapping``."""
    return types.MappingProxyType(dict(mapping))


def frozen_tuple(value: Any) -> Any:
    """Turn a ``list`` into a tuple; leave anything else for the validator."""
    if isinstance(value, list):
        return tuple(value)
    return value


def frozen_mapping(value: Any) -> Any:
    """Turn a mapping into a read-only copy; leave anything else for the validator."""
    if isinstance(value, Mapping):
        return types.MappingProxyType(dict(value))
    return value
