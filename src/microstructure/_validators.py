"""attrs validators and converters shared by the domain records.

Every one reports a bad value with `fail`, which raises the public, located
`microstructure.errors.FieldError`; the converter (`microstructure.io`) recognises it by
type and re-roots its path where the object was being built. attrs' own validators
(``instance_of``, ``ge``, ``optional``…) raise bare ``TypeError``/``ValueError`` and are
not used.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

import attrs

from microstructure.errors import FieldError
from microstructure.io import PERSONAL

__all__ = [
    "ID_PATTERN",
    "at_least",
    "fail",
    "identifier",
    "instance_of",
    "is_identifier",
    "json_schema",
    "optional",
    "to_enum",
    "tuple_of",
]

E = TypeVar("E", bound=enum.Enum)
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
V = TypeVar("V", bound=Callable[..., Any])


def json_schema(keywords: Mapping[str, Any] | Callable[[], Mapping[str, Any]]) -> Callable[[V], V]:
    """Declare the JSON Schema ``keywords`` a validator enforces, for `microstructure.io.schema`.

    ``keywords`` apply to the field's value (to its non-null value when it may be
    ``None``); a function giving them is called only when a schema is built, so that
    tables (departments, instruments) load only then. What a validator checks beyond
    them stays checked by the library only.
    """

    def declare(validator: V) -> V:
        validator.__json_schema__ = keywords  # type: ignore[attr-defined]
        return validator

    return declare


def fail(attribute: attrs.Attribute[Any], value: object, expected: str) -> NoReturn:
    """Raise the located error reported as ``expected … (got …) @ $.path``."""
    personal = bool(attribute.metadata.get(PERSONAL))
    raise FieldError(value, expected, field=attribute.name, personal=personal)


#: A stable id, as a regular expression that Python and JSON Schema (ECMA-262) read alike.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
_ID_RE = re.compile(ID_PATTERN)


def is_identifier(value: object) -> bool:
    """Whether ``value`` is a stable id: 1 to 64 letters, digits, '.', '_', ':' or '-'.

    The first character is a letter or a digit.
    """
    return isinstance(value, str) and _ID_RE.fullmatch(value) is not None


@json_schema({"type": "string", "pattern": ID_PATTERN})
def identifier(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a stable id (see `is_identifier`)."""
    if not is_identifier(value):
        fail(attribute, value, "an identifier of 1 to 64 letters, digits, '.', '_', ':' or '-'")


def _described(cls: type[Any]) -> str:
    if issubclass(cls, enum.Enum):
        return f"a {cls.__name__}: one of " + ", ".join(repr(m.value) for m in cls)
    names = {str: "a string", bool: "true or false", int: "an integer"}
    return names.get(cls, f"a {cls.__name__}")


def instance_of(cls: type[Any], expected: str | None = None) -> Validator:
    """Accept instances of ``cls`` (never a bool for ``int``); otherwise `fail`."""
    if expected is not None:
        wanted = expected
    elif issubclass(cls, enum.Enum):
        example = next(iter(cls))
        wanted = f"a {cls.__name__} member such as {cls.__name__}.{example.name}"
    else:
        wanted = _described(cls)

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, cls) or (cls is int and isinstance(value, bool)):
            fail(attribute, value, wanted)

    return check


def optional(validator: Validator) -> Validator:
    """Accept ``None`` or what ``validator`` accepts."""

    @json_schema(lambda: _keywords(validator))
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return check


def _keywords(validator: Validator) -> Mapping[str, Any]:
    declared = getattr(validator, "__json_schema__", None)
    return (declared() if callable(declared) else declared) or {}


def at_least(minimum: int) -> Validator:
    """Accept an integer no smaller than ``minimum``."""
    wanted = f"an integer of at least {minimum}"

    @json_schema({"minimum": minimum})
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            fail(attribute, value, wanted)

    return check


def to_enum(cls: type[E], value: object, field: str) -> E:
    """``value`` as a member of ``cls`` (a member or its value); otherwise a `FieldError`.

    For attrs converters, which are not told their field: wrap it in a named function.
    """
    if isinstance(value, cls):
        return value
    try:
        return cls(value)
    except (ValueError, TypeError):
        raise FieldError(value, _described(cls), field=field) from None


def tuple_of(cls: type[Any] | tuple[type[Any], ...], expected: str) -> Validator:
    """Accept a tuple whose items are all instances of ``cls``."""
    wanted = f"a tuple of {expected}"

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            fail(attribute, type(value).__name__, wanted)
        for item in value:
            if not isinstance(item, cls):
                fail(attribute, type(item).__name__, wanted)

    return check
