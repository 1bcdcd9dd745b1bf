"""Programs (Equip'addict, santé mentale, droit commun) as data."""

from __future__ import annotations

import decimal
import enum
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

import attrs
import cattrs
import pendulum

from microstructure._data import list_data, load_shipped
from microstructure._frozen import frozen_tuple
from microstructure._validators import identifier as _identifier
from microstructure.errors import (
    ErrorDetail,
    FieldError,
    NotFoundError,
    ValidationError,
)
from microstructure.io import load, register_hooks
from microstructure.teams._model import Role

__all__ = [
    "Activity",
    "Period",
    "Program",
    "RoleRequirement",
    "SessionFrequency",
    "load_program",
    "program",
    "programs",
]


class Activity(enum.StrEnum):
    """A recurring activity of a microstructure whose frequency a program sets.

    Like every code with labels, it has an English ``label`` and a French ``label_fr``.

    Examples:
        >>> from microstructure.programs import Activity
        >>> Activity.RCP.label_fr
        'Réunion de concertation (RCP)'
    """

    PSYCHOLOGIST_CONSULTATIONS = "psychologist-consultations"
    SOCIAL_WORKER_CONSULTATIONS = "social-worker-consultations"
    PSYCHIATRIST_SESSIONS = "psychiatrist-sessions"
    RCP = "rcp"

    @property
    def role(self) -> Role | None:
        """The role that runs the activity (``None`` for the whole-team RCP)."""
        return {
            Activity.PSYCHOLOGIST_CONSULTATIONS: Role.PSYCHOLOGIST,
            Activity.SOCIAL_WORKER_CONSULTATIONS: Role.SOCIAL_WORKER,
            Activity.PSYCHIATRIST_SESSIONS: Role.PSYCHIATRIST,
            Activity.RCP: None,
        }[self]

    @property
    def label(self) -> str:
        """English label, for calendars and terminal views."""
        return _ACTIVITY_LABELS[self][0]

    @property
    def label_fr(self) -> str:
        """French label, for calendars and terminal views."""
        return _ACTIVITY_LABELS[self][1]


_ACTIVITY_LABELS = {
    Activity.PSYCHOLOGIST_CONSULTATIONS: (
        "Psychologist consultations",
        "Consultations psychologue",
    ),
    Activity.SOCIAL_WORKER_CONSULTATIONS: (
        "Social-worker consultations",
        "Permanence travailleur social",
    ),
    Activity.PSYCHIATRIST_SESSIONS: ("Psychiatrist session", "Séance psychiatre"),
    Activity.RCP: ("Multidisciplinary case meeting (RCP)", "Réunion de concertation (RCP)"),
}


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
    name: str
    name_fr: str
    carried_by: str | None = None
    regions: tuple[str, ...] | None = attrs.field(default=None, converter=frozen_tuple)
    valid_from: pendulum.Date | None = None
    valid_until: pendulum.Date | None = None
    required_roles: tuple[RoleRequirement, ...] = attrs.field(default=(), converter=frozen_tuple)
    frequencies: tuple[SessionFrequency, ...] = attrs.field(default=(), converter=frozen_tuple)
    annual_forfait_per_patient: decimal.Decimal | None = None
    notes: str = ""
    sources: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)

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


register_hooks(_install)


@functools.cache
def _shipped() -> dict[str, Program]:
    found: dict[str, Program] = {}
    for name in list_data("programs"):
        loaded = load_shipped(Program, name)
        found[loaded.id] = loaded
    return found


def _merged(overrides: Iterable[Program] | Mapping[str, Program]) -> dict[str, Program]:
    """The shipped programs by id, with ``overrides`` merged over them (same id: replaced)."""
    table = dict(_shipped())
    items = overrides.values() if isinstance(overrides, Mapping) else overrides
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        detail = ErrorDetail("$", "expected a list of Program objects", f"<{type(items).__name__}>")
        raise ValidationError([detail], subject="program overrides")
    for item in items:
        if not isinstance(item, Program):
            detail = ErrorDetail("$", "expected Program objects", type(item).__name__)
            raise ValidationError([detail], subject="program overrides")
        table[item.id] = item
    return table


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
    table = _merged(overrides)
    if not isinstance(cast("object", program_id), str):
        shown = f"<{type(program_id).__name__}>"
        detail = ErrorDetail("$", "expected a program id (a string)", shown)
        raise ValidationError([detail], subject="program id")
    found = table.get(program_id)
    if found is None:
        expected = "one of " + ", ".join(repr(k) for k in sorted(table))
        raise NotFoundError(kind="program", code=program_id, expected=expected)
    return found


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
