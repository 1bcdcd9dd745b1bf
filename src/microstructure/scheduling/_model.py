"""Schedule rules, exceptions and occurrences: the data a network keeps in a file."""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias

import attrs
import pendulum

from microstructure import _validators as _v
from microstructure._frozen import frozen_tuple
from microstructure._validators import fail as _fail
from microstructure._validators import identifier as _identifier
from microstructure.errors import FieldError
from microstructure.programs import Activity, Period, SessionFrequency
from microstructure.scheduling._calendar import nth_weekday

__all__ = [
    "ACTIVITY_LABELS",
    "Cancellation",
    "ExtraSession",
    "HolidayPolicy",
    "MonthlyMeeting",
    "Move",
    "NetworkSchedule",
    "Occurrence",
    "OccurrenceKind",
    "Rule",
    "TeamSchedule",
    "Weekday",
    "meets_frequency",
]

#: English and French labels of each activity (`Activity.label`, `Activity.label_fr`),
#: as a read-only mapping kept for callers that look labels up by activity.
ACTIVITY_LABELS: Final[Mapping[Activity, tuple[str, str]]] = types.MappingProxyType(
    {activity: (activity.label, activity.label_fr) for activity in Activity}
)


class Weekday(enum.StrEnum):
    """A day of the week; `iso` is 1 for Monday to 7 for Sunday."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def iso(self) -> int:
        """ISO number of the day: 1 (Monday) to 7 (Sunday).

        Examples:
            >>> from microstructure.scheduling import Weekday
            >>> Weekday.THURSDAY.iso
            4
        """
        return _WEEKDAYS.index(self) + 1

    @property
    def ical(self) -> str:
        """The RFC 5545 two-letter code (``MO``, ``TU``…)."""
        return self.value[:2].upper()

    @classmethod
    def of(cls, day: dt.date) -> Weekday:
        """The weekday of ``day``.

        Examples:
            >>> import pendulum
            >>> from microstructure.scheduling import Weekday
            >>> Weekday.of(pendulum.date(2026, 5, 14))
            <Weekday.THURSDAY: 'thursday'>
        """
        return _WEEKDAYS[day.isoweekday() - 1]


_WEEKDAYS: Final = tuple(Weekday)
_MONDAY_TO_FRIDAY: Final = _WEEKDAYS[:5]


class HolidayPolicy(enum.StrEnum):
    """What happens to an occurrence that falls on a public holiday of the site.

    ``keep`` holds it anyway, ``skip`` drops it, ``next-working-day`` and
    ``previous-working-day`` move it to the nearest working day (a working weekday
    of the schedule that is not a public holiday), at the same local time.
    """

    KEEP = "keep"
    SKIP = "skip"
    NEXT_WORKING_DAY = "next-working-day"
    PREVIOUS_WORKING_DAY = "previous-working-day"


# -- validators ------------------------------------------------------------------------


def _positive_duration(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.timedelta) or value <= dt.timedelta(0):
        _fail(attribute, value, "a positive duration such as 'PT3H'")
    elif value > dt.timedelta(hours=24):
        _fail(attribute, value, "a duration of at most 24 hours ('PT24H')")


@_v.json_schema({"minimum": 1, "maximum": 52})
def _positive_int(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 52:  # noqa: PLR2004
        _fail(attribute, value, "an integer from 1 to 52")


@_v.json_schema({"enum": [1, 2, 3, 4, 5, -1]})
def _ordinal(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or value not in {1, 2, 3, 4, 5, -1}:
        _fail(attribute, value, "1, 2, 3, 4, 5, or -1 for the last one of the month")


@_v.json_schema({"items": {"pattern": _v.ID_PATTERN}, "uniqueItems": True})
def _identifiers(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for item in value:
        _identifier(None, attribute, item)
    if len(set(value)) != len(value):
        _fail(attribute, list(value), "professional ids listed once each")


def _check_period(instance: WeeklySession | MonthlyMeeting) -> None:
    if instance.valid_until is not None and instance.valid_until < instance.valid_from:
        _fail(
            attrs.fields(type(instance)).valid_until,
            instance.valid_until.isoformat(),
            f"a date on or after valid_from ({instance.valid_from.isoformat()})",
        )


# -- rules -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class WeeklySession:
    """A session held on one weekday every ``every_weeks`` weeks, at a local time.

    The first occurrence is the first ``weekday`` on or after ``valid_from``; the
    following ones come every ``every_weeks`` weeks, until ``valid_until``
    (inclusive, open-ended when ``None``). ``professionals`` lists the ids of the
    team members who hold it; left empty, every member whose role runs the
    ``activity`` does (the psychologist for psychologist consultations).

    Examples:
        >>> import pendulum
        >>> from microstructure.programs import Activity
        >>> from microstructure.scheduling import Weekday, WeeklySession
        >>> rule = WeeklySession(
        ...     id="psy", activity=Activity.PSYCHOLOGIST_CONSULTATIONS,
        ...     weekday=Weekday.TUESDAY, start_time=pendulum.time(9, 0),
        ...     duration=pendulum.duration(hours=3), valid_from=pendulum.date(2026, 1, 1),
        ... )
        >>> rule.first_date
        Date(2026, 1, 6)
    """

    id: str = attrs.field(validator=_identifier)
    """Rule id, unique in the team's schedule; exceptions refer to it."""
    activity: Activity = attrs.field(validator=_v.instance_of(Activity))
    """What takes place."""
    weekday: Weekday = attrs.field(validator=_v.instance_of(Weekday))
    """Day of the week."""
    start_time: pendulum.Time
    """Local start time at the site."""
    duration: pendulum.Duration = attrs.field(validator=_positive_duration)
    """How long it lasts."""
    valid_from: pendulum.Date
    """First day the rule applies."""
    valid_until: pendulum.Date | None = None
    """Last day the rule applies, or ``None``."""
    every_weeks: int = attrs.field(default=1, validator=_positive_int)
    """1 every week, 2 every other week…, counted from ``valid_from``."""
    professionals: tuple[str, ...] = attrs.field(
        converter=frozen_tuple, default=(), validator=_identifiers
    )
    """Ids of the professionals who hold it."""
    holiday_policy: HolidayPolicy = HolidayPolicy.SKIP
    """What happens to a session on a public holiday."""

    def __attrs_post_init__(self) -> None:
        _check_period(self)

    @property
    def first_date(self) -> pendulum.Date:
        """The date of the first occurrence: the first ``weekday`` on or after ``valid_from``."""
        ahead = (self.weekday.iso - self.valid_from.isoweekday()) % 7
        return self.valid_from.add(days=ahead)

    def minimum_per(self, period: Period) -> int:
        """The fewest occurrences any week, month or quarter holds (holidays aside).

        Examples:
            >>> import pendulum
            >>> from microstructure.programs import Activity, Period
            >>> from microstructure.scheduling import Weekday, WeeklySession
            >>> rule = WeeklySession(
            ...     id="psy", activity=Activity.PSYCHIATRIST_SESSIONS, every_weeks=2,
            ...     weekday=Weekday.TUESDAY, start_time=pendulum.time(9, 0),
            ...     duration=pendulum.duration(hours=3), valid_from=pendulum.date(2026, 1, 1),
            ... )
            >>> rule.minimum_per(Period.WEEK), rule.minimum_per(Period.MONTH)
            (0, 2)
        """
        # The shortest week, month and quarter last 7, 28 and 89 days.
        days = {Period.WEEK: 7, Period.MONTH: 28, Period.QUARTER: 89}[period]
        return days // (7 * self.every_weeks)


@attrs.frozen(kw_only=True)
class MonthlyMeeting:
    """A meeting on the ``ordinal``-th ``weekday`` of every ``every_months`` months.

    ``ordinal`` is 1 to 5, or -1 for the last such weekday of the month. Months
    without a 5th ``weekday`` have no meeting under ``ordinal=5`` (as in RFC 5545):
    use -1 for "the last one". Months are counted from the month of ``valid_from``.
    ``participants`` lists the ids of the team members expected; left empty, every
    clinical member of the team is (for an RCP) or every member whose role runs
    the ``activity``.

    Examples:
        >>> import pendulum
        >>> from microstructure.programs import Activity
        >>> from microstructure.scheduling import MonthlyMeeting, Weekday
        >>> rcp = MonthlyMeeting(
        ...     id="rcp", activity=Activity.RCP, ordinal=2, weekday=Weekday.THURSDAY,
        ...     start_time=pendulum.time(12, 30), duration=pendulum.duration(hours=2),
        ...     valid_from=pendulum.date(2026, 1, 1),
        ... )
        >>> rcp.date_in(2026, 5)
        Date(2026, 5, 14)
    """

    id: str = attrs.field(validator=_identifier)
    """Rule id, unique in the team's schedule; exceptions refer to it."""
    activity: Activity = attrs.field(validator=_v.instance_of(Activity))
    """What takes place (usually the RCP)."""
    ordinal: int = attrs.field(validator=_ordinal)
    """Which weekday of the month: 1 to 5, or -1 for the last."""
    weekday: Weekday = attrs.field(validator=_v.instance_of(Weekday))
    """Day of the week."""
    start_time: pendulum.Time
    """Local start time at the site."""
    duration: pendulum.Duration = attrs.field(validator=_positive_duration)
    """How long it lasts."""
    valid_from: pendulum.Date
    """First day the rule applies."""
    valid_until: pendulum.Date | None = None
    """Last day the rule applies, or ``None``."""
    every_months: int = attrs.field(default=1, validator=_positive_int)
    """1 every month, 3 every quarter…, counted from the month of ``valid_from``."""
    participants: tuple[str, ...] = attrs.field(
        converter=frozen_tuple, default=(), validator=_identifiers
    )
    """Ids of the participants; empty for every clinician of the team."""
    holiday_policy: HolidayPolicy = HolidayPolicy.NEXT_WORKING_DAY
    """What happens to a meeting on a public holiday."""

    def __attrs_post_init__(self) -> None:
        _check_period(self)

    @property
    def professionals(self) -> tuple[str, ...]:
        """The participants (same name as on `WeeklySession`)."""
        return self.participants

    def date_in(self, year: int, month: int) -> pendulum.Date | None:
        """The nominal date in a month, before holidays; ``None`` if the month has none.

        Ignores ``valid_from``, ``valid_until`` and ``every_months``.

        Examples:
            >>> import pendulum
            >>> from microstructure.programs import Activity
            >>> from microstructure.scheduling import MonthlyMeeting, Weekday
            >>> rcp = MonthlyMeeting(
            ...     id="rcp", activity=Activity.RCP, ordinal=5, weekday=Weekday.THURSDAY,
            ...     start_time=pendulum.time(12, 30), duration=pendulum.duration(hours=2),
            ...     valid_from=pendulum.date(2026, 1, 1),
            ... )
            >>> rcp.date_in(2026, 4), rcp.date_in(2026, 5)
            (Date(2026, 4, 30), None)
        """
        day = nth_weekday(year, month, self.ordinal, self.weekday.iso)
        return None if day is None else pendulum.Date(day.year, day.month, day.day)

    def minimum_per(self, period: Period) -> int:
        """The fewest occurrences any week, month or quarter holds (holidays aside).

        Examples:
            >>> import pendulum
            >>> from microstructure.programs import Activity, Period
            >>> from microstructure.scheduling import MonthlyMeeting, Weekday
            >>> rcp = MonthlyMeeting(
            ...     id="rcp", activity=Activity.RCP, ordinal=-1, weekday=Weekday.THURSDAY,
            ...     start_time=pendulum.time(12, 30), duration=pendulum.duration(hours=2),
            ...     valid_from=pendulum.date(2026, 1, 1),
            ... )
            >>> rcp.minimum_per(Period.MONTH), rcp.minimum_per(Period.QUARTER)
            (1, 3)
        """
        if self.ordinal == 5 or period is Period.WEEK:  # noqa: PLR2004 - a 5th weekday is rare
            return 0
        months = 3 if period is Period.QUARTER else 1
        return months // self.every_months


#: A schedule rule: a `WeeklySession` or a `MonthlyMeeting`.
#: In JSON, the key ``"type"`` (``"weekly"`` or ``"monthly"``) tells which.
Rule: TypeAlias = WeeklySession | MonthlyMeeting


def meets_frequency(rule: Rule, frequency: SessionFrequency) -> bool:
    """Whether ``rule`` alone provides ``frequency`` in every period (holidays aside).

    Use it to check a rule against a program, such as the santé mentale
    program's monthly psychiatrist sessions.

    Examples:
        >>> import pendulum
        >>> from microstructure.programs import Activity
        >>> from microstructure.scheduling import MonthlyMeeting, Weekday, meets_frequency
        >>> from microstructure.programs import program
        >>> wanted = program("sante-mentale").frequency(Activity.PSYCHIATRIST_SESSIONS)
        >>> rule = MonthlyMeeting(
        ...     id="psychiatre", activity=Activity.PSYCHIATRIST_SESSIONS, ordinal=1,
        ...     weekday=Weekday.MONDAY, start_time=pendulum.time(14, 0),
        ...     duration=pendulum.duration(hours=3), valid_from=pendulum.date(2026, 1, 1),
        ... )
        >>> meets_frequency(rule, wanted)
        True
    """
    if not isinstance(rule, WeeklySession | MonthlyMeeting):
        raise FieldError(type(rule).__name__, "a WeeklySession or a MonthlyMeeting", field="rule")
    if not isinstance(frequency, SessionFrequency):
        raise FieldError(type(frequency).__name__, "a SessionFrequency", field="frequency")
    return rule.activity is frequency.activity and rule.minimum_per(frequency.period) >= (
        frequency.count
    )


# -- exceptions ------------------------------------------------------------------------


@attrs.frozen
class Cancellation:
    """The occurrence of rule ``rule`` due on ``date`` does not take place.

    ``date`` is the rule's own date, before any holiday move.

    Examples:
        >>> import pendulum
        >>> from microstructure.scheduling import Cancellation
        >>> Cancellation("rcp", pendulum.date(2026, 7, 9)).date
        Date(2026, 7, 9)
    """

    rule: str = attrs.field(validator=_identifier)
    """Id of the rule."""
    date: pendulum.Date
    """Date the rule gives for the session cancelled."""


@attrs.frozen(kw_only=True)
class Move:
    """The occurrence of rule ``rule`` due on ``date`` takes place on ``to`` instead.

    ``date`` is the rule's own date (before any holiday move); ``start_time``
    defaults to the rule's time. An explicit move overrides the holiday policy.

    Examples:
        >>> import pendulum
        >>> from microstructure.scheduling import Move
        >>> Move(rule="rcp", date=pendulum.date(2026, 5, 14), to=pendulum.date(2026, 5, 12)).to
        Date(2026, 5, 12)
    """

    rule: str = attrs.field(validator=_identifier)
    """Id of the rule."""
    date: pendulum.Date
    """Date the rule gives for the session."""
    to: pendulum.Date
    """Date it is held instead."""
    start_time: pendulum.Time | None = None
    """New local start time, or ``None`` for the rule's."""


@attrs.frozen(kw_only=True)
class ExtraSession:
    """One more session of rule ``rule`` (same activity, people, duration) on ``date``.

    ``start_time`` defaults to the rule's time. Extra sessions are not subject to
    the holiday policy: they are set by hand.

    Examples:
        >>> import pendulum
        >>> from microstructure.scheduling import ExtraSession
        >>> ExtraSession(rule="psy", date=pendulum.date(2026, 12, 23)).start_time is None
        True
    """

    rule: str = attrs.field(validator=_identifier)
    """Id of the rule."""
    date: pendulum.Date
    """Date of the extra session."""
    start_time: pendulum.Time | None = None
    """Local start time, or ``None`` for the rule's."""


def _working_days(_: object, attribute: attrs.Attribute[Any], value: tuple[Weekday, ...]) -> None:
    if not value or len(set(value)) != len(value):
        _fail(attribute, [d.value for d in value], "a non-empty list of distinct weekdays")


def _distinct(key: str, expected: str) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """A validator failing on the first item whose ``key`` attribute an earlier item has."""

    def check(_: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        seen: set[object] = set()
        for item in value:
            if getattr(item, key) in seen:
                _fail(attribute, getattr(item, key), expected)
            seen.add(getattr(item, key))

    return check


_unique_rule_ids = _distinct("id", "rules with distinct ids")


@attrs.frozen(kw_only=True)
class TeamSchedule:
    """The rules and exceptions of one microstructure, found by its ``microstructure`` id.

    ``working_days`` are the weekdays the holiday policies may move a session to
    (Monday to Friday by default). Exceptions name a rule by its ``id``.

    Examples:
        >>> from microstructure.scheduling import example_schedule
        >>> neudorf = example_schedule().schedules[0]
        >>> neudorf.microstructure, [rule.id for rule in neudorf.rules]
        ('ms-neudorf', ['psy', 'social', 'rcp', 'psychiatre'])
    """

    microstructure: str = attrs.field(validator=_identifier)
    """Id of the microstructure in the team file."""
    rules: tuple[Rule, ...] = attrs.field(
        converter=frozen_tuple,
        default=(),
        validator=[_v.tuple_of((WeeklySession, MonthlyMeeting), "rules"), _unique_rule_ids],
    )
    """Weekly and monthly rules."""
    cancelled: tuple[Cancellation, ...] = attrs.field(default=(), converter=frozen_tuple)
    """Sessions that do not take place."""
    moved: tuple[Move, ...] = attrs.field(default=(), converter=frozen_tuple)
    """Sessions held on another date or time."""
    extra: tuple[ExtraSession, ...] = attrs.field(default=(), converter=frozen_tuple)
    """Sessions added to a rule."""
    working_days: tuple[Weekday, ...] = attrs.field(
        converter=frozen_tuple, default=_MONDAY_TO_FRIDAY, validator=_working_days
    )
    """Days a holiday policy may move a session to."""

    def rule(self, rule_id: str) -> Rule | None:
        """The rule with id ``rule_id``, if any."""
        return next((r for r in self.rules if r.id == rule_id), None)


_unique_microstructures = _distinct("microstructure", "one schedule per microstructure")


@attrs.frozen
class NetworkSchedule:
    """The schedules of several microstructures: the content of a schedule file.

    The teams themselves (sites, members) live in the team file; each
    `TeamSchedule` names its microstructure by id.

    Examples:
        >>> from microstructure.scheduling import example_schedule
        >>> len(example_schedule().schedules)
        4
    """

    schedules: tuple[TeamSchedule, ...] = attrs.field(
        converter=frozen_tuple,
        default=(),
        validator=[_v.tuple_of(TeamSchedule, "team schedules"), _unique_microstructures],
    )
    """One schedule per microstructure."""


# -- occurrences -----------------------------------------------------------------------


class OccurrenceKind(enum.StrEnum):
    """Why an occurrence is where it is."""

    REGULAR = "regular"
    """On the rule's own date (possibly a holiday kept by the policy)."""
    HOLIDAY_MOVED = "holiday-moved"
    """Moved off a public holiday by the rule's policy."""
    MOVED = "moved"
    """Moved by hand (a `Move`)."""
    EXTRA = "extra"
    """Added by hand (an `ExtraSession`)."""


@attrs.frozen(kw_only=True, order=False)
class Occurrence:
    """One dated session: aware ``start`` and ``end`` in the site's time zone.

    ``rule_date`` is the date the rule gave before any move (``None`` for an extra
    session); ``holiday`` names the public holiday of ``rule_date``, if any;
    ``source`` locates the rule or exception in the schedule data.

    Examples:
        >>> import pendulum
        >>> from microstructure.examples import example_national
        >>> from microstructure.scheduling import example_schedule, expand
        >>> first = expand(example_schedule(), example_national(),
        ...                pendulum.date(2026, 5, 1), pendulum.date(2026, 5, 31))[0]
        >>> first.start, first.microstructure, first.activity.value
        (DateTime(2026, 5, 4, 9, 0, 0, tzinfo=Timezone('Europe/Paris')), 'ms-neudorf', 'psychologist-consultations')
    """

    start: pendulum.DateTime
    """Start, in the site's time zone."""
    end: pendulum.DateTime
    """End, in the site's time zone."""
    microstructure: str
    """Id of the microstructure."""
    site: str
    """Id of the site."""
    rule: str
    """Id of the rule."""
    activity: Activity
    """What takes place."""
    professionals: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    """Ids of the professionals booked."""
    kind: OccurrenceKind = OccurrenceKind.REGULAR
    """Regular, moved (by a holiday or by hand) or extra."""
    rule_date: pendulum.Date | None = None
    """Date the rule itself gives, before any move."""
    holiday: str | None = None
    """Name of the public holiday that moved it, if any."""
    source: str = "$"
    """Where the rule is in the schedule file (JSONPath)."""

    @property
    def date(self) -> pendulum.Date:
        """The local date of the start."""
        return self.start.date()


# -- conversion: ``"type"`` tags the rule union (see `microstructure.io`) ---------------

#: Read by `microstructure.io`: the rule union, tagged by ``"type"``.
_TAGGED_UNIONS = ((Rule, "a rule", {"weekly": WeeklySession, "monthly": MonthlyMeeting}),)

# Resolve annotations now: the public package rewrites ``__module__``, after which
# ``typing.get_type_hints`` would look names up in the wrong module.
for _cl in (
    WeeklySession,
    MonthlyMeeting,
    Cancellation,
    Move,
    ExtraSession,
    TeamSchedule,
    NetworkSchedule,
    Occurrence,
):
    attrs.resolve_types(_cl)
