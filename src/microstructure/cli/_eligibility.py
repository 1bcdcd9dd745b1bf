"""The ``microstructure eligibility`` command: one decision per situation and program.

Reads patient situations with `microstructure.eligibility.read_situations` (CSV and
JSON Lines streamed, a JSON array read whole), decides each with the default policies
(or a network's own), and prints or writes the decisions with their reasons as it goes.
A bad row is reported with its line and field, never its content, and does not stop
the others. A file given with ``--output`` holds patient-derived data: it is written
through the shared safe writer, readable by its owner only.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from microstructure.cli._files import DELIMITERS, check_input, safe_output, with_file_name
from microstructure.cli._main import EXIT_FINDINGS, EXIT_OK
from microstructure.errors import ValidationError

if TYPE_CHECKING:
    from microstructure.eligibility import Decision, Policy, SituationRow

__all__ = ["add_parser", "run"]

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
    parser.add_argument("file", help="situations: .csv or .jsonl (streamed), .json (an array)")
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


def _reasons(decision: Decision, lang: str) -> str:
    from microstructure.eligibility import Truth  # noqa: PLC0415

    root = decision.explanation
    wanted = Truth.UNKNOWN if root.result is Truth.UNKNOWN else root.result
    parts = [child for child in root.children if child.result is wanted] or [root]
    return "; ".join(part.text if lang == "en" else part.text_fr for part in parts)


class _Writer:
    """Writes decisions as they come, in text, JSON or CSV."""

    def __init__(self, out: IO[str], fmt: str, lang: str) -> None:
        self._out, self._fmt, self._lang = out, fmt, lang
        self._first = True
        self._csv = csv.writer(out, lineterminator="\n")
        if fmt == "json":
            out.write("[")
        elif fmt == "csv":
            self._csv.writerow(
                ["line", "code", "program", "outcome", "to_collect", "alerts", "reasons"]
            )

    def write(self, row: SituationRow, decisions: list[Decision]) -> None:
        from microstructure.io import to_data  # noqa: PLC0415

        if self._fmt == "json":
            item = {"line": row.line, "index": row.index, "decisions": to_data(decisions)}
            self._out.write(("\n" if self._first else ",\n") + json.dumps(item, ensure_ascii=False))
        elif self._fmt == "csv":
            for d in decisions:
                self._csv.writerow(
                    [
                        row.line if row.line is not None else row.where,
                        d.code or "",
                        d.program,
                        d.outcome.value,
                        " ".join(d.to_collect),
                        " ".join(a.code for a in d.alerts),
                        _reasons(d, self._lang),
                    ]
                )
        else:
            where = row.where if self._lang == "en" else row.where.replace("line", "ligne")
            for d in decisions:
                self._out.write(f"# {where}\n{d.explain(self._lang)}\n\n")
        self._first = False

    def close(self) -> None:
        if self._fmt == "json":
            self._out.write("\n]\n" if not self._first else "]\n")


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
    from microstructure.eligibility import decide, read_situations  # noqa: PLC0415

    check_input(args.file, what="situations")
    policies = _policies(args)
    situations = bad = 0
    counts: Counter[str] = Counter()
    output: contextlib.AbstractContextManager[IO[str]] = (
        safe_output(args.output, protected=[args.file, *args.policy], private=True)
        if args.output
        else contextlib.nullcontext(sys.stdout)
    )
    with output as out, contextlib.ExitStack() as stack:
        rows = read_situations(
            args.file, encoding=args.encoding, delimiter=DELIMITERS[args.delimiter]
        )
        writer = _Writer(out, args.format, args.lang)
        stack.callback(rows.close)
        for row in rows:
            if row.situation is None:
                bad += 1
                if bad <= _MAX_REPORTED:
                    for message in _report(row):
                        print(message, file=sys.stderr)  # noqa: T201
                continue
            decisions = [decide(row.situation, policy) for policy in policies]
            counts.update(decision.outcome.value for decision in decisions)
            situations += 1
            writer.write(row, decisions)
        writer.close()
    if bad > _MAX_REPORTED:
        print(f"… and {bad - _MAX_REPORTED} more bad row(s)", file=sys.stderr)  # noqa: T201
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
    print(  # noqa: T201
        f"{situations} situation(s) decided; {counts.total()} decision(s): {summary}; "
        f"{bad} bad row(s)",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if bad else EXIT_OK
