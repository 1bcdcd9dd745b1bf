"""The exception tree of `microstructure` (drawn in ``docs/reference/exceptions.md``)."""

from __future__ import annotations

import math
import reprlib
from collections.abc import Iterable
from typing import Any

import attrs

__all__ = [
    "ConfigurationError",
    "ErrorDetail",
    "FieldError",
    "MicrostructureError",
    "NotFoundError",
    "ValidationError",
]


class MicrostructureError(Exception):
    """Root of every error raised on purpose by `microstructure`.

    Catch it to handle any failure of the library in one place:

    Examples:
        >>> from microstructure import MicrostructureError
        >>> from microstructure.territory import department
        >>> try:
        ...     department("99")
        ... except MicrostructureError as exc:
        ...     print(type(exc).__name__)
        NotFoundError
    """


_REDACTED = "<redacted>"

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlong = 3, 80, 80, 40


def _shown(value: object) -> str:
    """A short repr of ``value``, safe for any input (deep nesting, huge integers)."""
    try:
        return _REPR.repr(value)
    except (ValueError, RecursionError):  # an int over Python's digit limit, a cycle
        return f"<{type(value).__name__} too large to show>"


def _json_value(value: object) -> object:
    """An error's value as JSON data: a short JSON scalar as it is, anything else as text.

    A report never repeats a huge or deeply nested input, nor fails on a value JSON
    cannot hold: such a value is written as its short Python text, like in messages.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and -(2**53) < value < 2**53:  # exact in every JSON reader
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, str) and len(value) <= _REPR.maxstring:
        return value
    return _shown(value)


def _install(conv: Any) -> None:
    """The converter's rules (`microstructure.io`) for a field typed ``object``.

    Only `ErrorDetail.value` is: it holds input data of any kind. Reading takes it as
    it is; writing keeps it JSON data of a bounded size (`_json_value`).
    """
    conv.register_structure_hook_func(lambda t: t is object, lambda value, _: value)
    conv.register_unstructure_hook_func(lambda t: t is object, _json_value)


@attrs.frozen
class ErrorDetail:
    """One problem found in input data.

    Attributes:
        path: JSONPath-like location of the problem, such as
            ``$.microstructures[1].members[0].role``.
        message: What was expected, as an English sentence fragment.
        value: The offending value, or ``None`` when it is personal data or absent.
        redacted: Whether the value was withheld because it is personal data.
    """

    path: str
    """JSONPath of the problem (``$.microstructures[0].site.kind``)."""
    message: str
    """What was expected; never personal data."""
    value: object = None
    """The value found, unless redacted."""
    redacted: bool = False
    """Whether the value was personal data and is not shown."""

    def __str__(self) -> str:
        if self.redacted:
            shown = f" (got {_REDACTED})"
        elif self.value is None:
            shown = ""
        else:
            shown = f" (got {_shown(self.value)})"
        return f"{self.message}{shown} @ {self.path}"


class ValidationError(MicrostructureError, ValueError):
    """Input data did not match what was expected.

    ``errors`` lists *every* problem found, each with its path, so that a user can
    fix a file in one go:

    Examples:
        >>> from microstructure.io import from_data
        >>> from microstructure.territory import Department
        >>> try:
        ...     from_data(Department, {"code": 67})
        ... except ValidationError as exc:
        ...     for error in exc.errors:
        ...         print(error.path)
        $.code
        $.name
        $.region
        $.timezone
    """

    def __init__(self, errors: Iterable[ErrorDetail], *, subject: str = "data") -> None:
        self.errors: tuple[ErrorDetail, ...] = tuple(errors)
        self.subject = subject
        super().__init__(self._render())

    def _render(self) -> str:
        count = len(self.errors)
        noun = "problem" if count == 1 else "problems"
        lines = [f"invalid {self.subject}: {count} {noun}"]
        lines.extend(f"  - {error}" for error in self.errors)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._render()


class FieldError(ValidationError):
    """One value is not what was expected: the located error of validators and hooks.

    Raised by constructors (``Site(department="99")``) and by the converter's hooks.
    It is a `ValidationError` with exactly one `ErrorDetail`, so callers catch both
    the same way; the converter recognises it by type and re-roots its path under the
    place where the value was found (``$.sites[0].department``).

    Attributes:
        field: The field's name, or ``None`` when the value itself is the input.
        value: The offending value, or ``None`` when it is personal data.
        expected: What was expected, as a noun phrase (``"a department code"``).

    Examples:
        >>> from microstructure.errors import FieldError
        >>> error = FieldError("99", "a department code such as '67'", field="department")
        >>> print(error)
        invalid value: 1 problem
          - expected a department code such as '67' (got '99') @ $.department
        >>> print(FieldError("Dupont", "a code", field="name", personal=True).errors[0])
        expected a code (got <redacted>) @ $.name
    """

    def __init__(
        self,
        value: object,
        expected: str,
        *,
        field: str | None = None,
        personal: bool = False,
        subject: str = "value",
    ) -> None:
        self.field = field
        self.value = None if personal else value
        self.expected = expected
        path = "$" if field is None else f"$.{field}"
        detail = ErrorDetail(
            path=path,
            message=f"expected {expected}",
            value=self.value,
            redacted=personal,
        )
        super().__init__([detail], subject=subject)


class NotFoundError(MicrostructureError, LookupError):
    """A code does not name anything known (department, program, instrument…).

    Attributes:
        kind: What was looked up, such as ``"department"``.
        code: The code that was not found.
        expected: A short description of the valid codes.
    """

    def __init__(self, *, kind: str, code: object, expected: str) -> None:
        self.kind = kind
        self.code = code
        self.expected = expected
        super().__init__(f"unknown {kind} {code!r}: expected {expected}")

    def __str__(self) -> str:
        return str(self.args[0])


class ConfigurationError(MicrostructureError, ValueError):
    """A configuration value or data file is unusable (bad key, broken data file)."""
