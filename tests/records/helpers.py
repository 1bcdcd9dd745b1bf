"""Builders of small, valid care pathways (ms-neudorf of the example teams) for the tests."""

from typing import Any

import pendulum

from microstructure.eligibility import Outcome
from microstructure.identifiers import AnonymousCode
from microstructure.records import (
    Assessment,
    Consultation,
    DecisionSnapshot,
    Exit,
    Inclusion,
    Patient,
    RcpCase,
    RcpMeeting,
    Referral,
)

CODE = AnonymousCode.parse("K3M7-QXVG")
OTHER = AnonymousCode.encode("ACDEFG")
MS = "ms-neudorf"
STAMP = pendulum.datetime(2026, 7, 1, 12)


def _tag(code: AnonymousCode) -> str:
    """A short id suffix per patient: vendor ids never contain the patient's code."""
    return "a" if code == CODE else "b"


def _fields(base: dict[str, Any], kw: dict[str, Any]) -> dict[str, Any]:
    """The default fields, with the caller's overrides."""
    return base | kw


def day(month: int, dom: int) -> pendulum.Date:
    return pendulum.date(2026, month, dom)


def patient(code: AnonymousCode = CODE, **kw: Any) -> Patient:
    return Patient(
        **_fields(
            {
                "id": f"pat-{_tag(code)}",
                "recorded_at": STAMP,
                "patient": code,
                "birth_year": 1980,
                "sex": "female",
            },
            kw,
        )
    )


def referral(code: AnonymousCode = CODE, **kw: Any) -> Referral:
    return Referral(
        **_fields(
            {
                "id": f"ref-{_tag(code)}",
                "recorded_at": STAMP,
                "patient": code,
                "date": day(1, 5),
                "microstructure": MS,
                "referrer": "gp-neudorf-1",
                "indications": ["addiction"],
                "substances": ["alcohol"],
            },
            kw,
        )
    )


def assessment(code: AnonymousCode = CODE, **kw: Any) -> Assessment:
    return Assessment(
        **_fields(
            {
                "id": f"as-{_tag(code)}",
                "recorded_at": STAMP,
                "patient": code,
                "date": day(1, 12),
                "instrument": "gad-7",
                "stage": "inclusion",
                "answers": (2, 2, 1, 1, 1, 2, 1),
            },
            kw,
        )
    )


def inclusion(code: AnonymousCode = CODE, **kw: Any) -> Inclusion:
    return Inclusion(
        **_fields(
            {
                "id": f"inc-{_tag(code)}",
                "recorded_at": STAMP,
                "patient": code,
                "date": day(1, 12),
                "program": "droit-commun",
                "microstructure": MS,
                "decision": DecisionSnapshot(
                    outcome=Outcome.ELIGIBLE, policy="droit-commun", policy_version="2026-01"
                ),
            },
            kw,
        )
    )


def consultation(code: AnonymousCode = CODE, **kw: Any) -> Consultation:
    return Consultation(
        **_fields(
            {
                "id": f"c-{_tag(code)}",
                "recorded_at": STAMP,
                "patient": code,
                "start": pendulum.datetime(2026, 1, 19, 9, tz="Europe/Paris"),
                "professional": "psy-strasbourg",
                "role": "psychologist",
                "status": "held",
                "mode": "on-site",
                "duration": pendulum.duration(minutes=45),
                "session": "psy@2026-01-19T09:00",
            },
            kw,
        )
    )


def meeting(*codes: AnonymousCode, **kw: Any) -> RcpMeeting:
    return RcpMeeting(
        **_fields(
            {
                "id": "rcp-1",
                "recorded_at": STAMP,
                "date": day(2, 12),
                "microstructure": MS,
                "attendees": ("gp-neudorf-1", "psy-strasbourg"),
                "cases": tuple(RcpCase(patient=c, outcome="continue") for c in (codes or (CODE,))),
            },
            kw,
        )
    )


def exit_(code: AnonymousCode = CODE, **kw: Any) -> Exit:
    return Exit(
        **_fields(
            {
                "id": f"x-{_tag(code)}",
                "recorded_at": STAMP,
                "patient": code,
                "date": day(6, 1),
                "reason": "goals-reached",
            },
            kw,
        )
    )


def pathway(code: AnonymousCode = CODE) -> list[Any]:
    """A valid pathway: patient, referral, assessment, inclusion, consultation, RCP, exit."""
    return [
        patient(code),
        referral(code),
        assessment(code),
        inclusion(code),
        consultation(code),
        meeting(code),
        exit_(code),
    ]
