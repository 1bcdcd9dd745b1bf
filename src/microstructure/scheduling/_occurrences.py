"""Schedules bound to their teams, and the dates and occurrences each rule gives.

The engine shared by `expand`, `to_ical` and `conformity`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import NamedTuple, TypeAlias

import attrs
import pendulum

from microstructure.errors import ErrorDetail, FieldError, NotFoundError, ValidationError
from microstructure.scheduling._calendar import (
    HolidayTable,
    add_months,
    aware,
    local_span,
    months_between,
    nth_weekday,
    plain,
    utc_instant,
)
from microstructure.scheduling._model import (
    HolidayPolicy,
    Move,
    NetworkSchedule,
    Occurrence,
    OccurrenceKind,
    Rule,
    TeamSchedule,
    WeeklySession,
)
from microstructure.teams import (
    CLINICAL_ROLES,
    Microstructure,
    NationalCoordination,
    Network,
    microstructures_of,
)

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Bound",
    "Instance",
    "Memo",
    "Schedules",
    "Teams",
    "bind_selected",
    "check_filters",
    "check_range",
    "extra_occurrences",
    "rule_dates",
    "rule_instances",
]

#: What `expand` accepts as schedules: one team's, a schedule file's, or several teams'.
Schedules: TypeAlias = TeamSchedule | NetworkSchedule | Iterable[TeamSchedule]
#: What `expand` accepts as teams: one microstructure, a network or the national level.
Teams: TypeAlias = Microstructure | Network | NationalCoordination

# Nominal dates this far outside the asked range are looked at too, so that a session
# moved into the range by a holiday policy is found.
_MARGIN = dt.timedelta(days=31)
_DAY = dt.timedelta(days=1)


def _schedules_with_paths(schedules: Schedules) -> list[tuple[str, TeamSchedule]]:
    if isinstance(schedules, TeamSchedule):
        return [("$", schedules)]
    items = schedules.schedules if isinstance(schedules, NetworkSchedule) else tuple(schedules)
    return [(f"$.schedules[{index}]", item) for index, item in enumerate(items)]


@attrs.frozen
class Bound:
    """A team schedule with its microstructure and resolved people."""

    path: str
    schedule: TeamSchedule
    team: Microstructure
    people: dict[str, tuple[str, ...]]  # rule id -> professional ids

    @property
    def zone(self) -> pendulum.Timezone:
        zone = pendulum.timezone(self.team.site.timezone)
        assert isinstance(zone, pendulum.Timezone)  # noqa: S101 - IANA names give Timezone
        return zone


def _default_people(rule: Rule, team: Microstructure) -> tuple[str, ...]:
    role = rule.activity.role
    wanted = CLINICAL_ROLES if role is None else frozenset({role})
    return tuple(dict.fromkeys(p.id for p in team.members if p.role in wanted))


def _is_rule_date(rule: Rule, day: dt.date) -> bool:
    """Whether the rule itself (before holidays and exceptions) gives ``day``."""
    if day < rule.valid_from or (rule.valid_until is not None and day > rule.valid_until):
        return False
    if isinstance(rule, WeeklySession):
        delta = (day - rule.first_date).days
        return delta >= 0 and delta % (7 * rule.every_weeks) == 0
    months = months_between(rule.valid_from, day)
    if months % rule.every_months:
        return False
    return nth_weekday(day.year, day.month, rule.ordinal, rule.weekday.iso) == day


def rule_dates(rule: Rule, low: dt.date, high: dt.date) -> Iterator[dt.date]:
    """The rule's own dates between ``low`` and ``high`` inclusive, in order (stdlib dates)."""
    low = plain(max(low, rule.valid_from))
    high = plain(high if rule.valid_until is None else min(high, rule.valid_until))
    if low > high:
        return
    if isinstance(rule, WeeklySession):
        first = plain(rule.first_date)
        step = 7 * rule.every_weeks
        skip = max(0, -(-(low - first).days // step))
        day = first + dt.timedelta(days=skip * step)
        stride = dt.timedelta(days=step)
        while day <= high:
            yield day
            day += stride
        return
    start = rule.valid_from
    months = months_between(start, low)
    months += -months % rule.every_months
    while True:
        year, month = add_months(start.year, start.month, months)
        if dt.date(year, month, 1) > high:
            return
        found = nth_weekday(year, month, rule.ordinal, rule.weekday.iso)
        if found is not None and low <= found <= high:
            yield found
        months += rule.every_months


def _bind(schedules: Schedules, teams: Teams) -> list[Bound]:
    """Check every reference of the schedules against the teams and resolve people.

    Raises:
        ValidationError: listing every unknown microstructure, professional or rule,
            and every exception on a date the rule does not give.
    """
    table = microstructures_of(teams)
    errors: list[ErrorDetail] = []
    bound: list[Bound] = []
    for path, schedule in _schedules_with_paths(schedules):
        team = table.get(schedule.microstructure)
        if team is None:
            errors.append(
                ErrorDetail(
                    path=f"{path}.microstructure",
                    message="expected the id of a microstructure of the team file",
                    value=schedule.microstructure,
                )
            )
            continue
        members = {p.id for p in team.members}
        people: dict[str, tuple[str, ...]] = {}
        for index, rule in enumerate(schedule.rules):
            field = "participants" if not isinstance(rule, WeeklySession) else "professionals"
            for position, person in enumerate(rule.professionals):
                if person not in members:
                    errors.append(
                        ErrorDetail(
                            path=f"{path}.rules[{index}].{field}[{position}]",
                            message=f"expected a member of {team.id!r}",
                            value=person,
                        )
                    )
            people[rule.id] = rule.professionals or _default_people(rule, team)
        errors.extend(_check_exceptions(path, schedule))
        bound.append(Bound(path, schedule, team, people))
    if errors:
        raise ValidationError(errors, subject="schedule")
    return bound


def _check_exceptions(path: str, schedule: TeamSchedule) -> list[ErrorDetail]:
    errors: list[ErrorDetail] = []
    seen: dict[tuple[str, dt.date], str] = {}
    exceptions: list[tuple[str, str, dt.date, bool]] = [
        *(
            (f"{path}.cancelled[{i}]", c.rule, c.date, True)
            for i, c in enumerate(schedule.cancelled)
        ),
        *((f"{path}.moved[{i}]", m.rule, m.date, True) for i, m in enumerate(schedule.moved)),
        *((f"{path}.extra[{i}]", e.rule, e.date, False) for i, e in enumerate(schedule.extra)),
    ]
    for where, rule_id, day, on_rule_date in exceptions:
        rule = schedule.rule(rule_id)
        if rule is None:
            known = ", ".join(repr(r.id) for r in schedule.rules) or "none"
            errors.append(
                ErrorDetail(
                    path=f"{where}.rule",
                    message=f"expected the id of a rule of this schedule ({known})",
                    value=rule_id,
                )
            )
            continue
        if not on_rule_date:
            continue
        if not _is_rule_date(rule, day):
            errors.append(
                ErrorDetail(
                    path=f"{where}.date",
                    message=f"expected a date rule {rule_id!r} gives (before holidays)",
                    value=day.isoformat(),
                )
            )
        elif (rule_id, day) in seen:
            errors.append(
                ErrorDetail(
                    path=f"{where}.date",
                    message=f"expected one exception per occurrence, already at {seen[rule_id, day]}",
                    value=day.isoformat(),
                )
            )
        else:
            seen[rule_id, day] = where
    return errors


def _shift(
    day: dt.date, step: dt.timedelta, working: frozenset[int], holidays: HolidayTable
) -> dt.date:
    for _ in range(366):
        day += step
        if day.isoweekday() in working and holidays.name(day) is None:
            return day
    msg = "no working day within a year"  # pragma: no cover - working days are never empty
    raise AssertionError(msg)  # pragma: no cover


class Instance(NamedTuple):
    """One date the rule gives, and what became of it (``None``: it does not take place)."""

    rule_date: dt.date
    occurrence: Occurrence | None


class Memo:
    """Objects shared by the occurrences of one expansion: equal values, one object.

    Occurrences of many teams often start at the same local time on the same day; they
    then hold the same (immutable) date-time objects, which halves their memory.
    """

    __slots__ = ("dates", "spans")

    def __init__(self) -> None:
        self.spans: dict[
            tuple[dt.date, dt.time, dt.timedelta, str],
            tuple[pendulum.DateTime, pendulum.DateTime],
        ] = {}
        self.dates: dict[dt.date, pendulum.Date] = {}

    def span(
        self, day: dt.date, time: dt.time, duration: dt.timedelta, zone: pendulum.Timezone
    ) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        """The start and end of `local_span`, shared."""
        key = (day, time, duration, zone.key)
        found = self.spans.get(key)
        if found is None:
            found = self.spans[key] = local_span(day, time, duration, zone)
        return found

    def date(self, day: dt.date) -> pendulum.Date:
        """``day`` as a pendulum date, shared."""
        found = self.dates.get(day)
        if found is None:
            found = self.dates[day] = pendulum.Date(day.year, day.month, day.day)
        return found


def rule_instances(  # noqa: PLR0917 - a private step of expand and to_ical
    bound: Bound,
    index: int,
    low: dt.date,
    high: dt.date,
    holidays: HolidayTable,
    memo: Memo | None = None,
) -> list[Instance]:
    """The rule's dates whose session may land in ``[low, high]``, with their outcome."""
    memo = Memo() if memo is None else memo
    schedule = bound.schedule
    rule = schedule.rules[index]
    zone = bound.zone
    cancelled = {c.date for c in schedule.cancelled if c.rule == rule.id}
    moves: dict[dt.date, tuple[int, Move]] = {
        m.date: (i, m) for i, m in enumerate(schedule.moved) if m.rule == rule.id
    }
    working = frozenset(d.iso for d in schedule.working_days)
    days = list(rule_dates(rule, low - _MARGIN, high + _MARGIN))
    window = set(days)
    days += sorted(d for d, (_, m) in moves.items() if d not in window and low <= m.to <= high)
    # What every occurrence of the rule shares, computed once.
    people = bound.people[rule.id]
    duration = dt.timedelta(seconds=rule.duration.total_seconds())
    rule_source = f"{bound.path}.rules[{index}]"
    team, site, rule_id, activity = bound.team.id, bound.team.site.id, rule.id, rule.activity
    policy, rule_time = rule.holiday_policy, rule.start_time
    holiday_name, span, shared_date = holidays.name, memo.span, memo.date
    instances: list[Instance] = []
    for day in days:
        if day in cancelled:
            instances.append(Instance(day, None))
            continue
        holiday = holiday_name(day)
        source, time = rule_source, rule_time
        target: dt.date
        if day in moves:
            move_index, move = moves[day]
            target, kind = move.to, OccurrenceKind.MOVED
            time = move.start_time or time
            source = f"{bound.path}.moved[{move_index}]"
        elif holiday is None or policy is HolidayPolicy.KEEP:
            target, kind = day, OccurrenceKind.REGULAR
        elif policy is HolidayPolicy.SKIP:
            instances.append(Instance(day, None))
            continue
        else:
            step = _DAY if policy is HolidayPolicy.NEXT_WORKING_DAY else -_DAY
            target, kind = _shift(day, step, working, holidays), OccurrenceKind.HOLIDAY_MOVED
        start, end = span(target, time, duration, zone)
        occurrence = Occurrence(
            start=start,
            end=end,
            microstructure=team,
            site=site,
            rule=rule_id,
            activity=activity,
            professionals=people,
            kind=kind,
            rule_date=shared_date(day),
            holiday=holiday,
            source=source,
        )
        instances.append(Instance(day, occurrence))
    return instances


def extra_occurrences(bound: Bound, low: dt.date, high: dt.date) -> list[Occurrence]:
    """The hand-added sessions of a schedule in ``[low, high]``."""
    found = []
    for index, extra in enumerate(bound.schedule.extra):
        if not low <= extra.date <= high:
            continue
        rule = bound.schedule.rule(extra.rule)
        assert rule is not None  # noqa: S101 - checked by bind_selected
        instant = utc_instant(extra.date, extra.start_time or rule.start_time, bound.zone)
        found.append(
            Occurrence(
                start=aware(instant, bound.zone),
                end=aware(instant + rule.duration, bound.zone),
                microstructure=bound.team.id,
                site=bound.team.site.id,
                rule=rule.id,
                activity=rule.activity,
                professionals=bound.people[rule.id],
                kind=OccurrenceKind.EXTRA,
                source=f"{bound.path}.extra[{index}]",
            )
        )
    return found


def _select(bound: list[Bound], microstructure: str | None, site: str | None) -> list[Bound]:
    """The bound schedules of one microstructure or site (all when both are ``None``)."""
    return [
        b
        for b in bound
        if (microstructure is None or b.team.id == microstructure)
        and (site is None or b.team.site.id == site)
    ]


#: The years schedules are expanded in: real schedules and memberships, with room for the
#: year around them that calendars and holidays look at (and far from `datetime`'s limits).
FIRST_YEAR, LAST_YEAR = 1900, 2199


def check_range(start: dt.date, end: dt.date) -> None:
    """Refuse a range that is not two dates, in order, within `FIRST_YEAR`..`LAST_YEAR`."""
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValidationError(
                [ErrorDetail(path=name, message="expected a date", value=repr(value))],
                subject="range",
            )
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            expected = f"a date in the years {FIRST_YEAR} to {LAST_YEAR}"
            raise FieldError(value.isoformat(), expected, field=name, subject="range")
    if end < start:
        raise ValidationError(
            [
                ErrorDetail(
                    path="end", message=f"expected a date on or after {start}", value=str(end)
                )
            ],
            subject="range",
        )


def check_filters(
    teams: Teams, microstructure: str | None, site: str | None, professional: str | None
) -> None:
    """Check that each filter given names a microstructure, site or member of ``teams``.

    Raises:
        NotFoundError: naming the filter and what it could have been.
    """
    table = microstructures_of(teams)
    if microstructure is not None and microstructure not in table:
        raise NotFoundError(
            kind="microstructure",
            code=microstructure,
            expected="one of " + ", ".join(repr(k) for k in sorted(table)),
        )
    if site is not None and site not in {ms.site.id for ms in table.values()}:
        raise NotFoundError(
            kind="site",
            code=site,
            expected="one of " + ", ".join(sorted(repr(ms.site.id) for ms in table.values())),
        )
    if professional is not None and professional not in {
        p.id for ms in table.values() for p in ms.members
    }:
        raise NotFoundError(
            kind="professional", code=professional, expected="the id of a team member"
        )


def bind_selected(
    schedules: Schedules,
    teams: Teams,
    start: dt.date,
    end: dt.date,
    *,
    microstructure: str | None,
    site: str | None,
    professional: str | None,
) -> list[Bound]:
    """The checks `expand` and `to_ical` make, in order; then the bound schedules selected.

    Raises:
        ValidationError: for a bad range or schedules that do not fit the teams.
        NotFoundError: for a filter naming nothing in the teams.
    """
    check_range(start, end)
    bound = _bind(schedules, teams)
    check_filters(teams, microstructure, site, professional)
    return _select(bound, microstructure, site)
