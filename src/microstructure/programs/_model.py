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

from microstructure import _validators as _v
from microstructure._data import find_by_id, list_data, load_shipped, merge_overrides
from microstructure._frozen import frozen_tuple
from microstructure._validators import identifier as _identifier
from microstructure.errors import (
    FieldError,
)
from microstructure.io import load
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
    """The activity (consultations, psychiatrist sessions, RCP)."""
    period: Period
    """The period counted: week, month or quarter."""
    count: int = attrs.field(default=1, validator=_v.at_least(1))
    """How many sessions per period, at least."""


@attrs.frozen(kw_only=True)
class RoleRequirement:
    """At least ``minimum`` members with ``role`` in each microstructure of the program."""

    role: Role
    """The required role."""
    minimum: int = attrs.field(default=1, validator=_v.at_least(1))
    """How many distinct professionals with that role, at least."""


@attrs.frozen(kw_only=True)
class Program:
    """A care program a microstructure can join, loaded from shipped or network data.

    ``regions`` is ``None`` when the program is open everywhere; ``valid_from`` and
    ``valid_until`` bound its active period, both inclusive (``None``: open-ended). Amounts are in euros.

    Examples:
        >>> import pendulum
        >>> from microstructure.programs import program
        >>> p = program("equip-addict")
        >>> p.annual_forfait_per_patient
        Decimal('528')
        >>> p.active_on(pendulum.date(2024, 3, 1))
        False
    """

    id: str = attrs.field(validator=_identifier)
    """Stable program id, used in memberships and policies."""
    name: str
    """English name."""
    name_fr: str
    """French name."""
    carried_by: str | None = None
    """Who funds or carries the program (ARS, CNRMS, Assurance maladie…)."""
    regions: tuple[str, ...] | None = attrs.field(default=None, converter=frozen_tuple)
    """INSEE codes of the regions where it is open, or ``None`` for every region."""
    valid_from: pendulum.Date | None = None
    """First day of the program, or ``None``."""
    valid_until: pendulum.Date | None = None
    """Last day of the program, or ``None`` if open-ended."""
    required_roles: tuple[RoleRequirement, ...] = attrs.field(default=(), converter=frozen_tuple)
    """Roles each team of the program must have."""
    frequencies: tuple[SessionFrequency, ...] = attrs.field(default=(), converter=frozen_tuple)
    """How often each activity must take place."""
    annual_forfait_per_patient: decimal.Decimal | None = None
    """Yearly lump sum per patient, in euros, if known."""
    notes: str = ""
    """Free notes about the data."""
    sources: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    """Where the data comes from, by title."""

    def active_on(self, day: pendulum.Date) -> bool:
        """Whether the program runs on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

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


#: Read by `microstructure.io.schema`: what ``_structure_decimal`` accepts, written as a string.
_JSON_SCHEMAS = {
    decimal.Decimal: {
        "anyOf": [
            {"type": "integer"},
            {"type": "string", "pattern": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"},
        ],
        "description": "An amount in euros, written as a decimal string such as '528.00'.",
    }
}


@functools.cache
def _shipped() -> dict[str, Program]:
    found: dict[str, Program] = {}
    for name in list_data("programs"):
        loaded = load_shipped(Program, name)
        found[loaded.id] = loaded
    return found


def _merged(overrides: Iterable[Program] | Mapping[str, Program]) -> dict[str, Program]:
    """The shipped programs by id, with ``overrides`` merged over them (same id: replaced)."""
    return merge_overrides(_shipped(), overrides, Program, lambda p: p.id, "program")


def programs(*, overrides: Iterable[Program] | Mapping[str, Program] = ()) -> dict[str, Program]:
    """Every program by id: the shipped ones, with ``overrides`` merged over them.

    ``overrides`` are a network's own definitions (see `load_program`): each replaces
    the shipped program with the same id, or adds a program. This is what ``overrides``
    means everywhere in the library. The result is a fresh dict that the caller owns.

    Raises:
        ValidationError: if an override is not a `Program`.

    Examples:
        >>> from microstructure.programs import program, programs
        >>> sorted(programs())
        ['droit-commun', 'equip-addict', 'sante-mentale']
        >>> ours = attrs.evolve(program("equip-addict"), annual_forfait_per_patient=529)
        >>> programs(overrides=[ours])["equip-addict"].annual_forfait_per_patient
        529
    """
    return _merged(overrides)


def program(
    program_id: str, *, overrides: Iterable[Program] | Mapping[str, Program] = ()
) -> Program:
    """The program ``program_id`` (``"equip-addict"``, ``"sante-mentale"``, ``"droit-commun"``).

    ``overrides`` are merged over the shipped programs first, as in `programs`.

    Raises:
        NotFoundError: if no program has that id.
        ValidationError: if ``program_id`` is not a string, or an override not a `Program`.

    Examples:
        >>> from microstructure.programs import program
        >>> program("droit-commun").regions is None
        True
    """
    return find_by_id(_merged(overrides), program_id, kind="program", id_name="program id")


def load_program(source: str | Path | Mapping[str, Any]) -> Program:
    """Load a network's own program definition from a TOML/JSON file or a mapping.

    A network overrides a shipped program by loading a file with the same ``id``
    and passing it as ``overrides=`` to `programs`, `program`,
    `microstructure.teams.check` or `microstructure.scheduling.conformity`.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: if the definition is invalid (every problem, with its path).
    """
    return load(Program, source, what="program")
