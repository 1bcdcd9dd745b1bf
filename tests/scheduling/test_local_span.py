"""Session start and end read from the wall time agree with the UTC round trip."""

import datetime as dt

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microstructure.scheduling._calendar import aware, local_span, utc_instant

# Zones with daylight saving at night, at midnight, by 30 minutes, and a skipped day.
_ZONES = [
    "Europe/Paris",
    "Indian/Reunion",
    "America/Santiago",
    "America/Havana",
    "Australia/Lord_Howe",
    "Pacific/Apia",
]


def _reference(
    day: dt.date, time: dt.time, duration: dt.timedelta, zone: pendulum.Timezone
) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    instant = utc_instant(day, time, zone)
    return aware(instant, zone), aware(instant + duration, zone)


def _fields(moment: pendulum.DateTime) -> tuple[object, ...]:
    return (moment, moment.utcoffset(), moment.fold, moment.hour, moment.minute, moment.tzinfo)


@settings(max_examples=2000)
@given(
    st.sampled_from(_ZONES),
    st.dates(dt.date(2005, 1, 1), dt.date(2035, 12, 31)),
    st.integers(0, 24 * 4 - 1),
    st.integers(0, 60 * 30),
)
def test_same_start_and_end_as_through_utc(name, day, quarter, minutes):
    """Any day, time and duration give the same instants, offsets and folds."""
    zone = pendulum.timezone(name)
    time = dt.time(quarter // 4, quarter % 4 * 15)
    duration = dt.timedelta(minutes=minutes)
    start, end = local_span(day, time, duration, zone)
    ref_start, ref_end = _reference(day, time, duration, zone)
    assert (_fields(start), _fields(end)) == (_fields(ref_start), _fields(ref_end))


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("Europe/Paris", dt.date(2026, 3, 29)),
        ("Europe/Paris", dt.date(2026, 10, 25)),
        ("America/Santiago", dt.date(2026, 9, 6)),
        ("America/Havana", dt.date(2026, 3, 8)),
        ("Australia/Lord_Howe", dt.date(2026, 4, 5)),
        ("Pacific/Apia", dt.date(2011, 12, 29)),
    ],
)
def test_days_of_change_every_quarter_hour(name, day):
    """On days the offset changes, every quarter hour and duration agrees."""
    zone = pendulum.timezone(name)
    for quarter in range(24 * 4):
        time = dt.time(quarter // 4, quarter % 4 * 15)
        for minutes in (0, 45, 180, 23 * 60 + 30):
            duration = dt.timedelta(minutes=minutes)
            start, end = local_span(day, time, duration, zone)
            ref_start, ref_end = _reference(day, time, duration, zone)
            assert (_fields(start), _fields(end)) == (_fields(ref_start), _fields(ref_end))
