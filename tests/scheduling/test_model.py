"""Schedule data: strict conversion, the tagged rule union, validation, program frequencies."""

import json

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microstructure.errors import ConfigurationError, ValidationError
from microstructure.io import dumps, from_data, loads, to_data
from microstructure.programs import Activity, Period, SessionFrequency, program
from microstructure.scheduling import (
    HolidayPolicy,
    MonthlyMeeting,
    NetworkSchedule,
    TeamSchedule,
    Weekday,
    WeeklySession,
    load_schedule,
    meets_frequency,
)


def test_example_schedule_round_trips(schedule):
    """The example schedule survives JSON and back unchanged, with its rule kinds."""
    text = dumps(schedule)
    assert loads(NetworkSchedule, text) == schedule
    kinds = [rule["type"] for rule in json.loads(text)["schedules"][0]["rules"]]
    assert kinds == ["weekly", "weekly", "monthly", "monthly"]


def test_rule_kind_is_required_and_checked():
    """A rule without a known type is an error located at its 'type' key, as for criteria."""
    data = {"schedules": [{"microstructure": "ms-1", "rules": [{"id": "x"}, {"type": 3}]}]}
    with pytest.raises(ValidationError) as caught:
        from_data(NetworkSchedule, data)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("$.schedules[0].rules[0].type", "required key is missing"),
        ("$.schedules[0].rules[1].type", "expected one of 'weekly', 'monthly'"),
    ]


def test_every_problem_in_a_rule_is_reported():
    """Bad ordinal, weekday, duration, interval and extra key are all reported, with their paths."""
    rule = {
        "type": "monthly",
        "id": "rcp",
        "activity": "rcp",
        "ordinal": 6,
        "weekday": "thu",
        "start_time": "12:30",
        "duration": "PT0S",
        "valid_from": "2026-01-01",
        "every_months": 0,
        "colour": "red",
    }
    with pytest.raises(ValidationError) as caught:
        from_data(TeamSchedule, {"microstructure": "ms-1", "rules": [rule]})
    paths = sorted(e.path for e in caught.value.errors)
    assert paths == [
        "$.rules[0].colour",
        "$.rules[0].weekday",
    ]
    rule.pop("colour")
    rule["weekday"] = "thursday"
    with pytest.raises(ValidationError) as caught:
        from_data(TeamSchedule, {"microstructure": "ms-1", "rules": [rule]})
    assert "1, 2, 3, 4, 5, or -1" in str(caught.value)


def test_validity_period_must_be_ordered():
    """valid_until before valid_from is refused with the field named."""
    with pytest.raises(
        ValidationError, match=r"on or after valid_from \(2026-06-01\).*valid_until"
    ):
        from_data(
            WeeklySession,
            {
                "id": "psy",
                "activity": "psychologist-consultations",
                "weekday": "monday",
                "start_time": "09:00",
                "duration": "PT3H",
                "valid_from": "2026-06-01",
                "valid_until": "2026-05-01",
            },
        )


def test_duplicate_ids_are_refused(kit):
    """Two rules with one id, or two schedules of one microstructure, are refused."""
    with pytest.raises(ValueError, match="distinct ids"):
        TeamSchedule(microstructure="ms-1", rules=(kit.weekly(), kit.weekly()))
    with pytest.raises(ValueError, match="one schedule per microstructure"):
        NetworkSchedule((TeamSchedule(microstructure="ms-1"), TeamSchedule(microstructure="ms-1")))


def test_load_schedule_from_file(tmp_path, schedule):
    """A schedule file is read; a missing one is a ConfigurationError."""
    path = tmp_path / "schedule.json"
    path.write_text(dumps(schedule), encoding="utf-8")
    assert load_schedule(path) == schedule
    with pytest.raises(ConfigurationError, match="cannot read schedule file"):
        load_schedule(tmp_path / "missing.json")


def test_weekday_codes():
    """Weekdays map to ISO numbers and RFC 5545 codes."""
    assert [(d.iso, d.ical) for d in Weekday][:2] == [(1, "MO"), (2, "TU")]
    assert Weekday.of(pendulum.date(2026, 5, 14)) is Weekday.THURSDAY


@pytest.mark.parametrize(
    ("every", "period", "count", "expected"),
    [
        (1, Period.WEEK, 1, True),
        (2, Period.WEEK, 1, False),
        (2, Period.MONTH, 2, True),
        (4, Period.MONTH, 1, True),
        (5, Period.MONTH, 1, False),
        (1, Period.QUARTER, 12, True),
        (1, Period.QUARTER, 13, False),
    ],
)
def test_weekly_rule_against_frequency(kit, every, period, count, expected):
    """A weekly rule every N weeks meets a frequency only if every period holds enough sessions."""
    rule = kit.weekly(activity=Activity.PSYCHIATRIST_SESSIONS, every_weeks=every)
    wanted = SessionFrequency(activity=Activity.PSYCHIATRIST_SESSIONS, period=period, count=count)
    assert meets_frequency(rule, wanted) is expected


def test_monthly_rule_against_program(kit):
    """A 5th-weekday rule does not give monthly sessions; the wrong activity never meets one."""
    wanted = program("sante-mentale").frequency(Activity.PSYCHIATRIST_SESSIONS)
    assert wanted is not None
    assert meets_frequency(kit.monthly(1, activity=Activity.PSYCHIATRIST_SESSIONS), wanted)
    assert not meets_frequency(kit.monthly(5, activity=Activity.PSYCHIATRIST_SESSIONS), wanted)
    assert not meets_frequency(kit.monthly(1), wanted)


@settings(max_examples=100)
@given(
    case=st.fixed_dictionaries(
        {
            "ordinal": st.sampled_from([1, 2, 3, 4, 5, -1]),
            "weekday": st.sampled_from(list(Weekday)),
            "every": st.integers(1, 12),
            "policy": st.sampled_from(list(HolidayPolicy)),
            "minutes": st.integers(1, 24 * 60),
            "people": st.lists(
                st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), unique=True, max_size=3
            ),
        }
    )
)
def test_rules_round_trip(case):
    """Any valid monthly rule survives to_data/from_data unchanged."""
    rule = MonthlyMeeting(
        id="rcp",
        activity=Activity.RCP,
        ordinal=case["ordinal"],
        weekday=case["weekday"],
        start_time=pendulum.time(12, 30),
        duration=pendulum.duration(minutes=case["minutes"]),
        valid_from=pendulum.date(2026, 1, 1),
        every_months=case["every"],
        participants=tuple(case["people"]),
        holiday_policy=case["policy"],
    )
    schedule = TeamSchedule(microstructure="ms-1", rules=(rule,))
    assert from_data(TeamSchedule, to_data(schedule)) == schedule
