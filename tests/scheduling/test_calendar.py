"""The calendar arithmetic shared by expansion, conformity and the iCalendar export."""

import datetime as dt

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from microstructure.scheduling._calendar import (
    add_months,
    month_length,
    months_between,
    nth_weekday,
)

MONTHS = st.tuples(st.integers(1900, 2200), st.integers(1, 12))


@given(MONTHS, st.integers(-1200, 1200))
def test_add_months_agrees_with_pendulum(month, count):
    """Adding months lands where pendulum's own month arithmetic lands."""
    year, number = month
    expected = pendulum.date(year, number, 1).add(months=count)
    assert add_months(year, number, count) == (expected.year, expected.month)


@given(MONTHS)
def test_month_length_is_the_gap_to_the_next_first(month):
    """A month's length is the number of days to the first of the next month."""
    year, number = month
    following = pendulum.date(year, number, 1).add(months=1)
    assert month_length(year, number) == (following - pendulum.date(year, number, 1)).days


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)), st.integers(-600, 600))
def test_months_between_undoes_add_months(start, count):
    """months_between counts back the months add_months moved forward."""
    year, number = add_months(start.year, start.month, count)
    assert months_between(start, dt.date(year, number, 1)) == count


@given(MONTHS, st.sampled_from([1, 2, 3, 4, 5, -1]), st.integers(1, 7))
def test_nth_weekday_matches_a_scan_of_the_month(month, ordinal, weekday):
    """The nth (or last) weekday is the one a day-by-day scan of the month finds."""
    year, number = month
    days = [dt.date(year, number, d) for d in range(1, month_length(year, number) + 1)]
    matching = [d for d in days if d.isoweekday() == weekday]
    expected = (
        matching[-1]
        if ordinal == -1
        else (matching[ordinal - 1] if ordinal <= len(matching) else None)
    )
    assert nth_weekday(year, number, ordinal, weekday) == expected
