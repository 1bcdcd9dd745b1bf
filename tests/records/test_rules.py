"""Each lifecycle rule: a valid pathway has no finding; breaking the rule gives its code."""

import random
from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from tests.records import helpers as h

from microstructure.errors import finding_catalogue
from microstructure.examples import example_national
from microstructure.programs import Program
from microstructure.records import DecisionSnapshot, validate, validate_file, write_records

TEAMS = example_national()
PILOT = Program(id="pilot-x", name="Pilot", name_fr="Pilote", regions=("11",))
OPEN_SANTE_MENTALE = Program(
    id="sante-mentale", name="Mental health", name_fr="Santé mentale", regions=("44",)
)


def _replace(events: list[Any], new: Any) -> list[Any]:
    return [new if e.id == new.id else e for e in events]


def _paris(month: int, dom: int, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, dom, hour, tz="Europe/Paris")


CASES: dict[str, Callable[[list[Any]], list[Any]]] = {
    "MS-REC-001": lambda ev: _replace(ev, h.consultation(start=_paris(1, 2))),
    "MS-REC-002": lambda ev: _replace(ev, h.consultation(start=_paris(6, 15))),
    "MS-REC-003": lambda ev: _replace(ev, h.consultation(start=_paris(1, 8))),
    "MS-REC-004": lambda ev: _replace(ev, h.meeting(h.CODE, date=h.day(7, 1))),
    "MS-REC-005": lambda ev: _replace(ev, h.consultation(professional="psy-colmar")),
    "MS-REC-006": lambda ev: _replace(ev, h.consultation(professional="ts-strasbourg")),
    "MS-REC-007": lambda ev: [*ev, h.inclusion(id="inc-2", date=h.day(3, 1))],
    "MS-REC-008": lambda ev: _replace(ev, h.inclusion(program="equip-addict")),
    "MS-REC-009": lambda ev: _replace(ev, h.inclusion(program="pilot-x")),
    "MS-REC-010": lambda ev: _replace(ev, h.referral(date=h.day(1, 15))),
    "MS-REC-011": lambda ev: [*ev, h.exit_(reason="moved")],
    "MS-REC-012": lambda ev: [
        *ev,
        h.assessment(id="as-2", stage="follow-up", date=h.day(1, 10)),
    ],
    "MS-REC-013": lambda ev: [*ev, h.exit_(id="x-2", date=h.day(6, 10))],
    "MS-REC-014": lambda ev: ev[1:],
    "MS-REC-015": lambda ev: _replace(ev, h.referral(microstructure="ms-nowhere")),
    "MS-REC-016": lambda ev: _replace(ev, h.inclusion(program="no-such-program")),
    "MS-REC-017": lambda ev: _replace(ev, h.inclusion(program="sante-mentale")),
    "MS-REC-018": lambda ev: _replace(
        ev,
        h.inclusion(
            decision=DecisionSnapshot(
                outcome="not-eligible", policy="droit-commun", policy_version="1"
            )
        ),
    ),
    "MS-REC-019": lambda ev: [*ev, h.patient(id="pat-again")],
}
OVERRIDES = (PILOT, OPEN_SANTE_MENTALE)


def _codes(events: list[Any]) -> set[str]:
    return {f.code for f in validate(events, TEAMS, overrides=OVERRIDES)}


def test_a_valid_pathway_has_no_finding():
    """The pathway of the helpers breaks no rule."""
    assert validate(h.pathway(), TEAMS, overrides=OVERRIDES) == ()


def test_every_records_code_has_a_case():
    """Every MS-REC code of the catalogue is exercised below."""
    codes = {code for code in finding_catalogue() if code.startswith("MS-REC-")}
    assert codes == set(CASES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_breaking_a_rule_gives_its_code(code):
    """Breaking one rule of the pathway gives that rule's code."""
    assert code in _codes(CASES[code](h.pathway()))


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_stream_validator_finds_the_same(code, tmp_path):
    """`validate_file` gives the same findings as `validate`, grouped or shuffled."""
    events = CASES[code](h.pathway()) + h.pathway(h.OTHER)
    expected = validate(events, TEAMS, overrides=OVERRIDES)
    path = tmp_path / "care.jsonl"
    write_records(path, sorted(events, key=lambda e: getattr(e, "patient", h.CODE).value))
    assert validate_file(path, TEAMS, overrides=OVERRIDES).findings == expected
    random.Random(code).shuffle(events)  # noqa: S311 - a reproducible shuffle
    write_records(path, events)
    assert validate_file(path, TEAMS, overrides=OVERRIDES).findings == expected


def test_attendee_and_referrer_must_be_members():
    """A referrer who is not a GP and an attendee from another team are reported."""
    events = _replace(h.pathway(), h.referral(referrer="psy-strasbourg"))
    events = _replace(events, h.meeting(h.CODE, attendees=("gp-colmar-1",)))
    found = validate(events, TEAMS)
    assert {(f.code, f.path) for f in found} == {
        ("MS-REC-006", '$["ref-a"].referrer'),
        ("MS-REC-005", '$["rcp-1"].attendees[0]'),
    }


def test_a_case_in_another_microstructure_is_reported():
    """An RCP of another microstructure discussing the patient is reported."""
    events = _replace(
        h.pathway(),
        h.meeting(h.CODE, microstructure="ms-hautepierre", attendees=("gp-hautepierre-1",)),
    )
    assert [f.code for f in validate(events, TEAMS)] == ["MS-REC-004"]


def test_a_patient_may_be_included_again_after_an_exit():
    """Leave, be referred again, be included again: two episodes, no finding."""
    again: list[Any] = [
        h.referral(id="ref-2", date=h.day(7, 1)),
        h.inclusion(id="inc-2", date=h.day(7, 6)),
        h.consultation(id="c-2", start=_paris(7, 13)),
    ]
    assert validate([*h.pathway(), *again], TEAMS) == ()


def test_findings_never_show_the_patient_code():
    """Messages name event ids and dates, never a patient's code."""
    events = [e for code in CASES for e in CASES[code](h.pathway())]
    for finding in validate(events, TEAMS, overrides=OVERRIDES):
        assert h.CODE.value not in finding.message
        assert str(h.CODE) not in finding.message
