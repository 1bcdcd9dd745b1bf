"""The ``microstructure check`` command: validate a team file and print its findings."""

from __future__ import annotations

import argparse
import sys

from microstructure.cli._findings import print_invalid, print_report
from microstructure.cli._input import load_input, parse_date, read_teams
from microstructure.cli._main import EXIT_INPUT
from microstructure.errors import FindingsReport, ValidationError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "check",
        help="validate a national, network or microstructure JSON file and list its findings",
        description="Exit status: 0 no error finding, 1 error findings, 2 unreadable or "
        "invalid file.",
    )
    parser.add_argument("file", nargs="?", help="JSON file (national, network or microstructure)")
    parser.add_argument(
        "--example", action="store_true", help="check the bundled example instead of a file"
    )
    parser.add_argument("--on", type=parse_date, help="judge program memberships at DATE")
    parser.add_argument(
        "--program",
        action="append",
        default=[],
        metavar="FILE",
        help="a network's own program definition (TOML or JSON) overriding a shipped one",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate the file, print findings, return the exit status."""
    from microstructure.examples import example_national  # noqa: PLC0415
    from microstructure.programs import load_program  # noqa: PLC0415
    from microstructure.teams import check  # noqa: PLC0415

    if args.example == bool(args.file):
        print("microstructure check: give a team file, or --example", file=sys.stderr)  # noqa: T201
        return EXIT_INPUT
    try:
        subject = example_national() if args.example else read_teams(args.file)
    except ValidationError as exc:
        return print_invalid("check", exc, args.format)
    overrides = [load_input(path, "program", load_program) for path in args.program]
    return print_report(
        FindingsReport.of(check(subject, on=args.on, overrides=overrides)), args.format
    )
