"""Findings: non-fatal observations returned by ``check`` functions."""

from __future__ import annotations

import enum
import re
from typing import Any

import attrs

from microstructure._publish import bind_loaded_modules
from microstructure.errors._errors import FieldError

__all__ = ["Finding", "FindingKind", "Severity", "define_finding", "finding_catalogue"]


class Severity(enum.StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_INDEX_RE = re.compile(r"\[(\d+)\]")
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


_CODE_RE = re.compile(r"^MS-[A-Z]+-[0-9]{3}$")


def _code(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _CODE_RE.match(value):
        raise FieldError(value, "a finding code such as 'MS-TEAM-001'", field=attribute.name)


def _text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise FieldError(value, "a non-empty string", field=attribute.name)


def _any_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise FieldError(value, "a string", field=attribute.name)


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text(instance, attribute, value)


def _severity(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Severity):
        expected = "a Severity: one of " + ", ".join(repr(s.value) for s in Severity)
        raise FieldError(value, expected, field=attribute.name)


@attrs.frozen(kw_only=True)
class Finding:
    """One observation about data: a stable code, a severity, where, and what.

    Examples:
        >>> from microstructure.errors import Finding, Severity
        >>> f = Finding(code="MS-TEAM-001", severity=Severity.ERROR,
        ...             path="$.microstructures[0]", message="no general practitioner")
        >>> print(f)
        error MS-TEAM-001 @ $.microstructures[0]: no general practitioner
    """

    code: str = attrs.field(validator=_code)
    """Stable code (``MS-TEAM-001``); never reused for another meaning."""
    severity: Severity = attrs.field(validator=_severity)
    """Error, warning or information."""
    path: str = attrs.field(validator=_text)
    """Where: a JSONPath or a team/period label."""
    message: str = attrs.field(validator=_text)
    """English message."""
    message_fr: str | None = attrs.field(default=None, validator=_optional_text)
    """French message, if any."""

    def __str__(self) -> str:
        return f"{self.severity.value} {self.code} @ {self.path}: {self.message}"

    @property
    def sort_key(self) -> tuple[int, tuple[str | int, ...], str]:
        """Key of the one order of findings: severity, then path, then code.

        Errors come first, then warnings, then information. Paths compare as JSONPath
        locations, list indices as numbers (``$.a[2]`` before ``$.a[10]``), so that the
        findings about one place stay together, in file order.
        """
        parts = _INDEX_RE.split(self.path)
        key = tuple(int(part) if i % 2 else part for i, part in enumerate(parts))
        return (_SEVERITY_ORDER[self.severity], key, self.code)


@attrs.frozen(kw_only=True)
class FindingKind:
    """The definition of a finding code: severity, titles (English, French), remedy.

    Create kinds with `define_finding`; make findings with `FindingKind.at`.
    """

    code: str = attrs.field(validator=_code)
    """The stable code, ``MS-<AREA>-<NNN>``; never reused for another meaning."""
    severity: Severity = attrs.field(validator=_severity)
    """How serious every finding of this kind is."""
    title: str = attrs.field(validator=_text)
    """A short English title."""
    title_fr: str = attrs.field(validator=_text)
    """The same title in French."""
    area: str = attrs.field(validator=_text)
    """The subpackage that emits it: ``teams``, ``eligibility``, ``scheduling``…"""
    remedy: str = attrs.field(default="", validator=_any_text)
    """What to do about it, in English (empty when there is nothing to do)."""

    def at(self, path: str, message: str, message_fr: str | None = None) -> Finding:
        """Make a finding of this kind at ``path``.

        Examples:
            >>> from microstructure.errors import finding_catalogue
            >>> kind = finding_catalogue()["MS-TEAM-001"]
            >>> kind.at("$.microstructures[0]", "no general practitioner").severity
            <Severity.ERROR: 'error'>
        """
        return Finding(
            code=self.code,
            severity=self.severity,
            path=path,
            message=message,
            message_fr=message_fr,
        )


_REGISTRY: dict[str, FindingKind] = {}

# Modules that define finding kinds; imported by `finding_catalogue` so that the
# catalogue is complete whatever the caller imported before.
# The modules that define findings at import, named as they are (subpackages load their
# private modules on first use of a name, so importing a subpackage defines nothing).
_DEFINING_MODULES = (
    "microstructure.teams._checks",
    "microstructure.eligibility._findings",
    "microstructure.scheduling._findings",
    "microstructure.records._rules",
)


def define_finding(
    code: str, severity: Severity, title: str, title_fr: str, *, area: str, remedy: str = ""
) -> FindingKind:
    """Register a finding code once, at import of the module that emits it.

    ``remedy`` says what to do about a finding of this kind; the findings catalogue
    of the documentation shows it.

    Raises:
        FieldError: if an argument has the wrong type or form, or the code is already
            defined with a different meaning.
    """
    kind = FindingKind(
        code=code, severity=severity, title=title, title_fr=title_fr, area=area, remedy=remedy
    )
    existing = _REGISTRY.get(code)
    if existing is not None and existing != kind:
        raise FieldError(code, f"a code not already defined as {existing.title!r}", field="code")
    _REGISTRY[code] = kind
    return kind


def finding_catalogue() -> dict[str, FindingKind]:
    """Every finding code the library can emit, sorted by code.

    Examples:
        >>> from microstructure.errors import finding_catalogue
        >>> catalogue = finding_catalogue()
        >>> catalogue["MS-TEAM-001"].title
        'Missing required role'
    """
    import importlib  # noqa: PLC0415 - only the catalogue needs every area

    for module in _DEFINING_MODULES:
        importlib.import_module(module)
    bind_loaded_modules()
    return dict(sorted(_REGISTRY.items()))
