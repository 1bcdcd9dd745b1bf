"""Export to iCalendar (RFC 5545) with `icalendar`: RRULE series, EXDATE, overrides."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pendulum

from microstructure.scheduling._calendar import HolidayTable, local_datetime, utc_instant
from microstructure.scheduling._model import (
    ACTIVITY_LABELS,
    Occurrence,
    OccurrenceKind,
    Rule,
    WeeklySession,
)
from microstructure.scheduling._occurrences import (
    Bound,
    Schedules,
    Teams,
    bind_selected,
    extra_occurrences,
    rule_dates,
    rule_instances,
)

__all__ = ["UID_NAMESPACE", "to_ical"]

#: Namespace of the UUIDv5 UIDs: a UID depends only on the microstructure and rule ids.
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:microstructure:scheduling")
_PRODID = "-//microstructure//microstructure scheduling//FR"


# Characters that could end or break a content line (RFC 5545 section 3.1): the C0 and
# C1 controls (CR, LF, NUL…) and the Unicode line and paragraph separators.
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _text(value: str, *, multiline: bool = False) -> Any:
    r"""A TEXT value that cannot break out of its content line, whatever it holds.

    Every text entering the calendar goes through here: controls become one space
    (line breaks too, except in a multi-line DESCRIPTION, where ``vText`` escapes them
    as ``\n``), and ``vText`` escapes ``\``, ``;`` and ``,``. Nothing relies on the
    ``assert`` inside icalendar, which ``python -O`` removes.
    """
    import icalendar  # noqa: PLC0415 - heavy import, only for the export

    if multiline:
        cleaned = "\n".join(_LINE_BREAKING.sub(" ", line) for line in value.splitlines())
    else:
        cleaned = _LINE_BREAKING.sub(" ", value)
    return icalendar.vText(cleaned)


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(UID_NAMESPACE, "/".join(parts)))


def _describe(bound: Bound, people: tuple[str, ...], note: str | None = None) -> str:
    names = {p.id: p.display_name or p.id for p in bound.team.members}
    lines = [f"{bound.team.name}", "Professionnels : " + ", ".join(names[p] for p in people)]
    if note:
        lines.append(note)
    return "\n".join(lines)


def _event(
    bound: Bound, rule: Rule, uid: str, *, stamp: dt.datetime, start: dt.datetime, note: str | None
) -> Any:
    import icalendar  # noqa: PLC0415 - heavy import, only for the export

    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("duration", dt.timedelta(seconds=rule.duration.total_seconds()))
    event.add("summary", _text(f"{ACTIVITY_LABELS[rule.activity][1]} – {bound.team.name}"))
    event.add("location", _text(bound.team.site.name))
    event.add("categories", [rule.activity.value])
    event.add("description", _text(_describe(bound, bound.people[rule.id], note), multiline=True))
    event.add("transp", "OPAQUE")
    return event


def _note(occurrence: Occurrence) -> str | None:
    if occurrence.kind is OccurrenceKind.HOLIDAY_MOVED:
        return f"Déplacée : {occurrence.holiday} le {occurrence.rule_date}"
    if occurrence.kind is OccurrenceKind.MOVED:
        return f"Déplacée du {occurrence.rule_date}"
    if occurrence.holiday:
        return f"Maintenue malgré le jour férié ({occurrence.holiday})"
    return None


def _rrule(rule: Rule, until: dt.datetime) -> dict[str, Any]:
    if isinstance(rule, WeeklySession):
        return {
            "freq": "weekly",
            "interval": rule.every_weeks,
            "byday": [rule.weekday.ical],
            "until": until,
        }
    return {
        "freq": "monthly",
        "interval": rule.every_months,
        "byday": [f"{rule.ordinal}{rule.weekday.ical}"],
        "until": until,
    }


def _series(
    bound: Bound,
    index: int,
    start: dt.date,
    end: dt.date,
    *,
    holidays: HolidayTable,
    stamp: dt.datetime,
) -> list[Any]:
    """One VEVENT with RRULE and EXDATE, plus one override per moved occurrence."""
    rule = bound.schedule.rules[index]
    zone = bound.zone
    outcomes = {
        i.rule_date: i.occurrence for i in rule_instances(bound, index, start, end, holidays)
    }
    kept = [
        day
        for day, occurrence in outcomes.items()
        if occurrence is not None and start <= occurrence.date <= end
    ]
    if not kept:
        return []
    first, last = min(kept), max(kept)
    uid = _uid(bound.team.id, rule.id)
    if first == last:
        only = outcomes[first]
        assert only is not None  # noqa: S101 - kept instances take place
        return [_event(bound, rule, uid, stamp=stamp, start=only.start, note=_note(only))]
    master = _event(
        bound, rule, uid, stamp=stamp, start=local_datetime(first, rule.start_time, zone), note=None
    )
    until = local_datetime(last, rule.start_time, zone).in_timezone("UTC")
    master.add("rrule", _rrule(rule, until))
    events = [master]
    excluded = []
    for day in rule_dates(rule, first, last):
        occurrence = outcomes.get(day)
        rule_start = utc_instant(day, rule.start_time, zone).astimezone(zone)
        if occurrence is None or not start <= occurrence.date <= end:
            excluded.append(rule_start)
        elif occurrence.start != rule_start:
            override = _event(
                bound, rule, uid, stamp=stamp, start=occurrence.start, note=_note(occurrence)
            )
            override.add("recurrence-id", rule_start)
            events.append(override)
        elif occurrence.holiday:
            # Held on a public holiday by the `keep` policy: say so in the instance.
            override = _event(
                bound, rule, uid, stamp=stamp, start=occurrence.start, note=_note(occurrence)
            )
            override.add("recurrence-id", rule_start)
            events.append(override)
    if excluded:
        master.add("exdate", excluded)
    return events


def to_ical(
    schedules: Schedules,
    teams: Teams,
    start: dt.date,
    end: dt.date,
    *,
    microstructure: str | None = None,
    site: str | None = None,
    professional: str | None = None,
    name: str | None = None,
    stamp: dt.datetime | None = None,
) -> bytes:
    """An RFC 5545 calendar holding exactly the occurrences `expand` gives.

    Each rule becomes one recurring event (``RRULE`` in the site's local time, with a
    ``VTIMEZONE``): dates skipped by a holiday policy, cancelled or outside the range
    become ``EXDATE``; moved dates become overrides of the series (``RECURRENCE-ID``),
    which calendar clients handle better than ``RDATE``; extra sessions are events of
    their own. UIDs are UUIDv5 of the microstructure and rule ids, so re-importing a
    new export updates a calendar instead of duplicating it. ``stamp`` sets
    ``DTSTAMP`` (default: now); filters and errors are those of `expand`.

    Examples:
        >>> import pendulum
        >>> from microstructure.examples import example_national
        >>> from microstructure.scheduling import example_schedule, to_ical
        >>> ics = to_ical(example_schedule(), example_national(),
        ...               pendulum.date(2026, 5, 1), pendulum.date(2026, 5, 31),
        ...               microstructure="ms-neudorf", stamp=pendulum.datetime(2026, 1, 1))
        >>> for line in ics.decode().splitlines():
        ...     if line.startswith(("DTSTART;", "RRULE", "RECURRENCE-ID", "EXDATE")):
        ...         print(line)
        DTSTART;TZID=Europe/Paris:20260504T090000
        RRULE:FREQ=WEEKLY;UNTIL=20260525T070000Z;INTERVAL=1;BYDAY=MO
        DTSTART;TZID=Europe/Paris:20260526T090000
        RECURRENCE-ID;TZID=Europe/Paris:20260525T090000
        DTSTART;TZID=Europe/Paris:20260505T090000
        RRULE:FREQ=WEEKLY;UNTIL=20260526T070000Z;INTERVAL=1;BYDAY=TU
        DTSTART;TZID=Europe/Paris:20260515T123000
        DTSTART;TZID=Europe/Paris:20260506T140000
    """
    import icalendar  # noqa: PLC0415 - heavy import, only for the export

    selected = bind_selected(
        schedules,
        teams,
        start,
        end,
        microstructure=microstructure,
        site=site,
        professional=professional,
    )
    when = pendulum.now("UTC") if stamp is None else pendulum.instance(stamp).in_timezone("UTC")
    calendar = icalendar.Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("name", _text(name))
        calendar.add("x-wr-calname", _text(name))
    for item in selected:
        holidays = HolidayTable(item.team.site.department)
        for index, rule in enumerate(item.schedule.rules):
            if professional is None or professional in item.people[rule.id]:
                for event in _series(item, index, start, end, holidays=holidays, stamp=when):
                    calendar.add_component(event)
        for occurrence in extra_occurrences(item, start, end):
            if professional is not None and professional not in occurrence.professionals:
                continue
            extra_rule = item.schedule.rule(occurrence.rule)
            assert extra_rule is not None  # noqa: S101 - checked by bind_selected
            uid = _uid(item.team.id, extra_rule.id, "extra", occurrence.start.isoformat())
            calendar.add_component(
                _event(
                    item,
                    extra_rule,
                    uid,
                    stamp=when,
                    start=occurrence.start,
                    note="Séance supplémentaire",
                )
            )
    # VTIMEZONE with the transitions of the exported years only (a year each side).
    calendar.add_missing_timezones(
        first_date=dt.date(start.year - 1, 1, 1), last_date=dt.date(end.year + 2, 1, 1)
    )
    # icalendar adds them in set order, which changes with PYTHONHASHSEED: sort by TZID
    # so that one schedule always gives the same bytes.
    parts = calendar.subcomponents
    zones = sorted((c for c in parts if c.name == "VTIMEZONE"), key=lambda c: str(c["TZID"]))
    parts[:] = [*zones, *(c for c in parts if c.name != "VTIMEZONE")]
    result: bytes = calendar.to_ical()
    return result
