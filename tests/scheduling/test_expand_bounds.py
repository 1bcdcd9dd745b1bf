"""Expansion at its edges: first and last days of rules and ranges, every n weeks or months.

Written against the surviving mutants of `microstructure.scheduling._expand` (mutmut). The
expected dates come from the standard library's `calendar`, not from the library.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

import pendulum
import pytest

from microstructure.errors import ValidationError
from microstructure.scheduling import (
    Cancellation,
    ExtraSession,
    HolidayPolicy,
    Move,
    Occurrence,
    Weekday,
    expand,
)


def _dates(occurrences: Iterable[Occurrence]) -> list[str]:
    return [o.start.date().isoformat() for o in occurrences]


def _nth_weekday(year: int, month: int, ordinal: int, weekday: int) -> str:
    """The ``ordinal``-th ``weekday`` (0 = Monday) of a month, by the standard library."""
    days = [week[weekday] for week in calendar.monthcalendar(year, month) if week[weekday]]
    return dt.date(year, month, days[ordinal - 1]).isoformat()


def test_weekly_rule_includes_its_first_and_last_days(kit):
    """A rule valid from one Monday to another gives both, and a range of one day gives it."""
    rule = kit.weekly(
        policy=HolidayPolicy.KEEP, valid_from=kit.d("2026-01-05"), valid_until=kit.d("2026-01-26")
    )
    team = kit.team("75")
    wide = expand(kit.one(rule), team, kit.d("2025-12-01"), kit.d("2026-02-28"))
    assert _dates(wide) == ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]
    exact = expand(kit.one(rule), team, kit.d("2026-01-05"), kit.d("2026-01-26"))
    assert _dates(exact) == _dates(wide)
    one_day = expand(kit.one(rule), team, kit.d("2026-01-12"), kit.d("2026-01-12"))
    assert _dates(one_day) == ["2026-01-12"]


def test_every_other_week_starts_on_the_first_day(kit):
    """Every two weeks counts from the first valid day, which is itself a session."""
    rule = kit.weekly(policy=HolidayPolicy.KEEP, valid_from=kit.d("2026-01-05"), every_weeks=2)
    team = kit.team("75")
    found = expand(kit.one(rule), team, kit.d("2026-01-01"), kit.d("2026-02-28"))
    assert _dates(found) == ["2026-01-05", "2026-01-19", "2026-02-02", "2026-02-16"]
    later = expand(kit.one(rule), team, kit.d("2026-01-20"), kit.d("2026-02-16"))
    assert _dates(later) == ["2026-02-02", "2026-02-16"]


def test_every_three_months_counts_across_years(kit):
    """A quarterly meeting from November comes back in February, May, August and November."""
    rule = kit.monthly(
        ordinal=2,
        weekday=Weekday.THURSDAY,
        policy=HolidayPolicy.KEEP,
        valid_from=kit.d("2025-11-01"),
        every_months=3,
    )
    team = kit.team("75")
    found = expand(kit.one(rule), team, kit.d("2026-01-01"), kit.d("2026-12-31"))
    expected = [_nth_weekday(2026, month, 2, calendar.THURSDAY) for month in (2, 5, 8, 11)]
    assert _dates(found) == expected
    first, last = kit.d(expected[0]), kit.d(expected[-1])
    assert _dates(expand(kit.one(rule), team, first, last)) == expected
    after_first = first.add(days=1)
    assert _dates(expand(kit.one(rule), team, after_first, last)) == expected[1:]


def test_monthly_rule_includes_its_first_and_last_meetings(kit):
    """A monthly rule valid exactly from one meeting to another gives both."""
    first = _nth_weekday(2026, 3, 2, calendar.THURSDAY)
    last = _nth_weekday(2026, 6, 2, calendar.THURSDAY)
    rule = kit.monthly(policy=HolidayPolicy.KEEP, valid_from=kit.d(first), valid_until=kit.d(last))
    found = expand(kit.one(rule), kit.team("75"), kit.d("2026-01-01"), kit.d("2026-12-31"))
    expected = [_nth_weekday(2026, m, 2, calendar.THURSDAY) for m in (3, 4, 5, 6)]
    assert _dates(found) == expected


def test_extra_and_moved_sessions_on_the_range_bounds_are_kept(kit):
    """An extra session or a move landing on the first or last day of the range is included."""
    rule = kit.weekly(policy=HolidayPolicy.KEEP)
    schedule = kit.one(
        rule,
        extra=(
            ExtraSession(rule="psy", date=kit.d("2026-02-03")),
            ExtraSession(rule="psy", date=kit.d("2026-02-27")),
            ExtraSession(rule="psy", date=kit.d("2026-03-03")),
        ),
        moved=(Move(rule="psy", date=kit.d("2026-02-16"), to=kit.d("2026-02-28")),),
    )
    found = expand(schedule, kit.team("75"), kit.d("2026-02-03"), kit.d("2026-02-28"))
    assert _dates(found) == [
        "2026-02-03",
        "2026-02-09",
        "2026-02-23",
        "2026-02-27",
        "2026-02-28",
    ]
    assert {o.site for o in found} == {"site-test"}


def _refused(kit: Any, rule: Any, day: str) -> bool:
    """Whether cancelling the session of ``day`` is refused as not a date the rule gives."""
    schedule = kit.one(rule, cancelled=(Cancellation(rule=rule.id, date=kit.d(day)),))
    try:
        expand(schedule, kit.team("75"), kit.d("2025-01-01"), kit.d("2026-12-31"))
    except ValidationError as exc:
        return any("expected a date rule" in e.message for e in exc.errors)
    return False


def test_exceptions_must_fall_on_dates_the_weekly_rule_gives(kit):
    """Cancelling the first or last session of a rule is accepted; a day outside it is not."""
    rule = kit.weekly(
        policy=HolidayPolicy.KEEP, valid_from=kit.d("2026-01-05"), valid_until=kit.d("2026-01-26")
    )
    for day, refused in [
        ("2025-12-29", True),
        ("2026-01-05", False),
        ("2026-01-12", False),
        ("2026-01-26", False),
        ("2026-02-02", True),
        ("2026-01-13", True),
    ]:
        assert (day, _refused(kit, rule, day)) == (day, refused)
    fortnightly = kit.weekly(
        policy=HolidayPolicy.KEEP, valid_from=kit.d("2026-01-05"), every_weeks=2
    )
    for day, refused in [("2026-01-05", False), ("2026-01-12", True), ("2026-01-19", False)]:
        assert (day, _refused(kit, fortnightly, day)) == (day, refused)


def test_exceptions_must_fall_on_dates_the_monthly_rule_gives(kit):
    """A quarterly meeting from November 2025 can be cancelled in February, not in January."""
    rule = kit.monthly(
        ordinal=2,
        weekday=Weekday.THURSDAY,
        policy=HolidayPolicy.KEEP,
        valid_from=kit.d("2025-11-01"),
        valid_until=kit.d("2026-11-30"),
        every_months=3,
    )
    cases = [
        (_nth_weekday(2025, 11, 2, calendar.THURSDAY), False),
        (_nth_weekday(2026, 2, 2, calendar.THURSDAY), False),
        (_nth_weekday(2026, 11, 2, calendar.THURSDAY), False),
        (_nth_weekday(2026, 1, 2, calendar.THURSDAY), True),
        (_nth_weekday(2026, 3, 2, calendar.THURSDAY), True),
        (_nth_weekday(2026, 2, 1, calendar.THURSDAY), True),
        (_nth_weekday(2025, 8, 2, calendar.THURSDAY), True),
    ]
    for day, refused in cases:
        assert (day, _refused(kit, rule, day)) == (day, refused)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (pendulum.date(9999, 12, 1), pendulum.date(9999, 12, 31)),
        (pendulum.date(1, 1, 1), pendulum.date(1, 1, 31)),
        (pendulum.date(2026, 1, 1), pendulum.date(9999, 12, 31)),
    ],
)
def test_dates_near_the_limits_of_datetime_are_a_field_error(start, end):
    """Expand and to_ical refuse years outside FIRST_YEAR..LAST_YEAR instead of overflowing."""
    from microstructure.errors import FieldError
    from microstructure.examples import example_national
    from microstructure.scheduling import (
        FIRST_YEAR,
        LAST_YEAR,
        conformity,
        example_schedule,
        expand,
        to_ical,
    )

    assert (FIRST_YEAR, LAST_YEAR) == (1900, 2199)
    for function in (expand, to_ical):
        with pytest.raises(FieldError, match=f"years {FIRST_YEAR} to {LAST_YEAR}"):
            function(example_schedule(), example_national(), start, end)
    with pytest.raises(FieldError, match=f"years {FIRST_YEAR} to {LAST_YEAR}"):
        conformity([], example_national(), start, end)
