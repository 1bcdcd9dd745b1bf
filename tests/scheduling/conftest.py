"""Shared fixtures and helpers for the scheduling tests."""

import datetime as dt

import pendulum
import pytest

from microstructure.examples import example_national
from microstructure.programs import Activity
from microstructure.scheduling import (
    HolidayPolicy,
    MonthlyMeeting,
    TeamSchedule,
    Weekday,
    WeeklySession,
    example_schedule,
)
from microstructure.teams import Microstructure, Professional, Role, Site, SiteKind

STAMP = pendulum.datetime(2026, 1, 1, tz="UTC")


@pytest.fixture
def national():
    return example_national()


@pytest.fixture
def schedule():
    return example_schedule()


def team(department="67", ms_id="ms-test", site_id="site-test", extra=()):
    """A small microstructure in ``department``."""
    members = (
        Professional(id="gp-1", role=Role.GENERAL_PRACTITIONER),
        Professional(id="psy-1", role=Role.PSYCHOLOGIST),
        Professional(id="ts-1", role=Role.SOCIAL_WORKER),
        *extra,
    )
    site = Site(id=site_id, name="Site de test", kind=SiteKind.CABINET, department=department)
    return Microstructure(id=ms_id, name="Microstructure de test", site=site, members=members)


def weekly(weekday=Weekday.MONDAY, time=(9, 0), policy=HolidayPolicy.SKIP, **kwargs):
    """A weekly psychologist rule from 2026-01-01."""
    values = {
        "id": "psy",
        "activity": Activity.PSYCHOLOGIST_CONSULTATIONS,
        "weekday": weekday,
        "start_time": pendulum.time(*time),
        "duration": pendulum.duration(hours=3),
        "valid_from": pendulum.date(2026, 1, 1),
        "holiday_policy": policy,
    }
    values.update(kwargs)
    return WeeklySession(**values)


def monthly(ordinal=2, weekday=Weekday.THURSDAY, policy=HolidayPolicy.SKIP, **kwargs):
    """A monthly RCP rule from 2026-01-01 at 12:30."""
    values = {
        "id": "rcp",
        "activity": Activity.RCP,
        "ordinal": ordinal,
        "weekday": weekday,
        "start_time": pendulum.time(12, 30),
        "duration": pendulum.duration(hours=2),
        "valid_from": pendulum.date(2026, 1, 1),
        "holiday_policy": policy,
    }
    values.update(kwargs)
    return MonthlyMeeting(**values)


def one(rule_or_rules, ms_id="ms-test", **kwargs):
    """A team schedule holding the given rules."""
    rules = rule_or_rules if isinstance(rule_or_rules, tuple) else (rule_or_rules,)
    return TeamSchedule(microstructure=ms_id, rules=rules, **kwargs)


def d(text):
    """An ISO date as a pendulum date."""
    parsed = dt.date.fromisoformat(text)
    return pendulum.date(parsed.year, parsed.month, parsed.day)


class _Kit:
    """The helpers above, for tests (test modules cannot import a conftest)."""

    STAMP = STAMP
    team = staticmethod(team)
    weekly = staticmethod(weekly)
    monthly = staticmethod(monthly)
    one = staticmethod(one)
    d = staticmethod(d)


@pytest.fixture(scope="session")
def kit():
    return _Kit
