"""Programs (Equip'addict, santé mentale, droit commun) as data."""

from __future__ import annotations

import decimal
import enum
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pendulum

from microstructure._data import list_data, load_data
from microstructure.errors import ConfigurationError, FieldError, NotFoundError, ValidationError
from microstructure.io import from_data, load, register_hooks
from microstructure.vocabulary import Activity, Role

__all__ = [
    "Period",
    "Program",
    "RoleRequirement",
    "SessionFrequency",
    "load_program",
    "program",
    "programs",
]


class Period(enum.StrEnum):
    """The period over which a frequency counts sessions."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


@attrs.frozen(kw_only=True)
class SessionFrequency:
    """At least ``count`` sessions of ``activity`` each ``period``."""

    activity: Activity
    period: Period
    count: int = attrs.field(default=1, validator=attrs.validators.ge(1))


@attrs.frozen(kw_only=True)
class RoleRequirement:
    """At least ``minimum`` members with ``role`` in each microstructure of the program."""

    role: Role
    minimum: int = attrs.field(default=1, validator=attrs.validators.ge(1))


@attrs.frozen(kw_only=True)
class Program:
    """A care program a microstructure can join, loaded from shipped or network data.

    ``regions`` is ``None`` when the program is open everywhere; ``start``/``end``
    bound its active period (``None``: open-ended). Amounts are in euros.

    Examples:
        >>> from microstructure.programs import program
        >>> p = program("equip-addict")
        >>> p.annual_forfait_per_patient
        Decimal('528')
        >>> p.active_on(pendulum.date(2024, 3, 1))
        False
    """

    id: str
    name: str
    name_fr: str
    carried_by: str | None = None
    regions: tuple[str, ...] | None = None
    start: pendulum.Date | None = None
    end: pendulum.Date | None = None
    required_roles: tuple[RoleRequirement, ...] = ()
    frequencies: tuple[SessionFrequency, ...] = ()
    annual_forfait_per_patient: decimal.Decimal | None = None
    notes: str = ""
    sources: tuple[str, ...] = ()

    def active_on(self, day: pendulum.Date) -> bool:
        """Whether the program runs on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def open_in(self, region_code: str) -> bool:
        """Whether the program is open in the region with INSEE code ``region_code``."""
        return self.regions is None or region_code in self.regions

    def frequency(self, activity: Activity) -> SessionFrequency | None:
        """The expected frequency of ``activity``, if the program sets one."""
        return next((f for f in self.frequencies if f.activity is activity), None)


def _structure_decimal(value: object, _: type) -> decimal.Decimal:
    expected = "an amount as an integer or a decimal string such as '528.00'"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FieldError(value, expected)
    try:
        amount = decimal.Decimal(value)
    except decimal.InvalidOperation:
        raise FieldError(value, expected) from None
    if not amount.is_finite():
        raise FieldError(value, expected)
    return amount


def _install(conv: cattrs.Converter) -> None:
    conv.register_structure_hook(decimal.Decimal, _structure_decimal)
    conv.register_unstructure_hook(decimal.Decimal, str)


register_hooks(_install)


@functools.cache
def _shipped() -> dict[str, Program]:
    found: dict[str, Program] = {}
    for name in list_data("programs"):
        try:
            loaded = from_data(Program, load_data(name))
        except ValidationError as exc:  # pragma: no cover - guarded by a test
            msg = f"shipped program file {name!r} is invalid:\n{exc}"
            raise ConfigurationError(msg) from exc
        found[loaded.id] = loaded
    return found


def programs(overrides: Iterable[Program] = ()) -> dict[str, Program]:
    """Every shipped program by id, with ``overrides`` replacing or adding programs.

    Examples:
        >>> from microstructure.programs import programs
        >>> sorted(programs())
        ['droit-commun', 'equip-addict', 'sante-mentale']
    """
    table = dict(_shipped())
    for item in overrides:
        table[item.id] = item
    return table


def program(program_id: str, overrides: Mapping[str, Program] | None = None) -> Program:
    """The program ``program_id`` (``"equip-addict"``, ``"sante-mentale"``, ``"droit-commun"``).

    Raises:
        NotFoundError: if no program has that id.
    """
    table = overrides if overrides is not None else _shipped()
    try:
        return table[program_id]
    except KeyError:
        expected = "one of " + ", ".join(repr(k) for k in sorted(table))
        raise NotFoundError(kind="program", code=program_id, expected=expected) from None


def load_program(source: str | Path | Mapping[str, Any]) -> Program:
    """Load a network's own program definition from a TOML/JSON file or a mapping.

    A network overrides a shipped program by loading a file with the same ``id``
    and passing it to `programs` or to `microstructure.teams.check`.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: if the definition is invalid (every problem, with its path).
    """
    return load(Program, source, what="program")
