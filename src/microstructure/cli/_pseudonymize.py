"""The ``microstructure pseudonymize`` command: replace identity columns by a pseudonym.

It streams the input row by row (memory stays bounded whatever the size), writes to
a temporary file in the output's directory and renames it at the end (an interrupted
run leaves no partial output), never writes an identity column, and reports bad rows
by line number without their content.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Self

import pendulum

from microstructure.errors import ConfigurationError, ValidationError
from microstructure.identifiers import Identity, Key, Pseudonymizer, Sex

__all__ = ["add_parser", "run"]

_REQUIRED_FIELDS = ("birth_name", "first_name", "birth_date", "sex")
_OPTIONAL_FIELDS = ("used_name", "other_given_names")
_FIELDS = _REQUIRED_FIELDS + _OPTIONAL_FIELDS
_MAX_REPORTED = 50
_PROGRESS_EVERY = 4096
_DELIMITERS = {"auto": None, "comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}

_SEX_SPELLINGS = {
    **dict.fromkeys(("1", "m", "h", "male", "homme", "masculin"), "male"),
    **dict.fromkeys(("2", "f", "female", "femme", "feminin", "féminin"), "female"),
    **dict.fromkeys(
        ("0", "9", "i", "u", "x", "unknown", "inconnu", "indetermine", "indéterminé"), "unknown"
    ),
}
_SEX_EXPECTED = "a sex: 1/M/H/male/homme, 2/F/female/femme, or 0/9/I/U/X/unknown/inconnu"
_DATE_EXPECTED = "a birth date as YYYY-MM-DD or DD/MM/YYYY"


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
    parser.add_argument("input", metavar="IN", help="input CSV file with a header line")
    parser.add_argument("output", metavar="OUT", help="output CSV file (replaced atomically)")
    parser.add_argument(
        "--site-key-file", required=True, metavar="FILE", help="site key (hex or raw bytes)"
    )
    parser.add_argument(
        "--national-key-file",
        metavar="FILE",
        help="national key: apply the national tier too (v1n: pseudonyms)",
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
        help="write only these columns besides the pseudonym (comma-separated); "
        "default: every column that is not an identity or dropped column",
    )
    parser.add_argument(
        "--output-column", default="pseudonym", metavar="NAME", help="name of the new column"
    )
    parser.add_argument(
        "--delimiter",
        choices=list(_DELIMITERS),
        default="auto",
        help="field delimiter (also used for OUT); auto picks the most frequent of "
        "comma, semicolon, tab and pipe in the header line",
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


def _load_keys(args: argparse.Namespace) -> Pseudonymizer:
    site = Key.from_file(args.site_key_file)
    national = Key.from_file(args.national_key_file) if args.national_key_file else None
    return Pseudonymizer(site_key=site, national_key=national)


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:  # pragma: no cover - races with deletion
        return False


def _check_paths(args: argparse.Namespace) -> tuple[Path, Path]:
    source, target = Path(args.input), Path(args.output)
    if not source.is_file():
        msg = f"cannot read {args.input!r}: not a file"
        raise ConfigurationError(msg)
    protected = [source] + [Path(p) for p in (args.site_key_file, args.national_key_file) if p]
    for path in protected:
        if _same_file(path, target):
            msg = f"refusing to overwrite {args.output!r}: it is an input of this command"
            raise ConfigurationError(msg)
    if not target.parent.is_dir():
        msg = f"cannot write {args.output!r}: no such directory"
        raise ConfigurationError(msg)
    return source, target


def _delimiter(choice: str, first_line: str) -> str:
    chosen = _DELIMITERS[choice]
    if chosen is not None:
        return chosen
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _parse_date(text: str) -> pendulum.Date | None:
    text = text.strip()
    day_first = text.split("/")
    try:
        if len(day_first) == 3:  # noqa: PLR2004 - day, month, year
            day, month, year = (int(part) for part in day_first)
            if len(day_first[2]) != 4:  # noqa: PLR2004 - four-digit year
                return None
            return pendulum.Date(year, month, day)
        if len(text) == 10:  # noqa: PLR2004 - YYYY-MM-DD
            return pendulum.Date.fromisoformat(text)
    except ValueError:
        return None
    return None


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
        identity_columns = set(mapping.values()) | set(_split(args.drop))
        if args.keep is None:
            kept = [column for column in header if column not in identity_columns]
        else:
            kept = _split(args.keep)
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
    birth_date = _parse_date(row[index["birth_date"]])
    if birth_date is None:
        return None, f"column {layout.columns['birth_date']!r}: expected {_DATE_EXPECTED}"
    sex = _SEX_SPELLINGS.get(row[index["sex"]].strip().lower())
    if sex is None:
        return None, f"column {layout.columns['sex']!r}: expected {_SEX_EXPECTED}"
    try:
        identity = Identity(
            birth_name=row[index["birth_name"]],
            first_name=row[index["first_name"]],
            birth_date=birth_date,
            sex=Sex(sex),
        )
    except ValidationError as exc:
        detail = exc.errors[0]
        field = detail.path.removeprefix("$.")
        return None, f"column {layout.columns.get(field, field)!r}: {detail.message}"
    return identity, None


@contextlib.contextmanager
def _atomic_output(target: Path) -> Iterator[IO[str]]:
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


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
    source, target = _check_paths(args)
    pseudonymizer = _load_keys(args)
    try:
        binary = source.open("rb")
    except OSError as exc:  # pragma: no cover - checked just before
        msg = f"cannot read {args.input!r}: {exc.strerror}"
        raise ConfigurationError(msg) from None
    try:
        text = io.TextIOWrapper(binary, encoding=args.encoding, newline="")
    except LookupError:
        binary.close()
        msg = f"unknown encoding {args.encoding!r}"
        raise ConfigurationError(msg) from None
    progress = None
    if not args.no_progress and sys.stderr.isatty():  # pragma: no cover - terminal only
        progress = _Progress(source.stat().st_size)
    with text, progress or contextlib.nullcontext():
        written, bad = _convert(text, binary, target, args, pseudonymizer, progress)
    if bad > _MAX_REPORTED:
        print(f"… and {bad - _MAX_REPORTED} more bad row(s)", file=sys.stderr)  # noqa: T201
    left_out = f"; {bad} bad row(s) left out" if bad else ""
    print(f"{written} row(s) pseudonymised into {args.output}{left_out}")  # noqa: T201
    return 1 if bad else 0


def _convert(  # noqa: PLR0917 - a private step of run
    text: IO[str],
    binary: IO[bytes],
    target: Path,
    args: argparse.Namespace,
    pseudonymizer: Pseudonymizer,
    progress: _Progress | None,
) -> tuple[int, int]:
    end = 0  # physical line number where the last record read ends
    try:
        first_line = text.readline()
        end = 1
        delimiter = _delimiter(args.delimiter, first_line)
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        if not header:
            msg = f"{args.input!r} is empty: expected a header line"
            raise ConfigurationError(msg)
        layout = _Layout(header, args)
        reader = csv.reader(text, delimiter=delimiter)
        written = bad = 0
        with _atomic_output(target) as out:
            writer = csv.writer(out, delimiter=delimiter)
            writer.writerow(layout.out_header)
            for row in reader:
                start, end = end + 1, 1 + reader.line_num
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
    except (UnicodeDecodeError, csv.Error) as exc:
        reason = f"not {args.encoding} text" if isinstance(exc, UnicodeDecodeError) else "bad CSV"
        msg = f"{args.input!r} near line {end + 1}: {reason}; nothing was written"
        raise ConfigurationError(msg) from None
    return written, bad
