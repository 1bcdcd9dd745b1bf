"""The ``microstructure eligibility`` command: one decision per situation and program.

Reads patient situations with `microstructure.eligibility.read_situations` (CSV and
JSON Lines streamed, a JSON array read whole), decides each with the default policies
(or a network's own), and prints or writes the decisions with their reasons as it goes
(`microstructure.eligibility.write_decisions`).
A bad row is reported with its line and field, never its content, and does not stop
the others. A file given with ``--output`` holds patient-derived data: it is written
through the shared safe writer, readable by its owner only.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING

from microstructure.cli._files import DELIMITERS, check_input, safe_output, with_file_name
from microstructure.cli._main import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK
from microstructure.errors import ValidationError

if TYPE_CHECKING:
    from microstructure.eligibility import DecisionRow, Policy, SituationRow

__all__ = ["add_parser", "run"]

#: The renderings of `microstructure.eligibility.write_decisions`.
_FORMATS = ("text", "json", "csv")
_MAX_REPORTED = 50


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "eligibility",
        help="decide who may enter a program, with the reasons, for patient situations",
        description="Exit status: 0 every row decided, 1 some rows were bad (reported on "
        "stderr with their line and field; the others are decided), 2 unreadable input.",
    )
    parser.add_argument(
        "file", nargs="?", help="situations: .csv or .jsonl (streamed), .json (an array)"
    )
    parser.add_argument(
        "--example", action="store_true", help="decide the bundled example's situations.csv"
    )
    parser.add_argument(
        "--program",
        action="append",
        default=[],
        metavar="ID",
        help="decide for this program only (repeatable; default: every policy)",
    )
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="FILE",
        help="a network's own policy (JSON or TOML) replacing the default of its program",
    )
    parser.add_argument("--format", choices=_FORMATS, default="text")
    parser.add_argument("--lang", choices=("en", "fr"), default="en")
    parser.add_argument(
        "--delimiter",
        choices=list(DELIMITERS),
        default="auto",
        help="CSV field delimiter; auto (the default) picks the most frequent of comma, "
        "semicolon, tab and pipe in the header line",
    )
    parser.add_argument("--encoding", default="utf-8-sig", help="CSV encoding (utf-8-sig)")
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="write there instead of stdout (replaced atomically, readable by you only)",
    )
    parser.set_defaults(func=run)


def _report(row: SituationRow) -> Iterator[str]:
    for error in row.errors:
        if row.line is None:
            yield f"{row.where}{error.path.removeprefix('$')}: {error.message}"
        else:
            field = error.path.removeprefix("$").removeprefix(".") or "(the row)"
            yield f"{row.where}, field {field}: {error.message}"


def _policies(args: argparse.Namespace) -> list[Policy]:
    from microstructure.eligibility import (  # noqa: PLC0415
        default_policies,
        default_policy,
        load_policy,
    )

    overrides = {}
    for path in args.policy:
        check_input(path, what="policy")
        try:
            policy = load_policy(path)
        except ValidationError as exc:
            raise with_file_name(exc, path, "policy") from None
        overrides[policy.program] = policy
    available = {**default_policies(), **overrides}
    programs = args.program or (list(overrides) if overrides else list(available))
    return [default_policy(program, overrides=overrides) for program in programs]


def run(args: argparse.Namespace) -> int:
    """Decide every situation of the file; report bad rows; return the exit status."""
    if args.example == bool(args.file):
        print("microstructure eligibility: give a situations file, or --example", file=sys.stderr)  # noqa: T201
        return EXIT_INPUT
    if args.example:
        from microstructure.cli._example import example_input  # noqa: PLC0415

        with example_input("situations.csv") as path:
            return _run(argparse.Namespace(**{**vars(args), "file": path, "example": False}))
    return _run(args)


class _Decided:
    """Decides the good rows as they are read; reports and counts the bad ones."""

    def __init__(self, policies: list[Policy]) -> None:
        self.policies = policies
        self.situations = self.bad = 0
        self.counts: Counter[str] = Counter()

    def rows(self, rows: Iterable[SituationRow]) -> Iterator[DecisionRow]:
        from microstructure.eligibility import DecisionRow, decide  # noqa: PLC0415

        for row in rows:
            if row.situation is None:
                self.bad += 1
                if self.bad <= _MAX_REPORTED:
                    for message in _report(row):
                        print(message, file=sys.stderr)  # noqa: T201
                continue
            decisions = [decide(row.situation, policy) for policy in self.policies]
            self.counts.update(decision.outcome.value for decision in decisions)
            self.situations += 1
            yield DecisionRow(index=row.index, line=row.line, decisions=decisions)


def _run(args: argparse.Namespace) -> int:
    from microstructure.eligibility import read_situations, write_decisions  # noqa: PLC0415

    check_input(args.file, what="situations")
    decided = _Decided(_policies(args))
    output: contextlib.AbstractContextManager[IO[str]] = (
        safe_output(args.output, protected=[args.file, *args.policy], private=True)
        if args.output
        else contextlib.nullcontext(sys.stdout)
    )
    with output as out, contextlib.ExitStack() as stack:
        rows = read_situations(
            args.file, encoding=args.encoding, delimiter=DELIMITERS[args.delimiter]
        )
        stack.callback(rows.close)
        write_decisions(out, decided.rows(rows), format=args.format, lang=args.lang)
    bad, counts = decided.bad, decided.counts
    if bad > _MAX_REPORTED:
        print(f"… and {bad - _MAX_REPORTED} more bad row(s)", file=sys.stderr)  # noqa: T201
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
    print(  # noqa: T201
        f"{decided.situations} situation(s) decided; {counts.total()} decision(s): {summary}; "
        f"{bad} bad row(s)",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if bad else EXIT_OK
