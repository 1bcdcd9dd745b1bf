"""attrs validators shared by the domain records.

A validator reports a bad value with `fail`, which raises the public, located
`microstructure.errors.FieldError`; the converter (`microstructure.io`) recognises it by
type and re-roots its path where the object was being built.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

import attrs

from microstructure.errors import FieldError
from microstructure.io import PERSONAL

__all__ = ["fail", "identifier", "is_identifier"]


def fail(attribute: attrs.Attribute[Any], value: object, expected: str) -> NoReturn:
    """Raise the located error reported as ``expected … (got …) @ $.path``."""
    personal = bool(attribute.metadata.get(PERSONAL))
    raise FieldError(value, expected, field=attribute.name, personal=personal)


_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def is_identifier(value: object) -> bool:
    """Whether ``value`` is a stable id: 1 to 64 letters, digits, '.', '_', ':' or '-'.

    The first character is a letter or a digit.
    """
    return isinstance(value, str) and _ID_RE.match(value) is not None


def identifier(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a stable id (see `is_identifier`)."""
    if not is_identifier(value):
        fail(attribute, value, "an identifier of 1 to 64 letters, digits, '.', '_', ':' or '-'")
