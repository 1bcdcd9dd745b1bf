"""Expansion of schedule rules into dated occurrences, in each site's local time."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator

from microstructure.scheduling._calendar import HolidayTable
from microstructure.scheduling._model import Occurrence
from microstructure.scheduling._occurrences import (
    Memo,
    Schedules,
    Teams,
    bind_selected,
    extra_occurrences,
    rule_instances,
)

# The stdlib's methods on pendulum date-times: the same results, much faster.
_since_epoch = dt.datetime.__sub__
_local_date = dt.datetime.date
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

__all__ = ["expand"]


def _sort_key(occurrence: Occurrence) -> tuple[dt.timedelta, str, str, str]:
    return (
        _since_epoch(occurrence.start, _EPOCH),  # exact; pendulum's own `-` is much slower
        occurrence.microstructure,
        occurrence.rule,
        occurrence.source,
    )


def expand(
    schedules: Schedules,
    teams: Teams,
    start: dt.date,
    end: dt.date,
    *,
    microstructure: str | None = None,
    site: str | None = None,
    professional: str | None = None,
) -> list[Occurrence]:
    """The sessions between ``start`` and ``end`` (local dates, inclusive), in time order.

    Give the schedules and the teams they refer to; narrow the result to one
    ``microstructure``, one ``site`` or one ``professional`` (by id), or get the
    whole network. Each occurrence is computed from its rule in the site's local
    wall time, so a 09:00 session stays at 09:00 across daylight-saving changes.
    Holiday policies use the public holidays of the site's department.

    Raises:
        ValidationError: if a schedule names an unknown microstructure, member or
            rule, or an exception falls on a date its rule does not give.
        NotFoundError: if ``microstructure``, ``site`` or ``professional`` is not in
            the teams.

    Examples:
        >>> import pendulum
        >>> from microstructure.examples import example_national
        >>> from microstructure.scheduling import example_schedule, expand
        >>> may = expand(example_schedule(), example_national(),
        ...              pendulum.date(2026, 5, 1), pendulum.date(2026, 5, 31),
        ...              microstructure="ms-neudorf")
        >>> [(o.start.format("ddd D HH:mm"), o.rule) for o in may if o.rule == "rcp"]
        [('Fri 15 12:30', 'rcp')]
        >>> may[-1].start.timezone_name
        'Europe/Paris'
    """
    selected = bind_selected(
        schedules,
        teams,
        start,
        end,
        microstructure=microstructure,
        site=site,
        professional=professional,
    )
    found: list[Occurrence] = []
    memo = Memo()
    with _collector_paused():
        for item in selected:
            holidays = HolidayTable(item.team.site.department)
            for index in range(len(item.schedule.rules)):
                found.extend(
                    i.occurrence
                    for i in rule_instances(item, index, start, end, holidays, memo)
                    if i.occurrence is not None and start <= _local_date(i.occurrence.start) <= end
                )
            found.extend(extra_occurrences(item, start, end))
        if professional is not None:
            found = [o for o in found if professional in o.professionals]
        found.sort(key=_sort_key)
    return found


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while occurrences are built.

    Occurrences hold no cycles, but each is a tracked object: on a long expansion, the
    collector's full passes would walk every occurrence already built, again and again
    (the cost per occurrence grew with the length of the expansion). They are walked
    once, by the next pass after the expansion.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
