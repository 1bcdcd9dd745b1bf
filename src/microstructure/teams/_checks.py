"""Composition checks: they return `Finding`s instead of raising."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

import pendulum

from microstructure.errors import FieldError, Finding, Severity, define_finding
from microstructure.programs import Program, programs
from microstructure.teams._model import (
    CLINICAL_ROLES,
    COORDINATION_ROLES,
    Microstructure,
    NationalCoordination,
    Network,
    Professional,
)
from microstructure.vocabulary import Role

__all__ = ["check", "count_roles"]

_A = "teams"
MISSING_ROLE = define_finding(
    "MS-TEAM-001", Severity.ERROR, "Missing required role", "Rôle requis manquant", area=_A
)
DUPLICATE_MEMBER = define_finding(
    "MS-TEAM-002",
    Severity.ERROR,
    "Professional listed twice in a team",
    "Professionnel listé deux fois dans une équipe",
    area=_A,
)
INCONSISTENT_PROFESSIONAL = define_finding(
    "MS-TEAM-003",
    Severity.ERROR,
    "One professional id with different roles or RPPS numbers",
    "Un même identifiant de professionnel avec des rôles ou RPPS différents",
    area=_A,
)
MISPLACED_ROLE = define_finding(
    "MS-TEAM-004",
    Severity.WARNING,
    "Role out of place (coordinator in a team, clinician in coordination)",
    "Rôle mal placé (coordinateur dans une équipe, soignant dans la coordination)",
    area=_A,
)
NO_COORDINATION = define_finding(
    "MS-TEAM-005",
    Severity.ERROR,
    "Network without coordination",
    "Réseau sans coordination",
    area=_A,
)
PARTIAL_COORDINATION = define_finding(
    "MS-TEAM-006",
    Severity.WARNING,
    "Network coordination lacks a medical or an administrative coordinator",
    "Coordination du réseau sans coordinateur médical ou administratif",
    area=_A,
)
OUTSIDE_REGION = define_finding(
    "MS-TEAM-007",
    Severity.WARNING,
    "Site outside the network's region",
    "Site hors de la région du réseau",
    area=_A,
)
DUPLICATE_ID = define_finding(
    "MS-TEAM-008",
    Severity.ERROR,
    "Duplicate microstructure or network id",
    "Identifiant de microstructure ou de réseau en double",
    area=_A,
)
NO_PSYCHIATRIST = define_finding(
    "MS-TEAM-009",
    Severity.INFO,
    "No psychiatrist in the team",
    "Pas de psychiatre dans l'équipe",
    area=_A,
)
UNKNOWN_PROGRAM = define_finding(
    "MS-PROG-001", Severity.ERROR, "Unknown program", "Programme inconnu", area=_A
)
PROGRAM_INACTIVE = define_finding(
    "MS-PROG-002",
    Severity.ERROR,
    "Program not active at the date",
    "Programme inactif à la date",
    area=_A,
)
PROGRAM_NOT_IN_REGION = define_finding(
    "MS-PROG-003",
    Severity.ERROR,
    "Program not open in the site's region",
    "Programme non ouvert dans la région du site",
    area=_A,
)
MEMBERSHIP_OUTSIDE_PERIOD = define_finding(
    "MS-PROG-004",
    Severity.WARNING,
    "Membership starts before or ends after the program",
    "Adhésion hors de la période du programme",
    area=_A,
)

# Founding composition (seed 000): one or more GPs, a psychologist, a social worker.
_BASE_ROLES = (Role.GENERAL_PRACTITIONER, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER)


def _duplicate_ids(path: str, field: str, ids: list[str], kind: tuple[str, str]) -> list[Finding]:
    """A `DUPLICATE_ID` finding for each id of ``path.field[i]`` used at an earlier index."""
    found: list[Finding] = []
    first: dict[str, int] = {}
    for index, item in enumerate(ids):
        if item in first:
            found.append(
                DUPLICATE_ID.at(
                    f"{path}.{field}[{index}].id",
                    f"{kind[0]} id {item!r} is already used at {field}[{first[item]}]",
                    f"l'identifiant {kind[1]}{item!r} est déjà utilisé",
                )
            )
        first.setdefault(item, index)
    return found


def _check_members(ms: Microstructure, path: str) -> list[Finding]:
    found: list[Finding] = []
    seen: dict[str, int] = {}
    for index, member in enumerate(ms.members):
        member_path = f"{path}.members[{index}]"
        if member.id in seen:
            found.append(
                DUPLICATE_MEMBER.at(
                    member_path,
                    f"professional {member.id!r} is already listed at members[{seen[member.id]}]",
                    f"le professionnel {member.id!r} est déjà listé en members[{seen[member.id]}]",
                )
            )
        else:
            seen[member.id] = index
        if member.role in COORDINATION_ROLES:
            found.append(
                MISPLACED_ROLE.at(
                    f"{member_path}.role",
                    f"{member.role.label} {member.id!r} belongs to the network coordination, "
                    "not to a team",
                    f"{member.role.label_fr} {member.id!r} relève de la coordination du réseau",
                )
            )
    return found


def _check_roles(
    ms: Microstructure, path: str, required: Mapping[Role, tuple[int, str | None]]
) -> list[Finding]:
    found: list[Finding] = []
    counts = Counter(p.role for p in {p.id: p for p in ms.members}.values())
    for role, (minimum, program_id) in required.items():
        if counts[role] < minimum:
            why = f" (program {program_id!r})" if program_id else ""
            found.append(
                MISSING_ROLE.at(
                    f"{path}.members",
                    f"needs at least {minimum} {role.label}{why}, has {counts[role]}",
                    f"il faut au moins {minimum} {role.label_fr}{why}, il y en a {counts[role]}",
                )
            )
    if counts[Role.PSYCHIATRIST] == 0 and Role.PSYCHIATRIST not in required:
        found.append(
            NO_PSYCHIATRIST.at(
                f"{path}.members",
                "no psychiatrist: the founding model includes one",
                "pas de psychiatre : le modèle fondateur en prévoit un",
            )
        )
    return found


def _check_programs(
    ms: Microstructure, path: str, table: Mapping[str, Program], day: pendulum.Date
) -> tuple[list[Finding], dict[Role, tuple[int, str | None]]]:
    found: list[Finding] = []
    required: dict[Role, tuple[int, str | None]] = dict.fromkeys(_BASE_ROLES, (1, None))
    region_code = ms.site.region
    for index, membership in enumerate(ms.programs):
        m_path = f"{path}.programs[{index}]"
        prog = table.get(membership.program)
        if prog is None:
            found.append(
                UNKNOWN_PROGRAM.at(
                    f"{m_path}.program",
                    f"unknown program {membership.program!r}; known: {', '.join(sorted(table))}",
                    f"programme inconnu {membership.program!r}",
                )
            )
            continue
        if (prog.valid_from is not None and membership.valid_from < prog.valid_from) or (
            prog.valid_until is not None
            and (membership.valid_until is None or membership.valid_until > prog.valid_until)
        ):
            bounds = f"{prog.valid_from or '…'} to {prog.valid_until or '…'}"
            found.append(
                MEMBERSHIP_OUTSIDE_PERIOD.at(
                    m_path,
                    f"membership {membership.valid_from} to {membership.valid_until or '…'} is not within "
                    f"{prog.name} ({bounds})",
                    f"adhésion hors de la période de {prog.name_fr} ({bounds})",
                )
            )
        if not membership.active_on(day):
            continue
        if not prog.active_on(day):
            found.append(
                PROGRAM_INACTIVE.at(
                    m_path,
                    f"{prog.name} is not active on {day} (runs {prog.valid_from or '…'} to "
                    f"{prog.valid_until or '…'})",
                    f"{prog.name_fr} n'est pas actif le {day}",
                )
            )
        if not prog.open_in(region_code):
            found.append(
                PROGRAM_NOT_IN_REGION.at(
                    m_path,
                    f"{prog.name} is not open in region {region_code} of site {ms.site.id!r}",
                    f"{prog.name_fr} n'est pas ouvert dans la région {region_code}",
                )
            )
        for requirement in prog.required_roles:
            current, _ = required.get(requirement.role, (0, None))
            if requirement.minimum >= current:
                required[requirement.role] = (requirement.minimum, prog.id)
    return found, required


def _check_microstructure(
    ms: Microstructure, path: str, table: Mapping[str, Program], day: pendulum.Date
) -> list[Finding]:
    program_findings, required = _check_programs(ms, path, table, day)
    return [
        *_check_members(ms, path),
        *_check_roles(ms, path, required),
        *program_findings,
    ]


def _check_consistency(
    pairs: Iterable[tuple[str, Professional]],
) -> list[Finding]:
    found: list[Finding] = []
    first: dict[str, tuple[str, Professional]] = {}
    for path, professional in pairs:
        if professional.id not in first:
            first[professional.id] = (path, professional)
            continue
        first_path, earlier = first[professional.id]
        if (earlier.role, earlier.rpps) != (professional.role, professional.rpps):
            found.append(
                INCONSISTENT_PROFESSIONAL.at(
                    path,
                    f"professional {professional.id!r} differs from {first_path} "
                    f"({professional.role.value} vs {earlier.role.value})",
                    f"le professionnel {professional.id!r} diffère de {first_path}",
                )
            )
    return found


def _check_network(
    network: Network, path: str, table: Mapping[str, Program], day: pendulum.Date
) -> list[Finding]:
    found: list[Finding] = []
    if not network.coordination:
        found.append(
            NO_COORDINATION.at(
                f"{path}.coordination",
                f"network {network.id!r} has no coordination (principle 4)",
                f"le réseau {network.id!r} n'a pas de coordination (principe 4)",
            )
        )
    else:
        roles = {p.role for p in network.coordination}
        missing = sorted(r.label for r in COORDINATION_ROLES - roles)
        if missing:
            found.append(
                PARTIAL_COORDINATION.at(
                    f"{path}.coordination",
                    f"network {network.id!r} coordination has no {' and no '.join(missing)}",
                    f"la coordination du réseau {network.id!r} est incomplète",
                )
            )
        found.extend(
            MISPLACED_ROLE.at(
                f"{path}.coordination[{index}].role",
                f"{p.role.label} {p.id!r} is a clinician, not a coordinator",
                f"{p.role.label_fr} {p.id!r} est un soignant, pas un coordinateur",
            )
            for index, p in enumerate(network.coordination)
            if p.role in CLINICAL_ROLES
        )
    found += _duplicate_ids(
        path, "microstructures", [ms.id for ms in network.microstructures], ("microstructure", "")
    )
    for index, ms in enumerate(network.microstructures):
        ms_path = f"{path}.microstructures[{index}]"
        if ms.site.region != network.region:
            found.append(
                OUTSIDE_REGION.at(
                    f"{ms_path}.site.department",
                    f"site {ms.site.id!r} is in region {ms.site.region}, "
                    f"the network in region {network.region}",
                    f"le site {ms.site.id!r} est hors de la région du réseau",
                )
            )
        found.extend(_check_microstructure(ms, ms_path, table, day))
    return found


def _professionals(network: Network, path: str) -> Iterable[tuple[str, Professional]]:
    for index, p in enumerate(network.coordination):
        yield f"{path}.coordination[{index}]", p
    for ms_index, ms in enumerate(network.microstructures):
        for index, p in enumerate(ms.members):
            yield f"{path}.microstructures[{ms_index}].members[{index}]", p


def _check_subject(subject: object) -> None:
    if not isinstance(subject, Microstructure | Network | NationalCoordination):
        expected = "a Microstructure, a Network or a NationalCoordination"
        raise FieldError(type(subject).__name__, expected, field="subject")


def check(
    subject: Microstructure | Network | NationalCoordination,
    *,
    on: pendulum.Date | None = None,
    overrides: Iterable[Program] | Mapping[str, Program] = (),
) -> tuple[Finding, ...]:
    """Check the composition of a microstructure, a network or the national level.

    Returns findings ordered by severity, then path. ``on`` is the date at which
    program memberships are judged (default: today in Paris); ``overrides``
    replaces shipped programs with a network's own definitions.

    Examples:
        >>> from microstructure import check
        >>> from microstructure.examples import example_network
        >>> [f.code for f in check(example_network(), on=pendulum.date(2026, 6, 1))]
        ['MS-TEAM-009']
    """
    _check_subject(subject)
    if on is not None and not isinstance(on, dt.date):
        raise FieldError(type(on).__name__, "a date or None", field="on")
    day = on if on is not None else pendulum.today("Europe/Paris").date()
    table = programs(overrides=overrides)
    found: list[Finding] = []
    if isinstance(subject, Microstructure):
        found = _check_microstructure(subject, "$", table, day)
        found += _check_consistency((f"$.members[{i}]", p) for i, p in enumerate(subject.members))
    elif isinstance(subject, Network):
        found = _check_network(subject, "$", table, day)
        found += _check_consistency(_professionals(subject, "$"))
    else:
        found = _duplicate_ids(
            "$", "networks", [n.id for n in subject.networks], ("network", "de réseau ")
        )
        pairs: list[tuple[str, Professional]] = []
        for index, network in enumerate(subject.networks):
            path = f"$.networks[{index}]"
            found += _check_network(network, path, table, day)
            pairs += _professionals(network, path)
        found += _check_consistency(pairs)
    return tuple(sorted(found, key=lambda f: f.sort_key))


def count_roles(
    subject: Microstructure | Network | NationalCoordination,
    *,
    region: str | None = None,
) -> dict[Role, int]:
    """Distinct professionals by role, at any level; ``region`` keeps one region only.

    A professional shared by several microstructures counts once. Coordination
    roles are counted at network and national levels.

    Examples:
        >>> from microstructure.teams import count_roles, Role
        >>> from microstructure.examples import example_network
        >>> count_roles(example_network())[Role.PSYCHOLOGIST]
        2
    """
    _check_subject(subject)
    if region is not None and not isinstance(region, str):
        raise FieldError(type(region).__name__, "a region code or None", field="region")
    people: dict[str, Role] = {}
    if isinstance(subject, Microstructure):
        if region is None or subject.site.region == region:
            people = {p.id: p.role for p in subject.members}
    else:
        networks = subject.networks if isinstance(subject, NationalCoordination) else (subject,)
        for network in networks:
            if region is not None and network.region != region:
                continue
            for _, p in _professionals(network, "$"):
                people.setdefault(p.id, p.role)
    counts = Counter(people.values())
    return {role: counts[role] for role in Role}
