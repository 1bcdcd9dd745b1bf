"""Shared benchmark data: a network of N microstructures and their schedule rules.

The teams are the bundled example microstructures replicated with new ids, in Alsace,
Paris and La Réunion. Each has a weekly psychologist session, a weekly social-worker
session, a monthly RCP and a monthly psychiatrist session (4 rules per team).
"""

from __future__ import annotations

import attrs
import pendulum

from microstructure.examples import example_national
from microstructure.programs import Activity
from microstructure.scheduling import (
    HolidayPolicy,
    MonthlyMeeting,
    NetworkSchedule,
    TeamSchedule,
    Weekday,
    WeeklySession,
)
from microstructure.teams import Microstructure, NationalCoordination, Network, Role

__all__ = ["DEPARTMENTS", "network", "schedules"]

DEPARTMENTS = ("67", "68", "57", "75", "974")


def _team(template: Microstructure, index: int) -> Microstructure:
    members = tuple(attrs.evolve(p, id=f"{p.id}-{index}") for p in template.members)
    if not any(p.role is Role.PSYCHIATRIST for p in members):
        members = (
            *members,
            attrs.evolve(members[-1], id=f"psychiatre-{index}", role=Role.PSYCHIATRIST),
        )
    site = attrs.evolve(template.site, id=f"site-{index}", department=DEPARTMENTS[index % 5])
    return attrs.evolve(template, id=f"ms-{index}", site=site, members=members)


def network(count: int) -> Network:
    """A network of ``count`` microstructures, each with its own people."""
    national = example_national()
    templates = [ms for net in national.networks for ms in net.microstructures]
    first = national.networks[0]
    return Network(
        id="bench",
        name="Benchmark network",
        region="44",
        coordination=first.coordination,
        microstructures=tuple(_team(templates[i % len(templates)], i) for i in range(count)),
    )


def schedules(teams: Network, start: pendulum.Date) -> tuple[NationalCoordination, NetworkSchedule]:
    """The national level holding ``teams`` and the 4 rules of each of its microstructures."""
    days = list(Weekday)[:5]
    out = []
    for index, ms in enumerate(teams.microstructures):
        common = {"valid_from": start, "duration": pendulum.duration(hours=3)}
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
        out.append(TeamSchedule(microstructure=ms.id, rules=rules))
    return NationalCoordination(networks=(teams,)), NetworkSchedule(tuple(out))
