"""attrs validators shared by the domain records.

A validator reports a bad value with `fail`, which raises the ``ValueError`` shape the
converter (`microstructure.io`) turns into a located error:
``(message, attribute, expected, value)``.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

import attrs

__all__ = ["fail", "identifier"]


def fail(attribute: attrs.Attribute[Any], value: object, expected: str) -> NoReturn:
    """Raise the located error the converter reports as ``expected … (got …) @ $.path``."""
    raise ValueError(f"expected {expected}", attribute, expected, value)  # noqa: EM102, TRY003


_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def identifier(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a stable id: 1 to 64 letters, digits, '.', '_', ':' or '-', not starting with a sign."""
    if not isinstance(value, str) or not _ID_RE.match(value):
        fail(attribute, value, "an identifier of 1 to 64 letters, digits, '.', '_', ':' or '-'")
