"""What checking a file found, as one document: `FindingsReport`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from microstructure.errors._errors import ErrorDetail, FieldError, ValidationError
from microstructure.errors._findings import Finding, Severity

__all__ = ["FindingsReport"]


def _valid(instance: FindingsReport, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise FieldError(value, "true or false", field=attribute.name)
    if value and instance.errors:
        raise FieldError(value, "false: the report has errors", field=attribute.name)
    if not value and not instance.errors:
        raise FieldError(value, "true: the report has no errors", field=attribute.name)


def _count(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise FieldError(value, "a count: an integer of at least 0, or null", field=attribute.name)


# What `_count` checks, for `microstructure.io.schema` (the declaration
# `microstructure._validators.json_schema` makes, which `errors`, below it, cannot import).
_count.__json_schema__ = {"minimum": 0}  # type: ignore[attr-defined]


def _tuple_of(cl: type[Any], expected: str) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise FieldError(type(value).__name__, f"a tuple of {expected}", field=attribute.name)
        for i, item in enumerate(value):
            if not isinstance(item, cl):
                found = type(item).__name__
                raise FieldError(found, expected, field=f"{attribute.name}[{i}]")

    return check


def _no_findings_when_unreadable(instance: FindingsReport) -> None:
    if instance.errors and instance.findings:
        msg = "no findings: a file that cannot be read has errors only"
        raise FieldError(len(instance.findings), msg, field="findings")


@attrs.frozen(kw_only=True)
class FindingsReport:
    """What checking a file found: whether it could be read, why not, or its findings.

    The document that ``microstructure check --format json`` and ``microstructure
    records validate --format json`` print (format ``microstructure-findings``). A file
    that cannot be read is not ``valid``: its ``errors`` say where and why, and it has
    no findings. A file that can be read is ``valid``, even with error findings: they
    are observations about valid data. ``events`` and ``patients`` count a records
    file's lines and patients; they are ``null`` for a team file.

    Build one with `FindingsReport.of`, or `FindingsReport.from_error` for a file that
    cannot be read; `microstructure.io.dumps` writes it with its format and version.

    Examples:
        >>> from microstructure.errors import FindingsReport
        >>> from microstructure.examples import example_national
        >>> from microstructure.io import dumps
        >>> from microstructure.teams import check
        >>> report = FindingsReport.of(check(example_national()))
        >>> report.valid, [finding.code for finding in report.findings]
        (True, ['MS-TEAM-009'])
        >>> print(dumps(FindingsReport.of([], events=0, patients=0)))
        {
          "format": "microstructure-findings",
          "version": 1,
          "valid": true,
          "events": 0,
          "patients": 0,
          "errors": [],
          "findings": []
        }
    """

    valid: bool = attrs.field(validator=_valid)
    """Whether the file could be read; when not, ``errors`` say why."""
    events: int | None = attrs.field(default=None, validator=_count)
    """Event lines read, for a records file (versions and duplicates included)."""
    patients: int | None = attrs.field(default=None, validator=_count)
    """Distinct patients, for a records file."""
    errors: tuple[ErrorDetail, ...] = attrs.field(
        default=(), validator=_tuple_of(ErrorDetail, "an ErrorDetail")
    )
    """Why the file cannot be read, each problem located; personal values withheld."""
    findings: tuple[Finding, ...] = attrs.field(
        default=(), validator=_tuple_of(Finding, "a Finding")
    )
    """The findings about the file's data, in the one order of findings."""

    def __attrs_post_init__(self) -> None:
        _no_findings_when_unreadable(self)

    @classmethod
    def of(
        cls,
        findings: Iterable[Finding],
        *,
        events: int | None = None,
        patients: int | None = None,
    ) -> FindingsReport:
        """The report of a readable file with these ``findings``, put in their one order.

        Examples:
            >>> from microstructure.errors import FindingsReport, Severity, finding_catalogue
            >>> kinds = finding_catalogue()
            >>> found = [kinds["MS-TEAM-002"].at("$.b", "b"), kinds["MS-TEAM-001"].at("$.a", "a")]
            >>> [f.code for f in FindingsReport.of(found).findings]
            ['MS-TEAM-001', 'MS-TEAM-002']
        """
        try:
            items = tuple(findings)
        except TypeError:
            expected = "an iterable of Finding"
            raise FieldError(type(findings).__name__, expected, field="findings") from None
        for i, item in enumerate(items):
            if not isinstance(item, Finding):
                raise FieldError(type(item).__name__, "a Finding", field=f"findings[{i}]")
        ordered = tuple(sorted(items, key=lambda finding: finding.sort_key))
        return cls(valid=True, events=events, patients=patients, findings=ordered)

    @classmethod
    def from_error(cls, error: ValidationError) -> FindingsReport:
        """The report of a file that cannot be read, from the `ValidationError` it raised.

        Examples:
            >>> from microstructure.errors import FindingsReport, ValidationError
            >>> from microstructure.io import loads
            >>> from microstructure.teams import Network
            >>> try:
            ...     loads(Network, '{"id": "Bad Id", "name": "Alsace", "region": "44"}')
            ... except ValidationError as exc:
            ...     report = FindingsReport.from_error(exc)
            >>> report.valid, report.errors[0].path
            (False, '$.id')
        """
        if not isinstance(error, ValidationError):
            raise FieldError(type(error).__name__, "a ValidationError", field="error")
        return cls(valid=False, errors=error.errors)

    @property
    def has_errors(self) -> bool:
        """Whether the file cannot be read or has an error finding: exit status 1 or 2.

        Examples:
            >>> from microstructure.errors import FindingsReport
            >>> FindingsReport.of([]).has_errors
            False
        """
        return not self.valid or any(f.severity is Severity.ERROR for f in self.findings)
