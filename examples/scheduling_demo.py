"""Expand the example network's schedule, check it, and export one calendar per site.

Run: python examples/scheduling_demo.py
"""

import tempfile
from pathlib import Path

import pendulum

from microstructure.examples import example_national
from microstructure.scheduling import (
    HeldSession,
    OccurrenceKind,
    conflicts,
    conformity,
    example_schedule,
    expand,
    to_ical,
)

teams, schedules = example_national(), example_schedule()
start, end = pendulum.date(2026, 1, 1), pendulum.date(2026, 12, 31)

# 1. One year of sessions, in each site's local time.
year = expand(schedules, teams, start, end)
print(f"{len(year)} sessions in 2026 across {len(schedules.schedules)} microstructures")
for occurrence in year:
    if occurrence.kind is OccurrenceKind.HOLIDAY_MOVED and occurrence.rule == "rcp":
        print(
            f"  {occurrence.microstructure}: RCP of {occurrence.rule_date} ({occurrence.holiday})"
            f" moved to {occurrence.start.format('dddd D MMMM HH:mm', locale='fr')}"
        )

# 2. People shared between teams: no double booking, but little time between two sites.
assert conflicts(year) == ()
tight = conflicts(year, buffer=pendulum.duration(hours=2, minutes=30))
print(f"{len(tight)} sessions leave less than 2h30 to change site, e.g.\n  {tight[0].message}")

# 3. Would holding every planned session meet principles 2 and 3?
plan = [HeldSession.planned(o) for o in year]
for finding in conformity(plan, teams, pendulum.date(2026, 2, 1), end).findings:
    print(f"  {finding.code} {finding.path}: {finding.message_fr}")

# 4. One calendar per site, ready to import.
with tempfile.TemporaryDirectory() as folder:
    for network in teams.networks:
        for ms in network.microstructures:
            path = Path(folder) / f"{ms.site.id}.ics"
            path.write_bytes(to_ical(schedules, teams, start, end, site=ms.site.id, name=ms.name))
            print(f"wrote {path.name} ({path.stat().st_size} bytes)")
