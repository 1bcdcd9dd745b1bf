"""Professionals, sites, microstructures, networks and the national coordination."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pendulum

from microstructure import _validators as _v
from microstructure._frozen import frozen_tuple
from microstructure._labels import Labelled, labels
from microstructure._validators import fail as _fail
from microstructure._validators import identifier as _identifier
from microstructure.errors import NotFoundError
from microstructure.territory import Department, Region, department, departments, region, regions
from microstructure.vocabulary import Role

__all__ = [
    "CLINICAL_ROLES",
    "COORDINATION_ROLES",
    "Microstructure",
    "NationalCoordination",
    "Network",
    "Professional",
    "ProgramMembership",
    "Site",
    "SiteKind",
]


_Validator = Callable[[object, "attrs.Attribute[Any]", str], None]


@_v.json_schema({"minLength": 1, "pattern": r"\S"})
def _non_empty(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        _fail(attribute, value, "a non-empty string")


#: Roles that work with patients inside a microstructure.
CLINICAL_ROLES = frozenset(
    {Role.GENERAL_PRACTITIONER, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER, Role.PSYCHIATRIST}
)
#: Roles of a network's coordination team.
COORDINATION_ROLES = frozenset({Role.MEDICAL_COORDINATOR, Role.ADMINISTRATIVE_COORDINATOR})


# Luhn's rule doubles every second digit from the right, less 9 above 9: 5 gives 1.
_LUHN_DOUBLED = str.maketrans("0123456789", "0246813579")


def _luhn_ok(digits: str) -> bool:
    """Whether a string of ASCII digits ends with its Luhn check digit."""
    doubled = digits[-2::-2].translate(_LUHN_DOUBLED)
    # Sums of the ASCII codes, less those of as many zeros: the sum of the digits.
    total = sum(digits[-1::-2].encode()) + sum(doubled.encode()) - 48 * len(digits)
    return total % 10 == 0


@_v.json_schema({"pattern": "^[0-9]{11}$"})
def _rpps(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or len(value) != 11 or not value.isascii() or not value.isdigit():  # noqa: PLR2004
        _fail(attribute, value, "an RPPS number of 11 digits")
    if not _luhn_ok(value):
        _fail(attribute, value, "an RPPS number whose last digit is its Luhn check digit")


@attrs.frozen(kw_only=True)
class Professional:
    """A professional of a team, identified by an id that is stable across files.

    ``rpps`` is the optional national RPPS number (11 digits, the last one a Luhn
    check digit). A professional shared between several microstructures (often a
    psychologist or a social worker) appears in each with the same ``id``.

    Examples:
        >>> from microstructure.teams import Professional, Role
        >>> Professional(id="psy-1", role=Role.PSYCHOLOGIST).role.label_fr
        'psychologue'
    """

    id: str = attrs.field(validator=_identifier)
    """Stable identifier, the same in every team the person works in."""
    role: Role = attrs.field(validator=_v.instance_of(Role))
    """What the person does in the team."""
    rpps: str | None = attrs.field(default=None, validator=_rpps)
    """National RPPS number (11 digits, Luhn check digit), if known."""
    display_name: str | None = None
    """Name shown in terminals and calendars; professionals only, never patients."""


class SiteKind(Labelled):
    """The kind of care site hosting a microstructure.

    Examples:
        >>> from microstructure.teams import SiteKind
        >>> SiteKind("msp").label, SiteKind.MSP.label_fr
        ('multi-professional health centre', 'maison de santé pluriprofessionnelle')
    """

    CABINET = "cabinet"
    MSP = "msp"
    CENTRE_DE_SANTE = "centre-de-sante"


labels(
    SiteKind,
    {
        SiteKind.CABINET: ("GP practice", "cabinet médical"),
        SiteKind.MSP: ("multi-professional health centre", "maison de santé pluriprofessionnelle"),
        SiteKind.CENTRE_DE_SANTE: ("health centre", "centre de santé"),
    },
)


def _insee_code(
    lookup: Callable[[str], Department | Region], table: Callable[[], Any]
) -> _Validator:
    """A validator accepting only canonical codes that ``lookup`` knows (all in ``table``)."""

    @_v.json_schema(lambda: {"enum": sorted(item.code for item in table())})
    def validate(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
        try:
            found = lookup(value)
        except NotFoundError as exc:
            _fail(attribute, value, exc.expected)
        if found.code != value:
            _fail(attribute, value, f"the canonical INSEE code {found.code!r}")

    return validate


@attrs.frozen(kw_only=True)
class Site:
    """The one care site of a microstructure (unity of place).

    Examples:
        >>> from microstructure.teams import Site, SiteKind
        >>> site = Site(id="s1", name="Cabinet du Neudorf", kind=SiteKind.CABINET, department="67")
        >>> site.timezone, site.region
        ('Europe/Paris', '44')
    """

    id: str = attrs.field(validator=_identifier)
    """Stable identifier of the site."""
    name: str = attrs.field(validator=_non_empty)
    """Display name."""
    kind: SiteKind = attrs.field(validator=_v.instance_of(SiteKind))
    """Cabinet médical, maison de santé pluriprofessionnelle or centre de santé."""
    department: str = attrs.field(validator=_insee_code(department, departments))
    """INSEE department code (``"67"``, ``"2A"``, ``"974"``); gives the time zone and holidays."""

    @property
    def department_info(self) -> Department:
        """The `Department` the site is in."""
        return department(self.department)

    @property
    def timezone(self) -> str:
        """IANA time-zone name of the site."""
        return self.department_info.timezone

    @property
    def region(self) -> str:
        """INSEE code of the site's region."""
        return self.department_info.region


@attrs.frozen(kw_only=True)
class ProgramMembership:
    """A microstructure's participation in a program, from ``valid_from`` to ``valid_until``.

    Both dates are inclusive; ``valid_until`` is ``None`` while the membership lasts.
    """

    program: str = attrs.field(validator=_identifier)
    """Program id (``droit-commun``, ``equip-addict``, ``sante-mentale``…)."""
    valid_from: pendulum.Date
    """First day of the membership."""
    valid_until: pendulum.Date | None = None
    """Last day of the membership, or ``None`` while it lasts."""

    def __attrs_post_init__(self) -> None:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            _fail(
                attrs.fields(ProgramMembership).valid_until,
                self.valid_until.isoformat(),
                f"a date on or after valid_from ({self.valid_from.isoformat()})",
            )

    def active_on(self, day: pendulum.Date) -> bool:
        """Whether the membership covers ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@_v.json_schema(
    {"contains": {"type": "object", "properties": {"role": {"const": "gp"}}, "required": ["role"]}}
)
def _has_gp(_: object, attribute: attrs.Attribute[Any], value: tuple[Professional, ...]) -> None:
    # A microstructure is built around one GP or a group of GPs (CNRMS poster): without
    # one there is no team to speak of, so this is invalid data, not a finding.
    if not any(p.role is Role.GENERAL_PRACTITIONER for p in value):
        _fail(attribute, None, "at least one member with role 'gp' (general practitioner)")


@attrs.frozen(kw_only=True)
class Microstructure:
    """A primary-care team in one site: one or more GPs and the other members.

    ``members`` must include at least one general practitioner; other missing
    roles are reported by `check` as findings.

    Examples:
        >>> from microstructure.examples import example_network
        >>> ms = example_network().microstructures[0]
        >>> [p.id for p in ms.members_with(Role.GENERAL_PRACTITIONER)]
        ['gp-neudorf-1', 'gp-neudorf-2']
    """

    id: str = attrs.field(validator=_identifier)
    """Stable identifier, unique in the network; schedules refer to the team by it."""
    name: str = attrs.field(validator=_non_empty)
    """Display name."""
    site: Site
    """The one care site where the team works (unity of place)."""
    members: tuple[Professional, ...] = attrs.field(
        converter=frozen_tuple, validator=[_v.tuple_of(Professional, "professionals"), _has_gp]
    )
    """The team's professionals; at least one general practitioner."""
    programs: tuple[ProgramMembership, ...] = attrs.field(default=(), converter=frozen_tuple)
    """The programs the team takes part in, each over a period."""

    def members_with(self, role: Role) -> tuple[Professional, ...]:
        """Members holding ``role``, in file order."""
        return tuple(p for p in self.members if p.role is role)


@attrs.frozen(kw_only=True)
class Network:
    """A regional network of microstructures, with its coordination team.

    Examples:
        >>> from microstructure.examples import example_network
        >>> example_network().region
        '44'
    """

    id: str = attrs.field(validator=_identifier)
    """Stable identifier of the network."""
    name: str = attrs.field(validator=_non_empty)
    """Display name."""
    region: str = attrs.field(validator=_insee_code(region, regions))
    """INSEE region code (``"44"`` Grand Est, ``"04"`` La Réunion…)."""
    coordination: tuple[Professional, ...] = attrs.field(default=(), converter=frozen_tuple)
    """The network's coordination team (medical and administrative coordinators)."""
    microstructures: tuple[Microstructure, ...] = attrs.field(default=(), converter=frozen_tuple)
    """The network's microstructures."""


@attrs.frozen(kw_only=True)
class NationalCoordination:
    """The national level: every network adhering to the national coordination (CNRMS)."""

    name: str = attrs.field(default="CNRMS", validator=_non_empty)
    """Display name (the CNRMS)."""
    networks: tuple[Network, ...] = attrs.field(default=(), converter=frozen_tuple)
    """The regional networks."""
