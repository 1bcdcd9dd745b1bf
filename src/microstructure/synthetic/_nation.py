"""A seeded synthetic national network whose totals are the CNRMS poster's figures."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import math
import os
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Final, TypeVar

import attrs
import pendulum

from microstructure._data import load_shipped
from microstructure.eligibility import Outcome, instrument
from microstructure.errors import ConfigurationError, FieldError, NotFoundError
from microstructure.identifiers import AnonymousCode, Identity, Key, Pseudonymizer
from microstructure.programs import Program, program
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
from microstructure.scheduling import (
    Cancellation,
    HolidayPolicy,
    MonthlyMeeting,
    NetworkSchedule,
    Occurrence,
    TeamSchedule,
    Weekday,
    WeeklySession,
    expand,
)
from microstructure.teams import (
    Microstructure,
    NationalCoordination,
    Network,
    Professional,
    ProgramMembership,
    Site,
    SiteKind,
)
from microstructure.territory import department
from microstructure.vocabulary import Activity, Role, Sex

__all__ = ["Nation", "PosterFigures", "nation", "poster_figures", "write_nation"]

#: The period the synthetic nation covers: the two Article 51 experiments, 2021 to 2023.
START: Final = pendulum.date(2021, 1, 1)
END: Final = pendulum.date(2023, 12, 31)
_DROIT_COMMUN: Final = pendulum.date(2024, 1, 1)
_EA, _SM = "equip-addict", "sante-mentale"
#: The sixth region of santé mentale (the poster says six, the shipped data names five):
#: a fictional choice of the synthetic nation, so that an overseas network takes part.
_SIXTH_REGION: Final = "04"
_POLICY_VERSION: Final = "2021-01"

#: The networks of one copy of the nation: department of the seat, number of
#: Equip'addict microstructures, number of santé mentale microstructures. Regions follow
#: the programs' shipped region lists (and the fictional sixth region above); Bas-Rhin,
#: Haut-Rhin and Moselle bring Alsace-Moselle's holidays, La Réunion its time zone.
_LAYOUT: Final = (
    ("67", 3, 3),
    ("68", 4, 0),
    ("57", 3, 3),
    ("54", 4, 0),
    ("51", 4, 0),
    ("10", 4, 0),
    ("21", 3, 3),
    ("25", 4, 0),
    ("59", 3, 3),
    ("62", 4, 0),
    ("80", 4, 0),
    ("75", 3, 3),
    ("93", 4, 0),
    ("94", 4, 0),
    ("31", 5, 0),
    ("34", 4, 0),
    ("30", 4, 0),
    ("66", 4, 0),
    ("11", 4, 0),
    ("13", 0, 4),
    ("06", 0, 4),
    ("974", 0, 3),
)
_WEEKDAYS: Final = (
    Weekday.MONDAY,
    Weekday.TUESDAY,
    Weekday.WEDNESDAY,
    Weekday.THURSDAY,
    Weekday.FRIDAY,
)
_SESSION: Final = pendulum.duration(hours=4)
_SLOT: Final = pendulum.duration(minutes=45)
_SLOTS: Final = 5
_SLOTS_AFTER: Final = tuple(dt.timedelta(minutes=45 * k) for k in range(_SLOTS))
#: Chance that a patient in care comes to a planned session of each activity.
_ATTENDANCE: Final = {
    Activity.PSYCHOLOGIST_CONSULTATIONS: 0.2,
    Activity.SOCIAL_WORKER_CONSULTATIONS: 0.12,
    Activity.PSYCHIATRIST_SESSIONS: 0.4,
}
_ROLE_OF: Final = {
    Activity.PSYCHOLOGIST_CONSULTATIONS: Role.PSYCHOLOGIST,
    Activity.SOCIAL_WORKER_CONSULTATIONS: Role.SOCIAL_WORKER,
    Activity.PSYCHIATRIST_SESSIONS: Role.PSYCHIATRIST,
}
#: Chance that a planned session does not take place (the professional was away), so
#: that presence indicators are below 100 %; and that a monthly RCP is not held.
_ABSENT: Final = 0.06
_RCP_SKIPPED: Final = 0.08
_STATUSES: Final = (
    (ConsultationStatus.HELD, 85),
    (ConsultationStatus.MISSED, 9),
    (ConsultationStatus.CANCELLED_BY_PATIENT, 4),
    (ConsultationStatus.CANCELLED_BY_TEAM, 2),
)
_MODES: Final = (
    (ConsultationMode.ON_SITE, 88),
    (ConsultationMode.PHONE, 7),
    (ConsultationMode.VIDEO, 3),
    (ConsultationMode.HOME_VISIT, 2),
)
_REASONS: Final = (
    (ExitReason.GOALS_REACHED, 35),
    (ExitReason.LOST_TO_FOLLOW_UP, 20),
    (ExitReason.PATIENT_CHOICE, 12),
    (ExitReason.REFERRED_CSAPA, 10),
    (ExitReason.REFERRED_CMP, 8),
    (ExitReason.MOVED, 8),
    (ExitReason.REFERRED_HOSPITAL, 4),
    (ExitReason.OTHER, 3),
)
_OUTCOMES: Final = ((RcpOutcome.CONTINUE, 60), (RcpOutcome.ADJUST_PLAN, 30), (RcpOutcome.OTHER, 10))
#: Chance of each substance in an Equip'addict patient's referral, most to least
#: frequent as on the poster; and in a santé mentale patient's.
_SUBSTANCES_EA: Final[tuple[tuple[str, float], ...]] = (
    ("alcohol", 0.58),
    ("tobacco", 0.44),
    ("cannabis", 0.3),
    ("cocaine", 0.12),
    ("opioids", 0.07),
)
_SUBSTANCES_SM: Final[tuple[tuple[str, float], ...]] = (
    ("alcohol", 0.12),
    ("tobacco", 0.1),
    ("cannabis", 0.05),
)
_SITUATIONS_EA: Final = (
    "use-complications",
    "psychological-distress",
    "isolation",
    "family-conflict",
    "debt",
    "unstable-housing",
    "chronic-illness",
)
_SITUATIONS_PRECARITY: Final = ("minimum-income", "homeless", "no-health-cover", "income-loss")
_SITUATIONS_SM: Final = (
    "lockdown-effects",
    "psychological-distress",
    "anxiety-symptoms",
    "depressive-disorder",
    "bereavement",
    "exhaustion",
    "isolated-woman",
)
_AGE_LOW, _AGE_HIGH = 18, 85
#: Percent of the patients whose sex is recorded (the others: unknown).
_KNOWN_SEX: Final = 99
_FOLLOW_UP_WEEKS: Final = 26


@attrs.frozen(kw_only=True)
class PosterFigures:
    """The published national figures the synthetic nation reproduces, with their sources.

    Shipped as ``data/synthetic/poster.toml`` (CNRMS poster "Les microstructures
    médicales"; MILDECA, 2023 for the share of women).

    Examples:
        >>> from microstructure.synthetic import poster_figures
        >>> f = poster_figures()
        >>> f.networks, f.general_practitioners, f.addiction_or_precarity_patients
        (22, 350, 4730)
        >>> f.substances[0]
        'alcohol'
    """

    networks: int
    """Networks adhering to the CNRMS."""
    general_practitioners: int
    """General practitioners (distinct people)."""
    social_workers: int
    """Social workers (distinct people)."""
    psychologists: int
    """Psychologists (distinct people)."""
    psychiatrists: int
    """Psychiatrists (distinct people)."""
    addiction_or_precarity_patients: int
    """Patients followed for addiction and/or precarity (the Equip'addict program)."""
    mental_health_patients: int
    """Patients followed for mental health (the santé mentale program)."""
    mean_age: int
    """Mean age of the patients, in years."""
    women_percent: int
    """Share of women among the patients, in percent."""
    substances: tuple[str, ...]
    """Substance codes, most to least frequent."""
    sources: tuple[str, ...]
    """Where the figures come from, by title."""


@functools.cache
def poster_figures() -> PosterFigures:
    """The shipped national figures of the CNRMS poster "Les microstructures médicales".

    Examples:
        >>> from microstructure.synthetic import poster_figures
        >>> poster_figures().mean_age
        45
    """
    return load_shipped(PosterFigures, "synthetic/poster.toml")


@functools.cache
def _sante_mentale() -> Program:
    shipped = program(_SM)
    return attrs.evolve(
        shipped,
        regions=(*(shipped.regions or ()), _SIXTH_REGION),
        notes=f"{shipped.notes} Synthetic nation: La Réunion ({_SIXTH_REGION}) stands for "
        "the sixth region the poster counts and no public text names (a fictional choice).",
    )


@attrs.frozen(kw_only=True)
class _Plan:
    """One microstructure's share of the nation: what its generator needs."""

    microstructure: Microstructure
    network: str
    program: str
    patients: int
    first_index: int


@attrs.frozen(kw_only=True, eq=False)
class Nation:
    """A synthetic national network: teams, schedules, program override and care records.

    Built by `nation`; the care records are generated on demand by `events` (one
    microstructure at a time, each from its own seed, so that a part costs only its
    share). `write_nation` writes the files.

    Examples:
        >>> from microstructure.synthetic import nation
        >>> n = nation(seed=0)
        >>> n.microstructure_count, len(n.schedule.schedules), n.programs[0].regions[-1]
        (98, 98, '04')
    """

    seed: int
    """The seed: the same seed gives the same nation, event for event."""
    scale: int
    """Every count of the poster multiplied by this factor."""
    teams: NationalCoordination
    """The national coordination and its networks."""
    schedule: NetworkSchedule
    """The schedules of every microstructure."""
    programs: tuple[Program, ...]
    """Program overrides the nation needs (santé mentale with its sixth region)."""
    figures: PosterFigures
    """The poster's figures, at scale 1."""
    _plans: tuple[_Plan, ...] = attrs.field(alias="plans", repr=False)

    def events(
        self,
        *,
        network: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[Event]:
        """The care records of the nation, or of one network, microstructure by microstructure.

        ``progress`` is called with the number of microstructures done.

        Raises:
            NotFoundError: if no network has the id ``network``.

        Examples:
            >>> from microstructure.synthetic import nation
            >>> n = nation(seed=1)
            >>> first = next(n.events(network=n.teams.networks[0].id))
            >>> type(first).__name__
            'Patient'
        """
        plans = self._plans
        if network is not None:
            if network not in {n.id for n in self.teams.networks}:
                raise NotFoundError(
                    kind="network", code=network, expected="the id of a network of the nation"
                )
            plans = tuple(p for p in plans if p.network == network)
        schedules = {s.microstructure: s for s in self.schedule.schedules}
        networks = {n.id: n for n in self.teams.networks}
        done = 0
        for net_id, group in itertools.groupby(plans, key=lambda p: p.network):
            mine = list(group)
            team_schedules = NetworkSchedule(
                schedules=tuple(schedules[p.microstructure.id] for p in mine)
            )
            # One expansion per network: holidays and zones are looked up once.
            occurrences = expand(team_schedules, networks[net_id], START, END)
            for plan in mine:
                ms_id = plan.microstructure.id
                yield from _microstructure_events(
                    self.seed, plan, [o for o in occurrences if o.microstructure == ms_id]
                )
                done += 1
                if progress is not None:
                    progress(done)

    @property
    def microstructure_count(self) -> int:
        """The number of microstructures (the unit of `events`' progress)."""
        return len(self._plans)


#: The largest scale: scale 20 is about 100,000 patients, scale 1,000 about 5 million.
MAX_SCALE: Final = 1000


def _check_int(value: object, name: str, minimum: int, maximum: int | None = None) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < minimum
        or (maximum is not None and value > maximum)
    ):
        bounds = f"from {minimum} to {maximum:,}" if maximum is not None else f"≥ {minimum}"
        raise FieldError(value, f"an integer {bounds}", field=name)
    return value


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split in ``parts`` nearly equal integers, the remainder to random parts."""
    base, extra = divmod(total, parts)
    shares = [base] * parts
    for index in rng.sample(range(parts), extra):
        shares[index] += 1
    return shares


def _person(prefix: str, number: int, role: Role, label: str) -> Professional:
    return Professional(
        id=f"{prefix}-{number}", role=role, display_name=f"{label} fictif·ve n° {number}"
    )


def nation(*, seed: int = 0, scale: int = 1) -> Nation:  # noqa: PLR0915 - one plan, told in order
    """A synthetic national network whose totals are the poster's figures times ``scale``.

    22 networks (times ``scale``) in the programs' regions, Alsace-Moselle and La Réunion
    included; every network's professionals (350 GPs, 70 social workers, 80
    psychologists, 8 psychiatrists: distinct people); weekly psychologist and social
    worker sessions, monthly RCPs and (santé mentale) monthly psychiatrist sessions from
    January 2021 to December 2023; 4,730 Equip'addict patients (addiction, some with
    precarity) and 500 santé mentale patients, each seen at least once. Every name is
    visibly fictional ("fictif"). The records come from `Nation.events`.

    Raises:
        FieldError: if ``seed`` is not an integer ≥ 0 or ``scale`` not an integer from 1
            to 1,000.

    Examples:
        >>> from microstructure.synthetic import nation
        >>> n = nation(seed=3)
        >>> len(n.teams.networks)
        22
        >>> n.teams.networks[0].name
        'Réseau fictif Bas-Rhin'
    """
    _check_int(seed, "seed", 0)
    _check_int(scale, "scale", 1, MAX_SCALE)
    figures = poster_figures()
    rng = random.Random(f"microstructure-nation/{seed}/{scale}")  # noqa: S311 - fake data
    layout = [(copy, *row) for copy in range(1, scale + 1) for row in _LAYOUT]
    if len(_LAYOUT) != figures.networks:  # pragma: no cover - shipped data and layout agree
        msg = "the synthetic layout does not have the poster's number of networks"
        raise ConfigurationError(msg)
    ea_slots = [(i, k) for i, row in enumerate(layout) for k in range(row[2])]
    sm_slots = [(i, k) for i, row in enumerate(layout) for k in range(row[3])]
    counts = [row[2] + row[3] for row in layout]
    total_ms = sum(counts)
    gps = [
        1 + share
        for share in _split(figures.general_practitioners * scale - total_ms, total_ms, rng)
    ]
    psy_by_net = _shared(figures.psychologists * scale, counts, rng)
    sw_by_net = _shared(figures.social_workers * scale, counts, rng)
    ea_patients = _split(figures.addiction_or_precarity_patients * scale, len(ea_slots), rng)
    sm_patients = _split(figures.mental_health_patients * scale, len(sm_slots), rng)
    patients_of = dict(zip(ea_slots, ea_patients, strict=True))
    for (i, k), n in zip(sm_slots, sm_patients, strict=True):
        patients_of[i, layout[i][2] + k] = n
    numbers = {"gp": 0, "psy": 0, "ts": 0, "psychiatre": 0}
    networks: list[Network] = []
    schedules: list[TeamSchedule] = []
    plans: list[_Plan] = []
    next_patient = 0
    ms_number = 0
    for index, (copy, dep_code, n_ea, n_sm) in enumerate(layout):
        dep = department(dep_code)
        suffix = "" if copy == 1 else f" {copy}"
        net_id = f"reseau-fictif-{dep.code.lower()}" + ("" if copy == 1 else f"-{copy}")
        psys = []
        for _ in range(psy_by_net[index]):
            numbers["psy"] += 1
            psys.append(_person("psy-fictif", numbers["psy"], Role.PSYCHOLOGIST, "Psychologue"))
        sws = []
        for _ in range(sw_by_net[index]):
            numbers["ts"] += 1
            sws.append(
                _person("ts-fictif", numbers["ts"], Role.SOCIAL_WORKER, "Travailleur social")
            )
        psychiatrist = None
        if n_sm:
            numbers["psychiatre"] += 1
            psychiatrist = _person(
                "psychiatre-fictif", numbers["psychiatre"], Role.PSYCHIATRIST, "Psychiatre"
            )
        microstructures: list[Microstructure] = []
        for k in range(n_ea + n_sm):
            ms_number += 1
            prog = _EA if k < n_ea else _SM
            members = []
            for _ in range(gps[ms_number - 1]):
                numbers["gp"] += 1
                members.append(
                    _person("gp-fictif", numbers["gp"], Role.GENERAL_PRACTITIONER, "Médecin")
                )
            psy, sw = psys[k % len(psys)], sws[k % len(sws)]
            members += [psy, sw]
            if prog == _SM and psychiatrist is not None:
                members.append(psychiatrist)
            ms_id = f"ms-fictive-{ms_number}"
            ms = Microstructure(
                id=ms_id,
                name=f"Microstructure fictive n° {ms_number} ({dep.name})",
                site=Site(
                    id=f"site-fictif-{ms_number}",
                    name=f"Cabinet fictif n° {ms_number}",
                    kind=(SiteKind.CABINET, SiteKind.MSP, SiteKind.CENTRE_DE_SANTE)[k % 3],
                    department=dep.code,
                ),
                members=members,
                programs=(
                    ProgramMembership(program=prog, valid_from=START, valid_until=END),
                    ProgramMembership(program="droit-commun", valid_from=_DROIT_COMMUN),
                ),
            )
            microstructures.append(ms)
            schedules.append(
                _team_schedule(ms, k // len(psys), k // len(sws), psychiatrist, k - n_ea, k, rng)
            )
            n_patients = patients_of[(index, k)]
            plans.append(
                _Plan(
                    microstructure=ms,
                    network=net_id,
                    program=prog,
                    patients=n_patients,
                    first_index=next_patient,
                )
            )
            next_patient += n_patients
        networks.append(
            Network(
                id=net_id,
                name=f"Réseau fictif {dep.name}{suffix}",
                region=dep.region,
                coordination=(
                    Professional(
                        id=f"{net_id}-coord-med",
                        role=Role.MEDICAL_COORDINATOR,
                        display_name="Coordination médicale fictive",
                    ),
                    Professional(
                        id=f"{net_id}-coord-adm",
                        role=Role.ADMINISTRATIVE_COORDINATOR,
                        display_name="Coordination administrative fictive",
                    ),
                ),
                microstructures=tuple(microstructures),
            )
        )
    return Nation(
        seed=seed,
        scale=scale,
        teams=NationalCoordination(name="CNRMS fictive (nation synthétique)", networks=networks),
        schedule=NetworkSchedule(schedules=schedules),
        programs=(_sante_mentale(),),
        figures=figures,
        plans=tuple(plans),
    )


def _shared(total: int, counts: list[int], rng: random.Random) -> list[int]:
    """How many of ``total`` shared professionals each network has: 1 to its ms count."""
    shares = [1] * len(counts)
    room = [c - 1 for c in counts]
    left = total - len(counts)
    if left < 0 or left > sum(room):  # pragma: no cover - the layout fits the poster
        msg = "the synthetic layout cannot hold the poster's professionals"
        raise ConfigurationError(msg)
    candidates = [i for i, r in enumerate(room) for _ in range(r)]
    for i in rng.sample(candidates, left):
        shares[i] += 1
    return shares


def _team_schedule(  # noqa: PLR0917 - private, called once
    ms: Microstructure,
    psy_turn: int,
    sw_turn: int,
    psychiatrist: Professional | None,
    psychiatrist_turn: int,
    rcp_turn: int,
    rng: random.Random,
) -> TeamSchedule:
    """Weekly psychologist and social-worker sessions, monthly RCP (and psychiatrist).

    A professional shared by several microstructures of a network holds each one's
    session on another weekday (``psy_turn``, ``sw_turn``); the network's psychiatrist
    comes on another Wednesday of the month to each, and the monthly RCPs of a network's
    microstructures fall on different days (every member attends). Two weeks of August are
    cancelled every year (summer holidays).
    """
    psy = ms.members_with(Role.PSYCHOLOGIST)[0]
    sw = ms.members_with(Role.SOCIAL_WORKER)[0]
    rules: list[WeeklySession | MonthlyMeeting] = [
        WeeklySession(
            id="psy",
            activity=Activity.PSYCHOLOGIST_CONSULTATIONS,
            weekday=_WEEKDAYS[psy_turn % 5],
            start_time=pendulum.time(8, 30),
            duration=_SESSION,
            valid_from=START,
            professionals=(psy.id,),
            holiday_policy=HolidayPolicy.SKIP,
        ),
        WeeklySession(
            id="social",
            activity=Activity.SOCIAL_WORKER_CONSULTATIONS,
            weekday=_WEEKDAYS[sw_turn % 5],
            start_time=pendulum.time(14, 0),
            duration=_SESSION,
            valid_from=START,
            professionals=(sw.id,),
        ),
        MonthlyMeeting(
            id="rcp",
            activity=Activity.RCP,
            ordinal=1 + rcp_turn % 4,
            weekday=Weekday.THURSDAY if rcp_turn < 4 else Weekday.TUESDAY,  # noqa: PLR2004
            start_time=pendulum.time(12, 30),
            duration=pendulum.duration(minutes=90),
            valid_from=START,
        ),
    ]
    if psychiatrist is not None and psychiatrist in ms.members:
        rules.append(
            MonthlyMeeting(
                id="psychiatre",
                activity=Activity.PSYCHIATRIST_SESSIONS,
                ordinal=1 + psychiatrist_turn % 4,
                weekday=Weekday.WEDNESDAY,
                start_time=pendulum.time(8, 30),
                duration=_SESSION,
                valid_from=START,
                participants=(psychiatrist.id,),
            )
        )
    cancelled = []
    for year in (2021, 2022, 2023):
        first = pendulum.date(year, 8, 1).add(days=7 * rng.randrange(3))
        for rule in rules[:2]:
            assert isinstance(rule, WeeklySession)  # noqa: S101 - the two weekly rules
            day = first.add(days=(rule.weekday.iso - first.isoweekday()) % 7)
            cancelled += [
                Cancellation(rule=rule.id, date=day),
                Cancellation(rule=rule.id, date=day.add(weeks=1)),
            ]
    return TeamSchedule(microstructure=ms.id, rules=tuple(rules), cancelled=tuple(cancelled))


#: Share of the patients whose site recorded their identity (the others stay anonymous),
#: and so have a national pseudonym.
_IDENTIFIED: Final = 0.6


def _key(label: str) -> Key:
    """A fictional key derived from ``label``: reproducible, never a real network's key."""
    return Key(hashlib.sha256(f"microstructure-synthetic-key/{label}".encode()).digest())


def _letters(number: int) -> str:
    """``number`` spelled in capital letters (A, B, …, BA…): a fictional surname part."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = chr(ord("A") + digit) + letters
        if not number:
            return letters


_CODE_SPACE: Final = 32**6
_T = TypeVar("_T")


@functools.lru_cache(maxsize=8)
def _code_mix(seed: int) -> tuple[int, int]:
    mix = random.Random(f"microstructure-codes/{seed}")  # noqa: S311 - fake data
    return 2 * mix.randrange(_CODE_SPACE // 2) + 1, mix.randrange(_CODE_SPACE)


def _code(index: int, seed: int) -> AnonymousCode:
    """The ``index``-th patient's anonymous code: distinct for distinct indexes.

    An odd multiplier is invertible modulo 32⁶, so distinct indexes give distinct codes.
    """
    multiplier, offset = _code_mix(seed)
    value = (index * multiplier + offset) % _CODE_SPACE
    symbols = []
    for _ in range(6):
        value, digit = divmod(value, 32)
        symbols.append(AnonymousCode.ALPHABET[digit])
    return AnonymousCode.encode("".join(symbols))


@functools.cache
def _options(instrument_id: str) -> tuple[tuple[tuple[int | bool, ...], ...], ...]:
    """Each item's answers, by points: the upper half, then the lower half."""
    found = []
    for item in instrument(instrument_id).items:
        ranked = sorted(item.options, key=lambda o: o.points, reverse=True)
        half = max(1, len(ranked) // 2)
        high = tuple(o.answer for o in ranked[:half])
        low = tuple(o.answer for o in ranked[half:]) or high
        found.append((high, low))
    return tuple((h, lo) for h, lo in found)


def _answers(rng: random.Random, instrument_id: str, *, positive: bool) -> tuple[int | bool, ...]:
    side = 0 if positive else 1
    return tuple(rng.choice(pair[side]) for pair in _options(instrument_id))


def _screening(substances: list[str], indications: list[str], rng: random.Random) -> str:
    """The instrument that screens the patient's main problem."""
    if "alcohol" in substances:
        return "audit-c"
    if "cannabis" in substances:
        return "cast"
    if substances:
        return "dast-10"
    if "precarity" in indications:
        return "epices"
    return rng.choice(("phq-9", "gad-7"))


def _ages(n: int, mean: int, rng: random.Random) -> list[int]:
    """``n`` ages from 18 to 85 whose sum is exactly ``n × mean``."""
    ages = [min(_AGE_HIGH, max(_AGE_LOW, round(rng.gauss(mean, 14)))) for _ in range(n)]
    gap = mean * n - sum(ages)
    while gap:
        i = rng.randrange(n)
        step = 1 if gap > 0 else -1
        if _AGE_LOW <= ages[i] + step <= _AGE_HIGH:
            ages[i] += step
            gap -= step
    return ages


def _weighted(rng: random.Random, table: tuple[tuple[_T, int], ...]) -> _T:
    values, bounds = _cumulative(table)
    found: _T = values[bisect.bisect_right(bounds, rng.random() * bounds[-1])]
    return found


@functools.cache
def _cumulative(table: tuple[tuple[_T, int], ...]) -> tuple[tuple[_T, ...], tuple[int, ...]]:
    return tuple(v for v, _ in table), tuple(itertools.accumulate(w for _, w in table))


@functools.lru_cache(maxsize=4096)
def _at(day: pendulum.Date, zone: str, hour: int = 18) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, tz=zone)


def _microstructure_events(  # noqa: C901, PLR0915 - one pathway, told in order
    seed: int, plan: _Plan, occurrences: list[Occurrence]
) -> Iterator[Event]:
    """The patients of one microstructure, then its RCP meetings."""
    ms = plan.microstructure
    zone = ms.site.timezone
    rng = random.Random(f"microstructure-nation/{seed}/{ms.id}")  # noqa: S311 - fake data
    sessions: list[Occurrence] = [o for o in occurrences if o.activity in _ATTENDANCE]
    absent = [rng.random() < _ABSENT for _ in sessions]
    booked = [0] * len(sessions)
    days = [o.start.date() for o in sessions]
    refs = [session_ref(o.rule, o.start) for o in sessions]
    # Each activity's sessions (indexes into ``sessions``), with their days and the
    # log of the chance of missing one, to jump from one attended session to the next.
    lanes: list[_Lane] = []
    for activity, chance in _ATTENDANCE.items():
        mine = [s for s, o in enumerate(sessions) if o.activity is activity]
        lanes.append((mine, [days[s] for s in mine], math.log(1 - chance)))
    meetings = [o for o in occurrences if o.activity is Activity.RCP]
    roles = {p.id: p.role for p in ms.members}
    gps = [p.id for p in ms.members_with(Role.GENERAL_PRACTITIONER)]
    sm = plan.program == _SM
    figures = poster_figures()
    ages = _ages(plan.patients, figures.mean_age, rng)
    last_referral = (pendulum.date(2023, 11, 1) - START).days
    episodes: list[tuple[pendulum.Date, pendulum.Date, AnonymousCode]] = []
    prefix = f"{ms.id}-"
    pseudonymizer = Pseudonymizer(
        site_key=_key(f"site/{seed}/{ms.id}"), national_key=_key(f"national/{seed}")
    )
    count = 0
    for j in range(plan.patients):
        code = _code(plan.first_index + j, seed)
        pid = f"{prefix}{j + 1}"
        referred = START.add(days=rng.randrange(last_referral))
        roll = rng.random() * 100
        sex = (
            Sex.FEMALE
            if roll < figures.women_percent * _KNOWN_SEX / 100
            else Sex.MALE
            if roll < _KNOWN_SEX
            else Sex.UNKNOWN
        )
        birth_year = END.year - ages[j]
        pseudonym = None
        if sex is not Sex.UNKNOWN and rng.random() < _IDENTIFIED:
            # The site gave the identity: a fictional one, pseudonymised in two tiers.
            identity = Identity(
                birth_name=f"Fictif {_letters(plan.first_index + j)}",
                first_name="Anonyme",
                birth_date=pendulum.date(birth_year, 1, 1).add(days=rng.randrange(365)),
                sex=sex,
            )
            pseudonym = pseudonymizer.pseudonymize(identity)
        yield Patient(
            id=f"{pid}-patient",
            recorded_at=_at(referred, zone, 9),
            patient=code,
            birth_year=birth_year,
            sex=sex,
            national_pseudonym=pseudonym,
            department=ms.site.department,
        )
        if sm:
            indications = ["mental-health"] + (["precarity"] if rng.random() < 0.3 else [])  # noqa: PLR2004
            table = _SUBSTANCES_SM
            situations = rng.sample(_SITUATIONS_SM, rng.randint(1, 2))
        else:
            indications = ["addiction"] + (["precarity"] if rng.random() < 0.4 else [])  # noqa: PLR2004
            table = _SUBSTANCES_EA
            situations = rng.sample(_SITUATIONS_EA, rng.randint(1, 2))
            if "precarity" in indications:
                situations.append(rng.choice(_SITUATIONS_PRECARITY))
        substances = [s for s, chance in table if rng.random() < chance]
        yield Referral(
            id=f"{pid}-referral",
            recorded_at=_at(referred, zone),
            patient=code,
            date=referred,
            microstructure=ms.id,
            referrer=rng.choice(gps),
            indications=indications,
            substances=substances,
            situations=sorted(situations),
        )
        included = referred.add(days=rng.randint(3, 21))
        tool = _screening(substances, indications, rng)
        yield Assessment(
            id=f"{pid}-screening",
            recorded_at=_at(included, zone),
            patient=code,
            date=included,
            instrument=tool,
            stage=AssessmentStage.INCLUSION,
            answers=_answers(rng, tool, positive=True),
        )
        yield Inclusion(
            id=f"{pid}-inclusion",
            recorded_at=_at(included, zone),
            patient=code,
            date=included,
            program=plan.program,
            microstructure=ms.id,
            decision=DecisionSnapshot(
                outcome=Outcome.ELIGIBLE, policy=plan.program, policy_version=_POLICY_VERSION
            ),
        )
        left = included.add(weeks=rng.randint(8, 70))
        last = min(left, END)
        follow_up = included.add(weeks=_FOLLOW_UP_WEEKS)
        if follow_up <= last:
            yield Assessment(
                id=f"{pid}-follow-up",
                recorded_at=_at(follow_up, zone),
                patient=code,
                date=follow_up,
                instrument=tool,
                stage=AssessmentStage.FOLLOW_UP,
                answers=_answers(rng, tool, positive=rng.random() < 0.35),  # noqa: PLR2004
            )
        attended = _attended(rng, included, last, days, absent, booked, lanes)
        if not attended:  # pragma: no cover - every episode lasts 8 weeks or more
            msg = f"no session for a patient of {ms.id!r}"
            raise ConfigurationError(msg)
        for number, s in enumerate(attended):
            occ = sessions[s]
            status = ConsultationStatus.HELD if number == 0 else _weighted(rng, _STATUSES)
            # datetime's own addition keeps the zone: a slot never crosses a DST change.
            begin = dt.datetime.__add__(occ.start, _SLOTS_AFTER[booked[s]])
            booked[s] += 1
            count += 1
            professional = occ.professionals[0]
            yield Consultation(
                id=f"{pid}-c{count}",
                recorded_at=occ.end,
                patient=code,
                start=begin,
                professional=professional,
                role=roles[professional],
                status=status,
                mode=_weighted(rng, _MODES),
                duration=_SLOT if status is ConsultationStatus.HELD else pendulum.duration(),
                session=refs[s],
            )
        episodes.append((included, last, code))
        if left <= END:
            yield Exit(
                id=f"{pid}-exit",
                recorded_at=_at(left, zone),
                patient=code,
                date=left,
                reason=_weighted(rng, _REASONS),
            )
    members = sorted(roles)
    for number, occ in enumerate(meetings, start=1):
        if rng.random() < _RCP_SKIPPED:
            continue
        day = occ.date
        open_now = [code for begin, end, code in episodes if begin <= day <= end]
        chosen = rng.sample(open_now, min(len(open_now), 6))
        yield RcpMeeting(
            id=f"{prefix}rcp-{number}",
            recorded_at=_at(day, zone, 20),
            date=day,
            microstructure=ms.id,
            attendees=tuple(m for m in members if rng.random() < 0.85) or (members[0],),  # noqa: PLR2004
            cases=tuple(
                RcpCase(patient=code, outcome=_weighted(rng, _OUTCOMES))
                for code in sorted(chosen, key=lambda c: c.value)
            ),
        )


_Lane = tuple[list[int], list[pendulum.Date], float]


def _attended(  # noqa: PLR0917 - private, called once per patient
    rng: random.Random,
    first: pendulum.Date,
    last: pendulum.Date,
    days: list[pendulum.Date],
    absent: list[bool],
    booked: list[int],
    lanes: list[_Lane],
) -> list[int]:
    """The sessions a patient in care from ``first`` to ``last`` comes to, in time order.

    The first is the earliest session held with a free slot (a held consultation, so
    that every patient is in the active file); after it, each activity's sessions are
    attended each with that activity's chance, drawn as geometric jumps from one
    attended session to the next (one draw per consultation, not one per session).
    """
    chosen: list[int] = []
    for s in range(bisect.bisect_left(days, first), len(days)):
        if days[s] > last:
            break
        if not absent[s] and booked[s] < _SLOTS:
            chosen.append(s)
            break
    if not chosen:
        return chosen
    opening = chosen[0]
    for mine, lane_days, log_miss in lanes:
        if not mine:
            continue
        position = bisect.bisect_left(lane_days, first) - 1
        while True:
            position += 1 + int(math.log(1.0 - rng.random()) / log_miss)
            if position >= len(mine) or lane_days[position] > last:
                break
            s = mine[position]
            if s != opening and not absent[s] and booked[s] < _SLOTS:
                chosen.append(s)
    chosen[1:] = sorted(chosen[1:])
    return chosen


#: The files `write_nation` writes, by role.
TEAMS_FILE: Final = "teams.json"
SCHEDULE_FILE: Final = "schedule.json"
PROGRAM_FILE: Final = "program-sante-mentale.json"
RECORDS_FILE: Final = "records.jsonl"

Opener = Callable[[Path], contextlib.AbstractContextManager[IO[str]]]


def _atomic(path: Path) -> contextlib.AbstractContextManager[IO[str]]:
    """Write ``path`` through the library's atomic writer (`microstructure.io.atomic_file`)."""
    from microstructure.io import atomic_file  # noqa: PLC0415

    return atomic_file(path, what="synthetic")


def write_nation(
    nation: Nation,
    directory: str | os.PathLike[str],
    *,
    network: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    opener: Opener | None = None,
) -> tuple[Path, ...]:
    """Write the nation's files into ``directory``; returns their paths.

    ``teams.json`` (the national team file), ``schedule.json`` (every team's schedule),
    ``program-sante-mentale.json`` (the program override: give it to ``microstructure
    check --program``, ``records validate --program`` and `Database`'s ``programs``) and
    ``records.jsonl`` (the care records). Each file is written whole or not at all
    (``opener`` replaces the default atomic writer, e.g. with the command line's).
    ``progress`` is called with (microstructures done, microstructures). With
    ``network`` (an id), the records are that network's only (the other files whole).

    Raises:
        ConfigurationError: if a file cannot be written.
        NotFoundError: if no network has the id ``network``.

    Examples:
        >>> import tempfile
        >>> from microstructure.synthetic import nation, write_nation
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     paths = write_nation(nation(seed=1), tmp, network="reseau-fictif-974")
        ...     [p.name for p in paths]
        ['teams.json', 'schedule.json', 'program-sante-mentale.json', 'records.jsonl']
    """
    from microstructure.io import dumps  # noqa: PLC0415
    from microstructure.records import write_records  # noqa: PLC0415

    if not isinstance(nation, Nation):
        raise FieldError(type(nation).__name__, "a Nation", field="nation")
    root = Path(directory)
    if not root.is_dir():
        msg = f"cannot write into {str(root)!r}: not a directory"
        raise ConfigurationError(msg)
    open_file = _atomic if opener is None else opener
    written = []
    for name, obj in (
        (TEAMS_FILE, nation.teams),
        (SCHEDULE_FILE, nation.schedule),
        (PROGRAM_FILE, nation.programs[0]),
    ):
        path = root / name
        with open_file(path) as out:
            out.write(dumps(obj) + "\n")
        written.append(path)
    if network is not None and network not in {n.id for n in nation.teams.networks}:
        raise NotFoundError(
            kind="network", code=network, expected="the id of a network of the nation"
        )
    events = nation.events(network=network, progress=None)
    total = nation.microstructure_count
    if network is not None:
        total = sum(len(n.microstructures) for n in nation.teams.networks if n.id == network)
    if progress is not None:
        events = nation.events(network=network, progress=lambda done: progress(done, total))
    path = root / RECORDS_FILE
    with open_file(path) as out:
        write_records(out, events)
    written.append(path)
    return tuple(written)
