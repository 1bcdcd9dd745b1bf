"""Conformity: did a team hold its weekly consultations and monthly RCP (principles 2, 3)?"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Mapping

import attrs
import pendulum

from microstructure import _validators as _v
from microstructure._frozen import frozen_tuple
from microstructure._validators import identifier as _identifier
from microstructure.errors import ErrorDetail, FieldError, Finding, ValidationError
from microstructure.programs import Activity, Period, Program, SessionFrequency, programs
from microstructure.scheduling._calendar import add_months, month_length
from microstructure.scheduling._findings import MISSING_BY_ACTIVITY
from microstructure.scheduling._model import Occurrence
from microstructure.scheduling._occurrences import Teams, check_filters, check_range
from microstructure.teams import Microstructure, NationalCoordination, Network, microstructures_of

__all__ = [
    "PRINCIPLES",
    "ConformityReport",
    "HeldSession",
    "MonthConformity",
    "SessionStatus",
    "conformity",
]

#: What every microstructure owes, whatever its programs (seed 000, principles 2 and 3):
#: psychological and social consultations every week, an RCP every month.
PRINCIPLES = (
    SessionFrequency(activity=Activity.PSYCHOLOGIST_CONSULTATIONS, period=Period.WEEK),
    SessionFrequency(activity=Activity.SOCIAL_WORKER_CONSULTATIONS, period=Period.WEEK),
    SessionFrequency(activity=Activity.RCP, period=Period.MONTH),
)


class SessionStatus(enum.StrEnum):
    """What became of a session: only ``held`` ones count."""

    HELD = "held"
    CANCELLED = "cancelled"
    MISSED = "missed"


@attrs.frozen(kw_only=True)
class HeldSession:
    """A session as it happened: which team, which activity, which local date, what status.

    Examples:
        >>> import pendulum
        >>> from microstructure.programs import Activity
        >>> from microstructure.scheduling import HeldSession
        >>> HeldSession(microstructure="ms-neudorf", activity=Activity.RCP,
        ...             date=pendulum.date(2026, 5, 15)).status
        <SessionStatus.HELD: 'held'>
    """

    microstructure: str = attrs.field(validator=_identifier)
    activity: Activity = attrs.field(validator=_v.instance_of(Activity))
    date: pendulum.Date
    status: SessionStatus = SessionStatus.HELD

    @classmethod
    def planned(cls, occurrence: Occurrence) -> HeldSession:
        """The session an occurrence plans, as if held: to check a plan's conformity.

        Examples:
            >>> import pendulum
            >>> from microstructure.scheduling import HeldSession
            >>> from microstructure.examples import example_national
            >>> from microstructure.scheduling import example_schedule, expand
            >>> first = expand(example_schedule(), example_national(),
            ...                pendulum.date(2026, 5, 1), pendulum.date(2026, 5, 31))[0]
            >>> HeldSession.planned(first).date
            Date(2026, 5, 4)
        """
        if not isinstance(occurrence, Occurrence):
            raise FieldError(type(occurrence).__name__, "an Occurrence", field="occurrence")
        return cls(
            microstructure=occurrence.microstructure,
            activity=occurrence.activity,
            date=occurrence.date,
        )


@attrs.frozen(kw_only=True)
class MonthConformity:
    """How one microstructure lived up to its frequencies in one calendar month.

    ``weeks`` are the ISO weeks counted in the month (those whose Thursday falls in
    it);
    ``psychologist_weeks`` and ``social_worker_weeks`` those with enough sessions
    held; ``rcp_held`` and ``psychiatrist_sessions`` count the month's sessions.
    ``requirements`` are the frequencies applied, ``findings`` the gaps.
    """

    microstructure: str
    month: str
    weeks: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    psychologist_weeks: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    social_worker_weeks: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    rcp_held: int
    psychiatrist_sessions: int
    requirements: tuple[SessionFrequency, ...] = attrs.field(converter=frozen_tuple)
    findings: tuple[Finding, ...] = attrs.field(converter=frozen_tuple)

    @property
    def conforms(self) -> bool:
        """Whether every requirement was met."""
        return not self.findings

    @property
    def weekly_psychologist(self) -> bool:
        """Whether a psychologist consulted every counted week."""
        return set(self.weeks) <= set(self.psychologist_weeks)

    @property
    def weekly_social_worker(self) -> bool:
        """Whether a social worker consulted every counted week."""
        return set(self.weeks) <= set(self.social_worker_weeks)


@attrs.frozen
class ConformityReport:
    """Conformity per microstructure and month, in that order, and every gap found."""

    months: tuple[MonthConformity, ...] = attrs.field(converter=frozen_tuple)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every gap, in the order of `microstructure.errors.Finding.sort_key`."""
        return tuple(sorted((f for m in self.months for f in m.findings), key=lambda f: f.sort_key))


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    found = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append((year, month))
        year, month = add_months(year, month, 1)
    return found


def _weeks_of(year: int, month: int) -> list[dt.date]:
    """Mondays of the ISO weeks whose Thursday falls in the month."""
    first = dt.date(year, month, 1)
    thursday = first + dt.timedelta(days=(4 - first.isoweekday()) % 7)
    mondays = []
    while thursday.month == month:
        mondays.append(thursday - dt.timedelta(days=3))
        thursday += dt.timedelta(days=7)
    return mondays


def _week_id(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def requirements(
    team: Microstructure, year: int, month: int, table: dict[str, Program]
) -> tuple[SessionFrequency, ...]:
    """The founding principles plus the frequencies of programs active in the month."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, month_length(year, month))
    wanted: dict[tuple[Activity, Period], int] = {
        (f.activity, f.period): f.count for f in PRINCIPLES
    }
    for membership in team.programs:
        prog = table.get(membership.program)
        if prog is None or membership.valid_from > last:
            continue
        if membership.valid_until is not None and membership.valid_until < first:
            continue
        if (prog.valid_from is not None and prog.valid_from > last) or (
            prog.valid_until is not None and prog.valid_until < first
        ):
            continue
        for f in prog.frequencies:
            key = (f.activity, f.period)
            wanted[key] = max(wanted.get(key, 0), f.count)
    return tuple(
        SessionFrequency(activity=activity, period=period, count=count)
        for (activity, period), count in wanted.items()
    )


def _check_held(held: list[HeldSession], table: Mapping[str, Microstructure]) -> None:
    errors = [
        ErrorDetail(
            path=f"$[{index}].microstructure",
            message="expected the id of a microstructure of the team file",
            value=session.microstructure,
        )
        for index, session in enumerate(held)
        if session.microstructure not in table
    ]
    if errors:
        raise ValidationError(errors, subject="held sessions")


def _periods(
    period: Period, year: int, month: int, weeks: list[dt.date]
) -> list[tuple[str, dt.date, int]]:
    """The periods judged in a month: (name, first day, number of days)."""
    first_day = dt.date(year, month, 1)
    if period is Period.WEEK:
        return [(_week_id(monday), monday, 7) for monday in weeks]
    if period is Period.MONTH:
        return [(f"{year}-{month:02d}", first_day, month_length(year, month))]
    if month % 3:
        return []  # a quarter is judged in its last month
    quarter_start = dt.date(year, month - 2, 1)
    days = (first_day - quarter_start).days + month_length(year, month)
    return [(f"{year}-Q{month // 3}", quarter_start, days)]


_PERIOD_FR = {Period.WEEK: "semaine", Period.MONTH: "mois", Period.QUARTER: "trimestre"}


def _gap(  # noqa: PLR0917 - one finding, described in full
    team: Microstructure,
    frequency: SessionFrequency,
    name: str,
    count: int,
    path: str,
    weeks: list[dt.date],
) -> Finding:
    english, french = frequency.activity.label, frequency.activity.label_fr
    what, what_fr = english[0].lower() + english[1:], french[0].lower() + french[1:]
    week_ids = [_week_id(monday) for monday in weeks]
    if frequency.period is Period.WEEK and name in week_ids:
        path = f"{path}.weeks[{week_ids.index(name)}]"
    return MISSING_BY_ACTIVITY[frequency.activity].at(
        path,
        f"{team.id}: {count} {what} held in {name}, {frequency.count} expected each "
        f"{frequency.period.value}",
        f"{team.id} : {count} × {what_fr} en {name}, {frequency.count} attendu(s) par "
        f"{_PERIOD_FR[frequency.period]}",
    )


def _month_of(
    team: Microstructure,
    year: int,
    month: int,
    *,
    daily: Counter[tuple[Activity, dt.date]],
    table: dict[str, Program],
    path: str,
) -> MonthConformity:
    wanted = requirements(team, year, month, table)
    weeks = _weeks_of(year, month)

    def held(activity: Activity, first: dt.date, days: int) -> int:
        return sum(daily[activity, first + dt.timedelta(days=d)] for d in range(days))

    found: list[Finding] = []
    met: dict[Activity, list[str]] = {a: [] for a in Activity}
    weekly = {f.activity: f.count for f in wanted if f.period is Period.WEEK}
    for activity in Activity:
        met[activity] = [
            _week_id(monday)
            for monday in weeks
            if held(activity, monday, 7) >= weekly.get(activity, 1)
        ]
    for frequency in wanted:
        for name, first, days in _periods(frequency.period, year, month, weeks):
            count = held(frequency.activity, first, days)
            if count < frequency.count:
                found.append(_gap(team, frequency, name, count, path, weeks))
    first_day, month_days = dt.date(year, month, 1), month_length(year, month)
    return MonthConformity(
        microstructure=team.id,
        month=f"{year}-{month:02d}",
        weeks=tuple(_week_id(m) for m in weeks),
        psychologist_weeks=tuple(met[Activity.PSYCHOLOGIST_CONSULTATIONS]),
        social_worker_weeks=tuple(met[Activity.SOCIAL_WORKER_CONSULTATIONS]),
        rcp_held=held(Activity.RCP, first_day, month_days),
        psychiatrist_sessions=held(Activity.PSYCHIATRIST_SESSIONS, first_day, month_days),
        requirements=wanted,
        findings=tuple(sorted(found, key=lambda f: f.sort_key)),
    )


def conformity(
    held: Iterable[HeldSession],
    teams: Teams,
    start: dt.date,
    end: dt.date,
    *,
    microstructure: str | None = None,
    overrides: Iterable[Program] | Mapping[str, Program] = (),
) -> ConformityReport:
    """Per microstructure and calendar month, whether principles 2 and 3 were met.

    Every month from ``start``'s to ``end``'s is judged whole. A microstructure owes
    the founding principles (`PRINCIPLES`: a psychologist and a social worker every
    week, an RCP every month) plus the frequencies of each program it belongs to
    during the month (such as monthly psychiatrist sessions). A week belongs to the
    month holding its Thursday (ISO 8601), and counts every session held from its
    Monday to its Sunday (no French week is all public holidays, so every week
    counts). Only sessions with status ``held`` count. Gaps are
    findings ``MS-SCHED-011`` to ``MS-SCHED-014``, whose JSONPath points into the
    returned report: ``$.months[2].weeks[1]`` for a week, ``$.months[2]`` for a month
    or a quarter; the message names the microstructure and the period.

    Raises:
        ValidationError: if a session names a microstructure not in ``teams``.
        NotFoundError: if ``microstructure`` is not in ``teams``.

    Examples:
        >>> from microstructure.scheduling import conformity
        >>> import pendulum
        >>> from microstructure.examples import example_national
        >>> from microstructure.scheduling import HeldSession, example_schedule, expand
        >>> may = (pendulum.date(2026, 5, 1), pendulum.date(2026, 5, 31))
        >>> plan = expand(example_schedule(), example_national(), *may)
        >>> held = [HeldSession.planned(o) for o in plan if o.start.day != 11]
        >>> report = conformity(held, example_national(), *may, microstructure="ms-neudorf")
        >>> [str(f) for f in report.findings]
        ['warning MS-SCHED-011 @ $.months[0].weeks[1]: ms-neudorf: 0 psychologist consultations held in 2026-W20, 1 expected each week']
    """
    subject: object = teams
    if not isinstance(subject, Microstructure | Network | NationalCoordination):
        expected = "a Microstructure, a Network or a NationalCoordination"
        raise FieldError(type(subject).__name__, expected, field="teams")
    check_range(start, end)
    given: object = held
    if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
        raise FieldError(type(given).__name__, "held sessions", field="held")
    check_filters(teams, microstructure, None, None)
    table = microstructures_of(teams)
    sessions = list(held)
    _check_held(sessions, table)
    program_table = programs(overrides=overrides)
    daily: dict[str, Counter[tuple[Activity, dt.date]]] = {ms: Counter() for ms in table}
    for session in sessions:
        if session.status is SessionStatus.HELD:
            day = dt.date(session.date.year, session.date.month, session.date.day)
            daily[session.microstructure][session.activity, day] += 1
    months: list[MonthConformity] = []
    for ms_id, team in table.items():
        if microstructure is not None and ms_id != microstructure:
            continue
        for year, month in _months(start, end):
            path = f"$.months[{len(months)}]"
            months.append(
                _month_of(team, year, month, daily=daily[ms_id], table=program_table, path=path)
            )
    return ConformityReport(tuple(months))


# Resolve annotations before the public package rewrites ``__module__``.
for _cl in (HeldSession, MonthConformity, ConformityReport):
    attrs.resolve_types(_cl)
