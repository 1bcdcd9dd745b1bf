"""Record classes: validated on construction, only MicrostructureError, no personal data shown."""

import decimal
import json
from importlib import resources

import attrs
import pendulum
import pytest
from tests.records import helpers as h

from microstructure.errors import FieldError
from microstructure.records import (
    EVENT_TYPES,
    Assessment,
    ConsultationStatus,
    ExitReason,
    Patient,
    RcpOutcome,
    session_ref,
)
from microstructure.synthetic import generate
from microstructure.vocabulary import Sex


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda: h.patient(sex="q"), "$.sex"),
        (lambda: h.patient(birth_year=1850), "$.birth_year"),
        (lambda: h.patient(national_pseudonym="v1s:" + "0" * 64), "$.national_pseudonym"),
        (lambda: h.patient(department="99"), "$.department"),
        (lambda: h.patient(id=" bad id"), "$.id"),
        (lambda: h.patient(patient="K3M7-QXVG"), "$.patient"),
        (lambda: h.referral(indications=["gambling"]), "$.indications"),
        (lambda: h.referral(situations=["lonely"]), "$.situations"),
        (lambda: h.consultation(start=pendulum.naive(2026, 1, 1, 9)), "$.start"),
        (lambda: h.consultation(duration=pendulum.duration(minutes=-5)), "$.duration"),
        (lambda: h.consultation(session="psy 2026"), "$.session"),
        (lambda: h.consultation(status="late"), "$.status"),
        (lambda: h.inclusion(decision="eligible"), "$.decision"),
        (lambda: h.assessment(answers=None), "$.answers"),
        (lambda: h.assessment(total=12), "$.answers"),
        (lambda: h.assessment(instrument="no-such"), "$.instrument"),
        (lambda: h.assessment(answers=(9, 9, 9, 9, 9, 9, 9)), "$.answers"),
        (lambda: h.meeting(cases=("K3M7-QXVG",)), "$.cases"),
        (lambda: h.exit_(reason="bored"), "$.reason"),
    ],
)
def test_bad_values_raise_a_located_field_error(build, path):
    """Each bad value raises FieldError at its field."""
    with pytest.raises(FieldError) as caught:
        build()
    assert [e.path for e in caught.value.errors] == [path]


def test_personal_fields_are_redacted_in_errors():
    """A bad sex or birth year is not shown in the error."""
    with pytest.raises(FieldError) as caught:
        h.patient(birth_year=1850)
    assert "1850" not in str(caught.value)


def test_sets_of_codes_are_sorted_and_unique():
    """Indications, substances and situations compare as sets."""
    a = h.referral(substances=["tobacco", "alcohol", "alcohol"], situations=["isolation", "debt"])
    b = h.referral(substances=["alcohol", "tobacco"], situations=["debt", "isolation"])
    assert a == b
    assert [s.value for s in a.substances] == ["alcohol", "tobacco"]


def test_an_assessment_scores_like_eligibility():
    """The score of answers and of the same total agree."""
    by_answers = h.assessment()
    by_total = attrs.evolve(by_answers, answers=None, total=by_answers.score().total)
    assert by_total.score().band == by_answers.score().band == "moderate"
    epices = Assessment(
        id="e", recorded_at=h.STAMP, patient=h.CODE, date=h.day(1, 1), instrument="epices",
        stage="inclusion", total=decimal.Decimal("30.17"),
    )  # fmt: skip
    assert epices.score().total == decimal.Decimal("30.17")


def test_labels_exist_in_both_languages():
    """Every coded value has an English and a French label."""
    for enum in (ConsultationStatus, ExitReason, RcpOutcome):
        for member in enum:
            assert member.label
            assert member.label_fr


def test_session_ref_names_rule_and_local_start():
    """A session reference is the rule and the local date and time."""
    start = pendulum.datetime(2026, 5, 4, 9, tz="Europe/Paris")
    assert session_ref("psy", start) == "psy@2026-05-04T09:00"
    assert session_ref("rcp", start.date()) == "rcp@2026-05-04"
    assert h.consultation(session=session_ref("psy", start)).session == "psy@2026-05-04T09:00"


def test_sex_is_the_shared_vocabulary():
    """A patient's sex takes the codes of `microstructure.vocabulary.Sex`; the old `f` is refused."""
    assert h.patient(sex="unknown").sex is Sex.UNKNOWN
    with pytest.raises(FieldError) as caught:
        h.patient(sex="f")
    assert caught.value.errors[0].path == "$.sex"
    assert caught.value.errors[0].redacted
    drawn = {e.sex for e in generate(patients=300, seed=11) if isinstance(e, Patient)}
    assert drawn <= set(Sex)
    assert {Sex.FEMALE, Sex.MALE} <= drawn


def test_event_types_are_the_tags_the_schema_lists():
    """`EVENT_TYPES` lists each record type once, as the shipped schema's ``type`` constants do."""
    schema = json.loads(
        resources.files("microstructure.schemas").joinpath("record.json").read_text()
    )
    members = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]["oneOf"]
    tags = [
        schema["$defs"][m["$ref"].rsplit("/", 1)[-1]]["properties"]["type"]["const"]
        for m in members
    ]
    assert sorted(EVENT_TYPES) == sorted(tags)
    assert EVENT_TYPES[0] == "patient"
    assert len(set(EVENT_TYPES)) == 7
