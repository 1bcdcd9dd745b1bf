"""Conflicts: one professional booked at two sessions at once, or without travel time."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from microstructure.errors import FieldError, Finding
from microstructure.scheduling._findings import DOUBLE_BOOKING, NO_TRAVEL_TIME
from microstructure.scheduling._model import Occurrence

__all__ = ["conflicts"]


def _hours(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60}h{minutes % 60:02d}"


def _describe(occurrence: Occurrence) -> str:
    start = occurrence.start.format("YYYY-MM-DD HH:mm")
    end = occurrence.end.format("HH:mm")
    return (
        f"{occurrence.microstructure}/{occurrence.rule} {start}–{end} {occurrence.start.tzname()}"
    )


def conflicts(
    occurrences: Iterable[Occurrence], *, buffer: dt.timedelta = dt.timedelta(0)
) -> tuple[Finding, ...]:
    """Professionals booked at two overlapping sessions, as findings.

    Checks every professional across every microstructure given (expand the
    whole network to see a psychologist shared by several teams). Two sessions
    that overlap give ``MS-SCHED-001`` (error); two sessions at different sites
    less than ``buffer`` apart give ``MS-SCHED-002`` (warning). Each finding's
    path is the `Occurrence.source` of the later session.

    Raises:
        FieldError: if ``buffer`` is not a non-negative duration, or an item is not an
            `Occurrence`.

    Examples:
        >>> import pendulum
        >>> from microstructure.examples import example_national
        >>> from microstructure.scheduling import conflicts, example_schedule, expand
        >>> week = expand(example_schedule(), example_national(),
        ...               pendulum.date(2026, 5, 4), pendulum.date(2026, 5, 10))
        >>> conflicts(week)
        ()
        >>> for finding in conflicts(week, buffer=pendulum.duration(hours=3)):
        ...     print(finding.code, finding.message)
        MS-SCHED-002 psy-strasbourg has 2h00 between ms-neudorf/psy 2026-05-04 09:00–12:00 CEST and ms-hautepierre/psy 2026-05-04 14:00–17:00 CEST, less than the 3h00 needed to change site
        MS-SCHED-002 ts-strasbourg has 2h00 between ms-neudorf/social 2026-05-05 09:00–12:00 CEST and ms-hautepierre/social 2026-05-05 14:00–17:00 CEST, less than the 3h00 needed to change site
    """
    given: object = buffer
    if not isinstance(given, dt.timedelta) or given < dt.timedelta(0):
        raise FieldError(given, "a duration that is not negative", field="buffer")
    items: object = occurrences
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise FieldError(type(items).__name__, "occurrences", field="occurrences")
    margin = given.total_seconds()
    by_person: dict[str, list[tuple[float, float, str, Occurrence]]] = defaultdict(list)
    for index, occurrence in enumerate(items):
        if not isinstance(occurrence, Occurrence):
            field = f"occurrences[{index}]"
            raise FieldError(type(occurrence).__name__, "an Occurrence", field=field)
        item = (
            occurrence.start.timestamp(),
            occurrence.end.timestamp(),
            occurrence.source,
            occurrence,
        )
        for person in occurrence.professionals:
            by_person[person].append(item)
    found: list[Finding] = []
    for person in sorted(by_person):
        booked = sorted(by_person[person], key=lambda item: item[:3])
        recent: list[tuple[float, float, str, Occurrence]] = []
        for current in booked:
            recent = [item for item in recent if item[1] + margin > current[0]]
            found.extend(
                f for item in recent for f in _finding(person, item[3], current[3], buffer)
            )
            recent.append(current)
    return tuple(sorted(found, key=lambda f: f.sort_key))


def _finding(
    person: str, earlier: Occurrence, current: Occurrence, buffer: dt.timedelta
) -> list[Finding]:
    if current.start < earlier.end:
        return [
            DOUBLE_BOOKING.at(
                current.source,
                f"{person} is booked at {_describe(earlier)} and at {_describe(current)}",
                f"{person} est prévu à {_describe(earlier)} et à {_describe(current)}",
            )
        ]
    if earlier.site == current.site:
        return []
    gap = _hours(current.start.timestamp() - earlier.end.timestamp())
    need = _hours(buffer.total_seconds())
    return [
        NO_TRAVEL_TIME.at(
            current.source,
            f"{person} has {gap} between {_describe(earlier)} and {_describe(current)}, "
            f"less than the {need} needed to change site",
            f"{person} n'a que {gap} entre {_describe(earlier)} et {_describe(current)}",
        )
    ]
