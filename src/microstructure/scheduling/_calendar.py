"""Calendar arithmetic of the schedules: months, nth weekdays, local times, holidays."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping

import pendulum

from microstructure.territory import public_holidays

__all__ = [
    "HolidayTable",
    "add_months",
    "aware",
    "local_datetime",
    "local_span",
    "month_length",
    "months_between",
    "nth_weekday",
    "plain",
    "utc_instant",
]


def month_length(year: int, month: int) -> int:
    """The number of days of a month (28 to 31)."""
    return calendar.monthrange(year, month)[1]


def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    """The (year, month) ``count`` months after (or before, if negative) a month."""
    index = year * 12 + month - 1 + count
    return index // 12, index % 12 + 1


def months_between(start: dt.date, day: dt.date) -> int:
    """How many calendar months ``day``'s month is after ``start``'s (negative if before)."""
    return (day.year - start.year) * 12 + day.month - start.month


def nth_weekday(year: int, month: int, ordinal: int, iso_weekday: int) -> dt.date | None:
    """The ``ordinal``-th (1 to 5, or -1 for the last) ISO weekday of a month, if it has one."""
    if ordinal > 0:
        first = dt.date(year, month, 1)
        day = 1 + (iso_weekday - first.isoweekday()) % 7 + 7 * (ordinal - 1)
    else:
        last = dt.date(year, month, month_length(year, month))
        day = last.day - (last.isoweekday() - iso_weekday) % 7
    if day > month_length(year, month):
        return None
    return dt.date(year, month, day)


def plain(day: dt.date) -> dt.date:
    """A stdlib date: its arithmetic is much faster than pendulum's."""
    return dt.date(day.year, day.month, day.day)


class HolidayTable:
    """Public holidays of one department, loaded a year at a time."""

    def __init__(self, department: str) -> None:
        self.department = department
        self.years: dict[int, Mapping[dt.date, str]] = {}

    def name(self, day: dt.date) -> str | None:
        """The name of the public holiday on ``day``, or ``None``."""
        table = self.years.get(day.year)
        if table is None:
            table = self.years[day.year] = public_holidays(self.department, [day.year])
        return table.get(day)


_ONE_DAY = dt.timedelta(days=1)


def _steady(day: dt.date, zone: pendulum.Timezone) -> bool:
    """Whether ``zone`` keeps one offset all ``day`` (no change of offset that day).

    A zone changes its offset at most once a day: the offsets at the day's first
    midnight and at the next (read before any change at that instant) then differ.
    """
    midnight = dt.datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a wall time
    return zone.utcoffset(midnight) == zone.utcoffset(midnight + _ONE_DAY)


def local_span(
    day: dt.date, time: dt.time, duration: dt.timedelta, zone: pendulum.Timezone
) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """Start and end of a session at local wall time ``time`` on ``day``.

    The same as `local_datetime` for the start and the start plus ``duration`` (elapsed
    time) for the end. When the zone's offset does not change on the days the session
    spans (nearly always), they are read from the wall time directly, without going
    through UTC.
    """
    start = dt.datetime.combine(day, time)
    end = start + duration
    if (
        dt.timedelta(0) <= duration < _ONE_DAY
        and _steady(day, zone)
        and (end.day == day.day or _steady(end.date(), zone))
    ):
        return (
            pendulum.DateTime(
                start.year, start.month, start.day, start.hour, start.minute, start.second,
                start.microsecond, tzinfo=zone,
            ),
            pendulum.DateTime(
                end.year, end.month, end.day, end.hour, end.minute, end.second,
                end.microsecond, tzinfo=zone,
            ),
        )  # fmt: skip
    instant = utc_instant(day, time, zone)
    return aware(instant, zone), aware(instant + duration, zone)


def local_datetime(day: dt.date, time: dt.time, zone: pendulum.Timezone) -> pendulum.DateTime:
    """Local wall time ``time`` on ``day``; RFC 5545 rules for gaps and repeated times.

    A time skipped by a spring-forward change is read with the offset before the gap
    (02:30 becomes 03:30 summer time); a time repeated in autumn is the first one.
    """
    return aware(utc_instant(day, time, zone), zone)


def utc_instant(day: dt.date, time: dt.time, zone: pendulum.Timezone) -> dt.datetime:
    """The UTC instant of local wall time ``time`` on ``day`` (rules of `local_datetime`)."""
    return dt.datetime.combine(day, time).replace(tzinfo=zone, fold=0).astimezone(dt.UTC)


def aware(instant: dt.datetime, zone: pendulum.Timezone) -> pendulum.DateTime:
    """The pendulum date-time of an instant, in ``zone`` (fast path of `pendulum.instance`)."""
    local = instant.astimezone(zone)
    return pendulum.DateTime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=zone,
        fold=local.fold,
    )
