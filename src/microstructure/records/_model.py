"""The care pathway records: patient, referral, assessment, inclusion, consultation, RCP, exit.

Every record is an *event*: it has a stable ``id`` given by the vendor's software and a
``recorded_at`` instant. A later ``recorded_at`` with the same ``id`` is a correction.
Records carry codes, dates and numbers only: no names, no birth dates, no free text.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import re
from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar

import attrs
import pendulum

from microstructure import _validators as _v
from microstructure._labels import Labelled, labels
from microstructure._validators import fail as _fail
from microstructure._validators import identifier as _identifier
from microstructure.eligibility import (
    Answer,
    Decision,
    Indication,
    Outcome,
    Points,
    Score,
    Substance,
    instrument,
    is_situation_code,
)
from microstructure.errors import FieldError, MicrostructureError
from microstructure.identifiers import AnonymousCode
from microstructure.io import PERSONAL
from microstructure.territory import department, departments
from microstructure.vocabulary import Role, Sex

__all__ = [
    "Assessment",
    "AssessmentStage",
    "Consultation",
    "ConsultationMode",
    "ConsultationStatus",
    "DecisionSnapshot",
    "Event",
    "Exit",
    "ExitReason",
    "Inclusion",
    "Patient",
    "RcpCase",
    "RcpMeeting",
    "RcpOutcome",
    "Referral",
    "session_ref",
]

_PERSONAL: dict[str, bool] = {PERSONAL: True}
_NATIONAL_RE = re.compile(r"^v1n:[0-9a-f]{64}$")
_RULE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_SESSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}@\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")
_MIN_BIRTH_YEAR = 1900
_MAX_BIRTH_YEAR = 2100


class AssessmentStage(Labelled):
    """When an assessment was made: at inclusion (the baseline) or at follow-up."""

    INCLUSION = "inclusion"
    FOLLOW_UP = "follow-up"


labels(
    AssessmentStage,
    {
        AssessmentStage.INCLUSION: ("at inclusion", "à l'inclusion"),
        AssessmentStage.FOLLOW_UP: ("at follow-up", "au suivi"),
    },
)


class ConsultationStatus(Labelled):
    """What became of a planned consultation."""

    HELD = "held"
    MISSED = "missed"
    CANCELLED_BY_PATIENT = "cancelled-by-patient"
    CANCELLED_BY_TEAM = "cancelled-by-team"


labels(
    ConsultationStatus,
    {
        ConsultationStatus.HELD: ("held", "honorée"),
        ConsultationStatus.MISSED: ("missed", "non honorée"),
        ConsultationStatus.CANCELLED_BY_PATIENT: (
            "cancelled by the patient",
            "annulée par le patient",
        ),
        ConsultationStatus.CANCELLED_BY_TEAM: ("cancelled by the team", "annulée par l'équipe"),
    },
)


class ConsultationMode(Labelled):
    """How a consultation takes place."""

    ON_SITE = "on-site"
    PHONE = "phone"
    VIDEO = "video"
    HOME_VISIT = "home-visit"


labels(
    ConsultationMode,
    {
        ConsultationMode.ON_SITE: ("on site", "sur place"),
        ConsultationMode.PHONE: ("phone", "téléphone"),
        ConsultationMode.VIDEO: ("video", "vidéo"),
        ConsultationMode.HOME_VISIT: ("home visit", "visite à domicile"),
    },
)


class RcpOutcome(Labelled):
    """The coded outcome of a case discussed at a case meeting (RCP)."""

    CONTINUE = "continue"
    ADJUST_PLAN = "adjust-plan"
    REFER_SPECIALISED = "refer-specialised"
    EXIT = "exit"
    OTHER = "other"


labels(
    RcpOutcome,
    {
        RcpOutcome.CONTINUE: ("continue the follow-up", "poursuite du suivi"),
        RcpOutcome.ADJUST_PLAN: ("adjust the care plan", "adaptation du projet de soins"),
        RcpOutcome.REFER_SPECIALISED: (
            "refer to specialised care",
            "orientation vers le spécialisé",
        ),
        RcpOutcome.EXIT: ("end the follow-up", "fin du suivi"),
        RcpOutcome.OTHER: ("other", "autre"),
    },
)


class ExitReason(Labelled):
    """Why an episode of care ended."""

    GOALS_REACHED = "goals-reached"
    REFERRED_CSAPA = "referred-csapa"
    REFERRED_CMP = "referred-cmp"
    REFERRED_HOSPITAL = "referred-hospital"
    MOVED = "moved"
    LOST_TO_FOLLOW_UP = "lost-to-follow-up"
    PATIENT_CHOICE = "patient-choice"
    DEATH = "death"
    OTHER = "other"


labels(
    ExitReason,
    {
        ExitReason.GOALS_REACHED: ("goals reached", "objectifs atteints"),
        ExitReason.REFERRED_CSAPA: ("referred to a CSAPA", "orientation vers un CSAPA"),
        ExitReason.REFERRED_CMP: ("referred to a CMP", "orientation vers un CMP"),
        ExitReason.REFERRED_HOSPITAL: ("referred to hospital", "orientation vers l'hôpital"),
        ExitReason.MOVED: ("moved away", "déménagement"),
        ExitReason.LOST_TO_FOLLOW_UP: ("lost to follow-up", "perdu de vue"),
        ExitReason.PATIENT_CHOICE: ("patient's choice", "choix du patient"),
        ExitReason.DEATH: ("death", "décès"),
        ExitReason.OTHER: ("other", "autre"),
    },
)


# -- validators ------------------------------------------------------------------------


def _aware(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, pendulum.DateTime) or value.tzinfo is None:
        _fail(attribute, value, "an aware date-time (with a time zone or UTC offset)")


def _date(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, pendulum.Date) or isinstance(value, pendulum.DateTime):
        _fail(attribute, value, "a date (pendulum.Date)")


def _code(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, AnonymousCode):
        _fail(attribute, None, "an AnonymousCode")


@_v.json_schema({"pattern": _NATIONAL_RE.pattern})
def _national(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not (isinstance(value, str) and _NATIONAL_RE.match(value)):
        _fail(attribute, value, "a national pseudonym: 'v1n:' and 64 lowercase hex digits")


@_v.json_schema({"minimum": _MIN_BIRTH_YEAR, "maximum": _MAX_BIRTH_YEAR})
def _birth_year(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not _MIN_BIRTH_YEAR <= value <= _MAX_BIRTH_YEAR
    ):
        _fail(attribute, value, f"a birth year from {_MIN_BIRTH_YEAR} to {_MAX_BIRTH_YEAR}")


@_v.json_schema(lambda: {"enum": sorted(d.code for d in departments())})
def _department(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    try:
        found = department(value) if isinstance(value, str) else None
    except MicrostructureError:
        found = None
    if found is None or found.code != value:
        _fail(attribute, value, "a canonical department code such as '67' or '2A'")


@_v.json_schema({"items": {"pattern": _v.ID_PATTERN}})
def _ids(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        _fail(attribute, value, "a tuple of identifiers")
    for item in value:
        _identifier(None, attribute, item)


def _situations(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        _fail(attribute, value, "a tuple of situation codes")
    for item in value:
        if not isinstance(item, str) or not is_situation_code(item):
            _fail(attribute, item, "a situation code of the taxonomy (or 'x-' and a network code)")


def _duration(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, pendulum.Duration) or value.total_seconds() < 0:
        _fail(attribute, value, "a duration of zero or more")


def _session(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not (isinstance(value, str) and _SESSION_RE.match(value)):
        _fail(attribute, value, "a session reference such as 'psy@2026-05-04' (see session_ref)")


def _instance(cl: type) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def validate(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, cl):
            _fail(attribute, None, f"a {cl.__name__}, not {type(value).__name__}")

    return validate


_E = TypeVar("_E", bound=enum.StrEnum)


def _enum(cl: type[_E], name: str, *, personal: bool = False) -> Callable[[object], _E]:
    """A converter from a member or its value, raising the located `FieldError`."""
    expected = "one of " + ", ".join(repr(m.value) for m in cl)
    members: dict[str, _E] = {m.value: m for m in cl}

    def convert(value: object) -> _E:
        if isinstance(value, cl):
            return value
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            raise FieldError(value, expected, field=name, personal=personal)
        return member

    return convert


def _enum_set(cl: type[_E], name: str) -> Callable[[object], tuple[_E, ...]]:
    """A converter to a sorted tuple of unique members, so that equal facts compare equal."""
    one = _enum(cl, name)

    def convert(value: object) -> tuple[_E, ...]:
        if not isinstance(value, list | tuple | set | frozenset):
            raise FieldError(value, f"a list of {cl.__name__} codes", field=name)
        return tuple(sorted({one(item) for item in value}))

    return convert


_TO_SEX = _enum(Sex, "sex", personal=True)
_TO_INDICATIONS = _enum_set(Indication, "indications")
_TO_SUBSTANCES = _enum_set(Substance, "substances")
_TO_STAGE = _enum(AssessmentStage, "stage")
_TO_OUTCOME = _enum(Outcome, "outcome")
_TO_ROLE = _enum(Role, "role")
_TO_STATUS = _enum(ConsultationStatus, "status")
_TO_MODE = _enum(ConsultationMode, "mode")
_TO_RCP_OUTCOME = _enum(RcpOutcome, "outcome")
_TO_REASON = _enum(ExitReason, "reason")


def _sex(value: object) -> Sex:
    return _TO_SEX(value)


def _indications(value: object) -> tuple[Indication, ...]:
    return _TO_INDICATIONS(value)


def _substances(value: object) -> tuple[Substance, ...]:
    return _TO_SUBSTANCES(value)


def _stage(value: object) -> AssessmentStage:
    return _TO_STAGE(value)


def _outcome(value: object) -> Outcome:
    return _TO_OUTCOME(value)


def _role(value: object) -> Role:
    return _TO_ROLE(value)


def _status(value: object) -> ConsultationStatus:
    return _TO_STATUS(value)


def _mode(value: object) -> ConsultationMode:
    return _TO_MODE(value)


def _rcp_outcome(value: object) -> RcpOutcome:
    return _TO_RCP_OUTCOME(value)


def _reason(value: object) -> ExitReason:
    return _TO_REASON(value)


def _points(value: object) -> Any:
    if isinstance(value, int | decimal.Decimal) and not isinstance(value, bool | Points):
        return Points(value)
    return value


def _sorted_unique(value: object) -> object:
    """Sets of codes are kept sorted and without repeats, so equal facts compare equal."""
    if isinstance(value, list | tuple | set | frozenset) and all(isinstance(v, str) for v in value):
        return tuple(sorted(set(value)))
    return value


def _to_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _to_date(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime | pendulum.Date):
        return pendulum.Date(value.year, value.month, value.day)
    return value


def _to_datetime(value: object) -> object:
    if isinstance(value, dt.datetime) and not isinstance(value, pendulum.DateTime):
        return pendulum.instance(value) if value.tzinfo is not None else value
    return value


# -- records ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Patient:
    """A patient of a microstructure, known by an anonymous code: never by name.

    ``national_pseudonym`` (``v1n:`` and 64 hex digits, from
    `microstructure.identifiers.Pseudonymizer`) links the patient across sites;
    ``birth_year`` replaces the birth date; ``department`` is the department of
    residence, if known.

    Examples:
        >>> import pendulum
        >>> from microstructure.identifiers import AnonymousCode
        >>> from microstructure.records import Patient
        >>> p = Patient(id="pat-1", recorded_at=pendulum.datetime(2026, 1, 5, 10),
        ...             patient=AnonymousCode.parse("K3M7-QXVG"), birth_year=1979, sex="female")
        >>> p.sex, p.department
        (<Sex.FEMALE: 'female'>, None)
    """

    id: str = attrs.field(validator=_identifier)
    """Stable id of the event; a later ``recorded_at`` with the same id is a correction."""
    recorded_at: pendulum.DateTime = attrs.field(converter=_to_datetime, validator=_aware)
    """When the event was recorded (date-time with offset)."""
    patient: AnonymousCode = attrs.field(validator=_code, metadata=_PERSONAL)
    """The patient's anonymous code."""
    birth_year: int = attrs.field(validator=_birth_year, metadata=_PERSONAL)
    """Year of birth (1900 to 2100); never the full date."""
    sex: Sex = attrs.field(converter=_sex, metadata=_PERSONAL)
    """Sex, as the one vocabulary spells it."""
    national_pseudonym: str | None = attrs.field(
        default=None, validator=_national, metadata=_PERSONAL
    )
    """National pseudonym (``v1n:`` + 64 hex digits), if computed."""
    department: str | None = attrs.field(default=None, validator=_department, metadata=_PERSONAL)
    """INSEE department code of residence, if known."""


@attrs.frozen(kw_only=True)
class Referral:
    """The GP's referral of one of their patients to the team (*orientation*).

    ``referrer`` is the id of the referring GP, a member of ``microstructure``;
    ``indications``, ``substances`` and ``situations`` are codes of the eligibility
    taxonomy (kept sorted and unique).

    Examples:
        >>> import pendulum
        >>> from microstructure.identifiers import AnonymousCode
        >>> from microstructure.records import Referral
        >>> r = Referral(id="ref-1", recorded_at=pendulum.datetime(2026, 1, 5, 10),
        ...              patient=AnonymousCode.parse("K3M7-QXVG"), date=pendulum.date(2026, 1, 5),
        ...              microstructure="ms-neudorf", referrer="gp-neudorf-1",
        ...              substances=["tobacco", "alcohol"])
        >>> [s.value for s in r.substances]
        ['alcohol', 'tobacco']
    """

    id: str = attrs.field(validator=_identifier)
    """Stable id of the event; a later ``recorded_at`` with the same id is a correction."""
    recorded_at: pendulum.DateTime = attrs.field(converter=_to_datetime, validator=_aware)
    """When the event was recorded (date-time with offset)."""
    patient: AnonymousCode = attrs.field(validator=_code, metadata=_PERSONAL)
    """The patient's anonymous code."""
    date: pendulum.Date = attrs.field(converter=_to_date, validator=_date)
    """Date of the referral."""
    microstructure: str = attrs.field(validator=_identifier)
    """Id of the microstructure the patient is referred to."""
    referrer: str = attrs.field(validator=_identifier)
    """Id of the referring GP."""
    indications: tuple[Indication, ...] = attrs.field(default=(), converter=_indications)
    """Indications of the referral."""
    substances: tuple[Substance, ...] = attrs.field(default=(), converter=_substances)
    """Substances involved, if any."""
    situations: tuple[str, ...] = attrs.field(
        default=(), converter=_sorted_unique, validator=_situations
    )
    """Situation codes of the taxonomy."""


@functools.lru_cache(maxsize=4096)
def _scoring_problem(
    instrument_id: str, answers: tuple[Answer, ...] | None, total: Points | None
) -> tuple[str, object, str] | None:
    """What is wrong with answers or a total (field, value, expected), or ``None``.

    Cached: the same answers to the same instrument come back often in a care file.
    """
    if (answers is None) == (total is None):
        return ("answers", None, "either answers or a total, not both and not neither")
    try:
        known = instrument(instrument_id)
    except MicrostructureError as exc:
        return ("instrument", instrument_id, getattr(exc, "expected", "an instrument id"))
    try:
        if answers is not None:
            known.score(answers)
        else:
            known.from_total(total)  # type: ignore[arg-type]
    except MicrostructureError as exc:
        name = "answers" if answers is not None else "total"
        reason = str(exc).splitlines()[-1].strip(" -")
        return (name, None, f"answers or a total the instrument accepts: {reason}")
    return None


def _check_scored(instance: Assessment) -> None:
    try:
        problem = _scoring_problem(instance.instrument, instance.answers, instance.total)
    except TypeError:  # unhashable answers: let scoring say what is wrong
        problem = _scoring_problem.__wrapped__(
            instance.instrument, instance.answers, instance.total
        )
    if problem is not None:
        name, value, expected = problem
        _fail(getattr(attrs.fields(Assessment), name), value, expected)


@attrs.frozen(kw_only=True)
class Assessment:
    """A screening instrument filled in at inclusion or at follow-up.

    Give either ``answers`` (points as printed on the form, or yes/no) or only the
    ``total``; `score` scores them with `microstructure.eligibility`, so scores at
    inclusion and at follow-up can be compared.

    Examples:
        >>> import pendulum
        >>> from microstructure.identifiers import AnonymousCode
        >>> from microstructure.records import Assessment
        >>> a = Assessment(id="as-1", recorded_at=pendulum.datetime(2026, 1, 12, 10),
        ...                patient=AnonymousCode.parse("K3M7-QXVG"), date=pendulum.date(2026, 1, 12),
        ...                instrument="gad-7", stage="inclusion", answers=(2, 2, 1, 1, 1, 2, 1))
        >>> a.score().band
        'moderate'
    """

    id: str = attrs.field(validator=_identifier)
    """Stable id of the event; a later ``recorded_at`` with the same id is a correction."""
    recorded_at: pendulum.DateTime = attrs.field(converter=_to_datetime, validator=_aware)
    """When the event was recorded (date-time with offset)."""
    patient: AnonymousCode = attrs.field(validator=_code, metadata=_PERSONAL)
    """The patient's anonymous code."""
    date: pendulum.Date = attrs.field(converter=_to_date, validator=_date)
    """Date of the assessment."""
    instrument: str = attrs.field(validator=_identifier)
    """Instrument id (``phq-9``, ``audit-c``…)."""
    stage: AssessmentStage = attrs.field(converter=_stage)
    """At inclusion (baseline) or at follow-up."""
    answers: tuple[Answer, ...] | None = attrs.field(default=None, converter=_to_tuple)
    """The answers in item order, or ``None`` when only the total is kept."""
    total: Points | None = attrs.field(default=None, converter=_points)
    """The total alone, or ``None`` when the answers are kept."""

    def __attrs_post_init__(self) -> None:
        _check_scored(self)

    def score(self, sex: Sex | str | None = None) -> Score:
        """The `Score` of this assessment (``sex`` selects sex-specific thresholds)."""
        known = instrument(self.instrument)
        if self.answers is not None:
            return known.score(self.answers, sex=sex)
        return known.from_total(self.total, sex=sex)  # type: ignore[arg-type]


def _policy_version(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _identifier(None, attribute, value)


@attrs.frozen(kw_only=True)
class DecisionSnapshot:
    """What the eligibility decision said at inclusion: outcome, policy id and version.

    Examples:
        >>> from microstructure.eligibility import Situation, decide
        >>> from microstructure.records import DecisionSnapshot
        >>> d = decide(Situation(situations={"bereavement"}), "sante-mentale")
        >>> DecisionSnapshot.of(d, policy_version="2026-01").outcome.value
        'eligible'
    """

    outcome: Outcome = attrs.field(converter=_outcome)
    """The decision's outcome."""
    policy: str = attrs.field(validator=_identifier)
    """Id of the policy applied."""
    policy_version: str = attrs.field(validator=_policy_version)
    """Version of that policy."""

    @classmethod
    def of(cls, decision: Decision, *, policy_version: str) -> DecisionSnapshot:
        """The snapshot of ``decision``, made by the policy of its program at ``policy_version``."""
        given: object = decision
        if not isinstance(given, Decision):
            raise FieldError(type(given).__name__, "an eligibility Decision", field="decision")
        return cls(outcome=decision.outcome, policy=decision.program, policy_version=policy_version)


@attrs.frozen(kw_only=True)
class Inclusion:
    """The team's inclusion of the patient in a program: it opens an episode of care.

    Examples:
        >>> import pendulum
        >>> from microstructure.identifiers import AnonymousCode
        >>> from microstructure.records import DecisionSnapshot, Inclusion
        >>> inc = Inclusion(id="inc-1", recorded_at=pendulum.datetime(2026, 1, 12, 10),
        ...                 patient=AnonymousCode.parse("K3M7-QXVG"), date=pendulum.date(2026, 1, 12),
        ...                 program="droit-commun", microstructure="ms-neudorf",
        ...                 decision=DecisionSnapshot(outcome="eligible", policy="droit-commun",
        ...                                           policy_version="2026-01"))
        >>> inc.decision.outcome.label
        'eligible'
    """

    id: str = attrs.field(validator=_identifier)
    """Stable id of the event; a later ``recorded_at`` with the same id is a correction."""
    recorded_at: pendulum.DateTime = attrs.field(converter=_to_datetime, validator=_aware)
    """When the event was recorded (date-time with offset)."""
    patient: AnonymousCode = attrs.field(validator=_code, metadata=_PERSONAL)
    """The patient's anonymous code."""
    date: pendulum.Date = attrs.field(converter=_to_date, validator=_date)
    """Date of the inclusion: the episode starts then."""
    program: str = attrs.field(validator=_identifier)
    """Program id."""
    microstructure: str = attrs.field(validator=_identifier)
    """Id of the microstructure that includes the patient."""
    decision: DecisionSnapshot = attrs.field(validator=_instance(DecisionSnapshot))
    """What the eligibility decision said."""


@attrs.frozen(kw_only=True)
class Consultation:
    """One consultation of the patient with a member of the team.

    ``start`` is aware; ``session`` optionally names the scheduled session it belongs
    to (see `session_ref`). The microstructure is the one of the open episode.

    Examples:
        >>> import pendulum
        >>> from microstructure.identifiers import AnonymousCode
        >>> from microstructure.records import Consultation
        >>> c = Consultation(id="c-1", recorded_at=pendulum.datetime(2026, 1, 19, 12),
        ...                  patient=AnonymousCode.parse("K3M7-QXVG"),
        ...                  start=pendulum.datetime(2026, 1, 19, 9, tz="Europe/Paris"),
        ...                  professional="psy-strasbourg", role="psychologist", status="held",
        ...                  mode="on-site", duration=pendulum.duration(minutes=45))
        >>> c.status.label_fr
        'honorée'
    """

    id: str = attrs.field(validator=_identifier)
    """Stable id of the event; a later ``recorded_at`` with the same id is a correction."""
    recorded_at: pendulum.DateTime = attrs.field(converter=_to_datetime, validator=_aware)
    """When the event was recorded (date-time with offset)."""
    patient: AnonymousCode = attrs.field(validator=_code, metadata=_PERSONAL)
    """The patient's anonymous code."""
    start: pendulum.DateTime = attrs.field(converter=_to_datetime, validator=_aware)
    """Start, date-time with offset."""
    professional: str = attrs.field(validator=_identifier)
    """Id of the professional seen."""
    role: Role = attrs.field(converter=_role)
    """The professional's role in that consultation."""
    status: ConsultationStatus = attrs.field(converter=_status)
    """Held, missed or cancelled (by the patient or the team)."""
    mode: ConsultationMode = attrs.field(converter=_mode)
    """On site, by phone, by video or at home."""
    duration: pendulum.Duration = attrs.field(validator=_duration)
    """How long it lasted."""
    session: str | None = attrs.field(default=None, validator=_session)
    """The planned session it belongs to (``rule@YYYY-MM-DD``), if any."""


@attrs.frozen(kw_only=True)
class RcpCase:
    """One patient's case discussed at a case meeting, with its coded outcome."""

    patient: AnonymousCode = attrs.field(validator=_code, metadata=_PERSONAL)
    """The patient's anonymous code."""
    outcome: RcpOutcome = attrs.field(converter=_rcp_outcome)
    """What the meeting decided."""


def _cases(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(c, RcpCase) for c in value):
        _fail(attribute, None, "a tuple of RcpCase")


@attrs.frozen(kw_only=True)
class RcpMeeting:
    """A multidisciplinary case meeting (RCP) of a microstructure and the cases it discussed.

    Examples:
        >>> import pendulum
        >>> from microstructure.identifiers import AnonymousCode
        >>> from microstructure.records import RcpCase, RcpMeeting
        >>> m = RcpMeeting(id="rcp-1", recorded_at=pendulum.datetime(2026, 1, 15, 15),
        ...                date=pendulum.date(2026, 1, 15), microstructure="ms-neudorf",
        ...                attendees=("gp-neudorf-1", "psy-strasbourg"),
        ...                cases=(RcpCase(patient=AnonymousCode.parse("K3M7-QXVG"),
        ...                               outcome="continue"),))
        >>> m.cases[0].outcome.label
        'continue the follow-up'
    """

    id: str = attrs.field(validator=_identifier)
    """Stable id of the event; a later ``recorded_at`` with the same id is a correction."""
    recorded_at: pendulum.DateTime = attrs.field(converter=_to_datetime, validator=_aware)
    """When the event was recorded (date-time with offset)."""
    date: pendulum.Date = attrs.field(converter=_to_date, validator=_date)
    """Date of the meeting."""
    microstructure: str = attrs.field(validator=_identifier)
    """Id of the microstructure."""
    attendees: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple, validator=_ids)
    """Ids of the professionals present."""
    cases: tuple[RcpCase, ...] = attrs.field(default=(), converter=_to_tuple, validator=_cases)
    """The patients' cases discussed, with their outcome."""


@attrs.frozen(kw_only=True)
class Exit:
    """The end of an episode of care, with its coded reason.

    Examples:
        >>> import pendulum
        >>> from microstructure.identifiers import AnonymousCode
        >>> from microstructure.records import Exit
        >>> Exit(id="x-1", recorded_at=pendulum.datetime(2026, 6, 1, 9),
        ...      patient=AnonymousCode.parse("K3M7-QXVG"), date=pendulum.date(2026, 6, 1),
        ...      reason="goals-reached").reason.label_fr
        'objectifs atteints'
    """

    id: str = attrs.field(validator=_identifier)
    """Stable id of the event; a later ``recorded_at`` with the same id is a correction."""
    recorded_at: pendulum.DateTime = attrs.field(converter=_to_datetime, validator=_aware)
    """When the event was recorded (date-time with offset)."""
    patient: AnonymousCode = attrs.field(validator=_code, metadata=_PERSONAL)
    """The patient's anonymous code."""
    date: pendulum.Date = attrs.field(converter=_to_date, validator=_date)
    """Date of the exit: the episode ends then."""
    reason: ExitReason = attrs.field(converter=_reason)
    """Why the episode ended."""


#: Any record of a care file; in JSON, its key ``"type"`` tells which.
Event: TypeAlias = Patient | Referral | Assessment | Inclusion | Consultation | RcpMeeting | Exit


def session_ref(rule: str, start: pendulum.DateTime | pendulum.Date) -> str:
    """The reference of a scheduled session: its rule id, ``@``, and its local date (and time).

    Use the `microstructure.scheduling.Occurrence`'s ``rule`` and ``start``.

    Examples:
        >>> import pendulum
        >>> from microstructure.records import session_ref
        >>> session_ref("psy", pendulum.datetime(2026, 5, 4, 9, tz="Europe/Paris"))
        'psy@2026-05-04T09:00'
    """
    given_rule: object = rule
    if not isinstance(given_rule, str) or not _RULE_RE.match(given_rule):
        raise FieldError(
            given_rule,
            "a schedule rule id of 1 to 64 letters, digits, '.', '_' or '-'",
            field="rule",
        )
    given_start: object = start
    if isinstance(given_start, dt.datetime):
        return f"{rule}@{given_start:%Y-%m-%dT%H:%M}"
    if isinstance(given_start, dt.date):
        return f"{rule}@{given_start.isoformat()}"
    raise FieldError(type(given_start).__name__, "a date or date-time", field="start")
