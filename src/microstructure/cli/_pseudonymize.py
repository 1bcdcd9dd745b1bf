"""The ``microstructure pseudonymize`` command: replace identity columns by a pseudonym.

It streams the input row by row (memory stays bounded whatever the size), writes
through the shared safe writer (`microstructure.cli._files.safe_output`: a part file
renamed at the end, owner-only, never over an input or key), writes the pseudonym and
only the columns named by ``--keep``, and reports bad rows by line number without
their content.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import sys
from collections.abc import Iterator
from typing import IO, Self

from microstructure.cli._files import DELIMITERS, check_input, safe_output
from microstructure.cli._main import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK
from microstructure.errors import ConfigurationError, ValidationError
from microstructure.identifiers import Identity, Key, Pseudonymizer, parse_birth_date, parse_sex
from microstructure.io import CountedLines, guess_delimiter, text_lines

__all__ = ["add_parser", "run"]

_REQUIRED_FIELDS = ("birth_name", "first_name", "birth_date", "sex")
_OPTIONAL_FIELDS = ("used_name", "other_given_names")
_FIELDS = _REQUIRED_FIELDS + _OPTIONAL_FIELDS
_MAX_REPORTED = 50
_PROGRESS_EVERY = 4096


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "pseudonymize",
        help="replace the identity columns of a CSV file by a keyed pseudonym",
        description="Read IN (CSV with a header line), write OUT with a pseudonym column "
        "and the non-identity columns only. Exit status: 0 every row pseudonymised, 1 some "
        "rows were bad (reported by line number, left out of OUT), 2 unusable input, key "
        "or options.",
    )
    parser.add_argument("input", metavar="IN", nargs="?", help="input CSV file with a header line")
    parser.add_argument(
        "output",
        metavar="OUT",
        nargs="?",
        help="output CSV file (replaced atomically); with --example, give OUT only",
    )
    parser.add_argument(
        "--example",
        action="store_true",
        help="read the bundled identities.csv of invented people instead of IN",
    )
    parser.add_argument(
        "--site-key-file",
        required=True,
        metavar="FILE",
        help="site key file (from `microstructure key new`, or 64 hexadecimal digits), "
        "readable by its owner only (chmod 600)",
    )
    parser.add_argument(
        "--national-key-file",
        metavar="FILE",
        help="national key: apply the national tier too (v1n: pseudonyms)",
    )
    parser.add_argument(
        "--allow-shared-key-file",
        action="store_true",
        help="accept key files that other users may read (refused by default, as ssh does)",
    )
    parser.add_argument(
        "--columns",
        default="",
        metavar="MAPPING",
        help="identity fields to column names, e.g. birth_name=NOM,first_name=PRENOM,"
        "birth_date=DDN,sex=SEXE (optional: used_name=..., other_given_names=...); "
        "a field not mapped is read from the column of its own name",
    )
    parser.add_argument(
        "--drop",
        default="",
        metavar="COLUMNS",
        help="other identifying columns never to write (comma-separated), e.g. ADRESSE,TEL",
    )
    parser.add_argument(
        "--keep",
        default=None,
        metavar="COLUMNS",
        help="copy these columns besides the pseudonym (comma-separated); default: none, "
        "so that no column is copied unless named here (identity columns never are)",
    )
    parser.add_argument(
        "--output-column", default="pseudonym", metavar="NAME", help="name of the new column"
    )
    parser.add_argument(
        "--delimiter",
        choices=list(DELIMITERS),
        default="auto",
        help="field delimiter (also used for OUT); auto (the default) picks the most "
        "frequent of comma, semicolon, tab and pipe in the header line",
    )
    parser.add_argument("--encoding", default="utf-8-sig", help="input encoding (utf-8-sig)")
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar, even on a terminal"
    )
    parser.set_defaults(func=run)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _mapping(text: str) -> dict[str, str]:
    mapping = {field: field for field in _REQUIRED_FIELDS}
    for item in _split(text):
        field, sep, column = item.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not column or field not in _FIELDS:
            msg = (
                f"--columns: expected FIELD=COLUMN items with FIELD one of "
                f"{', '.join(_FIELDS)}, got {item!r}"
            )
            raise ConfigurationError(msg)
        mapping[field] = column
    return mapping


def _key(option: str, path: str, *, allow_shared: bool) -> Key:
    # Never show the path: a key typed in place of its path would be printed back.
    try:
        return Key.from_file(path, allow_shared=allow_shared)
    except ConfigurationError as exc:
        hint = " (or pass --allow-shared-key-file)" if "chmod 600" in str(exc) else ""
        msg = f"{option}: {exc}{hint}"
        raise ConfigurationError(msg) from None


def _load_keys(args: argparse.Namespace) -> Pseudonymizer:
    shared = args.allow_shared_key_file
    site = _key("--site-key-file", args.site_key_file, allow_shared=shared)
    national = (
        _key("--national-key-file", args.national_key_file, allow_shared=shared)
        if args.national_key_file
        else None
    )
    return Pseudonymizer(site_key=site, national_key=national)


def _delimiter(choice: str, first_line: str) -> str:
    chosen = DELIMITERS[choice]
    return guess_delimiter(first_line) if chosen is None else chosen


class _Layout:
    """Where the identity fields are, and which columns are written."""

    def __init__(self, header: list[str], args: argparse.Namespace) -> None:
        mapping = _mapping(args.columns)
        missing = [column for column in mapping.values() if column not in header]
        if missing:
            msg = f"missing column(s) in the header: {', '.join(repr(c) for c in missing)}"
            raise ConfigurationError(msg)
        if len(set(header)) != len(header):
            msg = "the header repeats a column name"
            raise ConfigurationError(msg)
        identity_columns = (
            set(mapping.values()) | set(_split(args.drop)) | (set(_OPTIONAL_FIELDS) & set(header))
        )
        kept = _split(args.keep or "")
        if kept:
            unknown = [c for c in kept if c not in header]
            if unknown:
                msg = f"--keep names unknown column(s): {', '.join(repr(c) for c in unknown)}"
                raise ConfigurationError(msg)
            forbidden = [c for c in kept if c in identity_columns]
            if forbidden:
                msg = (
                    "--keep names identity or dropped column(s), never written: "
                    f"{', '.join(repr(c) for c in forbidden)}"
                )
                raise ConfigurationError(msg)
        if args.output_column in kept:
            msg = f"--output-column {args.output_column!r} is also a kept input column"
            raise ConfigurationError(msg)
        self.width = len(header)
        self.index = {field: header.index(column) for field, column in mapping.items()}
        self.columns = dict(mapping)
        self.kept = [header.index(column) for column in kept]
        self.out_header = [args.output_column, *kept]


def _identity_of(row: list[str], layout: _Layout) -> tuple[Identity | None, str | None]:
    """The row's Identity, or None and a message naming the bad column."""
    index = layout.index
    try:
        birth_date = parse_birth_date(row[index["birth_date"]])
        sex = parse_sex(row[index["sex"]])
        used_name = row[index["used_name"]] if "used_name" in index else None
        others = row[index["other_given_names"]].split() if "other_given_names" in index else []
        identity = Identity(
            birth_name=row[index["birth_name"]],
            first_name=row[index["first_name"]],
            birth_date=birth_date,
            sex=sex,
            used_name=used_name or None,
            other_given_names=tuple(others),
        )
    except ValidationError as exc:
        detail = exc.errors[0]
        field = detail.path.removeprefix("$.").split("[")[0]
        return None, f"column {layout.columns.get(field, field)!r}: {detail.message}"
    return identity, None


class _Progress:
    """A rich progress bar on standard error, by bytes read; rich is imported lazily."""

    def __init__(self, total: int) -> None:
        from rich.console import Console  # noqa: PLC0415 - only on a terminal
        from rich.progress import Progress  # noqa: PLC0415

        self._bar = Progress(console=Console(stderr=True), transient=True)
        self._task = self._bar.add_task("pseudonymising", total=total)

    def __enter__(self) -> Self:
        self._bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._bar.stop()

    def update(self, done: int) -> None:
        self._bar.update(self._task, completed=done)


def run(args: argparse.Namespace) -> int:
    """Pseudonymise the file; return 0, 1 if some rows were bad, 2 on unusable input."""
    given = [path for path in (args.input, args.output) if path is not None]
    if len(given) != (1 if args.example else 2):
        usage = "give IN and OUT, or --example and OUT"
        print(f"microstructure pseudonymize: {usage}", file=sys.stderr)  # noqa: T201
        return EXIT_INPUT
    if not args.example:
        return _run(args)
    from importlib import resources  # noqa: PLC0415

    bundled = resources.files("microstructure").joinpath("data/examples/identities.csv")
    with resources.as_file(bundled) as path:
        args.input, args.output = str(path), given[0]
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    source = check_input(args.input, what="input")
    protected = [args.input, args.site_key_file, args.national_key_file]
    pseudonymizer = _load_keys(args)
    progress = None
    if not args.no_progress and sys.stderr.isatty():  # pragma: no cover - terminal only
        progress = _Progress(source.stat().st_size)
    try:
        binary = source.open("rb")
    except OSError as exc:  # pragma: no cover - checked just before
        msg = f"cannot read input file {args.input!r}: {exc.strerror}"
        raise ConfigurationError(msg) from None
    with binary, progress or contextlib.nullcontext():
        lines = text_lines(binary, encoding=args.encoding, subject=f"input file {args.input!r}")
        written, bad = _convert(lines, binary, args, pseudonymizer, progress, protected)
    if bad > _MAX_REPORTED:
        print(f"… and {bad - _MAX_REPORTED} more bad row(s)", file=sys.stderr)  # noqa: T201
    left_out = f"; {bad} bad row(s) left out" if bad else ""
    print(f"{written} row(s) pseudonymised into {args.output}{left_out}")  # noqa: T201
    return EXIT_FINDINGS if bad else EXIT_OK


def _convert(  # noqa: PLR0917 - a private step of run
    lines: Iterator[str],
    binary: IO[bytes],
    args: argparse.Namespace,
    pseudonymizer: Pseudonymizer,
    progress: _Progress | None,
    protected: list[str | None],
) -> tuple[int, int]:
    counted = CountedLines(lines)
    numbered = iter(counted)
    try:
        first_line = next(numbered, "")
        delimiter = _delimiter(args.delimiter, first_line)
        header = next(csv.reader([first_line], delimiter=delimiter, strict=True), [])
        if not header:
            msg = f"input file {args.input!r} is empty: expected a header line"
            raise ConfigurationError(msg)
        try:
            layout = _Layout(header, args)
        except ConfigurationError as exc:
            msg = f"input file {args.input!r}: {exc}"
            raise ConfigurationError(msg) from None
        reader = csv.reader(numbered, delimiter=delimiter, strict=True)
        written = bad = 0
        with safe_output(args.output, protected=protected, private=True) as out:
            writer = csv.writer(out, delimiter=delimiter)
            writer.writerow(layout.out_header)
            end = counted.count
            for row in reader:
                start, end = end + 1, counted.count
                if not row:
                    continue  # blank line
                identity, message = (
                    _identity_of(row, layout)
                    if len(row) == layout.width
                    else (None, f"expected {layout.width} fields, got {len(row)}")
                )
                if identity is None:
                    bad += 1
                    if bad <= _MAX_REPORTED:
                        print(f"line {start}: {message}", file=sys.stderr)  # noqa: T201
                    continue
                writer.writerow(
                    [pseudonymizer.pseudonymize(identity), *(row[i] for i in layout.kept)]
                )
                written += 1
                if progress is not None and written % _PROGRESS_EVERY == 0:  # pragma: no cover
                    progress.update(binary.tell())
    except csv.Error as exc:
        msg = (
            f"input file {args.input!r} near line {counted.count}: not CSV ({exc}); "
            "nothing was written"
        )
        raise ConfigurationError(msg) from None
    except ValidationError as exc:  # a line that does not decode
        where = exc.errors[0].path if exc.errors else "?"
        msg = f"input file {args.input!r} at {where}: not {args.encoding} text; nothing was written"
        raise ConfigurationError(msg) from None
    return written, bad
