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

__all__ = ["fail", "identifier"]


def fail(attribute: attrs.Attribute[Any], value: object, expected: str) -> NoReturn:
    """Raise the located error reported as ``expected … (got …) @ $.path``."""
    personal = bool(attribute.metadata.get(PERSONAL))
    raise FieldError(value, expected, field=attribute.name, personal=personal)


_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def identifier(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a stable id: 1 to 64 letters, digits, '.', '_', ':' or '-', not starting with a sign."""
    if not isinstance(value, str) or not _ID_RE.match(value):
        fail(attribute, value, "an identifier of 1 to 64 letters, digits, '.', '_', ':' or '-'")
