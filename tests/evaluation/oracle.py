"""An independent oracle of the shipped indicators: plain Python over the records.

Written from the definitions of the contract (the population table and the catalogue
table of ``EVAL.md``), not from the engine: no DuckDB, no code of
`microstructure.evaluation`. It reads the events with `microstructure.records` (de-duplicated
with records' own rule, `microstructure.records.merge`), builds the nine populations as
lists of dicts, one row per the contract's unit, and computes every indicator's numerator,
denominator and value for a period, at any level and with one breakdown.

Choices where the contract is silent (said in the engine owners' terms, so that a
disagreement can be judged):

- the denominator is split by the indicator's own ``by`` only when the denominator
  population has that column and the dimension is single-valued (``score-improvement``
  by instrument: yes; ``indications`` by indication: no, the share is of all active
  patients; ``consultations-per-patient`` by role: no, active patients have no role);
- a breakdown splits numerator and denominator alike; a patient counts in each of their
  indications and substances, and in none when the list is empty;
- ``count`` is the number of rows behind the numerator: after its ``where``, and for a
  sum, mean or quantile the rows with a value in the column (a patient of a program
  without a forfait adds nothing to a cost); ``denominator_count`` likewise;
- a sum over rows whose column is always NULL is ``None`` (unknown, as in SQL: the cost of
  patients of a program without a published forfait is not 0 €); over no row it is 0;
  a mean or quantile of no value is ``None``;
- quantiles are DuckDB's ``quantile_cont``: linear interpolation at ``(n - 1) * q`` of the
  sorted values (``median`` is ``quantile_cont(0.5)``);
- the follow-up of a score change is chosen first (closest to inclusion + 6 months within
  ± 2 months, ties to the earlier), then kept if it is dated in the period;
- the presence weeks of a period are the ISO weeks whose Thursday is in it, with or without
  a schedule (so that each week belongs to one period, as ISO weeks belong to one year); a
  week is present when a held consultation of the role in the microstructure is dated in
  that week (the whole week, even across the period's edge).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pendulum

from microstructure.programs import Program, programs
from microstructure.records import (
    Assessment,
    AssessmentStage,
    Consultation,
    ConsultationStatus,
    Event,
    Exit,
    Inclusion,
    Patient,
    RcpMeeting,
    Referral,
    merge,
)
from microstructure.scheduling import NetworkSchedule, expand
from microstructure.teams import NationalCoordination, Network, Role
from microstructure.vocabulary import Activity

__all__ = [
    "CATALOGUE",
    "Figures",
    "Spec",
    "figures",
    "populations",
    "quantile_cont",
]

Row = dict[str, Any]
Key = tuple[str, str, str, str | None, str | None, str | None]
"""(indicator, level, unit, breakdown, category, by)."""

_RANK = {Patient: 0, Referral: 1, Assessment: 2, Inclusion: 3, Consultation: 4, RcpMeeting: 5}
_PATIENT_POPULATIONS = (
    "active_patients",
    "inclusions",
    "exits",
    "consultations",
    "retention",
    "score_changes",
)
_PRESENCE = {
    "psychologist": Activity.PSYCHOLOGIST_CONSULTATIONS,
    "social-worker": Activity.SOCIAL_WORKER_CONSULTATIONS,
}


def quantile_cont(values: Sequence[float], q: float) -> float | None:
    """DuckDB's ``quantile_cont``: linear interpolation at ``(n - 1) * q`` of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


# -- episodes and populations -----------------------------------------------------------


@dataclass
class _Episode:
    patient: str
    inclusion: Inclusion
    end: pendulum.Date | None = None
    exit: Exit | None = None
    referral: Referral | None = None
    consultations: list[Consultation] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def start(self) -> pendulum.Date:
        return self.inclusion.date

    @property
    def microstructure(self) -> str:
        return self.inclusion.microstructure

    def covers(self, day: pendulum.Date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _day(event: Event) -> pendulum.Date:
    if isinstance(event, Consultation):
        return pendulum.Date(event.start.year, event.start.month, event.start.day)
    if isinstance(event, Patient):
        return pendulum.Date(1, 1, 1)
    return event.date


def _episodes(mine: list[Event]) -> list[_Episode]:
    """The episodes of one patient, events of a day in the pathway's order."""
    ordered = sorted(mine, key=lambda e: (_day(e), _RANK.get(type(e), 6), e.id, e.recorded_at))
    found: list[_Episode] = []
    current: _Episode | None = None
    for event in ordered:
        if isinstance(event, Inclusion) and current is None:
            current = _Episode(event.patient.value, event)
            found.append(current)
        elif isinstance(event, Exit) and current is not None:
            current.end, current.exit = event.date, event
            current = None
    referrals = [e for e in mine if isinstance(e, Referral)]
    for episode in found:
        candidates = [
            r
            for r in referrals
            if r.microstructure == episode.microstructure and r.date <= episode.start
        ]
        if candidates:
            episode.referral = max(candidates, key=lambda r: (r.date, r.recorded_at, r.id))
        for event in mine:
            if isinstance(event, Consultation) and episode.covers(_day(event)):
                episode.consultations.append(event)
            elif isinstance(event, Assessment) and episode.covers(event.date):
                episode.assessments.append(event)
    return found


def _score(assessment: Assessment) -> float:
    if assessment.total is not None:
        return float(assessment.total)
    return float(assessment.score().total)


def _closest(items: Iterable[Assessment], target: pendulum.Date) -> Assessment | None:
    return min(items, key=lambda a: (abs((a.date - target).days), a.date, a.id), default=None)


def _week(day: pendulum.Date) -> pendulum.Date:
    return day.subtract(days=day.weekday())


def _rcp_per_month(program: Program | None) -> int:
    if program is None:
        return 1
    frequency = program.frequency(Activity.RCP)
    if frequency is None or frequency.period.value != "month":
        return 1
    return frequency.count


def populations(  # noqa: C901, PLR0912, PLR0915 - one block per population, as in the contract
    events: Iterable[Event],
    teams: Network | NationalCoordination,
    start: pendulum.Date,
    end: pendulum.Date,
    *,
    schedule: NetworkSchedule | None = None,
    program_table: Mapping[str, Program] | None = None,
    thresholds: Mapping[str, float] | None = None,
) -> dict[str, list[Row]]:
    """The nine populations of the contract for the period ``start``–``end`` (inclusive)."""
    table = programs() if program_table is None else dict(program_table)
    thresholds = thresholds or {}
    standing = merge(events)
    by_patient: dict[str, list[Event]] = defaultdict(list)
    meetings: list[RcpMeeting] = []
    people: dict[str, Patient] = {}
    for event in standing:
        if isinstance(event, RcpMeeting):
            meetings.append(event)
            continue
        by_patient[event.patient.value].append(event)
        if isinstance(event, Patient):
            people.setdefault(event.patient.value, event)

    def inside(day: pendulum.Date) -> bool:
        return start <= day <= end

    def columns(episode: _Episode) -> Row:
        person = people.get(episode.patient)
        referral = episode.referral
        return {
            "microstructure": episode.microstructure,
            "patient": episode.patient,
            "program": episode.inclusion.program,
            "sex": "unknown" if person is None else person.sex.value,
            "age": None if person is None else end.year - person.birth_year,
            "indications": [] if referral is None else [i.value for i in referral.indications],
            "substances": [] if referral is None else [s.value for s in referral.substances],
        }

    pops: dict[str, list[Row]] = {name: [] for name in _PATIENT_POPULATIONS}
    episodes = {code: _episodes(mine) for code, mine in by_patient.items()}
    cases = {
        (m.microstructure, c.patient.value) for m in meetings if inside(m.date) for c in m.cases
    }
    held_in_week: set[tuple[str, str, pendulum.Date]] = set()
    for code, mine in episodes.items():
        active: dict[str, list[tuple[_Episode, Consultation]]] = defaultdict(list)
        for episode in mine:
            ms = episode.microstructure
            held = [c for c in episode.consultations if c.status is ConsultationStatus.HELD]
            for c in held:
                held_in_week.add((ms, c.role.value, _week(_day(c))))
            for c in episode.consultations:
                if inside(_day(c)):
                    row = columns(episode)
                    row.update(
                        role=c.role.value,
                        status=c.status.value,
                        mode=c.mode.value,
                        professional=c.professional,
                        duration_minutes=c.duration.total_seconds() / 60,
                    )
                    pops["consultations"].append(row)
                    if c.status is ConsultationStatus.HELD:
                        active[ms].append((episode, c))
            if inside(episode.start):
                row = columns(episode)
                first = min((_day(c) for c in held), default=None)
                row["days_to_first_consultation"] = (
                    None
                    if first is None or episode.referral is None
                    else (first - episode.referral.date).days
                )
                pops["inclusions"].append(row)
            if episode.exit is not None and inside(episode.exit.date):
                row = columns(episode)
                row["reason"] = episode.exit.reason.value
                pops["exits"].append(row)
            for horizon in (3, 6):
                anniversary = episode.start.add(months=horizon)
                if inside(anniversary):
                    row = columns(episode)
                    row["horizon_months"] = horizon
                    row["retained"] = episode.exit is None or episode.exit.date >= anniversary
                    pops["retention"].append(row)
            target = episode.start.add(months=6)
            low, high = target.subtract(months=2), target.add(months=2)
            for tool in sorted({a.instrument for a in episode.assessments}):
                baseline = _closest(
                    (
                        a
                        for a in episode.assessments
                        if a.instrument == tool and a.stage is AssessmentStage.INCLUSION
                    ),
                    episode.start,
                )
                follow_up = _closest(
                    (
                        a
                        for a in episode.assessments
                        if a.instrument == tool
                        and a.stage is AssessmentStage.FOLLOW_UP
                        and low <= a.date <= high
                    ),
                    target,
                )
                if baseline is None or follow_up is None or not inside(follow_up.date):
                    continue
                before, after = _score(baseline), _score(follow_up)
                threshold = thresholds.get(tool)
                row = columns(episode)
                row.update(
                    instrument=tool,
                    baseline=before,
                    follow_up=after,
                    change=after - before,
                    improved=None if threshold is None else before - after >= threshold,
                )
                pops["score_changes"].append(row)
        for ms, seen in active.items():
            last_episode = max(seen, key=lambda pair: (pair[1].start, pair[1].id))[0]
            row = columns(last_episode)
            forfait = table.get(row["program"])
            amount = None if forfait is None else forfait.annual_forfait_per_patient
            row.update(
                held_consultations=len(seen),
                professionals_besides_gp=len(
                    {c.professional for _, c in seen if c.role is not Role.GENERAL_PRACTITIONER}
                ),
                discussed_at_rcp=(ms, code) in cases,
                annual_forfait=None if amount is None else float(amount),
            )
            pops["active_patients"].append(row)

    pops["rcp_meetings"] = [
        {
            "microstructure": m.microstructure,
            "cases": len(m.cases),
            "attendees": len(m.attendees),
        }
        for m in meetings
        if inside(m.date)
    ]
    teams_by_id = _microstructures(teams)
    pops["rcp_expected"] = []
    mondays = [
        day.subtract(days=3)
        for day in (_week(start).add(days=3, weeks=n) for n in range((end - start).days // 7 + 2))
        if inside(day)
    ]
    if schedule is not None:
        occurrences = expand(schedule, teams, start.subtract(months=1), end.add(months=1))
        pops["rcp_expected"] = [
            {"microstructure": o.microstructure, "day": o.date}
            for o in occurrences
            if o.activity is Activity.RCP and inside(o.date)
        ]
        weeks = set(mondays)
        planned = {
            (o.microstructure, role, _week(o.date))
            for o in occurrences
            for role, activity in _PRESENCE.items()
            if o.activity is activity and _week(o.date) in weeks
        }
    else:
        firsts = [
            pendulum.Date(y, m, 1)
            for y in range(start.year, end.year + 1)
            for m in range(1, 13)
            if inside(pendulum.Date(y, m, 1))
        ]
        for ms_id, ms in teams_by_id.items():
            for first in firsts:
                member_of = [table.get(p.program) for p in ms.programs if p.active_on(first)]
                times = max((_rcp_per_month(p) for p in member_of), default=1)
                pops["rcp_expected"] += [{"microstructure": ms_id, "day": first}] * times
        planned = {
            (ms_id, role, monday)
            for ms_id, ms in teams_by_id.items()
            for role in _PRESENCE
            if ms.members_with(Role(role))
            for monday in mondays
        }
    pops["presence_weeks"] = [
        {
            "microstructure": ms,
            "role": role,
            "week": week,
            "present": (ms, role, week) in held_in_week,
        }
        for ms, role, week in sorted(planned)
    ]
    return pops


def _microstructures(teams: Network | NationalCoordination) -> dict[str, Any]:
    networks = teams.networks if isinstance(teams, NationalCoordination) else (teams,)
    return {ms.id: ms for net in networks for ms in net.microstructures}


def organisation(teams: Network | NationalCoordination) -> dict[str, dict[str, str]]:
    """Each microstructure's unit at every level: microstructure, network, region, nation."""
    networks = teams.networks if isinstance(teams, NationalCoordination) else (teams,)
    found: dict[str, dict[str, str]] = {}
    for net in networks:
        for ms in net.microstructures:
            found.setdefault(
                ms.id,
                {"microstructure": ms.id, "network": net.id, "region": net.region, "nation": "FR"},
            )
    return found


# -- the catalogue, from the words -------------------------------------------------------


Where = Callable[[Row], bool]


@dataclass(frozen=True)
class Measure:
    """A population, an aggregate over a column, and the rows kept."""

    population: str
    aggregate: str = "count"
    column: str | None = None
    where: Where = lambda _: True


@dataclass(frozen=True)
class Spec:
    """One indicator of the catalogue table."""

    numerator: Measure
    denominator: Measure | None = None
    by: str | None = None
    scale: int = 1


def _is(column: str, *values: object) -> Where:
    return lambda row: row[column] in values


_HELD = _is("status", "held")
_ACTIVE = Measure("active_patients")
_PERCENT = 100


def _presence(role: str) -> Spec:
    return Spec(
        Measure("presence_weeks", where=lambda r: r["role"] == role and r["present"]),
        Measure("presence_weeks", where=_is("role", role)),
        scale=_PERCENT,
    )


def _retention(months: int) -> Spec:
    return Spec(
        Measure("retention", where=lambda r: r["horizon_months"] == months and r["retained"]),
        Measure("retention", where=_is("horizon_months", months)),
        scale=_PERCENT,
    )


def _days(aggregate: str) -> Spec:
    return Spec(
        Measure(
            "inclusions",
            aggregate,
            "days_to_first_consultation",
            lambda r: r["days_to_first_consultation"] is not None,
        )
    )


def _age(aggregate: str) -> Spec:
    return Spec(Measure("active_patients", aggregate, "age", lambda r: r["age"] is not None))


CATALOGUE: dict[str, Spec] = {
    "active-file": Spec(_ACTIVE),
    "new-inclusions": Spec(Measure("inclusions")),
    "exits": Spec(Measure("exits"), by="exit-reason"),
    "consultations-per-patient": Spec(Measure("consultations", where=_HELD), _ACTIVE, by="role"),
    "multiprofessional-follow-up": Spec(
        Measure("active_patients", where=lambda r: r["professionals_besides_gp"] >= 2),
        _ACTIVE,
        scale=_PERCENT,
    ),
    "missed-consultations": Spec(
        Measure("consultations", where=_is("status", "missed")),
        Measure("consultations", where=_is("status", "held", "missed")),
        scale=_PERCENT,
    ),
    "rcp-held": Spec(Measure("rcp_meetings"), Measure("rcp_expected"), scale=_PERCENT),
    "cases-per-rcp": Spec(Measure("rcp_meetings", "sum", "cases"), Measure("rcp_meetings")),
    "patients-discussed-at-rcp": Spec(
        Measure("active_patients", where=lambda r: r["discussed_at_rcp"]), _ACTIVE, scale=_PERCENT
    ),
    "days-to-first-consultation-median": _days("median"),
    "days-to-first-consultation-q1": _days("quartile-1"),
    "days-to-first-consultation-q3": _days("quartile-3"),
    "retention-3-months": _retention(3),
    "retention-6-months": _retention(6),
    "share-of-women": Spec(
        Measure("active_patients", where=_is("sex", "female")),
        Measure("active_patients", where=_is("sex", "female", "male")),
        scale=_PERCENT,
    ),
    "sex-ratio": Spec(
        Measure("active_patients", where=_is("sex", "male")),
        Measure("active_patients", where=_is("sex", "female")),
    ),
    "mean-age": _age("mean"),
    "median-age": _age("median"),
    "indications": Spec(_ACTIVE, _ACTIVE, by="indication", scale=_PERCENT),
    "substances": Spec(_ACTIVE, _ACTIVE, by="substance", scale=_PERCENT),
    "psychologist-presence": _presence("psychologist"),
    "social-worker-presence": _presence("social-worker"),
    "score-change": Spec(Measure("score_changes", "mean", "change"), by="instrument"),
    "score-improvement": Spec(
        Measure("score_changes", where=lambda r: r["improved"] is True),
        Measure("score_changes", where=lambda r: r["improved"] is not None),
        by="instrument",
        scale=_PERCENT,
    ),
    "forfait-cost": Spec(Measure("active_patients", "sum", "annual_forfait"), by="program"),
}

_COLUMNS = {
    "sex": "sex",
    "age-band": "age",
    "indication": "indications",
    "substance": "substances",
    "program": "program",
    "role": "role",
    "exit-reason": "reason",
    "instrument": "instrument",
}
_MULTI = frozenset({"indication", "substance"})
_QUANTILES = {"median": 0.5, "quartile-1": 0.25, "quartile-3": 0.75}


def _categories(
    row: Row, dimension: str | None, bands: Sequence[tuple[str, int, int | None]]
) -> list[str | None]:
    """The categories of ``row`` in ``dimension`` (several for a multi-valued one)."""
    if dimension is None:
        return [None]
    value = row.get(_COLUMNS[dimension])
    if dimension == "age-band":
        if value is None:
            return []
        return [
            label for label, low, high in bands if low <= value and (high is None or value <= high)
        ]
    if dimension in _MULTI:
        return list(value or ())
    return [value]


def _behind(measure: Measure, rows: list[Row]) -> int:
    """The rows behind a figure: all of them for a count, those with a value otherwise."""
    if measure.aggregate == "count":
        return len(rows)
    column = str(measure.column)
    return sum(1 for r in rows if r[column] is not None)


def _aggregate(measure: Measure, rows: list[Row]) -> float | None:
    if measure.aggregate == "count":
        return float(len(rows))
    column = str(measure.column)
    values: list[float] = [r[column] for r in rows if r[column] is not None]
    if measure.aggregate == "sum" and not rows:
        return 0.0
    if not values:
        return None
    if measure.aggregate == "sum":
        return float(sum(values))
    if measure.aggregate == "mean":
        return float(sum(values)) / len(values)
    return quantile_cont(values, _QUANTILES[measure.aggregate])


@dataclass(frozen=True)
class Figures:
    """What a cell holds before disclosure."""

    numerator: float | None
    denominator: float | None
    value: float | None
    count: int
    denominator_count: int | None


def _groups(
    measure: Measure,
    *,
    pops: Mapping[str, list[Row]],
    org: Mapping[str, Mapping[str, str]],
    level: str,
    breakdown: str | None,
    by: str | None,
    bands: Sequence[tuple[str, int, int | None]],
) -> dict[tuple[str, str | None, str | None], list[Row]]:
    """The rows of ``measure`` by (unit, category, by category), totals included (``None``)."""
    out: dict[tuple[str, str | None, str | None], list[Row]] = defaultdict(list)
    for row in pops[measure.population]:
        if row["microstructure"] not in org or not measure.where(row):
            continue
        unit = org[row["microstructure"]][level]
        categories = [None, *_categories(row, breakdown, bands)] if breakdown else [None]
        bys = [None, *_categories(row, by, bands)] if by else [None]
        for category in dict.fromkeys(categories):
            for by_category in dict.fromkeys(bys):
                out[unit, category, by_category].append(row)
    return out


def figures(
    indicator: str,
    pops: Mapping[str, list[Row]],
    org: Mapping[str, Mapping[str, str]],
    *,
    level: str,
    breakdown: str | None = None,
    bands: Sequence[tuple[str, int, int | None]] = (),
) -> dict[tuple[str, str | None, str | None], Figures]:
    """The figures of ``indicator`` by (unit, category, by category) at ``level``.

    Every unit of the level has its total cell; other cells appear when a row is behind
    their numerator or denominator.
    """
    spec = CATALOGUE[indicator]
    numerators = _groups(
        spec.numerator,
        pops=pops,
        org=org,
        level=level,
        breakdown=breakdown,
        by=spec.by,
        bands=bands,
    )
    under_rows = [] if spec.denominator is None else pops[spec.denominator.population]
    split = (
        spec.by
        if spec.by is not None
        and spec.by not in _MULTI
        and (not under_rows or _COLUMNS[spec.by] in under_rows[0])
        else None
    )
    denominators = (
        {}
        if spec.denominator is None
        else _groups(
            spec.denominator,
            pops=pops,
            org=org,
            level=level,
            breakdown=breakdown,
            by=split,
            bands=bands,
        )
    )
    keys = set(numerators) | {(u[level], None, None) for u in org.values()}
    if spec.denominator is not None:
        keys |= set(denominators)
        if spec.by is not None and split is None:  # every by-cell shares the denominator
            keys |= {(u, c, b) for u, c, b in numerators}
    out: dict[tuple[str, str | None, str | None], Figures] = {}
    for unit, category, by_category in keys:
        rows = numerators.get((unit, category, by_category), [])
        numerator = _aggregate(spec.numerator, rows)
        count = _behind(spec.numerator, rows)
        if spec.denominator is None:
            out[unit, category, by_category] = Figures(numerator, None, numerator, count, None)
            continue
        under = denominators.get((unit, category, by_category if split else None), [])
        denominator = _aggregate(spec.denominator, under)
        value = (
            None if not denominator or numerator is None else numerator / denominator * spec.scale
        )
        out[unit, category, by_category] = Figures(
            numerator, denominator, value, count, _behind(spec.denominator, under)
        )
    return out
