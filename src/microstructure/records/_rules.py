"""Lifecycle rules of the care pathway, checked patient by patient; each returns findings.

The checks of one patient need only that patient's events (and the team file), so a
validator can run them one patient at a time: see `microstructure.records.validate_file`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum

from microstructure.eligibility import Outcome
from microstructure.errors import FieldError, Finding, FindingKind, Severity, define_finding
from microstructure.programs import Program, programs
from microstructure.records._model import (
    Assessment,
    AssessmentStage,
    Consultation,
    Event,
    Exit,
    Inclusion,
    Patient,
    RcpMeeting,
    Referral,
)
from microstructure.records._tags import check_event
from microstructure.teams import Microstructure, NationalCoordination, Network, microstructures_of
from microstructure.vocabulary import Role

__all__ = [
    "Episode",
    "PatientSummary",
    "Rules",
    "canonical",
    "check_meeting",
    "check_patient",
    "conflict",
    "event_day",
    "path_of",
    "resolve",
    "sort_key",
]

_A = "records"


def _kind(number: int, severity: Severity, title: str, title_fr: str) -> FindingKind:
    return define_finding(f"MS-REC-{number:03d}", severity, title, title_fr, area=_A)


_E, _W = Severity.ERROR, Severity.WARNING
BEFORE_REFERRAL = _kind(
    1, _E, "Consultation before the referral", "Consultation avant l'orientation par le médecin"
)
AFTER_EXIT = _kind(2, _E, "Consultation after the exit", "Consultation après la sortie")
NO_OPEN_EPISODE = _kind(
    3, _E, "Consultation with no open episode", "Consultation hors de tout épisode de suivi"
)
CASE_WITHOUT_EPISODE = _kind(
    4,
    _E,
    "RCP case for a patient with no open episode in that microstructure",
    "Cas discuté en RCP pour un patient sans épisode ouvert dans la microstructure",
)
NOT_A_MEMBER = _kind(
    5,
    _E,
    "Professional not a member of the microstructure",
    "Professionnel non membre de la microstructure",
)
WRONG_ROLE = _kind(
    6,
    _E,
    "Professional does not hold that role in the microstructure",
    "Le professionnel n'a pas ce rôle dans la microstructure",
)
OVERLAPPING_EPISODES = _kind(
    7, _E, "Inclusion while an episode is open", "Inclusion alors qu'un épisode est ouvert"
)
PROGRAM_INACTIVE = _kind(
    8, _E, "Inclusion in a program not active at that date", "Inclusion dans un programme inactif"
)
PROGRAM_NOT_IN_REGION = _kind(
    9,
    _E,
    "Inclusion in a program not open in the site's region",
    "Inclusion dans un programme non ouvert dans la région du site",
)
INCLUSION_BEFORE_REFERRAL = _kind(
    10, _E, "Inclusion before any referral", "Inclusion sans orientation préalable"
)
CONFLICTING_DUPLICATE = _kind(
    11,
    _E,
    "Same event id and recorded_at with different content",
    "Même identifiant et même date d'enregistrement, contenu différent",
)
FOLLOW_UP_BEFORE_BASELINE = _kind(
    12,
    _E,
    "Follow-up assessment before the inclusion assessment",
    "Évaluation de suivi avant l'évaluation d'inclusion",
)
EXIT_WITHOUT_INCLUSION = _kind(13, _E, "Exit with no open episode", "Sortie sans épisode ouvert")
UNKNOWN_PATIENT = _kind(
    14, _E, "Event for a patient with no patient record", "Événement pour un patient non déclaré"
)
UNKNOWN_MICROSTRUCTURE = _kind(
    15,
    _E,
    "Microstructure not in the team file",
    "Microstructure absente du fichier des équipes",
)
UNKNOWN_PROGRAM = _kind(16, _E, "Inclusion in an unknown program", "Programme inconnu")
NOT_IN_PROGRAM = _kind(
    17,
    _W,
    "Inclusion in a program the microstructure is not a member of at that date",
    "Inclusion dans un programme auquel la microstructure ne participe pas à cette date",
)
INCLUDED_NOT_ELIGIBLE = _kind(
    18,
    _W,
    "Inclusion whose eligibility decision was 'not eligible'",
    "Inclusion malgré une décision « non éligible »",
)
PATIENT_TWICE = _kind(
    19,
    _W,
    "One patient code declared by several patient records",
    "Un même code patient déclaré par plusieurs fiches patient",
)

# Order of events of the same day: the pathway's own order.
_RANK: Mapping[type[Any], int] = {
    Patient: 0,
    Referral: 1,
    Assessment: 2,
    Inclusion: 3,
    Consultation: 4,
    RcpMeeting: 5,
    Exit: 6,
}
_FAR_PAST = pendulum.Date(1, 1, 1)


def event_day(event: Event) -> pendulum.Date:
    """The date of ``event``: its ``date``, or the local date of a consultation's start.

    A patient record comes first of all (its date is the year 1).
    """
    check_event(event)
    if isinstance(event, Consultation):
        return event.start.date()
    if isinstance(event, Patient):
        return _FAR_PAST
    return event.date


def sort_key(event: Event) -> tuple[int, str, pendulum.Date, int, str, pendulum.DateTime]:
    """Canonical order: patients by code with their events by date, then RCP meetings."""
    check_event(event)
    if isinstance(event, RcpMeeting):
        return (1, "", event.date, _RANK[RcpMeeting], event.id, event.recorded_at)
    return (
        0,
        event.patient.value,
        event_day(event),
        _RANK[type(event)],
        event.id,
        event.recorded_at,
    )


def _within_patient(event: Event) -> tuple[pendulum.Date, int, str, pendulum.DateTime]:
    """`sort_key` for the events of one patient (cheaper: the code is the same)."""
    cl = type(event)
    if cl is Consultation:
        day: pendulum.Date = event.start.date()  # type: ignore[union-attr]
    elif cl is Patient:
        day = _FAR_PAST
    else:
        day = event.date  # type: ignore[union-attr]
    return (day, _RANK[cl], event.id, event.recorded_at)


def path_of(event_id: str, field: str = "") -> str:
    """The JSONPath of a field of an event, the file read as an object keyed by event id."""
    return f"$[{json.dumps(event_id, ensure_ascii=False)}]" + (f".{field}" if field else "")


def _canonical(event: Event) -> str:
    from microstructure.io import to_data  # noqa: PLC0415 - only for duplicates

    return json.dumps(to_data(event), sort_keys=True, ensure_ascii=False)


def conflict(event: Event) -> Finding:
    """The finding for two versions of ``event`` recorded at the same instant, differing."""
    return CONFLICTING_DUPLICATE.at(
        path_of(event.id),
        f"different versions of event {event.id!r} were recorded at "
        f"{event.recorded_at.isoformat()}; a correction needs a later recorded_at",
        f"versions différentes de l'événement {event.id!r} enregistrées au même instant ; "
        "une correction doit avoir un recorded_at plus récent",
    )


def canonical(event: Event) -> str:
    """The canonical JSON text of ``event``: compares content and orders conflicting versions."""
    return _canonical(event)


def resolve(versions: list[Event]) -> tuple[Event, list[Finding]]:
    """The version of an event that stands, and a finding if two versions conflict.

    The latest ``recorded_at`` wins; equal ``recorded_at`` with equal content is one event
    sent twice; equal ``recorded_at`` with different content is a conflict, reported, and
    settled by the greater canonical JSON text so that the result never depends on order.
    """
    if len(versions) == 1:
        return versions[0], []
    latest = max(v.recorded_at for v in versions)
    top = [v for v in versions if v.recorded_at == latest]
    if len(top) == 1:
        return top[0], []
    texts = {_canonical(v): v for v in top}
    winner = texts[max(texts)]
    if len(texts) == 1:
        return winner, []
    return winner, [conflict(winner)]


@attrs.frozen
class Episode:
    """One episode of care: from an inclusion to its exit (``end`` is ``None`` while open).

    Attributes:
        inclusion: The id of the inclusion that opened it.
        microstructure: The microstructure of the inclusion.
        program: The program of the inclusion.
        start: The date of the inclusion.
        end: The date of the exit, inclusive, or ``None``.
    """

    inclusion: str
    microstructure: str
    program: str
    start: pendulum.Date
    end: pendulum.Date | None = None

    def covers(self, day: pendulum.Date) -> bool:
        """Whether the episode is open on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen
class PatientSummary:
    """What the checks of RCP cases need to know of a patient: declared, and their episodes."""

    declared: bool
    episodes: tuple[Episode, ...] = ()


@attrs.frozen
class _Ms:
    microstructure: Microstructure
    roles: Mapping[str, frozenset[Role]]


class Rules:
    """The team file and programs the rules are checked against (built once per validation)."""

    def __init__(
        self,
        teams: Microstructure | Network | NationalCoordination,
        *,
        overrides: Iterable[Program] = (),
    ) -> None:
        if not isinstance(teams, Microstructure | Network | NationalCoordination):
            raise FieldError(
                type(teams).__name__, "a Microstructure, a Network or a NationalCoordination"
            )
        found: dict[str, _Ms] = {}
        for ms in microstructures_of(teams).values():
            roles: dict[str, set[Role]] = {}
            for member in ms.members:
                roles.setdefault(member.id, set()).add(member.role)
            found[ms.id] = _Ms(ms, {k: frozenset(v) for k, v in roles.items()})
        self.microstructures: Mapping[str, _Ms] = found
        self.programs: Mapping[str, Program] = programs(overrides=overrides)

    def member(
        self, ms_id: str, professional: str, role: Role | None, where: tuple[str, str], what: str
    ) -> list[Finding]:
        """Findings if ``professional`` is not a member of ``ms_id`` (in ``role``).

        ``where`` is the event id and the field, made into a path only for a finding.
        """
        ms = self.microstructures.get(ms_id)
        if ms is None:
            return []
        held = ms.roles.get(professional)
        if held is not None and (role is None or role in held):
            return []
        path = path_of(*where)
        if held is None:
            return [
                NOT_A_MEMBER.at(
                    path,
                    f"{what} {professional!r} is not a member of {ms_id!r}",
                    f"{what} {professional!r} n'est pas membre de {ms_id!r}",
                )
            ]
        roles = ", ".join(sorted(r.value for r in held))
        shown = "" if role is None else role.value
        return [
            WRONG_ROLE.at(
                path,
                f"{professional!r} is {roles} in {ms_id!r}, not {shown}",
                f"{professional!r} est {roles} dans {ms_id!r}, pas {shown}",
            )
        ]

    def known(self, ms_id: str, where: tuple[str, str]) -> list[Finding]:
        """A finding if the microstructure ``ms_id`` is not in the team file."""
        if ms_id in self.microstructures:
            return []
        return [
            UNKNOWN_MICROSTRUCTURE.at(
                path_of(*where),
                f"microstructure {ms_id!r} is not in the team file",
                f"la microstructure {ms_id!r} n'est pas dans le fichier des équipes",
            )
        ]

    def program_rules(self, inclusion: Inclusion) -> list[Finding]:
        """Findings on the program of ``inclusion`` at its date and in its site's region."""
        path = path_of(inclusion.id, "program")
        prog = self.programs.get(inclusion.program)
        if prog is None:
            known = ", ".join(sorted(self.programs))
            return [
                UNKNOWN_PROGRAM.at(
                    path,
                    f"unknown program {inclusion.program!r}; known: {known}",
                    f"programme inconnu {inclusion.program!r}",
                )
            ]
        day = inclusion.date
        found: list[Finding] = []
        if not prog.active_on(day):
            found.append(
                PROGRAM_INACTIVE.at(
                    path,
                    f"{prog.name} is not active on {day} (runs {prog.valid_from or '…'} to "
                    f"{prog.valid_until or '…'})",
                    f"{prog.name_fr} n'est pas actif le {day}",
                )
            )
        ms = self.microstructures.get(inclusion.microstructure)
        if ms is None:
            return found
        site = ms.microstructure.site
        if not prog.open_in(site.region):
            found.append(
                PROGRAM_NOT_IN_REGION.at(
                    path,
                    f"{prog.name} is not open in region {site.region} of site {site.id!r}",
                    f"{prog.name_fr} n'est pas ouvert dans la région {site.region}",
                )
            )
        if not any(m.program == prog.id and m.active_on(day) for m in ms.microstructure.programs):
            found.append(
                NOT_IN_PROGRAM.at(
                    path,
                    f"{inclusion.microstructure!r} is not a member of {prog.id!r} on {day}",
                    f"{inclusion.microstructure!r} ne participe pas à {prog.id!r} le {day}",
                )
            )
        return found


def _no_patient(events: list[Event]) -> list[Finding]:
    first = min(events, key=sort_key)
    return [
        UNKNOWN_PATIENT.at(
            path_of(first.id, "patient"),
            f"no patient record for the patient of event {first.id!r} "
            f"and {len(events) - 1} other event(s)",
            f"pas de fiche patient pour le patient de l'événement {first.id!r}",
        )
    ]


def _consultation_outside(
    event: Consultation,
    day: pendulum.Date,
    first_referral: pendulum.Date | None,
    last_exit: pendulum.Date | None,
) -> Finding:
    path = path_of(event.id, "start")
    if first_referral is None or day < first_referral:
        return BEFORE_REFERRAL.at(
            path,
            f"consultation {event.id!r} on {day} comes before the patient's first referral"
            + ("" if first_referral is None else f" ({first_referral})"),
            f"la consultation {event.id!r} du {day} précède l'orientation du patient",
        )
    if last_exit is not None and day > last_exit:
        return AFTER_EXIT.at(
            path,
            f"consultation {event.id!r} on {day} comes after the patient's exit ({last_exit})",
            f"la consultation {event.id!r} du {day} suit la sortie du patient ({last_exit})",
        )
    return NO_OPEN_EPISODE.at(
        path,
        f"consultation {event.id!r} on {day}: the patient has no open episode (no inclusion)",
        f"la consultation {event.id!r} du {day} est hors de tout épisode (pas d'inclusion)",
    )


def check_patient(  # noqa: C901, PLR0912 - one branch per kind of event
    events: list[Event], rules: Rules
) -> tuple[list[Finding], PatientSummary]:
    """Check the resolved events of one patient (any order): findings and a summary."""
    found: list[Finding] = []
    ordered = sorted(events, key=_within_patient)
    patients = [e for e in ordered if isinstance(e, Patient)]
    if not patients:
        found += _no_patient(ordered)
    elif len(patients) > 1:
        found.append(
            PATIENT_TWICE.at(
                path_of(patients[1].id, "patient"),
                f"patient records {', '.join(repr(p.id) for p in patients)} share one code",
                "plusieurs fiches patient partagent le même code",
            )
        )
    referrals = [e.date for e in ordered if isinstance(e, Referral)]
    first_referral = referrals[0] if referrals else None
    baseline: dict[str, pendulum.Date] = {}
    for e in ordered:
        if isinstance(e, Assessment) and e.stage is AssessmentStage.INCLUSION:
            baseline.setdefault(e.instrument, e.date)
    episodes: list[Episode] = []
    current: Episode | None = None
    last_exit: pendulum.Date | None = None
    for e in ordered:
        if isinstance(e, Referral):
            found += rules.known(e.microstructure, (e.id, "microstructure"))
            found += rules.member(
                e.microstructure,
                e.referrer,
                Role.GENERAL_PRACTITIONER,
                (e.id, "referrer"),
                "referring GP",
            )
        elif isinstance(e, Inclusion):
            if current is not None:
                found.append(
                    OVERLAPPING_EPISODES.at(
                        path_of(e.id, "date"),
                        f"inclusion {e.id!r} on {e.date}: episode {current.inclusion!r} "
                        f"opened on {current.start} is still open",
                        f"inclusion {e.id!r} du {e.date} : l'épisode {current.inclusion!r} "
                        "est encore ouvert",
                    )
                )
                continue
            if not any(day <= e.date for day in referrals):
                found.append(
                    INCLUSION_BEFORE_REFERRAL.at(
                        path_of(e.id, "date"),
                        f"inclusion {e.id!r} on {e.date} has no referral on or before that date",
                        f"l'inclusion {e.id!r} du {e.date} n'a pas d'orientation préalable",
                    )
                )
            found += rules.known(e.microstructure, (e.id, "microstructure"))
            found += rules.program_rules(e)
            if e.decision.outcome is Outcome.NOT_ELIGIBLE:
                found.append(
                    INCLUDED_NOT_ELIGIBLE.at(
                        path_of(e.id, "decision.outcome"),
                        f"inclusion {e.id!r}: the eligibility decision was 'not-eligible'",
                        f"inclusion {e.id!r} : la décision d'éligibilité était « non éligible »",
                    )
                )
            current = Episode(e.id, e.microstructure, e.program, e.date)
        elif isinstance(e, Consultation):
            day = e.start.date()
            if current is None:
                found.append(_consultation_outside(e, day, first_referral, last_exit))
            else:
                found += rules.member(
                    current.microstructure,
                    e.professional,
                    e.role,
                    (e.id, "professional"),
                    "professional",
                )
        elif isinstance(e, Assessment):
            if e.stage is AssessmentStage.FOLLOW_UP:
                start = baseline.get(e.instrument)
                if start is None or e.date < start:
                    found.append(
                        FOLLOW_UP_BEFORE_BASELINE.at(
                            path_of(e.id, "date"),
                            f"follow-up {e.instrument} on {e.date} comes before any inclusion "
                            f"{e.instrument}" + ("" if start is None else f" ({start})"),
                            f"le suivi {e.instrument} du {e.date} précède l'évaluation d'inclusion",
                        )
                    )
        elif isinstance(e, Exit):
            if current is None:
                found.append(
                    EXIT_WITHOUT_INCLUSION.at(
                        path_of(e.id, "date"),
                        f"exit {e.id!r} on {e.date}: the patient has no open episode",
                        f"sortie {e.id!r} du {e.date} : aucun épisode ouvert",
                    )
                )
            else:
                episodes.append(attrs.evolve(current, end=e.date))
                current = None
            last_exit = e.date
    if current is not None:
        episodes.append(current)
    return found, PatientSummary(declared=bool(patients), episodes=tuple(episodes))


def check_meeting(
    meeting: RcpMeeting, summaries: Mapping[str, PatientSummary], rules: Rules
) -> list[Finding]:
    """Check an RCP meeting: its microstructure, attendees, and each case's episode."""
    found = rules.known(meeting.microstructure, (meeting.id, "microstructure"))
    for index, attendee in enumerate(meeting.attendees):
        found += rules.member(
            meeting.microstructure,
            attendee,
            None,
            (meeting.id, f"attendees[{index}]"),
            "attendee",
        )
    for index, case in enumerate(meeting.cases):
        path = path_of(meeting.id, f"cases[{index}].patient")
        summary = summaries.get(case.patient.value)
        if summary is None or not summary.declared:
            found.append(
                UNKNOWN_PATIENT.at(
                    path,
                    f"case {index} of meeting {meeting.id!r}: no patient record for this patient",
                    f"cas {index} de la RCP {meeting.id!r} : patient non déclaré",
                )
            )
            continue
        if not any(
            ep.microstructure == meeting.microstructure and ep.covers(meeting.date)
            for ep in summary.episodes
        ):
            found.append(
                CASE_WITHOUT_EPISODE.at(
                    path,
                    f"case {index} of meeting {meeting.id!r} on {meeting.date}: the patient "
                    f"has no open episode in {meeting.microstructure!r}",
                    f"cas {index} de la RCP {meeting.id!r} : aucun épisode ouvert dans "
                    f"{meeting.microstructure!r}",
                )
            )
    return found
