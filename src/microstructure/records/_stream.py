"""Validation of a records file one patient at a time, with memory that grows with patients.

A patient's rules need only that patient's events. So the validator reads the file as a
stream and keeps, per patient, only a small summary (declared or not, the dates of the
episodes), plus the events of the one patient being read. This works as is when the
events of each patient are contiguous (files written by `write_records` from a
`CareFile`, or by the generator, are). When a patient reappears after another one, the
validator starts again and first spreads the lines into temporary bucket files by a hash
of the patient's code, then checks bucket by bucket: memory then grows with the size of
one bucket, which the number of buckets bounds.
"""

from __future__ import annotations

import math
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from microstructure.errors import ErrorDetail, FieldError, Finding, FindingsReport, ValidationError
from microstructure.programs import Program
from microstructure.records._jsonl import LineError, iter_records, line_of, parse_line
from microstructure.records._model import Event, RcpMeeting
from microstructure.records._rules import (
    PatientSummary,
    Rules,
    check_meeting,
    check_patient,
    resolve,
)
from microstructure.teams import Microstructure, NationalCoordination, Network

__all__ = ["validate_file"]

_BUCKET_BYTES = 8 * 1024 * 1024


class _OutOfOrderError(Exception):
    """A patient's events are not contiguous: switch to the bucket pass."""


class _State:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.summaries: dict[str, PatientSummary] = {}
        self.findings: list[Finding] = []
        self.meetings: dict[str, list[Event]] = {}
        self.errors: list[ErrorDetail] = []
        self.events = 0

    def check_group(self, code: str, versions: dict[str, list[Event]]) -> None:
        resolved: list[Event] = []
        for items in versions.values():
            winner, found = resolve(items)
            self.findings += found
            if isinstance(winner, RcpMeeting):  # a correction turned it into a meeting
                self.meetings.setdefault(winner.id, []).append(winner)
            else:
                resolved.append(winner)
        if resolved:
            found, summary = check_patient(resolved, self.rules)
            self.findings += found
            self.summaries[code] = summary

    def finish(self) -> None:
        for items in self.meetings.values():
            winner, found = resolve(items)
            self.findings += found
            if isinstance(winner, RcpMeeting):
                self.findings += check_meeting(winner, self.summaries, self.rules)


def _grouped_pass(items: Iterable[Event | LineError], state: _State) -> None:
    current: str | None = None
    versions: dict[str, list[Event]] = {}
    for item in items:
        if isinstance(item, LineError):
            state.errors += item.details()
            continue
        state.events += 1
        if isinstance(item, RcpMeeting):
            state.meetings.setdefault(item.id, []).append(item)
            continue
        code = item.patient.value
        if code != current:
            if current is not None:
                state.check_group(current, versions)
            if code in state.summaries:
                raise _OutOfOrderError
            current, versions = code, {}
        versions.setdefault(item.id, []).append(item)
    if current is not None:
        state.check_group(current, versions)


def _bucket_pass(  # noqa: C901 - spread, then check bucket by bucket
    path: Path, state: _State, progress: Callable[[int], None] | None
) -> None:
    import tempfile  # noqa: PLC0415 - loads shutil and random: only when spilling to disk

    count = max(1, math.ceil(path.stat().st_size / _BUCKET_BYTES))
    with tempfile.TemporaryDirectory(prefix="microstructure-records-") as folder:
        buckets = [
            (Path(folder) / f"{index}.jsonl").open("w", encoding="utf-8") for index in range(count)
        ]
        try:
            for number, item in enumerate(iter_records(path), start=1):
                if isinstance(item, LineError):
                    state.errors += item.details()
                    continue
                state.events += 1
                if progress is not None and number % 10_000 == 0:
                    progress(number)
                if isinstance(item, RcpMeeting):
                    state.meetings.setdefault(item.id, []).append(item)
                    continue
                index = zlib.crc32(item.patient.value.encode()) % count
                buckets[index].write(line_of(item) + "\n")
        finally:
            for handle in buckets:
                handle.close()
        if state.errors:
            return
        for index in range(count):
            groups: dict[str, dict[str, list[Event]]] = {}
            with (Path(folder) / f"{index}.jsonl").open(encoding="utf-8") as handle:
                for text in handle:
                    event = parse_line(text, 0)
                    if isinstance(event, LineError | RcpMeeting):
                        continue  # pragma: no cover - written by us from valid events
                    groups.setdefault(event.patient.value, {}).setdefault(event.id, []).append(
                        event
                    )
            for code, versions in groups.items():
                state.check_group(code, versions)


def _counting(
    items: Iterator[Event | LineError], progress: Callable[[int], None] | None
) -> Iterator[Event | LineError]:
    for number, item in enumerate(items, start=1):
        if progress is not None and number % 10_000 == 0:
            progress(number)
        yield item


def validate_file(
    path: str | Path,
    teams: Microstructure | Network | NationalCoordination,
    *,
    overrides: Iterable[Program] = (),
    progress: Callable[[int], None] | None = None,
) -> FindingsReport:
    """Read and check a records file as a stream; memory grows with patients, not events.

    Gives the same findings as `validate` over the same events, in any order, in a
    `microstructure.errors.FindingsReport` with the number of event lines read
    (versions and duplicates included) and of distinct patients: what
    ``microstructure records validate --format json`` prints.
    ``progress`` is called with the number of lines read every 10,000 lines.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: if any line is bad (every bad line, with its number and path);
            nothing is checked then.

    Examples:
        >>> import tempfile, pathlib
        >>> from microstructure.examples import example_national
        >>> from microstructure.records import validate_file, write_records
        >>> from microstructure.synthetic import generate
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> write_records(folder / "care.jsonl", generate(patients=20, seed=4))
        719
        >>> report = validate_file(folder / "care.jsonl", example_national())
        >>> report.patients, report.findings
        (20, ())
    """
    rules = Rules(teams, overrides=overrides)
    given: object = path
    if not isinstance(given, str | os.PathLike):
        raise FieldError(type(given).__name__, "a file path")
    file = Path(path)
    state = _State(rules)
    try:
        items = iter_records(file)
        _grouped_pass(items if progress is None else _counting(items, progress), state)
    except _OutOfOrderError:
        state = _State(rules)
        _bucket_pass(file, state, progress)
    if state.errors:
        raise ValidationError(state.errors, subject=f"records file {str(file)!r}")
    state.finish()
    return FindingsReport.of(state.findings, events=state.events, patients=len(state.summaries))
