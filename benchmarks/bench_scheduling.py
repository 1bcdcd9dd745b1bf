"""Benchmark: one year of rules for 150 microstructures, expanded and exported to .ics.

Each microstructure has a weekly psychologist session, a weekly social-worker session, a
monthly RCP and a monthly psychiatrist session (600 rules). The teams are the bundled
example microstructures replicated with new ids, in Alsace, Paris and La Réunion.
Run with ``python benchmarks/bench_scheduling.py``; it prints its figures.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any

import attrs
import icalendar
import pendulum
import recurring_ical_events

from microstructure.examples import example_national
from microstructure.programs import Activity
from microstructure.scheduling import (
    HolidayPolicy,
    MonthlyMeeting,
    NetworkSchedule,
    TeamSchedule,
    Weekday,
    WeeklySession,
    conflicts,
    expand,
    to_ical,
)
from microstructure.teams import NationalCoordination, Network, Role

COUNT = 150
START, END = pendulum.date(2026, 1, 1), pendulum.date(2026, 12, 31)
DEPARTMENTS = ("67", "68", "57", "75", "974")


def build() -> tuple[NationalCoordination, NetworkSchedule]:
    """150 microstructures, each with its own people, and their 600 rules."""
    templates = [ms for network in example_national().networks for ms in network.microstructures]
    teams, schedules = [], []
    days = list(Weekday)[:5]
    for index in range(COUNT):
        template = templates[index % len(templates)]
        members = tuple(attrs.evolve(p, id=f"{p.id}-{index}") for p in template.members)
        if not any(p.role is Role.PSYCHIATRIST for p in members):
            members = (
                *members,
                attrs.evolve(members[-1], id=f"psychiatre-{index}", role=Role.PSYCHIATRIST),
            )
        site = attrs.evolve(template.site, id=f"site-{index}", department=DEPARTMENTS[index % 5])
        ms = attrs.evolve(template, id=f"ms-{index}", site=site, members=members)
        teams.append(ms)
        common = {"valid_from": START, "duration": pendulum.duration(hours=3)}
        rules = (
            WeeklySession(
                id="psy",
                activity=Activity.PSYCHOLOGIST_CONSULTATIONS,
                weekday=days[index % 5],
                start_time=pendulum.time(9),
                holiday_policy=HolidayPolicy.NEXT_WORKING_DAY,
                **common,
            ),
            WeeklySession(
                id="social",
                activity=Activity.SOCIAL_WORKER_CONSULTATIONS,
                weekday=days[(index + 1) % 5],
                start_time=pendulum.time(14),
                **common,
            ),
            MonthlyMeeting(
                id="rcp",
                activity=Activity.RCP,
                ordinal=index % 4 + 1,
                weekday=Weekday.THURSDAY,
                start_time=pendulum.time(12, 30),
                holiday_policy=HolidayPolicy.NEXT_WORKING_DAY,
                **common,
            ),
            MonthlyMeeting(
                id="psychiatre",
                activity=Activity.PSYCHIATRIST_SESSIONS,
                ordinal=-1,
                weekday=days[(index + 2) % 5],
                start_time=pendulum.time(14),
                **common,
            ),
        )
        schedules.append(TeamSchedule(microstructure=ms.id, rules=rules))
    network = Network(
        id="bench", name="Benchmark network", region="44", microstructures=tuple(teams)
    )
    return NationalCoordination(networks=(network,)), NetworkSchedule(tuple(schedules))


def timed(label: str, action: Callable[[], Any], repeat: int = 5) -> Any:
    """Run ``action`` ``repeat`` times; print the median and best wall times."""
    times, result = [], None
    for _ in range(repeat):
        begin = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - begin)
    print(f"{label:<48} median {statistics.median(times):7.3f} s   best {min(times):7.3f} s")
    return result


def main() -> None:
    teams, schedules = build()
    # Warm the caches a vendor's long-running process would have warm (holiday tables).
    expand(schedules, teams, START, START)
    occurrences = timed(
        "expand: 150 microstructures, 1 year", lambda: expand(schedules, teams, START, END)
    )
    timed(
        "conflicts over the expanded year",
        lambda: conflicts(occurrences, buffer=dt.timedelta(minutes=30)),
    )
    ics = timed("to_ical: same network and year", lambda: to_ical(schedules, teams, START, END))
    calendar = icalendar.Calendar.from_ical(ics)
    low, high = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    peer = timed(
        "peer: recurring_ical_events expands the .ics",
        lambda: recurring_ical_events.of(calendar).between(low, high),
        repeat=3,
    )
    print(
        f"occurrences: {len(occurrences)} (peer finds {len(peer)}); rules: {4 * COUNT}; "
        f".ics size: {len(ics) / 1024:.0f} KiB, "
        f"{sum(1 for _ in calendar.walk('VEVENT'))} VEVENTs"
    )


if __name__ == "__main__":
    main()
