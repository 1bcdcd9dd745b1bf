"""The kinds of finding eligibility raises: screening alerts and policy checks."""

from __future__ import annotations

from microstructure.errors import FindingKind, Severity, define_finding

__all__ = [
    "ALCOHOL_HARM",
    "DEPENDENCE_SYMPTOMS",
    "FLAG_KINDS",
    "OTHER_FLAG",
    "REPEATED_CRITERION",
    "SUICIDAL_THOUGHTS",
    "THRESHOLD_OUT_OF_RANGE",
]

_AREA = "eligibility"
SUICIDAL_THOUGHTS = define_finding(
    "MS-ELIG-001",
    Severity.ERROR,
    "Suicidal thoughts reported (PHQ-9 item 9): assess the risk now",
    "Idées suicidaires signalées (question 9 du PHQ-9) : évaluer le risque sans attendre",
    area=_AREA,
)
DEPENDENCE_SYMPTOMS = define_finding(
    "MS-ELIG-002",
    Severity.WARNING,
    "Alcohol dependence symptoms (AUDIT items 4 to 6)",
    "Signes de dépendance à l'alcool (questions 4 à 6 de l'AUDIT)",
    area=_AREA,
)
ALCOHOL_HARM = define_finding(
    "MS-ELIG-003",
    Severity.WARNING,
    "Alcohol-related harm in the past year (AUDIT item 9 or 10)",
    "Dommage lié à l'alcool dans l'année (question 9 ou 10 de l'AUDIT)",
    area=_AREA,
)
OTHER_FLAG = define_finding(
    "MS-ELIG-004",
    Severity.WARNING,
    "Screening flag raised by an item",
    "Signal d'alerte levé par une question d'un test de repérage",
    area=_AREA,
)
THRESHOLD_OUT_OF_RANGE = define_finding(
    "MS-ELIG-005",
    Severity.WARNING,
    "Score threshold outside the instrument's range: the criterion never changes",
    "Seuil hors de l'étendue du score : le critère ne change jamais",
    area=_AREA,
)
REPEATED_CRITERION = define_finding(
    "MS-ELIG-006",
    Severity.INFO,
    "Criterion repeated in the same group",
    "Critère répété dans un même groupe",
    area=_AREA,
)
#: The finding kind of each (instrument, flag) pair; any other flag is an `OTHER_FLAG`.
FLAG_KINDS: dict[tuple[str, str], FindingKind] = {
    ("phq-9", "suicidal-thoughts"): SUICIDAL_THOUGHTS,
    ("audit", "dependence-symptoms"): DEPENDENCE_SYMPTOMS,
    ("audit", "harm-past-year"): ALCOHOL_HARM,
}
