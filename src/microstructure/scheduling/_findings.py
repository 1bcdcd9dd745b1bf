"""The finding codes of the scheduling area (``MS-SCHED-0NN``)."""

from __future__ import annotations

from microstructure.errors import Severity, define_finding
from microstructure.programs import Activity

__all__ = [
    "DOUBLE_BOOKING",
    "MISSING_BY_ACTIVITY",
    "NO_TRAVEL_TIME",
]

_A = "scheduling"

DOUBLE_BOOKING = define_finding(
    "MS-SCHED-001",
    Severity.ERROR,
    "Professional booked at two overlapping sessions",
    "Professionnel prévu à deux séances qui se chevauchent",
    area=_A,
    remedy="Move one of the two sessions, or give one of them to another professional, in the schedule file; then run `microstructure schedule` again.",
)
NO_TRAVEL_TIME = define_finding(
    "MS-SCHED-002",
    Severity.WARNING,
    "Not enough travel time between sessions at two sites",
    "Temps de trajet insuffisant entre deux séances sur deux sites",
    area=_A,
    remedy="Leave more time between the two sessions (at least the `--buffer` you gave), or swap sessions so that the professional stays at one site.",
)
NO_PSYCHOLOGIST = define_finding(
    "MS-SCHED-011",
    Severity.WARNING,
    "No psychologist consultation held in a week (principle 2)",
    "Pas de consultation de psychologue dans la semaine (principe 2)",
    area=_A,
    remedy="Plan a replacement psychologist session in that week (an extra session in the schedule file), or record in the held-sessions file a session that was held but not recorded.",
)
NO_SOCIAL_WORKER = define_finding(
    "MS-SCHED-012",
    Severity.WARNING,
    "No social-worker consultation held in a week (principle 2)",
    "Pas de permanence du travailleur social dans la semaine (principe 2)",
    area=_A,
    remedy="Plan a replacement social-worker session in that week, or record a session that was held but not recorded.",
)
NO_RCP = define_finding(
    "MS-SCHED-013",
    Severity.WARNING,
    "No multidisciplinary case meeting (RCP) held in a month (principle 3)",
    "Pas de réunion de concertation pluridisciplinaire (RCP) dans le mois (principe 3)",
    area=_A,
    remedy="Hold the month's RCP (move it if it fell on a holiday), or record it in the held-sessions file if it took place.",
)
FEW_PSYCHIATRIST = define_finding(
    "MS-SCHED-014",
    Severity.WARNING,
    "Fewer psychiatrist sessions than the program sets",
    "Moins de séances de psychiatre que ne le prévoit le programme",
    area=_A,
    remedy="Add the missing psychiatrist sessions to the schedule, or check that the team's program really requires that many.",
)

#: The finding emitted when an activity falls short of its frequency.
MISSING_BY_ACTIVITY = {
    Activity.PSYCHOLOGIST_CONSULTATIONS: NO_PSYCHOLOGIST,
    Activity.SOCIAL_WORKER_CONSULTATIONS: NO_SOCIAL_WORKER,
    Activity.RCP: NO_RCP,
    Activity.PSYCHIATRIST_SESSIONS: FEW_PSYCHIATRIST,
}
