"""A seeded generator of valid care files, for tests, documentation and benchmarks."""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Generic, TypeVar

import attrs
import pendulum

from microstructure.eligibility import Indication, Outcome, Substance, instrument, taxonomy
from microstructure.errors import FieldError
from microstructure.identifiers import AnonymousCode
from microstructure.programs import programs
from microstructure.records import (
    Assessment,
    AssessmentStage,
    Consultation,
    ConsultationMode,
    ConsultationStatus,
    DecisionSnapshot,
    Event,
    Exit,
    ExitReason,
    Inclusion,
    Patient,
    RcpCase,
    RcpMeeting,
    RcpOutcome,
    Referral,
    session_ref,
)
from microstructure.scheduling import NetworkSchedule, Occurrence, example_schedule, expand
from microstructure.teams import Microstructure, NationalCoordination, Network, microstructures_of
from microstructure.vocabulary import Activity, Role, Sex

__all__ = ["generate"]

_ALPHABET = AnonymousCode.ALPHABET
_INSTRUMENTS = ("phq-9", "gad-7", "audit-c")
_CONSULTING = {
    Activity.PSYCHOLOGIST_CONSULTATIONS: 0.8,
    Activity.SOCIAL_WORKER_CONSULTATIONS: 0.5,
    Activity.PSYCHIATRIST_SESSIONS: 0.3,
}
_STATUSES_TABLE = (
    (ConsultationStatus.HELD, 80),
    (ConsultationStatus.MISSED, 10),
    (ConsultationStatus.CANCELLED_BY_PATIENT, 6),
    (ConsultationStatus.CANCELLED_BY_TEAM, 4),
)
_MODES_TABLE = (
    (ConsultationMode.ON_SITE, 85),
    (ConsultationMode.PHONE, 8),
    (ConsultationMode.VIDEO, 4),
    (ConsultationMode.HOME_VISIT, 3),
)
_REASONS = tuple(ExitReason)
_OUTCOMES_TABLE = ((RcpOutcome.CONTINUE, 60), (RcpOutcome.ADJUST_PLAN, 30), (RcpOutcome.OTHER, 10))
_SLOT = pendulum.duration(minutes=45)
_NONE = pendulum.duration()
_CASES_PER_MEETING = 8
#: Drawn for each patient: the sex of one in a hundred is recorded as other, of one in a
#: hundred as unknown.
_SEXES = (Sex.FEMALE, Sex.MALE) * 49 + (Sex.OTHER, Sex.UNKNOWN)
_KNOWN_DEPARTMENT = 0.8
_ATTENDS = 0.9
_TOTAL_ONLY = 0.2


_T = TypeVar("_T")


class _Table(Generic[_T]):
    """A weighted table, drawn as ``rng.choices(values, weights)`` would (same draws)."""

    def __init__(self, table: Sequence[tuple[_T, int]]) -> None:
        self.values = [v for v, _ in table]
        self.cumulated = list(itertools.accumulate(w for _, w in table))

    def draw(self, rng: random.Random) -> _T:
        return rng.choices(self.values, cum_weights=self.cumulated)[0]


_STATUSES = _Table(_STATUSES_TABLE)
_MODES = _Table(_MODES_TABLE)
_OUTCOMES = _Table(_OUTCOMES_TABLE)


@attrs.frozen
class _Session:
    """What every consultation of a session shares, computed once per session."""

    occurrence: Occurrence
    day: pendulum.Date
    attends: float
    slots: tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]  # start, recorded_at
    professional: str
    role: Role
    ref: str


@attrs.frozen
class _Site:
    microstructure: Microstructure
    gps: tuple[str, ...]
    sessions: tuple[_Session, ...]
    meetings: tuple[Occurrence, ...]
    roles: Mapping[str, Role] = attrs.field(eq=False)


def _session(occ: Occurrence, roles: Mapping[str, Role]) -> _Session:
    count = max(1, int((occ.end - occ.start).total_seconds() // 2700))
    starts = [occ.start + _SLOT * index for index in range(count)]
    professional = occ.professionals[0]
    return _Session(
        occ,
        occ.date,
        _CONSULTING[occ.activity],
        tuple((begin, begin.add(hours=2)) for begin in starts),
        professional,
        roles[professional],
        session_ref(occ.rule, occ.start),
    )


@functools.lru_cache(maxsize=8)
def _sites(
    teams: Microstructure | Network | NationalCoordination,
    schedule: NetworkSchedule,
    start: pendulum.Date,
    end: pendulum.Date,
) -> tuple[_Site, ...]:
    occurrences = expand(schedule, teams, start, end)
    found: list[_Site] = []
    for ms in microstructures_of(teams).values():
        mine = [o for o in occurrences if o.microstructure == ms.id]
        consulting = [o for o in mine if o.activity in _CONSULTING and o.professionals]
        meetings = tuple(o for o in mine if o.activity is Activity.RCP)
        gps = tuple(p.id for p in ms.members_with(Role.GENERAL_PRACTITIONER))
        if consulting:
            roles = MappingProxyType({p.id: p.role for p in ms.members})
            sessions = tuple(_session(o, roles) for o in consulting)
            found.append(_Site(ms, gps, sessions, meetings, roles))
    return tuple(found)


def _program(ms: Microstructure, day: pendulum.Date) -> str | None:
    table = programs()
    for membership in ms.programs:
        prog = table.get(membership.program)
        if (
            prog is not None
            and membership.active_on(day)
            and prog.active_on(day)
            and prog.open_in(ms.site.region)
        ):
            return prog.id
    return None


def _answers(rng: random.Random, instrument_id: str) -> tuple[int | bool, ...]:
    return tuple(rng.choice(item.options).answer for item in instrument(instrument_id).items)


class _Ids:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.count = 0

    def __call__(self, kind: str) -> str:
        self.count += 1
        return f"{self.prefix}{kind}-{self.count}"


def _at(day: pendulum.Date, hour: int = 18) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour)


def generate(  # noqa: C901, PLR0912, PLR0915 - one pathway, told in order
    *,
    patients: int,
    seed: int,
    teams: Microstructure | Network | NationalCoordination | None = None,
    schedule: NetworkSchedule | None = None,
    start: pendulum.Date | None = None,
    end: pendulum.Date | None = None,
) -> Iterator[Event]:
    """Yield a valid care file: ``patients`` pathways, then the monthly RCP meetings.

    Each patient is referred by a GP of a microstructure, assessed, included in a program
    the microstructure runs at that date, seen at the weekly sessions that
    `microstructure.scheduling.expand` gives for the team, discussed at RCPs, and most
    leave; some are included again. Events come grouped by patient, so that
    `validate_file` reads the file in one pass. The same arguments give the same events.
    By default: the bundled example teams and schedule, over 2026.

    Examples:
        >>> from microstructure.synthetic import generate
        >>> events = list(generate(patients=2, seed=7))
        >>> [type(e).__name__ for e in events[:4]]
        ['Patient', 'Referral', 'Assessment', 'Inclusion']
        >>> events == list(generate(patients=2, seed=7))
        True
    """
    from microstructure.examples import example_national  # noqa: PLC0415 - default only

    teams = example_national() if teams is None else teams
    if not isinstance(teams, Microstructure | Network | NationalCoordination):
        raise FieldError(
            type(teams).__name__, "a Microstructure, a Network or a NationalCoordination"
        )
    for name, number in (("patients", patients), ("seed", seed)):
        if isinstance(number, bool) or not isinstance(number, int):
            raise FieldError(number, "an integer", field=name)
    schedule = example_schedule() if schedule is None else schedule
    if not isinstance(schedule, NetworkSchedule):
        raise FieldError(type(schedule).__name__, "a NetworkSchedule")
    start = pendulum.date(2026, 1, 1) if start is None else start
    end = pendulum.date(2026, 12, 31) if end is None else end
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, not secrets
    sites = _sites(teams, schedule, start, end)
    if not sites or patients <= 0:
        return
    new_id = _Ids(f"s{seed}-")
    codes: set[str] = set()
    span = (end - start).days
    situations = sorted(taxonomy().situations)
    episodes: dict[str, list[tuple[pendulum.Date, pendulum.Date, AnonymousCode]]] = {}
    for _ in range(patients):
        site = rng.choice(sites)
        ms = site.microstructure
        while True:
            code = AnonymousCode.encode("".join(rng.choice(_ALPHABET) for _ in range(6)))
            if code.value not in codes:
                codes.add(code.value)
                break
        referred = start.add(days=rng.randint(0, max(0, span - 30)))
        yield Patient(
            id=new_id("pat"),
            recorded_at=_at(referred, 9),
            patient=code,
            birth_year=rng.randint(1940, 2006),
            sex=rng.choice(_SEXES),
            department=ms.site.department if rng.random() < _KNOWN_DEPARTMENT else None,
        )
        while True:
            included = referred.add(days=rng.randint(0, 14))
            program = _program(ms, included)
            if program is None or included > end:
                break
            yield Referral(
                id=new_id("ref"),
                recorded_at=_at(referred),
                patient=code,
                date=referred,
                microstructure=ms.id,
                referrer=rng.choice(site.gps),
                indications=rng.sample(list(Indication), rng.randint(1, 2)),
                substances=rng.sample(list(Substance), rng.randint(0, 2)),
                situations=rng.sample(situations, rng.randint(0, 2)),
            )
            tool = rng.choice(_INSTRUMENTS)
            yield Assessment(
                id=new_id("as"),
                recorded_at=_at(included),
                patient=code,
                date=included,
                instrument=tool,
                stage=AssessmentStage.INCLUSION,
                answers=_answers(rng, tool),
            )
            yield Inclusion(
                id=new_id("inc"),
                recorded_at=_at(included),
                patient=code,
                date=included,
                program=program,
                microstructure=ms.id,
                decision=DecisionSnapshot(
                    outcome=Outcome.ELIGIBLE, policy=program, policy_version="2026-01"
                ),
            )
            left = included.add(weeks=rng.randint(4, 40))
            last = min(left, end)
            # Follow-ups near 3 and near 6 months (the evaluation compares inclusion with
            # 6 months); one in five keeps only the total, as some vendors do.
            follow_ups = [
                included.add(weeks=rng.randint(4, 12)),
                included.add(weeks=rng.randint(20, 32)),
            ]
            for session in site.sessions:
                day = session.day
                if day < included or day > last:
                    continue
                if follow_ups and day >= follow_ups[0]:
                    del follow_ups[0]
                    answers = _answers(rng, tool)
                    total_only = rng.random() < _TOTAL_ONLY
                    yield Assessment(
                        id=new_id("as"),
                        recorded_at=_at(day),
                        patient=code,
                        date=day,
                        instrument=tool,
                        stage=AssessmentStage.FOLLOW_UP,
                        answers=None if total_only else answers,
                        total=instrument(tool).score(answers).total if total_only else None,
                    )
                if rng.random() >= session.attends:
                    continue
                status = _STATUSES.draw(rng)
                begin, recorded = session.slots[rng.randrange(len(session.slots))]
                yield Consultation(
                    id=new_id("c"),
                    recorded_at=recorded,
                    patient=code,
                    start=begin,
                    professional=session.professional,
                    role=session.role,
                    status=status,
                    mode=_MODES.draw(rng),
                    duration=_SLOT if status is ConsultationStatus.HELD else _NONE,
                    session=session.ref,
                )
            episodes.setdefault(ms.id, []).append((included, last, code))
            if left > end:
                break
            yield Exit(
                id=new_id("x"),
                recorded_at=_at(left),
                patient=code,
                date=left,
                reason=rng.choice(_REASONS),
            )
            referred = left.add(days=rng.randint(14, 60))
            if rng.random() > 0.15 or referred > end:  # noqa: PLR2004 - one in seven comes back
                break
    for site in sites:
        mine = episodes.get(site.microstructure.id, [])
        members = sorted(site.roles)
        for occ in site.meetings:
            day = occ.date
            open_now = [code for first, last, code in mine if first <= day <= last]
            chosen = rng.sample(open_now, min(len(open_now), _CASES_PER_MEETING))
            yield RcpMeeting(
                id=new_id("rcp"),
                recorded_at=_at(day, 20),
                date=day,
                microstructure=site.microstructure.id,
                attendees=tuple(m for m in members if rng.random() < _ATTENDS)
                or tuple(members[:1]),
                cases=tuple(
                    RcpCase(patient=code, outcome=_OUTCOMES.draw(rng))
                    for code in sorted(chosen, key=lambda c: c.value)
                ),
            )
