"""The ``microstructure records`` command: validate, merge and generate care records files."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator

from microstructure.cli._findings import print_invalid, print_report
from microstructure.cli._input import whole_number
from microstructure.cli._main import EXIT_FINDINGS, EXIT_OK
from microstructure.errors import FindingsReport, ValidationError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command and its three subcommands."""
    parser = subparsers.add_parser(
        "records",
        help="validate, merge or generate care pathway records (JSON Lines)",
        description="Care pathway records in the JSON Lines exchange format.",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    validate = sub.add_parser(
        "validate",
        help="check a records file against the team file and list the findings",
        description="Exit status: 0 no error finding, 1 error findings, 2 unreadable or "
        "invalid file.",
    )
    validate.add_argument("file", help="records file (JSON Lines)")
    validate.add_argument("--teams", required=True, help="team file (national or network JSON)")
    validate.add_argument(
        "--program",
        action="append",
        default=[],
        metavar="FILE",
        help="a network's own program definition (TOML or JSON) merged over the shipped ones",
    )
    validate.add_argument("--format", choices=("text", "json"), default="text")
    merge = sub.add_parser(
        "merge",
        help="merge the records files of several sites, one event per id",
        description="Exit status: 0 merged, 1 merged with conflicting duplicates, "
        "2 unreadable or invalid input (nothing written).",
    )
    merge.add_argument("files", nargs="+", help="records files to merge")
    merge.add_argument("--out", required=True, help="merged records file to write")
    generate = sub.add_parser(
        "generate",
        help="write a seeded, valid synthetic records file",
        description="By default, for the bundled example teams and schedule, over 2026.",
    )
    generate.add_argument(
        "--patients", type=whole_number(0), required=True, help="number of patients"
    )
    generate.add_argument("--seed", type=whole_number(0), default=0, help="random seed (default 0)")
    generate.add_argument("--out", required=True, help="records file to write")
    generate.add_argument("--teams", help="team file (national or network JSON)")
    generate.add_argument("--schedule", help="schedule file matching the team file")
    parser.set_defaults(func=run)


@contextlib.contextmanager
def _progress(label: str) -> Iterator[Callable[[int], None] | None]:
    """A rich progress display on a terminal; nothing when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn  # noqa: PLC0415

    with Progress(
        SpinnerColumn(), TextColumn("{task.description} {task.completed:,}"), transient=True
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done: bar.update(task, completed=done)


def _validate(args: argparse.Namespace) -> int:
    from microstructure.programs import load_program  # noqa: PLC0415
    from microstructure.records import validate_file  # noqa: PLC0415
    from microstructure.teams import read_team_file  # noqa: PLC0415

    try:
        teams = read_team_file(args.teams)
        overrides = [load_program(path) for path in args.program]
        with _progress("reading") as progress:
            report = validate_file(args.file, teams, overrides=overrides, progress=progress)
    except ValidationError as exc:
        return print_invalid("records validate", exc, args.format)
    found = FindingsReport.of(report.findings, events=report.events, patients=report.patients)
    return print_report(found, args.format)


def _merge(args: argparse.Namespace) -> int:
    from microstructure.cli._files import safe_output  # noqa: PLC0415
    from microstructure.records import merge_files  # noqa: PLC0415

    try:
        with safe_output(args.out, protected=args.files, private=True) as out:
            count, conflicts = merge_files(args.files, out)
    except ValidationError as exc:
        return print_invalid(f"records {args.action}", exc, "text")
    for finding in conflicts:
        print(finding)  # noqa: T201
    print(f"wrote {count:,} event(s) to {args.out}")  # noqa: T201
    return EXIT_FINDINGS if conflicts else EXIT_OK


def _generate(args: argparse.Namespace) -> int:
    from microstructure.cli._files import safe_output  # noqa: PLC0415
    from microstructure.records import write_records  # noqa: PLC0415
    from microstructure.scheduling import load_schedule  # noqa: PLC0415
    from microstructure.synthetic import generate  # noqa: PLC0415
    from microstructure.teams import read_team_file  # noqa: PLC0415

    try:
        teams = None if args.teams is None else read_team_file(args.teams)
        schedule = None if args.schedule is None else load_schedule(args.schedule)
        events = generate(patients=args.patients, seed=args.seed, teams=teams, schedule=schedule)
        protected = [args.teams, args.schedule]
        with (
            _progress("writing") as progress,
            safe_output(args.out, protected=protected, private=True) as out,
        ):
            count = write_records(out, events, progress=progress)
    except ValidationError as exc:
        return print_invalid(f"records {args.action}", exc, "text")
    print(f"wrote {count:,} event(s) to {args.out}")  # noqa: T201
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run the chosen subcommand; returns the exit status."""
    actions = {"validate": _validate, "merge": _merge, "generate": _generate}
    return actions[args.action](args)
