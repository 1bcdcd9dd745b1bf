"""The JSON Lines exchange format: a header line, then one tagged record per line."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Final

import attrs
import cattrs
import pendulum
from cattrs.gen import make_dict_structure_fn

from microstructure.errors import ConfigurationError, ErrorDetail, FieldError, ValidationError
from microstructure.identifiers import AnonymousCode
from microstructure.io import configure_converter, from_data
from microstructure.records._model import Event
from microstructure.records._tags import BY_TAG, TAG_KEY, check_event, check_events

__all__ = [
    "FORMAT",
    "VERSION",
    "LineError",
    "dumps_records",
    "iter_records",
    "line_of",
    "loads_records",
    "parse_line",
    "read_records",
    "write_records",
]

#: The ``format`` named by the header line of a records file.
FORMAT: Final = "microstructure-records"
#: The version of the format this library writes and reads.
VERSION: Final = 1
_HEADER: Final = json.dumps({"format": FORMAT, "version": VERSION})


@attrs.frozen
class LineError:
    r"""A bad line of a records file: its number and every problem in it, located.

    The problems never show a personal value (the patient's code, birth year, sex…).

    Examples:
        >>> from microstructure.records import loads_records
        >>> from microstructure.errors import ValidationError
        >>> text = '{"format": "microstructure-records", "version": 1}\n{"type": "exit"}\n'
        >>> try:
        ...     loads_records(text)
        ... except ValidationError as exc:
        ...     print(exc.errors[0])
        required key is missing @ line 2: $.id
    """

    line: int
    """Line number in the file."""
    errors: tuple[ErrorDetail, ...]
    """Every problem of the line, located."""

    def __str__(self) -> str:
        return "\n".join(f"line {self.line}: {error}" for error in self.errors)

    def details(self) -> list[ErrorDetail]:
        """The problems, with the line number in front of each path."""
        return [attrs.evolve(e, path=f"line {self.line}: {e.path}") for e in self.errors]


# -- fast structuring ------------------------------------------------------------------
# A converter configured like the library's, without cattrs' detailed validation, with
# caching hooks for values that repeat (date-times, dates, codes, durations), and without
# a hook for the fields whose record validator or converter already checks the JSON value
# itself (identifiers, codes of enums, optional strings, birth year, lists of codes). A
# line it cannot structure is structured again by `microstructure.io.from_data`, which
# reports every problem with its path; so both give the same objects and errors (tested
# field by field in ``tests/records/test_jsonl.py``).


@functools.cache
def _offset(seconds: int) -> pendulum.FixedTimezone:
    return pendulum.FixedTimezone(seconds)


# The cached hooks take cattrs' (value, type) as their key: a value that is not a string
# fails to parse (a list cannot even be a key), so nothing but strings is ever cached.


@functools.lru_cache(maxsize=1 << 14)
def _datetime(value: str, _: object) -> pendulum.DateTime:
    """Parsed like `microstructure.io`'s hook (stdlib parser, offset required).

    Cached: consultations start at the slots of the sessions, and are recorded in
    batches, so the same date-times come back often.
    """
    parsed = dt.datetime.fromisoformat(value)
    offset = parsed.utcoffset()
    if offset is None:
        raise FieldError(value, "a date-time with a UTC offset")
    return pendulum.DateTime(
        parsed.year,
        parsed.month,
        parsed.day,
        parsed.hour,
        parsed.minute,
        parsed.second,
        parsed.microsecond,
        tzinfo=_offset(int(offset.total_seconds())),
    )


@functools.lru_cache(maxsize=1 << 12)
def _date(value: str, _: object) -> pendulum.Date:
    return pendulum.Date.fromisoformat(value)


@functools.lru_cache(maxsize=4096)
def _duration(value: str, _: object) -> pendulum.Duration:
    result: pendulum.Duration = from_data(pendulum.Duration, value)
    return result


@functools.lru_cache(maxsize=1 << 16)
def _code(value: str, _: object) -> AnonymousCode:
    result: AnonymousCode = from_data(AnonymousCode, value)
    return result


def _fast_enum(value: object, cl: type[enum.Enum]) -> enum.Enum:
    member = cl._value2member_map_.get(value) if isinstance(value, str) else None
    if member is None:
        raise FieldError(value, f"a {cl.__name__} code")
    return member


class _AsIs:
    """A hook that is false, so that cattrs' generated code passes the value as it is.

    (Were cattrs to call it instead, it gives the value back unchanged.)
    """

    def __bool__(self) -> bool:
        return False

    def __call__(self, value: object, _: object) -> object:  # pragma: no cover - cattrs skips it
        return value


#: Fields that the records check themselves, whatever JSON value they are given: an
#: attrs validator that wants a `str` (identifiers, ``session``, the optional codes) or
#: an `int` that is not a `bool` (``birth_year``), or a converter that takes only the
#: code of an enum or a JSON array of codes.
_CHECKED_BY_RECORD: Final = frozenset(
    {
        "id",
        "microstructure",
        "referrer",
        "professional",
        "program",
        "instrument",
        "birth_year",
        "national_pseudonym",
        "department",
        "session",
        "sex",
        "stage",
        "role",
        "status",
        "mode",
        "reason",
        "indications",
        "substances",
        "situations",
        "attendees",
    }
)


@functools.cache
def _fast() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=False)
    configure_converter(conv)
    conv.register_structure_hook(pendulum.DateTime, _datetime)
    conv.register_structure_hook(pendulum.Date, _date)
    conv.register_structure_hook(pendulum.Duration, _duration)
    conv.register_structure_hook(AnonymousCode, _code)
    conv.register_structure_hook(enum.StrEnum, _fast_enum)
    return conv


@functools.cache
def _fast_hooks() -> dict[str, tuple[Callable[[Any, type], Any], type[Any]]]:
    # The generated functions themselves: the input is a dict from `json.loads`, and any
    # exception sends the line to the located path anyway.
    conv = _fast()
    as_is = cattrs.override(struct_hook=_AsIs())
    hooks: dict[str, tuple[Callable[[Any, type], Any], type[Any]]] = {}
    for tag, cl in BY_TAG.items():
        overrides: dict[str, Any] = {
            a.name: as_is for a in attrs.fields(cl) if a.name in _CHECKED_BY_RECORD
        }
        hook = make_dict_structure_fn(cl, conv, _cattrs_forbid_extra_keys=True, **overrides)
        hooks[tag] = (hook, cl)
    return hooks


def _structure_fast(data: Any) -> Event:
    """Structure one record through the fast converter, or raise anything."""
    tag = data.pop(TAG_KEY)
    try:
        hook, cl = _fast_hooks()[tag]
        result: Event = hook(data, cl)
    except BaseException:
        data[TAG_KEY] = tag  # as it was, for the located path
        raise
    return result


def _bad(line: int, message: str) -> LineError:
    return LineError(line, (ErrorDetail(path="$", message=message),))


def parse_line(text: str | bytes, line: int) -> Event | LineError:
    """One line of a records file as an `Event`, or a `LineError` saying what is wrong.

    Examples:
        >>> from microstructure.records import parse_line
        >>> print(parse_line('{"type": "visit"}', 7))
        line 7: expected one of 'patient', 'referral', ... (got 'visit') @ $.type
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError, TypeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        return _bad(line, f"expected one JSON object: {reason}")
    try:
        result: Event = _structure_fast(data)
    except Exception:  # noqa: BLE001 - any failure is reported, located, by the strict path
        try:
            result = from_data(Event, data)
        except ValidationError as exc:
            return LineError(line, exc.errors)
    return result


def _check_header(text: str) -> None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        detail = ErrorDetail(
            path="line 1: $.format", message=f"expected a header line with format {FORMAT!r}"
        )
        raise ValidationError([detail], subject="records file")
    if data.get("version") != VERSION or set(data) != {"format", "version"}:
        detail = ErrorDetail(
            path="line 1: $.version",
            message=f"expected version {VERSION} and no other key",
            value=data.get("version"),
        )
        raise ValidationError([detail], subject="records file")


def _iter_lines(lines: Iterable[str]) -> Iterator[Event | LineError]:
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None:
        _check_header("")
    else:
        _check_header(first)
    for number, text in enumerate(iterator, start=2):
        if not text or text.isspace():
            continue
        yield parse_line(text, number)


def _path(path: object) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise FieldError(type(path).__name__, "a file path")
    return Path(path)


def _open(path: str | Path) -> IO[str]:
    path = _path(path)
    try:
        return Path(path).open(encoding="utf-8", newline="\n")
    except OSError as exc:
        msg = f"cannot read records file {str(path)!r}: {exc.strerror}"
        raise ConfigurationError(msg) from None


def _decoded(handle: IO[str], path: str | Path) -> Iterator[str]:
    try:
        yield from handle
    except UnicodeDecodeError:
        msg = f"cannot read records file {str(path)!r}: not UTF-8 text"
        raise ConfigurationError(msg) from None


def iter_records(path: str | Path) -> Iterator[Event | LineError]:
    """Stream a records file: each line as an `Event`, or a `LineError` for a bad line.

    Memory stays flat whatever the size of the file.

    Raises:
        ConfigurationError: if the file cannot be read or is not UTF-8 text.
        ValidationError: if the first line is not the header of this format and version.
    """
    with _open(path) as handle:
        yield from _iter_lines(_decoded(handle, path))


def _strict(items: Iterable[Event | LineError], subject: str) -> list[Event]:
    events: list[Event] = []
    errors: list[ErrorDetail] = []
    for item in items:
        if isinstance(item, LineError):
            errors += item.details()
        elif not errors:
            events.append(item)
    if errors:
        raise ValidationError(errors, subject=subject)
    return events


def read_records(path: str | Path) -> list[Event]:
    """Read a whole records file; if any line is bad, load nothing and report every bad line.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: listing every problem of every bad line, with its line number.
    """
    return _strict(iter_records(path), f"records file {str(path)!r}")


def loads_records(text: str) -> list[Event]:
    """Read records from JSON Lines text (header first), strictly like `read_records`.

    Examples:
        >>> from microstructure.records import dumps_records, loads_records
        >>> from microstructure.synthetic import generate
        >>> events = list(generate(patients=2, seed=3))
        >>> loads_records(dumps_records(events)) == events
        True
    """
    given: object = text
    if not isinstance(given, str):
        raise FieldError(type(given).__name__, "JSON Lines text (str)", field="text")
    return _strict(_iter_lines(text.splitlines()), "records")


def line_of(event: Event) -> str:
    """The JSON Lines text of one event, without the newline."""
    return json.dumps(_fast().unstructure(check_event(event), Event), ensure_ascii=False)


def dumps_records(events: Iterable[Event]) -> str:
    """The JSON Lines text of ``events``, in the given order, header first."""
    return "".join(f"{text}\n" for text in (_HEADER, *map(line_of, check_events(events))))


def _dump(events: Iterable[Event], out: IO[str], progress: Callable[[int], None] | None) -> int:
    out.write(_HEADER + "\n")
    count = 0
    for event in events:
        out.write(line_of(event) + "\n")
        count += 1
        if progress is not None and count % 10_000 == 0:
            progress(count)
    return count


def write_records(
    path: str | os.PathLike[str] | IO[str],
    events: Iterable[Event],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``events`` to a records file atomically (a temporary file, then a rename).

    Events are written in the given order, one per line after the header; a reader of
    the file never sees half of it. Given an open text stream instead of a path, it
    writes there (making the stream safe is then the caller's job). ``progress`` is
    called with the count written every 10,000 events. Returns the number of events
    written.

    Raises:
        ConfigurationError: if the file cannot be written.
    """
    events = check_events(events)
    if not isinstance(path, str | os.PathLike):
        if not callable(getattr(path, "write", None)):
            raise FieldError(type(path).__name__, "a file path or a text stream")
        return _dump(events, path, progress)
    from microstructure.io import write_atomically  # noqa: PLC0415 - only when writing

    return write_atomically(_path(path), lambda out: _dump(events, out, progress), what="records")
