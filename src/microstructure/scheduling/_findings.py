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
)
NO_TRAVEL_TIME = define_finding(
    "MS-SCHED-002",
    Severity.WARNING,
    "Not enough travel time between sessions at two sites",
    "Temps de trajet insuffisant entre deux séances sur deux sites",
    area=_A,
)
NO_PSYCHOLOGIST = define_finding(
    "MS-SCHED-011",
    Severity.WARNING,
    "No psychologist consultation held in a week (principle 2)",
    "Pas de consultation de psychologue dans la semaine (principe 2)",
    area=_A,
)
NO_SOCIAL_WORKER = define_finding(
    "MS-SCHED-012",
    Severity.WARNING,
    "No social-worker consultation held in a week (principle 2)",
    "Pas de permanence du travailleur social dans la semaine (principe 2)",
    area=_A,
)
NO_RCP = define_finding(
    "MS-SCHED-013",
    Severity.WARNING,
    "No multidisciplinary case meeting (RCP) held in a month (principle 3)",
    "Pas de réunion de concertation pluridisciplinaire (RCP) dans le mois (principe 3)",
    area=_A,
)
FEW_PSYCHIATRIST = define_finding(
    "MS-SCHED-014",
    Severity.WARNING,
    "Fewer psychiatrist sessions than the program sets",
    "Moins de séances de psychiatre que ne le prévoit le programme",
    area=_A,
)

#: The finding emitted when an activity falls short of its frequency.
MISSING_BY_ACTIVITY = {
    Activity.PSYCHOLOGIST_CONSULTATIONS: NO_PSYCHOLOGIST,
    Activity.SOCIAL_WORKER_CONSULTATIONS: NO_SOCIAL_WORKER,
    Activity.RCP: NO_RCP,
    Activity.PSYCHIATRIST_SESSIONS: FEW_PSYCHIATRIST,
}
