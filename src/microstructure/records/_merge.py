"""Merging the records of several sites: de-duplicated by event id, independent of order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from microstructure.errors import FieldError, Finding
from microstructure.records._jsonl import read_records, write_records
from microstructure.records._model import Event
from microstructure.records._rules import resolve, sort_key
from microstructure.records._tags import check_events

__all__ = ["merge", "merge_files"]


def _merged(sources: Iterable[Iterable[Event]]) -> tuple[tuple[Event, ...], list[Finding]]:
    versions: dict[str, list[Event]] = {}
    for source in sources:
        for event in check_events(source, "sources"):
            items = versions.setdefault(event.id, [])
            if event not in items:
                items.append(event)
    winners: list[Event] = []
    found: list[Finding] = []
    for items in versions.values():
        winner, conflicts = resolve(items)
        winners.append(winner)
        found += conflicts
    return tuple(sorted(winners, key=sort_key)), found


def merge(*sources: Iterable[Event]) -> tuple[Event, ...]:
    """The union of several sets of events, one standing version per id, in canonical order.

    For each id the version with the latest ``recorded_at`` stands; two different
    versions recorded at the same instant are settled by their canonical JSON text (and
    reported by `merge_files` and `validate`). So merging is idempotent, commutative and
    associative: the result depends neither on the order of the sources nor on grouping.

    Examples:
        >>> from microstructure.records import merge
        >>> from microstructure.synthetic import generate
        >>> a, b = list(generate(patients=3, seed=1)), list(generate(patients=2, seed=2))
        >>> merge(a, b) == merge(b, a) == merge(merge(a, b), a)
        True
    """
    return _merged(sources)[0]


def merge_files(
    paths: Iterable[str | Path], out: str | os.PathLike[str] | IO[str]
) -> tuple[int, tuple[Finding, ...]]:
    """Merge records files into ``out`` (written atomically, in canonical order).

    ``out`` is a path, or an open text stream (see `write_records`).

    Each input is read strictly: if any line of any file is bad, nothing is written.
    Returns the number of events written and the findings on conflicting duplicates.
    The merge holds every event in memory; validate large results with `validate_file`.

    Raises:
        ConfigurationError: if a file cannot be read or ``out`` cannot be written.
        ValidationError: if a line of an input is bad (every bad line of that file).
    """
    given: object = paths
    if isinstance(given, str | bytes | os.PathLike | Mapping) or not isinstance(given, Iterable):
        raise FieldError(type(given).__name__, "a list of file paths", field="paths")
    events, found = _merged(read_records(path) for path in paths)
    count = write_records(out, events)
    return count, tuple(sorted(found, key=lambda f: f.sort_key))
