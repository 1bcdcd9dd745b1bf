"""Reading patient situations from CSV, JSON Lines or JSON files, one row at a time."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from microstructure.eligibility._instruments import AnswerKind, instruments
from microstructure.eligibility._situation import Situation
from microstructure.errors import ConfigurationError, ErrorDetail, FieldError, ValidationError
from microstructure.io import CountedLines, from_data, guess_delimiter, loads, read_file, text_lines

__all__ = ["SituationRow", "place", "read_situations"]

_SET_COLUMNS = ("indications", "substances", "behaviours", "situations", "followed_by")
_PLAIN_COLUMNS = ("code", "age_band", "sex", "age")
_PREFIXED = ("answers.", "scores.", "extra.")
#: The one yes/no vocabulary of CSV cells (English and French, case-insensitive).
_YES_NO = {
    **dict.fromkeys(("yes", "oui", "true", "y", "o", "1"), True),
    **dict.fromkeys(("no", "non", "false", "n", "0"), False),
}
_MAX_COLUMNS_REPORTED = 10


@attrs.frozen
class SituationRow:
    """One record of a situations file: where it is, and its situation or its problems.

    Attributes:
        index: Position of the record in the file, from 0.
        line: Line the record starts on (CSV and JSON Lines), or ``None`` for an element
            of a JSON array (located by `where` as ``$[index]``).
        situation: The situation, or ``None`` when the record is bad.
        errors: The record's problems, with paths inside the record (``$.age``); their
            values are withheld (``redacted``), so that no cell's content is shown.

    Examples:
        >>> from microstructure.eligibility import Situation, SituationRow
        >>> row = SituationRow(index=0, line=2, situation=Situation(situations={"isolation"}))
        >>> row.where, row.errors
        ('line 2', ())
    """

    index: int
    """Position of the record in the file, from 0."""
    line: int | None
    """Line the record starts on (CSV and JSON Lines), or ``None`` for an element of a JSON array."""
    situation: Situation | None
    """The situation, or ``None`` when the record is bad."""
    errors: tuple[ErrorDetail, ...] = ()
    """The record's problems, located inside the record; their values are withheld."""

    @property
    def where(self) -> str:
        """The record's place for a message: ``line 3`` or ``$[2]``.

        Examples:
            >>> from microstructure.eligibility import SituationRow
            >>> SituationRow(index=2, line=None, situation=None).where
            '$[2]'
        """
        return place(self.index, self.line)


def place(index: int, line: int | None) -> str:
    """A record's place for a message: ``line N``, or ``$[index]`` for a JSON array element."""
    return f"$[{index}]" if line is None else f"line {line}"


def _yes_no_instruments() -> frozenset[str]:
    return frozenset(k for k, v in instruments().items() if v.answer_kind is AnswerKind.YES_NO)


def _number(token: str) -> object:
    if token.isascii() and token.lstrip("-").isdigit() and len(token) <= 18:  # noqa: PLR2004
        return int(token)
    return token  # the converter reports it, with its field


def _cell(column: str, value: str, delimiter: str, yes_no: frozenset[str]) -> object:
    separators = "".join(c for c in " |;," if c != delimiter)
    tokens = [t for t in re.split(f"[{re.escape(separators)}]+", value.strip()) if t]
    if column in _SET_COLUMNS:
        return [] if [t.lower() for t in tokens] == ["none"] else tokens
    if column == "age":
        return _number(value.strip())
    if column.startswith("answers."):
        if column.removeprefix("answers.") in yes_no:
            return [_YES_NO.get(t.lower(), t) for t in tokens]
        return [_number(t) for t in tokens]
    if column.startswith("extra."):
        number = _number(value.strip())
        return _YES_NO.get(value.strip().lower(), number) if isinstance(number, str) else number
    return value.strip()


def _columns(header: list[str], subject: str) -> list[str]:
    columns = [name.strip() for name in header]
    details = []
    seen: set[str] = set()
    for position, name in enumerate(columns, start=1):
        known = name in (*_PLAIN_COLUMNS, *_SET_COLUMNS) or (
            name.startswith(_PREFIXED) and name.partition(".")[2]
        )
        if not known:
            # Never the cell itself: a header may be a row of patient data.
            message = (
                "unknown column: expected code, age, age_band, sex, indications, "
                "substances, behaviours, situations, followed_by, answers.ID, scores.ID "
                "or extra.NAME"
            )
            details.append(ErrorDetail(path=f"line 1, column {position}", message=message))
        elif name in seen:
            details.append(
                ErrorDetail(path=f"line 1, column {position}", message="repeated column")
            )
        seen.add(name)
    if details:
        more = len(details) - _MAX_COLUMNS_REPORTED
        shown = details[:_MAX_COLUMNS_REPORTED]
        if more > 0:
            shown.append(ErrorDetail(path="line 1", message=f"… and {more} more bad column(s)"))
        raise ValidationError(shown, subject=subject)
    return columns


def _record(columns: list[str], row: list[str], delimiter: str, yes_no: frozenset[str]) -> Any:
    record: dict[str, Any] = {}
    for column, value in zip(columns, row, strict=True):
        if not value.strip():
            continue  # an empty cell: not known
        key, _, rest = column.partition(".")
        parsed = _cell(column, value, delimiter, yes_no)
        if rest:
            record.setdefault(key, {})[rest] = parsed
        else:
            record[column] = parsed
    return record


def _withheld(errors: tuple[ErrorDetail, ...]) -> tuple[ErrorDetail, ...]:
    """The details without the values: a cell may hold what its column should not."""
    return tuple(
        attrs.evolve(d, value=None, redacted=True) if d.value is not None else d for d in errors
    )


def _decided(index: int, line: int | None, record: object) -> SituationRow:
    try:
        situation = from_data(Situation, record)
    except ValidationError as exc:
        return SituationRow(index=index, line=line, situation=None, errors=_withheld(exc.errors))
    return SituationRow(index=index, line=line, situation=situation)


def _csv_rows(
    binary: IO[bytes], subject: str, *, encoding: str, delimiter: str | None
) -> Iterator[SituationRow]:
    counted = CountedLines(text_lines(binary, encoding=encoding, subject=subject))
    lines = iter(counted)
    first = next(lines, "")
    if not first.strip():
        detail = ErrorDetail(path="line 1", message="expected a header line naming the columns")
        raise ValidationError([detail], subject=subject)
    chosen = delimiter or guess_delimiter(first)
    try:
        header = next(csv.reader([first], delimiter=chosen, strict=True))
    except csv.Error as exc:
        detail = ErrorDetail(path="line 1", message=f"expected a CSV header line ({exc})")
        raise ValidationError([detail], subject=subject) from None
    columns = _columns(header, subject)
    return _csv_body(counted, lines, columns, chosen, subject)


def _csv_body(
    counted: CountedLines, lines: Iterator[str], columns: list[str], delimiter: str, subject: str
) -> Iterator[SituationRow]:
    yes_no = _yes_no_instruments()
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    end, index = counted.count, 0
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            detail = ErrorDetail(path=f"line {counted.count}", message=f"expected CSV ({exc})")
            raise ValidationError([detail], subject=subject) from None
        if row is None:
            return
        start, end = end + 1, counted.count
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            message = f"expected {len(columns)} cells as in the header, got {len(row)}"
            detail = ErrorDetail(path="$", message=message)
            yield SituationRow(index=index, line=start, situation=None, errors=(detail,))
        else:
            yield _decided(index, start, _record(columns, row, delimiter, yes_no))
        index += 1


def _jsonl_rows(binary: IO[bytes], subject: str) -> Iterator[SituationRow]:
    index = 0
    for number, line in enumerate(text_lines(binary, encoding="utf-8-sig", subject=subject), 1):
        if not line.strip():
            continue
        try:
            situation = loads(Situation, line)
        except ValidationError as exc:
            errors = _withheld(exc.errors)
            yield SituationRow(index=index, line=number, situation=None, errors=errors)
        else:
            yield SituationRow(index=index, line=number, situation=situation)
        index += 1


def _closing(binary: IO[bytes], rows: Iterator[SituationRow]) -> Generator[SituationRow]:
    with binary:
        yield from rows


def read_situations(
    path: str | os.PathLike[str],
    *,
    encoding: str = "utf-8-sig",
    delimiter: str | None = None,
) -> Generator[SituationRow]:
    r"""The situations of a file, one `SituationRow` at a time, each located.

    The format follows the suffix: ``.csv`` (a header line, then one situation per row;
    ``delimiter`` defaults to the most frequent of comma, semicolon, tab and pipe in the
    header), ``.jsonl`` (one JSON object per line), anything else a JSON array. CSV and
    JSON Lines are streamed (memory stays flat whatever the size); a JSON array is read
    whole, so prefer JSON Lines for large files. A bad record is a row with errors, and
    the others still come; a problem with the file as a whole raises at once, or at the
    line where it is found (bad bytes, broken CSV quoting). ``encoding`` applies to CSV.
    The file stays open until the rows are exhausted or the generator is closed
    (``contextlib.closing``).

    Raises:
        ConfigurationError: if the file cannot be read or the encoding is unknown.
        ValidationError: about the whole file (``invalid situations file 'x.csv'``):
            not JSON, not an array, an unknown CSV column (by position, never its
            text), a line that does not decode.

    Examples:
        >>> import pathlib, tempfile
        >>> from microstructure.eligibility import read_situations
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "s.csv").write_text("code;age;situations\nA1;44;isolation\nA2;x;\n")
        >>> for row in read_situations(folder / "s.csv"):
        ...     print(row.where, row.situation.code if row.situation else row.errors[0].path)
        line 2 A1
        line 3 $.age
    """
    given: object = path
    if not isinstance(given, str | os.PathLike):
        raise FieldError(type(given).__name__, "a file path", field="path")
    name = os.fspath(path)
    subject = f"situations file {name!r}"
    file = Path(path)
    try:
        binary = file.open("rb")
    except OSError as exc:
        msg = f"cannot read situations file {name!r}: {exc.strerror}"
        raise ConfigurationError(msg) from None
    suffix = file.suffix.lower()
    try:
        if suffix == ".csv":
            rows = _csv_rows(binary, subject, encoding=encoding, delimiter=delimiter)
        elif suffix in {".jsonl", ".ndjson"}:
            rows = _jsonl_rows(binary, subject)
        else:
            binary.close()
            return _array_rows(name, subject)
    except BaseException:
        binary.close()
        raise
    return _closing(binary, rows)


def _array_rows(name: str, subject: str) -> Generator[SituationRow]:
    try:
        data = read_file(name, what="situations")
    except ValidationError as exc:
        raise ValidationError(exc.errors, subject=subject) from None
    if not isinstance(data, list):
        detail = ErrorDetail("$", "expected a JSON array of situations (or use a .jsonl file)")
        raise ValidationError([detail], subject=subject)
    return (_decided(index, None, record) for index, record in enumerate(data))
