"""Session scheduling: weekly consultations, monthly RCP, holidays, conformity, iCalendar.

Rules (`WeeklySession`, `MonthlyMeeting`) and exceptions live in a `TeamSchedule`
per microstructure, kept in a schedule file (`NetworkSchedule`) next to the team
file. `expand` turns them into dated `Occurrence`s in each site's local time,
`conflicts` finds people booked twice, `conformity` checks the sessions actually
held against principles 2 and 3, and `to_ical` exports an RFC 5545 calendar.
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.scheduling._conflicts import conflicts
    from microstructure.scheduling._conformity import (
        PRINCIPLES,
        ConformityReport,
        HeldSession,
        MonthConformity,
        SessionStatus,
        conformity,
    )
    from microstructure.scheduling._expand import expand
    from microstructure.scheduling._files import (
        HeldSessions,
        example_schedule,
        load_held,
        load_schedule,
    )
    from microstructure.scheduling._ical import UID_NAMESPACE, to_ical
    from microstructure.scheduling._model import (
        ACTIVITY_LABELS,
        Cancellation,
        ExtraSession,
        HolidayPolicy,
        MonthlyMeeting,
        Move,
        NetworkSchedule,
        Occurrence,
        OccurrenceKind,
        Rule,
        TeamSchedule,
        Weekday,
        WeeklySession,
        meets_frequency,
    )
    from microstructure.scheduling._occurrences import FIRST_YEAR, LAST_YEAR, Schedules, Teams

__all__ = [
    "ACTIVITY_LABELS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "PRINCIPLES",
    "UID_NAMESPACE",
    "Cancellation",
    "ConformityReport",
    "ExtraSession",
    "HeldSession",
    "HeldSessions",
    "HolidayPolicy",
    "MonthConformity",
    "MonthlyMeeting",
    "Move",
    "NetworkSchedule",
    "Occurrence",
    "OccurrenceKind",
    "Rule",
    "Schedules",
    "SessionStatus",
    "TeamSchedule",
    "Teams",
    "Weekday",
    "WeeklySession",
    "conflicts",
    "conformity",
    "example_schedule",
    "expand",
    "load_held",
    "load_schedule",
    "meets_frequency",
    "to_ical",
]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.scheduling._conflicts": ("conflicts",),
            "microstructure.scheduling._conformity": (
                "PRINCIPLES",
                "ConformityReport",
                "HeldSession",
                "MonthConformity",
                "SessionStatus",
                "conformity",
            ),
            "microstructure.scheduling._expand": ("expand",),
            "microstructure.scheduling._files": (
                "HeldSessions",
                "example_schedule",
                "load_held",
                "load_schedule",
            ),
            "microstructure.scheduling._ical": (
                "UID_NAMESPACE",
                "to_ical",
            ),
            "microstructure.scheduling._model": (
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
                "WeeklySession",
                "meets_frequency",
            ),
            "microstructure.scheduling._occurrences": (
                "FIRST_YEAR",
                "LAST_YEAR",
                "Schedules",
                "Teams",
            ),
        },
    )
