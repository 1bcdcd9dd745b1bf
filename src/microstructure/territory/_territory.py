"""French regions and departments, their time zones and holiday subdivisions."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import TypeVar

import attrs

from microstructure._data import load_shipped
from microstructure._frozen import read_only
from microstructure.errors import ErrorDetail, NotFoundError, ValidationError

__all__ = [
    "Department",
    "Region",
    "department",
    "departments",
    "public_holidays",
    "region",
    "regions",
]


@attrs.frozen(kw_only=True)
class Region:
    """A French region (INSEE code), metropolitan or overseas.

    Examples:
        >>> from microstructure.territory import region
        >>> region("44").name
        'Grand Est'
    """

    code: str
    name: str
    overseas: bool = False

    @property
    def departments(self) -> tuple[Department, ...]:
        """The departments of this region, by code."""
        return tuple(d for d in departments() if d.region == self.code)


@attrs.frozen(kw_only=True)
class Department:
    """A French department with its IANA time zone and `holidays` subdivision.

    ``holidays_subdivision`` is the code to give ``holidays.France(subdiv=...)``:
    ``"6AE"`` for Bas-Rhin and Haut-Rhin (Alsace), ``"57"`` for Moselle, the
    department code overseas, and ``None`` where national holidays alone apply.

    Examples:
        >>> from microstructure.territory import department
        >>> d = department("67")
        >>> (d.name, d.timezone, d.holidays_subdivision)
        ('Bas-Rhin', 'Europe/Paris', '6AE')
    """

    code: str
    name: str
    region: str
    timezone: str
    holidays_subdivision: str | None = None

    @property
    def overseas(self) -> bool:
        """Whether the department is overseas (DROM)."""
        return len(self.code) == 3  # noqa: PLR2004 - overseas INSEE codes have 3 digits


@attrs.frozen(kw_only=True)
class _TerritoryFile:
    regions: tuple[Region, ...]
    departments: tuple[Department, ...]


@functools.cache
def _tables() -> tuple[Mapping[str, Region], Mapping[str, Department]]:
    raw = load_shipped(_TerritoryFile, "territory.toml")
    regions_ = {r.code: r for r in raw.regions}
    departments_ = {d.code: d for d in raw.departments}
    return read_only(regions_), read_only(departments_)


_T = TypeVar("_T")


def _lookup(table: Mapping[str, _T], code: object, kind: str, expected: str) -> _T:
    """Find ``code`` in ``table`` ignoring case and spaces, zero-padding one digit."""
    if not isinstance(code, str):
        detail = ErrorDetail("$", f"expected {expected}", f"<{type(code).__name__}>")
        raise ValidationError([detail], subject=f"{kind} code")
    if code:
        cleaned = code.strip().upper()
        if len(cleaned) == 1 and cleaned.isdigit():
            cleaned = "0" + cleaned
        found = table.get(cleaned)
        if found is not None:
            return found
    raise NotFoundError(kind=kind, code=code, expected=expected)


def region(code: str) -> Region:
    """The region with INSEE code ``code`` (``"44"``, ``"04"``…).

    Raises:
        NotFoundError: if no region has that code.
        ValidationError: if ``code`` is not a string.

    Examples:
        >>> from microstructure.territory import region
        >>> region("04").name
        'La Réunion'
    """
    return _lookup(
        _tables()[0],
        code,
        "region",
        "an INSEE region code such as '44' (Grand Est) or '04' (La Réunion)",
    )


def department(code: str) -> Department:
    """The department with INSEE code ``code`` (``"67"``, ``"2A"``, ``"974"``…).

    Case and surrounding spaces are ignored, and a single digit is zero-padded.

    Raises:
        NotFoundError: if no department has that code.
        ValidationError: if ``code`` is not a string.

    Examples:
        >>> from microstructure.territory import department
        >>> department("974").timezone
        'Indian/Reunion'
    """
    return _lookup(
        _tables()[1], code, "department", "an INSEE department code such as '67', '2A' or '974'"
    )


def regions() -> tuple[Region, ...]:
    """All 18 regions (13 metropolitan, 5 overseas), by INSEE code."""
    return tuple(_tables()[0].values())


def departments() -> tuple[Department, ...]:
    """All 101 departments, by INSEE code."""
    return tuple(_tables()[1].values())


@functools.lru_cache(maxsize=256)
def _holiday_table(subdivision: str | None, years: tuple[int, ...]) -> Mapping[dt.date, str]:
    import holidays  # noqa: PLC0415 - heavy import, only when holidays are needed

    calendar = holidays.country_holidays("FR", subdiv=subdivision, years=years, language="fr")
    return read_only(dict(sorted(calendar.items())))


def public_holidays(department_code: str, years: Iterable[int]) -> Mapping[dt.date, str]:
    """Public holidays in force in a department, from the `holidays` package.

    Raises:
        NotFoundError: if no department has that code.
        ValidationError: if ``years`` is not a list of years from 1 to 9999.

    The result is a read-only mapping from date to name, shared by every caller (it is
    cached); copy it with ``dict(...)`` to change it. Names are in French. Alsace-Moselle adds Good Friday and 26 December;
    overseas departments add their own abolition-of-slavery day.

    Examples:
        >>> import datetime as dt
        >>> from microstructure.territory import public_holidays
        >>> dt.date(2026, 12, 26) in public_holidays("67", [2026])
        True
        >>> dt.date(2026, 12, 26) in public_holidays("75", [2026])
        False
    """
    subdivision = department(department_code).holidays_subdivision
    return _holiday_table(subdivision, _years(years))


_YEARS = "a list of years, integers from 1 to 9999"


def _years(years: object) -> tuple[int, ...]:
    if isinstance(years, str | bytes) or not isinstance(years, Iterable):
        raise ValidationError(
            [ErrorDetail("$", f"expected {_YEARS}", f"<{type(years).__name__}>")], subject="years"
        )
    found = set()
    for index, year in enumerate(years):
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:  # noqa: PLR2004
            shown = year if isinstance(year, str | int) and len(str(year)) < 10 else "…"  # noqa: PLR2004
            raise ValidationError(
                [ErrorDetail(f"$[{index}]", f"expected {_YEARS}", shown)], subject="years"
            )
        found.add(year)
    return tuple(sorted(found))
