"""The iCalendar export, re-expanded by an independent RFC 5545 library."""

import datetime as dt
import subprocess
import sys
from typing import Any

import icalendar
import pendulum
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st

from microstructure.errors import NotFoundError, ValidationError
from microstructure.scheduling import (
    Cancellation,
    ExtraSession,
    HolidayPolicy,
    Move,
    Weekday,
    expand,
    to_ical,
)


def _key(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime | None]:
    """UTC start, and UTC end unless the session is on a day the UTC offset changes.

    RFC 5545 makes a DURATION in hours exact; recurring_ical_events adds it in wall-clock
    time, so it puts the end of a session spanning a change, or starting in the spring
    gap, one hour off (a night session: never seen in practice).
    """
    zone = start.tzinfo
    instant = start.astimezone(dt.UTC)
    day = instant.astimezone(zone).date()
    midnight = dt.datetime.combine(day, dt.time(), zone)
    changes = midnight.utcoffset() != (midnight + dt.timedelta(days=1)).utcoffset()
    return (instant, None if changes else end.astimezone(dt.UTC))


def peer(ics: bytes, start: dt.date, end: dt.date) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """Keys of every event recurring_ical_events finds, widely around the range."""
    calendar = icalendar.Calendar.from_ical(ics)
    low = dt.datetime.combine(start - dt.timedelta(days=400), dt.time())
    high = dt.datetime.combine(end + dt.timedelta(days=400), dt.time())
    events = recurring_ical_events.of(calendar).between(low, high)
    return sorted(_key(e["DTSTART"].dt, e["DTEND"].dt) for e in events)


def ours(
    schedules: Any, teams: Any, start: dt.date, end: dt.date, **filters: Any
) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """Keys of every occurrence `expand` gives."""
    return sorted(_key(o.start, o.end) for o in expand(schedules, teams, start, end, **filters))


def same(
    kit: Any, schedules: Any, teams: Any, start: dt.date, end: dt.date, **filters: Any
) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """Assert that the export re-expanded by the peer gives exactly `expand`'s occurrences."""
    ics = to_ical(schedules, teams, start, end, stamp=kit.STAMP, **filters)
    expected = ours(schedules, teams, start, end, **filters)
    assert expected == peer(ics, start, end)
    return expected


def test_example_network_year_matches_peer(kit, schedule, national):
    """A year of the example network (moves, cancellations, extras, two zones) round-trips."""
    occurrences = same(kit, schedule, national, kit.d("2026-01-01"), kit.d("2026-12-31"))
    assert len(occurrences) > 400


@pytest.mark.parametrize(
    "filters",
    [
        {"microstructure": "ms-neudorf"},
        {"site": "cab-saint-denis"},
        {"professional": "psy-strasbourg"},
        {"professional": "psychiatre-alsace"},
    ],
)
def test_filtered_calendars_match_peer(kit, schedule, national, filters):
    """Calendars of one site, one microstructure or one professional match `expand`."""
    assert same(kit, schedule, national, kit.d("2026-03-01"), kit.d("2026-11-30"), **filters)


@pytest.mark.parametrize("policy", list(HolidayPolicy))
@pytest.mark.parametrize("department", ["67", "57", "75", "971", "972", "973", "974", "976"])
def test_policies_and_territories_match_peer(kit, policy, department):
    """Every holiday policy in Alsace-Moselle, Paris and overseas round-trips exactly."""
    rules = (
        kit.weekly(Weekday.MONDAY, policy=policy),
        kit.weekly(Weekday.FRIDAY, id="fri", policy=policy),
        kit.monthly(2, Weekday.THURSDAY, policy=policy),
        kit.monthly(-1, Weekday.WEDNESDAY, id="last", policy=policy),
        kit.monthly(5, Weekday.FRIDAY, id="fifth", policy=policy),
    )
    same(kit, kit.one(rules), kit.team(department), kit.d("2026-01-01"), kit.d("2026-12-31"))


def test_dst_weeks_match_peer(kit):
    """Sessions in the nights and on the days of both 2026 changes in Paris round-trip."""
    rules = (
        kit.weekly(Weekday.SUNDAY, time=(2, 30), policy=HolidayPolicy.KEEP),
        kit.weekly(Weekday.SUNDAY, id="early", time=(1, 30), policy=HolidayPolicy.KEEP),
        kit.weekly(Weekday.SUNDAY, id="nine", time=(9, 0), policy=HolidayPolicy.KEEP),
    )
    same(kit, kit.one(rules), kit.team("75"), kit.d("2026-03-01"), kit.d("2026-11-30"))


@pytest.mark.parametrize("time", [(2, 30), (2, 0), (3, 0)])
def test_exceptions_on_dst_days_match_peer(kit, time):
    """EXDATE and RECURRENCE-ID on the days of the changes, in and around the gap, round-trip."""
    rule = kit.weekly(Weekday.SUNDAY, time=time, policy=HolidayPolicy.KEEP)
    schedule = kit.one(
        rule,
        cancelled=(Cancellation("psy", kit.d("2026-03-29")),),
        moved=(Move(rule="psy", date=kit.d("2026-10-25"), to=kit.d("2026-10-26")),),
    )
    found = same(kit, schedule, kit.team("75"), kit.d("2026-03-01"), kit.d("2026-11-30"))
    assert len(found) == 40 - 1  # 40 Sundays, one cancelled


def test_exceptions_match_peer(kit):
    """Cancellations, moves (in, out of and across the range) and extras round-trip."""
    rules = (kit.weekly(Weekday.TUESDAY, every_weeks=2), kit.monthly(1, Weekday.MONDAY))
    schedule = kit.one(
        rules,
        cancelled=(Cancellation("psy", kit.d("2026-03-03")),),
        moved=(
            Move(
                rule="psy",
                date=kit.d("2026-03-17"),
                to=kit.d("2026-03-19"),
                start_time=pendulum.time(15),
            ),
            Move(rule="psy", date=kit.d("2026-02-17"), to=kit.d("2026-03-05")),
            Move(rule="rcp", date=kit.d("2026-03-02"), to=kit.d("2026-05-02")),
            Move(rule="rcp", date=kit.d("2026-04-06"), to=kit.d("2026-04-07")),
        ),
        extra=(ExtraSession(rule="psy", date=kit.d("2026-03-24"), start_time=pendulum.time(8)),),
    )
    occurrences = same(kit, schedule, kit.team(), kit.d("2026-03-01"), kit.d("2026-04-30"))
    paris = pendulum.timezone("Europe/Paris")
    local = [start.astimezone(paris).strftime("%m-%d %H:%M") for start, _ in occurrences]
    assert local == [
        "03-05 09:00",  # moved in from February
        "03-19 15:00",  # moved within the range, to another time
        "03-24 08:00",  # extra session
        "03-31 09:00",
        "04-07 12:30",  # the RCP of Easter Monday moved by hand (the policy would skip it)
        "04-14 09:00",
        "04-28 09:00",
    ]


def test_uids_are_stable_and_exports_deterministic(kit, schedule, national):
    """Two exports with the same stamp are identical; UIDs do not depend on the range."""
    first = to_ical(schedule, national, kit.d("2026-01-01"), kit.d("2026-06-30"), stamp=kit.STAMP)
    again = to_ical(schedule, national, kit.d("2026-01-01"), kit.d("2026-06-30"), stamp=kit.STAMP)
    later = to_ical(schedule, national, kit.d("2026-04-01"), kit.d("2026-12-31"), stamp=kit.STAMP)

    def uids(ics: bytes) -> set[str]:
        return {
            str(e["UID"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT") if "RRULE" in e
        }

    assert first == again
    assert uids(first) == uids(later)
    assert len(uids(first)) == 15  # one series per rule


def test_calendar_has_timezones_and_required_properties(kit, schedule, national):
    """The calendar has VERSION, PRODID, one VTIMEZONE per zone and DTSTAMP on each event."""
    calendar = icalendar.Calendar.from_ical(
        to_ical(
            schedule,
            national,
            kit.d("2026-05-01"),
            kit.d("2026-05-31"),
            stamp=kit.STAMP,
            name="Réseau",
        )
    )
    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == [
        "Europe/Paris",
        "Indian/Reunion",
    ]
    events: list[Any] = calendar.walk("VEVENT")  # icalendar types each property as a union
    assert all(e["DTSTAMP"].dt == kit.STAMP for e in events)
    assert all(e["DTSTART"].params["TZID"] for e in events)


_ZONES = ["75", "67", "971", "972", "973", "974", "976"]


@settings(max_examples=60, deadline=None)
@given(
    case=st.fixed_dictionaries(
        {
            "department": st.sampled_from(_ZONES),
            "weekday": st.sampled_from(list(Weekday)),
            "hour": st.integers(0, 23),
            "minute": st.sampled_from([0, 15, 30, 45]),
            "every": st.integers(1, 4),
            "policy": st.sampled_from(list(HolidayPolicy)),
            "ordinal": st.sampled_from([1, 2, 3, 4, 5, -1]),
            "offset": st.integers(0, 300),
            "length": st.integers(0, 200),
        }
    )
)
def test_any_rules_match_peer(kit, case):
    """Random weekly and monthly rules, anywhere, round-trip through the peer exactly."""
    start = kit.d("2026-01-01").add(days=case["offset"])
    rules = (
        kit.weekly(
            case["weekday"],
            time=(case["hour"], case["minute"]),
            every_weeks=case["every"],
            policy=case["policy"],
            valid_from=kit.d("2025-11-20"),
        ),
        kit.monthly(
            case["ordinal"],
            case["weekday"],
            policy=case["policy"],
            every_months=case["every"],
            valid_from=kit.d("2025-12-05"),
        ),
    )
    same(kit, kit.one(rules), kit.team(case["department"]), start, start.add(days=case["length"]))


def test_rfc_5545_structure(kit, schedule, national):
    """UNTIL is in UTC, every TZID has a VTIMEZONE, and each event has one way to say its end."""
    ics = to_ical(schedule, national, kit.d("2026-01-01"), kit.d("2026-12-31"), stamp=kit.STAMP)
    calendar = icalendar.Calendar.from_ical(ics)
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    events: list[Any] = calendar.walk("VEVENT")  # icalendar types each property as a union
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "DURATION"} <= set(event)
        assert "DTEND" not in event
        assert event["DTSTART"].params["TZID"] in zones
        if "RRULE" in event:
            (until,) = event["RRULE"]["UNTIL"]
            assert until.tzinfo is not None
            assert until.utcoffset() == dt.timedelta(0)
    text = ics.decode()
    assert text.count("BEGIN:VCALENDAR") == 1
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_export_checks_its_input(kit, schedule, national):
    """A reversed range or an unknown site is refused, as by `expand`."""
    with pytest.raises(ValidationError):
        to_ical(schedule, national, kit.d("2026-02-01"), kit.d("2026-01-01"))
    with pytest.raises(NotFoundError, match="unknown site"):
        to_ical(schedule, national, kit.d("2026-01-01"), kit.d("2026-02-01"), site="nowhere")


def test_importing_scheduling_stays_light():
    """`import microstructure.scheduling` loads neither holidays, icalendar nor rich."""
    code = (
        "import sys, microstructure.scheduling; "
        "print([m for m in ('holidays', 'icalendar', 'rich') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_export_is_the_same_whatever_the_hash_seed() -> None:
    """Two interpreters with different PYTHONHASHSEED export byte-identical calendars."""
    import hashlib
    import os
    import subprocess
    import sys

    code = (
        "import hashlib, pendulum\n"
        "from microstructure.examples import example_national\n"
        "from microstructure.scheduling import example_schedule, to_ical\n"
        "data = to_ical(example_schedule(), example_national(), pendulum.date(2026, 1, 1),\n"
        "               pendulum.date(2026, 12, 31), stamp=pendulum.datetime(2026, 1, 1))\n"
        "assert data.count(b'BEGIN:VTIMEZONE') >= 2\n"
        "print(hashlib.sha256(data).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1
    assert len(next(iter(digests))) == len(hashlib.sha256().hexdigest())
