"""Expansion: local wall time across DST and overseas, holidays by territory, policies, exceptions."""

import datetime as dt
import itertools
from collections.abc import Iterable

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microstructure.errors import NotFoundError, ValidationError
from microstructure.scheduling import (
    Cancellation,
    ExtraSession,
    HolidayPolicy,
    Move,
    NetworkSchedule,
    Occurrence,
    OccurrenceKind,
    Weekday,
    expand,
)


def starts(occurrences: Iterable[Occurrence]) -> list[str]:
    """Local start of each occurrence as 'YYYY-MM-DD HH:MM'."""
    return [o.start.format("YYYY-MM-DD HH:mm") for o in occurrences]


def dates(occurrences: Iterable[Occurrence]) -> list[str]:
    """Local start date of each occurrence as 'YYYY-MM-DD'."""
    return [o.start.format("YYYY-MM-DD") for o in occurrences]


# -- daylight saving ------------------------------------------------------------------


def test_weekly_session_keeps_local_time_across_march_change(kit):
    """A Monday 09:00 session in Paris stays at 09:00 local when summer time starts (29 March 2026)."""
    rule = kit.weekly(policy=HolidayPolicy.KEEP)  # 6 April is Easter Monday
    found = expand(kit.one(rule), kit.team("75"), kit.d("2026-03-16"), kit.d("2026-04-06"))
    assert starts(found) == [
        "2026-03-16 09:00",
        "2026-03-23 09:00",
        "2026-03-30 09:00",
        "2026-04-06 09:00",
    ]
    assert [o.start.in_timezone("UTC").hour for o in found] == [8, 8, 7, 7]


def test_weekly_session_keeps_local_time_across_october_change(kit):
    """A Monday 09:00 session in Paris stays at 09:00 local when summer time ends (25 October 2026)."""
    found = expand(kit.one(kit.weekly()), kit.team("67"), kit.d("2026-10-19"), kit.d("2026-10-26"))
    assert starts(found) == ["2026-10-19 09:00", "2026-10-26 09:00"]
    assert [o.start.utcoffset() for o in found] == [dt.timedelta(hours=2), dt.timedelta(hours=1)]
    assert [o.end - o.start for o in found] == [dt.timedelta(hours=3)] * 2


def test_time_in_the_spring_gap_moves_forward(kit):
    """02:30 on 29 March 2026 does not exist in Paris: the session starts at 03:30 summer time."""
    rule = kit.weekly(Weekday.SUNDAY, time=(2, 30), policy=HolidayPolicy.KEEP)
    (found,) = expand(kit.one(rule), kit.team("75"), kit.d("2026-03-29"), kit.d("2026-03-29"))
    assert found.start.in_timezone("UTC") == pendulum.datetime(2026, 3, 29, 1, 30)
    assert found.start.format("HH:mm Z") == "03:30 +02:00"


def test_repeated_autumn_time_is_the_first_one(kit):
    """02:30 on 25 October 2026 happens twice in Paris: the session takes the first (summer time)."""
    rule = kit.weekly(Weekday.SUNDAY, time=(2, 30), policy=HolidayPolicy.KEEP)
    (found,) = expand(kit.one(rule), kit.team("75"), kit.d("2026-10-25"), kit.d("2026-10-25"))
    assert found.start.in_timezone("UTC") == pendulum.datetime(2026, 10, 25, 0, 30)


@pytest.mark.parametrize(
    ("department", "zone", "offset"),
    [
        ("971", "America/Guadeloupe", -4),
        ("972", "America/Martinique", -4),
        ("973", "America/Cayenne", -3),
        ("974", "Indian/Reunion", 4),
        ("976", "Indian/Mayotte", 3),
    ],
)
def test_overseas_sessions_are_in_the_local_zone(kit, department, zone, offset):
    """Overseas sessions are at 09:00 in the department's own zone, with no DST change."""
    found = expand(
        kit.one(kit.weekly()), kit.team(department), kit.d("2026-03-16"), kit.d("2026-11-02")
    )
    assert {o.start.timezone_name for o in found} == {zone}
    assert {o.start.format("HH:mm") for o in found} == {"09:00"}
    assert {o.start.utcoffset() for o in found} == {dt.timedelta(hours=offset)}


# -- holidays by territory -------------------------------------------------------------


@pytest.mark.parametrize(
    ("department", "weekday", "day", "expected"),
    [
        # Good Friday 3 April 2026 and 26 December 2025: Alsace-Moselle only.
        ("67", Weekday.FRIDAY, "2026-04-03", True),
        ("68", Weekday.FRIDAY, "2026-04-03", True),
        ("57", Weekday.FRIDAY, "2026-04-03", True),
        ("75", Weekday.FRIDAY, "2026-04-03", False),
        ("67", Weekday.FRIDAY, "2025-12-26", True),
        ("57", Weekday.FRIDAY, "2025-12-26", True),
        ("69", Weekday.FRIDAY, "2025-12-26", False),
        # Abolition of slavery: each overseas department its own day.
        ("976", Weekday.MONDAY, "2026-04-27", True),
        ("972", Weekday.FRIDAY, "2026-05-22", True),
        ("971", Weekday.WEDNESDAY, "2026-05-27", True),
        ("973", Weekday.WEDNESDAY, "2026-06-10", True),
        ("974", Weekday.MONDAY, "2027-12-20", True),
        ("971", Weekday.FRIDAY, "2026-05-22", False),
        ("974", Weekday.WEDNESDAY, "2026-05-27", False),
        ("75", Weekday.MONDAY, "2027-12-20", False),
    ],
)
def test_territory_holidays_drive_the_skip_policy(kit, department, weekday, day, expected):
    """A skipped session is missing exactly on the territory's own public holidays."""
    rule = kit.weekly(weekday, policy=HolidayPolicy.SKIP, valid_from=kit.d("2025-01-01"))
    found = expand(kit.one(rule), kit.team(department), kit.d(day), kit.d(day))
    assert (found == []) is expected


def test_kept_holiday_is_named(kit):
    """Under `keep`, a session on Good Friday in Strasbourg is held and names the holiday."""
    rule = kit.weekly(Weekday.FRIDAY, policy=HolidayPolicy.KEEP)
    (found,) = expand(kit.one(rule), kit.team("67"), kit.d("2026-04-03"), kit.d("2026-04-03"))
    assert found.holiday == "Vendredi saint"
    assert found.kind is OccurrenceKind.REGULAR


# -- a monthly RCP on Ascension Thursday (14 May 2026, the 2nd Thursday) ---------------


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (HolidayPolicy.KEEP, ["2026-05-14 12:30"]),
        (HolidayPolicy.SKIP, []),
        (HolidayPolicy.NEXT_WORKING_DAY, ["2026-05-15 12:30"]),
        (HolidayPolicy.PREVIOUS_WORKING_DAY, ["2026-05-13 12:30"]),
    ],
)
def test_rcp_on_ascension_under_each_policy(kit, policy, expected):
    """The 2nd-Thursday RCP of May 2026 falls on Ascension: each policy places it as documented."""
    found = expand(
        kit.one(kit.monthly(2, policy=policy)),
        kit.team("67"),
        kit.d("2026-05-01"),
        kit.d("2026-05-31"),
    )
    assert starts(found) == expected
    assert all(o.rule_date == kit.d("2026-05-14") and o.holiday == "Ascension" for o in found)


def test_next_working_day_uses_the_schedule_working_days(kit):
    """With Monday to Thursday as working days, the Ascension RCP moves to Monday 18 May."""
    schedule = kit.one(
        kit.monthly(2, policy=HolidayPolicy.NEXT_WORKING_DAY),
        working_days=(Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY),
    )
    found = expand(schedule, kit.team("67"), kit.d("2026-05-01"), kit.d("2026-05-31"))
    assert starts(found) == ["2026-05-18 12:30"]


def test_next_working_day_skips_following_holidays(kit):
    """A Friday 1 May 2026 session moved forward skips the weekend to Monday 4 May."""
    rule = kit.weekly(Weekday.FRIDAY, policy=HolidayPolicy.NEXT_WORKING_DAY)
    found = expand(kit.one(rule), kit.team("75"), kit.d("2026-05-01"), kit.d("2026-05-04"))
    assert starts(found) == ["2026-05-04 09:00"]
    assert found[0].kind is OccurrenceKind.HOLIDAY_MOVED


def test_session_moved_into_the_range_from_outside(kit):
    """A Monday 25 May (Whit Monday) session moved to Tuesday is found in a range starting on the 26th."""
    rule = kit.weekly(Weekday.MONDAY, policy=HolidayPolicy.NEXT_WORKING_DAY)
    found = expand(kit.one(rule), kit.team("75"), kit.d("2026-05-26"), kit.d("2026-05-31"))
    assert starts(found) == ["2026-05-26 09:00"]


# -- monthly ordinals ------------------------------------------------------------------


def test_fifth_thursday_only_in_months_that_have_one(kit):
    """The 5th Thursday rule gives January, April, July, October and December 2026 only."""
    found = expand(
        kit.one(kit.monthly(5)), kit.team("75"), kit.d("2026-01-01"), kit.d("2026-12-31")
    )
    assert dates(found) == ["2026-01-29", "2026-04-30", "2026-07-30", "2026-10-29", "2026-12-31"]


def test_last_thursday_every_month(kit):
    """The last-Thursday rule (-1) gives one date each month of 2026."""
    found = expand(
        kit.one(kit.monthly(-1)), kit.team("75"), kit.d("2026-01-01"), kit.d("2026-12-31")
    )
    assert [o.start.day for o in found] == [29, 26, 26, 30, 28, 25, 30, 27, 24, 29, 26, 31]


def test_every_second_month_and_validity(kit):
    """Every 2 months from March, until September: March, May, July, September."""
    rule = kit.monthly(
        1,
        Weekday.MONDAY,
        every_months=2,
        valid_from=kit.d("2026-03-01"),
        valid_until=kit.d("2026-09-30"),
        policy=HolidayPolicy.KEEP,
    )
    found = expand(kit.one(rule), kit.team("75"), kit.d("2026-01-01"), kit.d("2026-12-31"))
    assert dates(found) == ["2026-03-02", "2026-05-04", "2026-07-06", "2026-09-07"]


def test_every_other_week_counts_from_the_first_date(kit):
    """Every 2 weeks on Tuesday from Thursday 1 January 2026: 6 and 20 January, 3 February."""
    rule = kit.weekly(Weekday.TUESDAY, every_weeks=2)
    found = expand(kit.one(rule), kit.team("75"), kit.d("2026-01-10"), kit.d("2026-02-28"))
    assert dates(found) == ["2026-01-20", "2026-02-03", "2026-02-17"]


# -- exceptions ------------------------------------------------------------------------


def test_cancel_move_and_extra(kit):
    """A cancelled date disappears, a moved one changes day and time, an extra one appears."""
    schedule = kit.one(
        kit.weekly(),
        cancelled=(Cancellation("psy", kit.d("2026-06-01")),),
        moved=(
            Move(
                rule="psy",
                date=kit.d("2026-06-08"),
                to=kit.d("2026-06-10"),
                start_time=pendulum.time(14),
            ),
        ),
        extra=(ExtraSession(rule="psy", date=kit.d("2026-06-12")),),
    )
    found = expand(schedule, kit.team("75"), kit.d("2026-06-01"), kit.d("2026-06-15"))
    assert starts(found) == ["2026-06-10 14:00", "2026-06-12 09:00", "2026-06-15 09:00"]
    assert [o.kind for o in found] == [
        OccurrenceKind.MOVED,
        OccurrenceKind.EXTRA,
        OccurrenceKind.REGULAR,
    ]
    assert [o.source for o in found] == ["$.moved[0]", "$.extra[0]", "$.rules[0]"]


def test_bad_references_are_all_reported(kit):
    """Unknown members, rules and microstructures, and exceptions off the rule, are listed with paths."""
    schedule = kit.one(
        kit.weekly(professionals=("psy-1", "nobody")),
        cancelled=(
            Cancellation("psy", kit.d("2026-06-02")),
            Cancellation("rcp", kit.d("2026-06-01")),
        ),
        moved=(
            Move(rule="psy", date=kit.d("2026-06-08"), to=kit.d("2026-06-09")),
            Move(rule="psy", date=kit.d("2026-06-08"), to=kit.d("2026-06-10")),
        ),
    )
    other = kit.one(kit.weekly(), ms_id="ms-unknown")
    with pytest.raises(ValidationError) as caught:
        expand([schedule, other], kit.team(), kit.d("2026-06-01"), kit.d("2026-06-30"))
    assert [e.path for e in caught.value.errors] == [
        "$.schedules[0].rules[0].professionals[1]",
        "$.schedules[0].cancelled[0].date",
        "$.schedules[0].cancelled[1].rule",
        "$.schedules[0].moved[1].date",
        "$.schedules[1].microstructure",
    ]


def test_unknown_filter_is_not_found(kit):
    """Asking for a professional who is in no team raises NotFoundError."""
    with pytest.raises(NotFoundError, match="unknown professional 'psy-9'"):
        expand(
            kit.one(kit.weekly()),
            kit.team(),
            kit.d("2026-06-01"),
            kit.d("2026-06-30"),
            professional="psy-9",
        )


def test_reversed_range_is_rejected(kit):
    """An end before the start is a ValidationError naming the end."""
    with pytest.raises(ValidationError, match="on or after 2026-06-30"):
        expand(kit.one(kit.weekly()), kit.team(), kit.d("2026-06-30"), kit.d("2026-06-01"))


def test_default_people_come_from_roles(kit, schedule, national):
    """A rule without people is held by the role of its activity; an RCP by every clinician."""
    found = expand(
        schedule, national, kit.d("2026-05-01"), kit.d("2026-05-31"), microstructure="ms-colmar"
    )
    people = {o.rule: o.professionals for o in found}
    assert people["psy"] == ("psy-colmar",)
    assert people["rcp"] == ("gp-colmar-1", "gp-colmar-2", "gp-colmar-3", "psy-colmar", "ts-colmar")


def test_network_filters(kit, schedule, national):
    """Filters by site and by professional keep only the matching occurrences."""
    may = (kit.d("2026-05-01"), kit.d("2026-05-31"))
    everything = expand(schedule, national, *may)
    by_site = expand(schedule, national, *may, site="msp-hautepierre")
    by_person = expand(schedule, national, *may, professional="psy-strasbourg")
    assert by_site == [o for o in everything if o.microstructure == "ms-hautepierre"]
    assert by_person == [o for o in everything if "psy-strasbourg" in o.professionals]
    assert {o.microstructure for o in by_person} == {"ms-neudorf", "ms-hautepierre"}


def test_network_schedule_and_list_give_the_same(kit, schedule, national):
    """A NetworkSchedule and the list of its team schedules expand alike."""
    may = (kit.d("2026-05-01"), kit.d("2026-05-31"))
    assert expand(schedule, national, *may) == expand(list(schedule.schedules), national, *may)
    assert expand(NetworkSchedule(), national, *may) == []


@settings(max_examples=50, deadline=None)
@given(
    case=st.fixed_dictionaries(
        {
            "department": st.sampled_from(["75", "67", "57", "972", "974"]),
            "hour": st.integers(6, 20),
            "weekday": st.sampled_from(list(Weekday)),
            "every": st.integers(1, 3),
            "offset": st.integers(0, 700),
        }
    )
)
def test_occurrences_are_ordered_aware_and_at_the_rule_time(kit, case):
    """Occurrences are in time order, aware, at the rule's local time and exactly `every` weeks apart."""
    hour, weekday, every = case["hour"], case["weekday"], case["every"]
    rule = kit.weekly(weekday, time=(hour, 0), every_weeks=every, policy=HolidayPolicy.KEEP)
    start = kit.d("2026-01-01").add(days=case["offset"])
    found = expand(kit.one(rule), kit.team(case["department"]), start, start.add(days=120))
    assert found == sorted(found, key=lambda o: o.start)
    assert all(o.start.tzinfo is not None and o.start.hour == hour for o in found)
    assert all(o.start.isoweekday() == weekday.iso for o in found)
    assert all((b.date - a.date).days == 7 * every for a, b in itertools.pairwise(found))
