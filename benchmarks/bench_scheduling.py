"""`scheduling.expand` against peers that give the same instants, and how it scales.

Rows, each a median time ratio (ours / peer) with min–max over interleaved repeats,
printed only after both sides are checked to give the same occurrences:

- a network of 150 microstructures (600 rules: weekly psychologist and social-worker
  sessions, monthly RCP and psychiatrist sessions, holiday policies) over one year:
  `expand` vs ``recurring_ical_events`` expanding the `to_ical` export of the same
  rules, the peer **parsing** the .ics inside its timing; same (start, end) instants;
- the same year: `to_ical` vs ``icalendar`` parsing and re-serialising the .ics it made
  (the nearest peer for writing a calendar), same text;
- one weekly rule over 10 years: `expand` vs ``dateutil.rrule`` + ``zoneinfo``, same
  start and end instants;
- scaling, per occurrence: 1,500 teams × 10 years vs 50 teams × 1 year (ours against
  ours; the big run is checked to hold every occurrence of the small one), and the
  memory each occurrence keeps (tracemalloc), against the peer's ``(start, end)`` pair.

Public holidays of every year concerned are loaded before timing (as in a long-running
process); both sides see the same repeats.

Run: python benchmarks/bench_scheduling.py [--big-teams 1500 --big-years 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import tracemalloc
from zoneinfo import ZoneInfo

import _fixtures
import _harness
import icalendar
import pendulum
import recurring_ical_events
from dateutil import rrule

from microstructure.programs import Activity
from microstructure.scheduling import (
    HolidayPolicy,
    Occurrence,
    TeamSchedule,
    Weekday,
    WeeklySession,
    expand,
    to_ical,
)

START = pendulum.date(2026, 1, 1)
ONE_YEAR = pendulum.date(2026, 12, 31)


def _pairs(occurrences: list[Occurrence]) -> list[tuple[float, float]]:
    return sorted((o.start.timestamp(), o.end.timestamp()) for o in occurrences)


def _event_pairs(events: list[icalendar.Event]) -> list[tuple[float, float]]:
    return sorted(
        (e.decoded("DTSTART").timestamp(), e.decoded("DTEND").timestamp()) for e in events
    )


def _without_stamps(ics: bytes) -> list[bytes]:
    """The lines of a calendar, less DTSTAMP (the time it was written)."""
    return [line for line in ics.splitlines() if not line.startswith(b"DTSTAMP")]


def bench_network_year(repeats: int) -> None:
    teams, schedules = _fixtures.schedules(_fixtures.network(150), START)
    ics = to_ical(schedules, teams, START, ONE_YEAR)
    low = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=1)
    high = dt.datetime(2027, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=1)

    def peer() -> list[icalendar.Event]:
        calendar = icalendar.Calendar.from_ical(ics)
        return recurring_ical_events.of(calendar).between(low, high)

    occurrences = expand(schedules, teams, START, ONE_YEAR)  # loads 2025-2027 holidays
    _harness.note(
        f"150 microstructures, 600 rules, 1 year: {len(occurrences):,} occurrences; "
        f".ics {len(ics) / 1024:,.0f} KiB"
    )
    _harness.compare(
        "expand: 150 microstructures, 1 year",
        lambda: expand(schedules, teams, START, ONE_YEAR),
        peer,
        peer_name="recurring_ical_events (parsing the .ics)",
        repeats=repeats,
        same=lambda ours, theirs: (_pairs(ours), _event_pairs(theirs)),
    )
    _harness.compare(
        "to_ical: 150 microstructures, 1 year",
        lambda: to_ical(schedules, teams, START, ONE_YEAR),
        lambda: icalendar.Calendar.from_ical(ics).to_ical(),
        peer_name="icalendar parsing and writing the same .ics",
        repeats=repeats,
        same=lambda ours, theirs: (
            _without_stamps(icalendar.Calendar.from_ical(ours).to_ical()),
            _without_stamps(theirs),
        ),
    )


def bench_one_rule(repeats: int) -> None:
    teams, _ = _fixtures.schedules(_fixtures.network(1), START)
    team = teams.networks[0].microstructures[0]
    rule = WeeklySession(
        id="psy",
        activity=Activity.PSYCHOLOGIST_CONSULTATIONS,
        weekday=Weekday.TUESDAY,
        start_time=pendulum.time(9),
        duration=pendulum.duration(hours=3),
        valid_from=START,
        holiday_policy=HolidayPolicy.KEEP,
    )
    schedule = TeamSchedule(microstructure=team.id, rules=(rule,))
    end = pendulum.date(2035, 12, 31)
    zone = ZoneInfo(team.site.timezone)
    first = rule.first_date
    duration = dt.timedelta(hours=3)
    loops = 20

    def ours() -> list[Occurrence]:
        for _ in range(loops - 1):
            expand(schedule, team, START, end)
        return expand(schedule, team, START, end)

    def peer() -> list[tuple[dt.datetime, dt.datetime]]:
        result: list[tuple[dt.datetime, dt.datetime]] = []
        for _ in range(loops):
            starts = rrule.rrule(
                rrule.WEEKLY,
                dtstart=dt.datetime(first.year, first.month, first.day, 9, tzinfo=zone),
                until=dt.datetime(end.year, end.month, end.day, 23, 59, tzinfo=zone),
            )
            result = [(start, start + duration) for start in starts]
        return result

    _harness.compare(
        "expand: one weekly rule over 10 years",
        ours,
        peer,
        peer_name="dateutil.rrule + zoneinfo",
        repeats=repeats,
        same=lambda a, b: (
            [(o.start.timestamp(), o.end.timestamp()) for o in a],
            [(s.timestamp(), e.timestamp()) for s, e in b],
        ),
        aim="<= 1.3x",
    )
    kept, count = _retained_bytes(lambda: expand(schedule, team, START, end))
    _harness.note(
        f"memory kept per occurrence of one rule of one team (nothing shared between "
        f"occurrences but the rule's strings): {kept / count:,.0f} B"
    )


def _retained_bytes(build: object) -> tuple[int, int]:
    """Bytes still allocated after ``build()``, and the number of items it returned."""
    gc.collect()
    tracemalloc.start()
    kept = build()  # type: ignore[operator]
    gc.collect()
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return size, len(kept)


def bench_scaling(big_teams: int, big_years: int, repeats: int) -> None:
    small_teams, small_years = 50, 1
    big, big_schedules = _fixtures.schedules(_fixtures.network(big_teams), START)
    small, small_schedules = _fixtures.schedules(_fixtures.network(small_teams), START)
    big_end = START.add(years=big_years).subtract(days=1)
    small_end = START.add(years=small_years).subtract(days=1)

    def run_big() -> list[Occurrence]:
        return expand(big_schedules, big, START, big_end)

    def run_small() -> list[Occurrence]:
        return expand(small_schedules, small, START, small_end)

    found = run_big()  # loads every year's holidays, and checks the big run
    kept = {f"ms-{i}" for i in range(small_teams)}
    part = [o for o in found if o.microstructure in kept and o.date <= small_end]
    small_found = run_small()
    _harness.require_equal("the big run holds the small run", part, small_found)
    count_big, count_small = len(found), len(small_found)
    del found, part
    ours, theirs = [], []
    for index in range(repeats):
        order = [(run_big, ours, count_big), (run_small, theirs, count_small)]
        for action, into, count in order if index % 2 == 0 else order[::-1]:
            into.append(_harness.timed(action) / count)
    _harness.summarize(
        _harness.Row(
            f"expand per occurrence: {big_teams:,} teams x {big_years} years "
            f"({count_big:,} occurrences)",
            f"{small_teams} teams x {small_years} year ({count_small:,} occurrences)",
            [t * count_big for t in ours],
            [t * count_big for t in theirs],
            aim="<= 1.1x",
        )
    )
    ours_bytes, ours_count = _retained_bytes(run_small)
    pairs = [(o.start, o.end) for o in small_found]
    zone_cache = {}

    def peer_pairs() -> list[tuple[dt.datetime, dt.datetime]]:
        out = []
        for start, end in pairs:
            zone = zone_cache.setdefault(start.timezone_name, ZoneInfo(start.timezone_name))
            out.append(
                (
                    dt.datetime.fromtimestamp(start.timestamp(), zone),
                    dt.datetime.fromtimestamp(end.timestamp(), zone),
                )
            )
        return out

    peer_bytes, peer_count = _retained_bytes(peer_pairs)
    _harness.note(
        f"memory kept per occurrence, {small_teams} teams x {small_years} year: "
        f"{ours_bytes / ours_count:,.0f} B (aim: half of 0.5 KB); a (start, end) pair of zoneinfo datetimes: "
        f"{peer_bytes / peer_count:,.0f} B"
    )


def run(args: argparse.Namespace) -> None:
    bench_network_year(args.repeats)
    bench_one_rule(args.repeats)
    if args.big_teams:
        bench_scaling(args.big_teams, args.big_years, args.scale_repeats)


if __name__ == "__main__":
    arguments = _harness.parser(__doc__)
    arguments.add_argument("--big-teams", type=int, default=1500, help="0: skip the scaling")
    arguments.add_argument("--big-years", type=int, default=10)
    arguments.add_argument("--scale-repeats", type=int, default=3)
    _harness.main(run, arguments)
