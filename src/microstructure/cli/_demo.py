"""The ``microstructure demo`` command: the whole chain on a part of the synthetic nation.

The screens: the nation and one network with the findings of its team file, a month of
one team's sessions, three eligibility decisions with their reasons, anonymous codes,
and the year's main indicators after disclosure control. The library does the work
(`microstructure.synthetic`, `teams`, `scheduling`, `records`, `eligibility`,
`identifiers`, `evaluation`); this module chooses what to show and prints it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
from typing import IO, TYPE_CHECKING, Final

from microstructure.cli._input import parse_date

if TYPE_CHECKING:
    import pendulum
    from rich.console import Console

    from microstructure.eligibility import Decision
    from microstructure.evaluation import Cell, Report
    from microstructure.records import Event
    from microstructure.synthetic import Nation
    from microstructure.teams import Network

__all__ = ["add_parser", "run"]

#: The seed of the nation the demo shows, and the part of it that is computed: one
#: network (Bas-Rhin: Alsace-Moselle, both programs), about 4,000 events.
SEED: Final = 0
NETWORK: Final = "reseau-fictif-67"
#: The period of the synthetic nation, and the day the demo stands on by default.
FIRST_DAY: Final = dt.date(2021, 1, 1)
LAST_DAY: Final = dt.date(2023, 12, 31)
DEFAULT_DAY: Final = dt.date(2023, 12, 15)
#: The indicators of the year's table, with their short column titles.
INDICATORS: Final = (
    ("active-file", "active file"),
    ("new-inclusions", "new inclusions"),
    ("consultations-per-patient", "consult. per patient"),
    ("psychologist-presence", "psy. presence"),
)
BY_SEX: Final = "active-file"
_THRESHOLD: Final = 11
_PATIENTS_READ: Final = 40  # events of the first patients: enough for one referral


def _day(text: str) -> pendulum.Date:
    """A day of the synthetic nation's period (argparse ``type=``)."""
    day = parse_date(text)
    if not FIRST_DAY <= day <= LAST_DAY:
        msg = (
            f"expected a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()} "
            f"(the synthetic nation's period), got {text!r}"
        )
        raise argparse.ArgumentTypeError(msg)
    return day


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "demo",
        help="show the whole chain on the synthetic nation: teams, sessions, eligibility, "
        "codes, indicators",
        description="Builds the synthetic nation (seed 0), then computes on one of its "
        "networks: the national team file's findings, a month of one team's sessions, three "
        "eligibility decisions, anonymous codes and the year's indicators after "
        "disclosure control. Every name is invented. Exit status: 0 shown, "
        "2 bad option or unwritable --html file.",
    )
    parser.add_argument(
        "--on",
        type=_day,
        default=DEFAULT_DAY.isoformat(),
        metavar="DATE",
        help="the day the demo stands on, 2021-01-01 to 2023-12-31: findings judged then, "
        f"its month shown, its year's indicators (default {DEFAULT_DAY.isoformat()})",
    )
    parser.add_argument(
        "--html",
        metavar="FILE",
        help="also write the year's evaluation report page (one self-contained HTML file)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Show the screens; with ``--html``, write the report page; return the exit status."""
    from rich.console import Console  # noqa: PLC0415 - heavy, CLI only

    from microstructure.cli._files import safe_output  # noqa: PLC0415
    from microstructure.evaluation import render, report  # noqa: PLC0415
    from microstructure.synthetic import nation, nation_database  # noqa: PLC0415

    on: pendulum.Date = args.on
    console = Console(highlight=False)
    synthetic = nation(seed=SEED)
    network = next(n for n in synthetic.teams.networks if n.id == NETWORK)
    _teams(console, synthetic, network, on)
    _month(console, synthetic, network, on)
    first = list(itertools.islice(synthetic.events(network=NETWORK), _PATIENTS_READ))
    _eligibility(console, first)
    _codes(console, first)
    # The output file is checked before the work and written once the report is complete.
    html: contextlib.AbstractContextManager[IO[str] | None] = (
        safe_output(args.html, protected=[], private=False)
        if args.html is not None
        else contextlib.nullcontext()
    )
    with html as out:
        with nation_database(synthetic, network=NETWORK) as database:
            published = report(
                database,
                [identifier for identifier, _ in INDICATORS],
                periods=[str(on.year)],
                levels=["network", "microstructure"],
                breakdowns=[None, "sex"],
                threshold=_THRESHOLD,
                title=f"Evaluation report {on.year}: {network.name} (synthetic nation)",
                charts=out is not None,
            )
        _indicators(console, published, network, on.year)
        if out is not None:
            out.write(render(published, "html"))
    if args.html is not None:
        console.print(
            f"Wrote the {on.year} report page of {network.name} to {args.html}",
            soft_wrap=True,
            markup=False,
        )
    _next(console)
    return 0


# -- 1. teams ------------------------------------------------------------------------------


def _teams(console: Console, synthetic: Nation, network: Network, on: pendulum.Date) -> None:
    from rich.table import Table  # noqa: PLC0415

    from microstructure.teams import Role, check, count_roles  # noqa: PLC0415
    from microstructure.territory import region  # noqa: PLC0415

    teams = synthetic.teams
    figures = synthetic.figures
    console.rule("[bold]1 · The synthetic nation and one of its networks[/bold]")
    console.print(
        f"{teams.name}, seed {synthetic.seed}: {len(teams.networks)} networks, "
        f"{sum(len(n.microstructures) for n in teams.networks)} microstructures, built "
        'to reproduce the CNRMS poster "Les microstructures médicales". '
        "Every name is invented. To stay fast, the screens below compute on one network, "
        f"{network.name}, and its records only."
    )
    roles = Table(title="Professionals by role (distinct people)", title_justify="left")
    for column in ("role", "rôle", "nation", "poster"):
        roles.add_column(column, justify="left" if column.startswith("r") else "right")
    total = count_roles(teams)
    poster = {
        Role.GENERAL_PRACTITIONER: figures.general_practitioners,
        Role.PSYCHOLOGIST: figures.psychologists,
        Role.SOCIAL_WORKER: figures.social_workers,
        Role.PSYCHIATRIST: figures.psychiatrists,
    }
    for role, expected in poster.items():
        roles.add_row(role.label, role.label_fr, f"{total[role]:,}", f"{expected:,}")
    console.print(roles)
    members = Table(
        title=f"{network.name} ({region(network.region).name}): its microstructures",
        title_justify="left",
    )
    for column in ("id", "site", "team", "programs"):
        members.add_column(column, overflow="fold", no_wrap=column == "id")
    for ms in network.microstructures:
        counts = count_roles(ms)
        team = ", ".join(
            f"{counts[role]} {label}"
            for role, label in (
                (Role.GENERAL_PRACTITIONER, "GP"),
                (Role.PSYCHOLOGIST, "psy"),
                (Role.SOCIAL_WORKER, "social"),
                (Role.PSYCHIATRIST, "psych"),
            )
            if counts[role]
        )
        programs = ", then ".join(
            f"{m.program} {m.valid_from.year}" + (f"–{m.valid_until.year}" if m.valid_until else "")
            for m in ms.programs
        )
        members.add_row(ms.id, ms.site.kind.value, team, programs)
    console.print(members)
    findings = check(teams, on=on, overrides=synthetic.programs)
    summary = Table(
        title=f"Findings of the national team file ({len(findings)}), judged on {on.isoformat()}",
        title_justify="left",
    )
    for column in ("severity", "code", "count", "first message"):
        summary.add_column(
            column, overflow="fold", justify="right" if column == "count" else "left"
        )
    by_code: dict[str, list[object]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
    for code, found in by_code.items():
        head = findings[[f.code for f in findings].index(code)]
        summary.add_row(head.severity.value, code, str(len(found)), head.message)
    if not findings:
        summary.add_row("", "", "0", "no finding")
    console.print(summary)


# -- 2. a month of sessions ----------------------------------------------------------------


def _month(console: Console, synthetic: Nation, network: Network, on: pendulum.Date) -> None:
    import calendar  # noqa: PLC0415

    import pendulum  # noqa: PLC0415

    from microstructure.cli._schedule import print_month  # noqa: PLC0415
    from microstructure.scheduling import NetworkSchedule, expand  # noqa: PLC0415

    ms = network.microstructures[0]
    first = pendulum.date(on.year, on.month, 1)
    last = pendulum.date(on.year, on.month, calendar.monthrange(on.year, on.month)[1])
    console.rule(f"[bold]2 · A month of one team's sessions: {ms.id}[/bold]")
    console.print(
        f"{ms.name}, {ms.site.timezone}. Weekly psychologist (psy) and social worker "
        "(social) sessions and a monthly RCP, expanded from the team's schedule with the "
        "public holidays of its department (Alsace-Moselle keeps two more: Good Friday "
        "and 26 December)."
    )
    mine = NetworkSchedule(
        schedules=tuple(s for s in synthetic.schedule.schedules if s.microstructure == ms.id)
    )
    sessions = expand(mine, ms, first, last)
    print_month(sessions, (on.year, on.month), ms, console=console)


# -- 3. eligibility ------------------------------------------------------------------------


def _eligibility(console: Console, events: list[Event]) -> None:
    import attrs  # noqa: PLC0415

    from microstructure.eligibility import decide  # noqa: PLC0415
    from microstructure.records import Inclusion, situation  # noqa: PLC0415

    inclusion = next(e for e in events if isinstance(e, Inclusion))
    console.rule("[bold]3 · Three eligibility decisions, with their reasons[/bold]")
    found = situation(events, inclusion.patient, on=inclusion.date)
    console.print(
        f"Patient {inclusion.patient} of {inclusion.microstructure}, on "
        f"{inclusion.date.isoformat()}: the situation their referral and screening give "
        f"({', '.join(sorted(found.indications or ()))}; "
        f"{', '.join(sorted(found.substances or ())) or 'no substance'}; "
        f"{', '.join(sorted(found.answers)) or 'no screening'}), decided for Equip'addict "
        "as the records leave it, then once the team knows whether another addiction "
        "scheme follows the patient."
    )
    steps: tuple[tuple[str, frozenset[str] | None], ...] = (
        ("As the records say (another scheme following them? not recorded)", None),
        ("The GP confirms that no other scheme follows them", frozenset()),
        ("A CSAPA already follows them", frozenset({"csapa"})),
    )
    for title, followed in steps:
        known = found if followed is None else attrs.evolve(found, followed_by=followed)
        console.print(f"[bold]{title}[/bold]")
        console.print(_brief(decide(known, "equip-addict")), markup=False)


def _brief(decision: Decision) -> str:
    """The decision, its first-level reasons and what to collect (the full tree: ``explain``)."""
    root = decision.explanation
    lines = [f"→ {decision.outcome.label}", *root.lines()[:1]]
    lines += [child.lines(depth=1)[0] for child in root.children]
    if decision.to_collect:
        lines.append(f"To collect: {', '.join(decision.to_collect)}")
    return "\n".join(lines)


# -- 4. anonymous codes --------------------------------------------------------------------


def _codes(console: Console, events: list[Event]) -> None:
    from rich.table import Table  # noqa: PLC0415

    from microstructure.identifiers import AnonymousCode, InvalidCodeError  # noqa: PLC0415
    from microstructure.records import Patient  # noqa: PLC0415

    code = next(str(e.patient) for e in events if isinstance(e, Patient))
    console.rule("[bold]4 · Anonymous codes[/bold]")
    console.print(
        "The records know a patient only by an anonymous code: random symbols and two "
        "check symbols, so that a mistyped code is refused, never taken for another "
        "patient's."
    )
    typed = (
        code.lower().replace("-", " "),
        code[:5] + code[6] + code[5] + code[7:],
        code[:-1] + ("X" if code[-1] != "X" else "Y"),
    )
    table = Table(title_justify="left")
    table.add_column("typed")
    table.add_column("read as", overflow="fold")
    for text in typed:
        try:
            table.add_row(text, f"[green]{AnonymousCode.parse(text)}[/green] (valid)")
        except InvalidCodeError as exc:
            table.add_row(
                text, f"[red]refused[/red]: {exc.message.removeprefix('invalid anonymous code: ')}"
            )
    console.print(table)


# -- 5. indicators -------------------------------------------------------------------------


def _shown(cell: Cell | None, unit: str) -> str:
    if cell is None:
        return "–"
    if cell.mask is not None:
        return f"[yellow]masked ({cell.mask.value})[/yellow]"
    if cell.value is None:
        return "no value"
    if unit == "percent":
        return f"{cell.value:.0f} %"
    if unit == "count":
        return f"{cell.value:,.0f}"
    return f"{cell.value:.1f}"


def _indicators(console: Console, published: Report, network: Network, year: int) -> None:
    from rich.table import Table  # noqa: PLC0415

    from microstructure.evaluation import Level, Mask  # noqa: PLC0415

    table = published.table
    units = {i.id: i.unit.value for i in table.indicators}
    rows = [(Level.NETWORK, network.id)] + [
        (Level.MICROSTRUCTURE, ms.id) for ms in network.microstructures
    ]
    console.rule(f"[bold]5 · The year's main indicators, {year}, after disclosure control[/bold]")
    console.print(
        f"Computed by DuckDB on {network.name} only (one network's records, seed "
        f"{SEED}, to stay fast), then disclosure control with a threshold of "
        f"{published.threshold}."
    )
    main = Table(title=f"Indicators {year}", title_justify="left")
    main.add_column("unit", no_wrap=True)
    for _, title in INDICATORS:
        main.add_column(title, justify="right", min_width=len("(secondary)"))
    for level, unit in rows:
        cells = []
        for identifier, _ in INDICATORS:
            found = table.select(identifier, unit, level=level, breakdown=None, category=None)
            cells.append(_shown(found[0] if found else None, units[identifier]))
        main.add_row(unit, *cells)
    console.print(main)
    by_sex = table.select(BY_SEX, breakdown="sex", by=None)
    categories = sorted({c.category for c in by_sex if c.category is not None})
    split = Table(title=f"Active file by sex, {year}", title_justify="left")
    split.add_column("unit", no_wrap=True)
    for category in categories:
        split.add_column(category, justify="right")
    for level, unit in rows:
        split.add_row(
            unit,
            *(
                _shown(
                    next(
                        (
                            c
                            for c in by_sex
                            if c.level is level and c.unit == unit and c.category == category
                        ),
                        None,
                    ),
                    "count",
                )
                for category in categories
            ),
        )
    console.print(split)
    masked = sum(c.mask is not None for c in table.cells)
    console.print(
        f"{masked} of {len(table.cells)} cells masked. "
        f"[yellow]masked ({Mask.PRIMARY.value})[/yellow]: a count from 1 to "
        f"{published.threshold - 1}, which could point at a patient; "
        f"[yellow]masked ({Mask.SECONDARY.value})[/yellow]: hidden so that a masked count "
        "cannot be worked out from the totals; "
        f"[yellow]masked ({Mask.DERIVED.value})[/yellow]: a ratio resting on a masked count."
    )


def _next(console: Console) -> None:
    console.rule("[bold]Next[/bold]")
    console.print(
        "Every name above is invented. Next, try:\n"
        "  microstructure demo --html report.html   [dim]# the year's report page[/dim]\n"
        "  microstructure synthesize --out nation   [dim]# the whole nation as files[/dim]\n"
        "  microstructure example --out demo && cd demo   "
        "[dim]# a small example as files[/dim]\n"
        "  microstructure check network.json\n"
        "  microstructure eligibility situations.csv\n"
        "  microstructure schedule network.json --month 2026-03 --held held.json\n"
        "  microstructure --help",
        highlight=False,
    )
