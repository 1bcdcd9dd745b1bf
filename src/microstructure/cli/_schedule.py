"""The ``microstructure schedule`` command: expand, check and export a network's schedule."""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from microstructure.cli._files import safe_output
from microstructure.cli._input import in_range, load_input, parse_date, whole_number
from microstructure.cli._main import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK

if TYPE_CHECKING:
    from rich.console import Console

    from microstructure.errors import Finding
    from microstructure.scheduling import HeldSession, NetworkSchedule, Occurrence
    from microstructure.teams import Microstructure, NationalCoordination, Network

__all__ = ["add_parser", "run"]


def _parse_month(text: str) -> tuple[int, int]:
    try:
        parsed = dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        msg = f"expected a month such as 2026-05, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    in_range(parsed.year, text, "2026-05")
    return parsed.year, parsed.month


_MAX_BUFFER = 24 * 60  # a day: more is not travel time
_MAX_DAYS = 3660  # about ten years: the range a schedule is expanded over


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "schedule",
        help="expand a schedule file, list conflicts, show a month, export iCalendar (.ics)",
        description="Expand the schedule of a team file between two dates (or over one "
        "month), report professionals booked twice, optionally check the sessions held, "
        "and write an RFC 5545 calendar. Exit status: 0 no error finding, 1 error findings "
        "(double bookings), 2 unreadable or invalid input.",
    )
    parser.add_argument(
        "teams", nargs="?", help="team file (national, network or microstructure JSON)"
    )
    parser.add_argument(
        "--schedule",
        metavar="FILE",
        help="schedule file (JSON); default: TEAMS.schedule.json next to the team file",
    )
    parser.add_argument(
        "--example",
        action="store_true",
        help="use the bundled example network and its schedule instead of files",
    )
    parser.add_argument("--from", dest="start", type=parse_date, metavar="DATE")
    parser.add_argument("--to", dest="end", type=parse_date, metavar="DATE")
    parser.add_argument(
        "--month",
        type=_parse_month,
        metavar="YYYY-MM",
        help="show this month as a calendar (and use it as the range if --from/--to are not given)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--microstructure", metavar="ID", help="only this microstructure")
    which.add_argument("--site", metavar="ID", help="only this site")
    which.add_argument("--professional", metavar="ID", help="only this professional")
    parser.add_argument("--out", metavar="FILE.ics", help="write an iCalendar file")
    parser.add_argument("--name", help="calendar name written in the .ics file")
    parser.add_argument(
        "--buffer",
        type=whole_number(0, _MAX_BUFFER),
        default=0,
        metavar="MINUTES",
        help="travel time needed between sessions at two sites (default 0)",
    )
    parser.add_argument(
        "--held",
        metavar="FILE",
        help="JSON list of sessions held, to check weekly presence and monthly RCP",
    )
    parser.set_defaults(func=run)


def _inputs(
    args: argparse.Namespace,
) -> tuple[Microstructure | Network | NationalCoordination, NetworkSchedule] | None:
    from microstructure.cli._input import read_teams  # noqa: PLC0415
    from microstructure.examples import example_national  # noqa: PLC0415
    from microstructure.scheduling import example_schedule, load_schedule  # noqa: PLC0415

    if args.example:
        return example_national(), example_schedule()
    if not args.teams:
        print(  # noqa: T201
            "microstructure schedule: give a team file (and --schedule FILE), or --example",
            file=sys.stderr,
        )
        return None
    teams = read_teams(args.teams)  # the team file first: its own message if it is missing
    schedule = args.schedule or _sibling_schedule(args.teams)
    if schedule is None:
        print(  # noqa: T201
            f"microstructure schedule: no --schedule FILE given and no "
            f"{_sibling_name(args.teams)!r} next to the team file",
            file=sys.stderr,
        )
        return None
    return teams, load_input(schedule, "schedule", load_schedule)


def _sibling_name(teams: str) -> str:
    path = Path(teams)
    return str(path.parent / f"{path.stem}.schedule.json")


def _sibling_schedule(teams: str) -> str | None:
    """The schedule kept next to a team file: ``network.json`` → ``network.schedule.json``."""
    candidate = _sibling_name(teams)
    return candidate if Path(candidate).is_file() else None


def _range(args: argparse.Namespace) -> tuple[dt.date, dt.date] | None:
    start, end = args.start, args.end
    if args.month is not None:
        year, month = args.month
        start = start or dt.date(year, month, 1)
        end = end or dt.date(year, month, calendar.monthrange(year, month)[1])
    if start is None or end is None:
        print(  # noqa: T201
            "microstructure schedule: give --from and --to, or --month", file=sys.stderr
        )
        return None
    if (end - start).days > _MAX_DAYS:
        print(  # noqa: T201
            f"microstructure schedule: expected a range of at most {_MAX_DAYS} days, "
            f"got {start} to {end}",
            file=sys.stderr,
        )
        return None
    return start, end


def _read_held(path: str) -> tuple[HeldSession, ...]:
    from microstructure.scheduling import load_held  # noqa: PLC0415

    return load_input(path, "held sessions", load_held)


def run(args: argparse.Namespace) -> int:
    """Expand, check, show and export; return the exit status."""
    import pendulum  # noqa: PLC0415

    from microstructure.errors import Severity  # noqa: PLC0415
    from microstructure.scheduling import (  # noqa: PLC0415
        conflicts,
        conformity,
        expand,
        to_ical,
    )

    inputs = _inputs(args)
    bounds = _range(args) if inputs is not None else None
    if inputs is None or bounds is None:
        return EXIT_INPUT
    teams, schedules = inputs
    start, end = (pendulum.Date(d.year, d.month, d.day) for d in bounds)
    filters = {
        "microstructure": args.microstructure,
        "site": args.site,
        "professional": args.professional,
    }
    everything = expand(schedules, teams, start, end)
    shown = expand(schedules, teams, start, end, **filters)
    findings = conflicts(everything, buffer=dt.timedelta(minutes=args.buffer))
    if args.held:
        report = conformity(
            _read_held(args.held), teams, start, end, microstructure=args.microstructure
        )
        findings += report.findings
    if args.out:
        data = to_ical(schedules, teams, start, end, name=args.name, **filters)
        sibling = _sibling_schedule(args.teams) if args.teams else None
        protected = [args.teams, args.schedule or sibling, args.held]
        with safe_output(args.out, protected=protected, private=False, mode="wb") as out:
            out.write(data)
        print(f"wrote {len(shown)} occurrences to {args.out}")  # noqa: T201
    elif args.month is not None:
        print_month(shown, args.month, teams)
    else:
        _print_list(shown)
    _print_findings(findings)
    return EXIT_FINDINGS if any(f.severity is Severity.ERROR for f in findings) else EXIT_OK


def _short(occurrence: Occurrence) -> str:
    from microstructure.programs import Activity  # noqa: PLC0415

    label = {
        Activity.PSYCHOLOGIST_CONSULTATIONS: "psy",
        Activity.SOCIAL_WORKER_CONSULTATIONS: "social",
        Activity.PSYCHIATRIST_SESSIONS: "psych",
        Activity.RCP: "RCP",
    }[occurrence.activity]
    return f"{occurrence.start.format('HH:mm')} {label}"


def _print_list(shown: list[Occurrence]) -> None:
    for occurrence in shown:
        moved = f" ({occurrence.kind.value})" if occurrence.kind.value != "regular" else ""
        print(  # noqa: T201
            f"{occurrence.start.format('YYYY-MM-DD ddd HH:mm')}–{occurrence.end.format('HH:mm')} "
            f"{occurrence.start.timezone_name} {occurrence.microstructure} {occurrence.rule} "
            f"[{', '.join(occurrence.professionals)}]{moved}"
        )
    print(f"{len(shown)} occurrence(s)")  # noqa: T201


def _holidays(
    teams: Microstructure | Network | NationalCoordination, year: int
) -> dict[dt.date, set[str]]:
    from microstructure.teams import microstructures_of  # noqa: PLC0415
    from microstructure.territory import public_holidays  # noqa: PLC0415

    found: dict[dt.date, set[str]] = defaultdict(set)
    for department in {ms.site.department for ms in microstructures_of(teams).values()}:
        for day, name in public_holidays(department, [year]).items():
            found[day].add(name)
    return found


def print_month(
    shown: list[Occurrence],
    month: tuple[int, int],
    teams: Microstructure | Network | NationalCoordination,
    *,
    console: Console | None = None,
) -> None:
    """The month as an English calendar, with a legend below it (on ``console``).

    Cells hold short words only (times, activity abbreviations, a letter per
    microstructure, "holiday"), so that nothing is folded mid-word at 80 columns; the
    legend gives the microstructure ids and the holidays' (French) names in full.
    """
    from rich.console import Console  # noqa: PLC0415 - heavy, CLI only
    from rich.table import Table  # noqa: PLC0415

    year, number = month
    by_day: dict[dt.date, list[Occurrence]] = defaultdict(list)
    for occurrence in shown:
        by_day[occurrence.date].append(occurrence)
    holidays = _holidays(teams, year)
    ids = sorted({o.microstructure for o in shown})
    letters = {ms: _letter(i) for i, ms in enumerate(ids)} if len(ids) > 1 else {}
    table = Table(title=f"{_MONTHS[number - 1]} {year}", show_lines=True, expand=True)
    for name in _WEEKDAYS:
        table.add_column(name, ratio=1, overflow="fold")
    for week in calendar.Calendar().monthdatescalendar(year, number):
        cells = []
        for day in week:
            if day.month != number:
                cells.append("")
                continue
            lines = [f"[bold]{day.day}[/bold]"]
            if day in holidays:
                lines.append("[red]holiday[/red]")
            for occurrence in by_day.get(day, []):
                letter = letters.get(occurrence.microstructure)
                lines.append(_short(occurrence) + (f" [dim]{letter}[/dim]" if letter else ""))
            cells.append("\n".join(lines))
        table.add_row(*cells)
    console = console if console is not None else Console()
    console.print(table)
    legend = [_ACTIVITY_LEGEND]
    legend += [f"{letter}: {ms}" for ms, letter in letters.items()]
    legend += [
        f"[red]holiday[/red] {day.day} {_MONTHS[number - 1]}: {', '.join(sorted(names))}"
        for day, names in sorted(holidays.items())
        if day.year == year and day.month == number
    ]
    for line in legend:
        console.print(line)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ACTIVITY_LEGEND = (
    "psy: psychologist consultations, social: social worker consultations, "
    "psych: psychiatrist sessions, RCP: multidisciplinary team meeting"
)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _letter(index: int) -> str:
    """A, B, …, Z, AA, AB…: a short key for a microstructure in the month view."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _print_findings(findings: Sequence[Finding]) -> None:
    for finding in findings:
        print(finding)  # noqa: T201
    if findings:
        print(f"{len(findings)} finding(s)")  # noqa: T201
