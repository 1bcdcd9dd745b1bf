"""records.situation: what a patient's care records say, as an eligibility Situation."""

from typing import Any

import pendulum
import pytest

from microstructure.eligibility import Outcome, decide
from microstructure.errors import FieldError, NotFoundError
from microstructure.identifiers import AnonymousCode
from microstructure.records import (
    Assessment,
    AssessmentStage,
    Event,
    Patient,
    Referral,
    situation,
)

CODE = AnonymousCode.encode("000001")
OTHER = AnonymousCode.encode("000002")
AT = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Paris")


def _referral(event_id: str, day: pendulum.Date, **fields: Any) -> Referral:
    return Referral(
        id=event_id,
        recorded_at=AT,
        patient=fields.pop("patient", CODE),
        date=day,
        microstructure="ms-neudorf",
        referrer="gp-1",
        **fields,
    )


EVENTS: list[Event] = [
    Patient(id="p1", recorded_at=AT, patient=CODE, birth_year=1980, sex="male"),
    _referral("r1", pendulum.date(2026, 1, 5), indications=["mental-health"]),
    _referral(
        "r2",
        pendulum.date(2026, 3, 2),
        indications=["addiction"],
        substances=["alcohol"],
        situations=["debt"],
    ),
    Assessment(
        id="a1",
        recorded_at=AT,
        patient=CODE,
        date=pendulum.date(2026, 3, 2),
        instrument="audit-c",
        stage=AssessmentStage.INCLUSION,
        answers=(3, 2, 1),
    ),
    Assessment(
        id="a2",
        recorded_at=AT,
        patient=CODE,
        date=pendulum.date(2026, 3, 3),
        instrument="phq-9",
        stage=AssessmentStage.INCLUSION,
        total=12,
    ),
    _referral("r3", pendulum.date(2026, 2, 1), patient=OTHER, indications=["precarity"]),
]


def test_latest_referral_and_assessments_up_to_the_day():
    """On 2026-03-02 the second referral and the AUDIT-C count; the later PHQ-9 does not."""
    found = situation(EVENTS, CODE, on=pendulum.date(2026, 3, 2))
    assert {str(i) for i in found.indications or ()} == {"addiction"}
    assert {str(s) for s in found.substances or ()} == {"alcohol"}
    assert found.situations == frozenset({"debt"})
    assert dict(found.answers) == {"audit-c": (3, 2, 1)}
    assert dict(found.scores) == {}
    assert found.age == 46
    assert found.code == str(CODE)


def test_default_day_is_the_latest_record_and_totals_become_scores():
    """Without a day, the PHQ-9 recorded as a total only enters as a score."""
    found = situation(EVENTS, str(CODE))
    assert dict(found.scores) == {"phq-9": 12}
    assert found.followed_by is None


def test_an_earlier_day_gives_the_earlier_referral():
    """On 2026-02-01 only the first referral exists: mental health, no screening."""
    found = situation(EVENTS, CODE, on=pendulum.date(2026, 2, 1))
    assert {str(i) for i in found.indications or ()} == {"mental-health"}
    assert dict(found.answers) == {}


def test_what_the_records_do_not_hold_stays_unknown():
    """Equip'addict waits for followed_by; once known to be none, the patient is eligible."""
    found = situation(EVENTS, CODE, on=pendulum.date(2026, 3, 2))
    assert decide(found, "equip-addict").outcome is Outcome.TO_REVIEW
    assert decide(found, "equip-addict").to_collect == ("followed_by",)


def test_no_referral_by_that_day_is_not_found():
    """A patient referred after the day asked (or never) is a NotFoundError."""
    with pytest.raises(NotFoundError):
        situation(EVENTS, CODE, on=pendulum.date(2025, 12, 31))
    with pytest.raises(NotFoundError):
        situation(EVENTS, AnonymousCode.encode("000003"))


@pytest.mark.parametrize("patient", [42, "not a code", None])
def test_a_patient_that_is_not_a_code_is_refused(patient):
    """Anything but an anonymous code is a FieldError that does not echo the value."""
    with pytest.raises(FieldError) as raised:
        situation(EVENTS, patient)
    assert "not a code" not in str(raised.value)
