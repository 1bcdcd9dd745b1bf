"""The ``microstructure report`` command: indicators safe to publish, as CSV, JSON, Markdown or HTML.

The command only reads its options and files and writes the output: loading the records,
computing the indicators, disclosure control and rendering are the library's
(`microstructure.evaluation`).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from microstructure.cli._input import whole_number
from microstructure.errors import ConfigurationError, MicrostructureError

if TYPE_CHECKING:
    from microstructure.evaluation import Indicator

__all__ = ["add_computation_options", "add_parser", "computation", "run"]

EXIT_OK = 0
_FORMATS = ("csv", "json", "md", "html")
_LARGEST_THRESHOLD = 1_000_000


def _period(text: str) -> object:
    """A reporting period (argparse ``type=``): 2026, 2026-Q2, 2026-05 or START/END."""
    from microstructure.evaluation import ReportingPeriod  # noqa: PLC0415

    try:
        return ReportingPeriod.parse(text)
    except MicrostructureError:
        msg = (
            "expected a period such as 2026, 2026-Q2, 2026-05 or 2026-01-01/2026-06-30, "
            f"got {text!r}"
        )
        raise argparse.ArgumentTypeError(msg) from None


def _member(kind: str, enum_name: str) -> Callable[[str], object]:
    """An argparse ``type=`` reading a member of an enum of `microstructure.evaluation`."""

    def parse(text: str) -> object:
        from microstructure import evaluation  # noqa: PLC0415

        cls: Any = getattr(evaluation, enum_name)
        try:
            return cls(text)
        except ValueError:
            known = ", ".join(member.value for member in cls)
            msg = f"expected a {kind}: one of {known}; got {text!r}"
            raise argparse.ArgumentTypeError(msg) from None

    return parse


def add_computation_options(parser: argparse.ArgumentParser, *, with_report: bool) -> None:
    """The options saying how a report is computed: ``report`` and ``fhir export`` share them.

    ``--period`` (required unless the command can read a computed report instead,
    ``with_report``), ``--level``, ``--breakdown``, ``--threshold`` and ``--schedule``.
    Read them back with `computation`.
    """
    when = "with --period: " if with_report else ""
    parser.add_argument(
        "--period",
        action="append",
        required=not with_report,
        type=_period,
        metavar="P",
        help=(
            "compute the report of these periods from --records (instead of --report): "
            if with_report
            else ""
        )
        + "2026, 2026-Q2, 2026-05 or 2026-01-01/2026-06-30; repeat for several",
    )
    parser.add_argument(
        "--level",
        action="append",
        type=_member("level", "Level"),
        metavar="L",
        help=f"{when}microstructure, network, region or nation; repeat for several "
        "(default network)",
    )
    parser.add_argument(
        "--breakdown",
        action="append",
        type=_member("breakdown", "Dimension"),
        metavar="D",
        help=f"{when}sex, age-band, indication, substance or program; repeat for several",
    )
    parser.add_argument(
        "--threshold",
        type=whole_number(1, _LARGEST_THRESHOLD),
        default=11,
        metavar="N",
        help=f"{when}mask counts from 1 to N-1 (default 11)",
    )
    parser.add_argument(
        "--schedule",
        metavar="FILE",
        help=f"{when}schedule file of the teams (presence, expected RCPs)",
    )


def computation(args: argparse.Namespace) -> dict[str, Any]:
    """The arguments of `microstructure.evaluation.report` given by those options.

    Periods, levels (network by default), breakdowns (the whole first, then each asked)
    and threshold, as `add_computation_options` reads them.
    """
    return {
        "periods": args.period,
        "levels": args.level or ["network"],
        "breakdowns": [None, *(args.breakdown or ())],
        "threshold": args.threshold,
    }


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "report",
        help="compute the evaluation indicators and write a report safe to publish",
        description="Loads care records, computes the indicators of the catalogue at the "
        "levels and periods asked, masks small counts (disclosure control) and writes the "
        "report. Exit status: 0 written, 2 unreadable or invalid input or options "
        "(nothing written).",
    )
    parser.add_argument(
        "records",
        nargs="*",
        metavar="RECORDS",
        help="care records files (JSON Lines, or Parquet by suffix); optional with --db",
    )
    parser.add_argument(
        "--teams", required=True, metavar="FILE", help="team file (national or network JSON)"
    )
    add_computation_options(parser, with_report=False)
    parser.add_argument(
        "--indicator",
        action="append",
        metavar="ID",
        help="an indicator of the catalogue (default: all); repeat for several",
    )
    parser.add_argument(
        "--indicators",
        metavar="FILE",
        help="the network's own indicators (TOML or JSON), added to the catalogue",
    )
    parser.add_argument(
        "--db",
        metavar="FILE",
        help="a DuckDB file keeping the pooled records between runs; RECORDS are added to it",
    )
    parser.add_argument("--title", help="the report's title (default: Evaluation report PERIODS)")
    parser.add_argument("--format", required=True, choices=_FORMATS, help="output format")
    parser.add_argument("--out", required=True, metavar="FILE", help="report file to write")
    parser.set_defaults(func=run)


@contextlib.contextmanager
def _progress() -> Iterator[tuple[Callable[[int], None] | None, Callable[[int, int], None] | None]]:
    """Rich progress on a terminal (records read, then indicators computed); nothing when piped."""
    if not sys.stderr.isatty():
        yield None, None
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn  # noqa: PLC0415

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}"),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        reading = bar.add_task("reading records", total=None)
        computing = bar.add_task("computing indicators", total=None, visible=False)

        def read(done: int) -> None:
            bar.update(reading, completed=done)

        def compute(done: int, total: int) -> None:
            bar.update(reading, visible=False)
            bar.update(computing, completed=done, total=total, visible=True)

        yield read, compute


def _indicators(args: argparse.Namespace) -> list[str | Indicator] | None:
    """The indicators asked for, through the catalogue (an unknown id is a NotFoundError)."""
    from microstructure.cli._input import load_input  # noqa: PLC0415
    from microstructure.evaluation import indicator, indicators, load_indicators  # noqa: PLC0415

    if args.indicators is None:
        if args.indicator is None:
            return None
        return [indicator(identifier) for identifier in args.indicator]
    own = load_input(args.indicators, "indicators", load_indicators)
    catalogue = indicators(overrides=own)
    if args.indicator is None:
        return list(catalogue.values())
    chosen: list[str | Indicator] = []
    for identifier in args.indicator:
        if identifier not in catalogue:
            indicator(identifier)  # the library's NotFoundError, naming the known ids
        chosen.append(catalogue[identifier])
    return chosen


def run(args: argparse.Namespace) -> int:
    """Compute the report and write it; returns the exit status."""
    from microstructure.cli._files import check_input, safe_output  # noqa: PLC0415
    from microstructure.cli._input import load_input, read_teams  # noqa: PLC0415
    from microstructure.evaluation import Database, render, report  # noqa: PLC0415
    from microstructure.scheduling import load_schedule  # noqa: PLC0415
    from microstructure.teams import Microstructure  # noqa: PLC0415

    teams = read_teams(args.teams)
    if isinstance(teams, Microstructure):
        msg = f"team file {args.teams!r}: expected a network or a national file, not one microstructure"
        raise ConfigurationError(msg)
    schedule = (
        None if args.schedule is None else load_input(args.schedule, "schedule", load_schedule)
    )
    for path in args.records:
        check_input(path, what="records")
    if not args.records and args.db is None:
        msg = "no records: give records files, or a --db file holding them"
        raise ConfigurationError(msg)
    chosen = _indicators(args)
    protected = [*args.records, args.teams, args.schedule, args.indicators, args.db]
    # The output is checked before the work (a directory, an input: refused at once) and
    # written only when the report is complete.
    with (
        safe_output(args.out, protected=protected, private=False) as out,
        _progress() as (read, compute),
    ):
        with Database(teams, path=args.db, schedule=schedule) as database:
            for path in args.records:
                database.add_records(path, progress=read)
            published = report(
                database,
                chosen,
                **computation(args),
                title=args.title,
                charts=args.format == "html",
                progress=compute,
            )
        out.write(render(published, args.format))
    cells = published.table.cells
    masked = sum(cell.mask is not None for cell in cells)
    print(f"wrote {len(cells):,} cell(s), {masked:,} masked, to {args.out}")  # noqa: T201
    return EXIT_OK
