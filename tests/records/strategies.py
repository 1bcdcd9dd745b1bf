"""Hypothesis strategies for care records: every record type, and valid care files."""

import datetime as dt
from typing import Any

import pendulum
from hypothesis import strategies as st

from microstructure.eligibility import Indication, Outcome, Substance, instrument, taxonomy
from microstructure.identifiers import AnonymousCode
from microstructure.records import (
    Assessment,
    AssessmentStage,
    Consultation,
    ConsultationMode,
    ConsultationStatus,
    DecisionSnapshot,
    Exit,
    ExitReason,
    Inclusion,
    Patient,
    RcpCase,
    RcpMeeting,
    RcpOutcome,
    Referral,
)
from microstructure.synthetic import generate
from microstructure.vocabulary import Role, Sex

IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,20}", fullmatch=True)
CODES = st.text(AnonymousCode.ALPHABET, min_size=6, max_size=6).map(AnonymousCode.encode)
DATES = st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31)).map(
    lambda d: pendulum.date(d.year, d.month, d.day)
)
OFFSETS = st.integers(-12 * 4, 14 * 4).map(lambda q: dt.timezone(dt.timedelta(minutes=15 * q)))
INSTANTS = st.builds(
    lambda d, tz: pendulum.instance(d.replace(tzinfo=tz)),
    st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2035, 12, 31)),  # noqa: DTZ001 - offset added
    OFFSETS,
)
NATIONAL = st.text("0123456789abcdef", min_size=64, max_size=64).map(lambda h: "v1n:" + h)
DEPARTMENTS = st.sampled_from(["67", "68", "2A", "974", "75", None])
SITUATIONS = st.lists(st.sampled_from(sorted(taxonomy().situations)), max_size=3)


def _assessment(tool: str) -> st.SearchStrategy[tuple[Any, ...]]:
    items = instrument(tool).items
    return st.tuples(*(st.sampled_from([o.answer for o in item.options]) for item in items))


@st.composite
def assessments(draw):
    tool = draw(st.sampled_from(["phq-9", "gad-7", "audit-c", "epices", "cast"]))
    answers = draw(_assessment(tool))
    use_total = draw(st.booleans())
    total = instrument(tool).score(answers).total if use_total else None
    return Assessment(
        id=draw(IDS),
        recorded_at=draw(INSTANTS),
        patient=draw(CODES),
        date=draw(DATES),
        instrument=tool,
        stage=draw(st.sampled_from(AssessmentStage)),
        answers=None if use_total else answers,
        total=total,
    )


PATIENTS = st.builds(
    Patient,
    id=IDS,
    recorded_at=INSTANTS,
    patient=CODES,
    birth_year=st.integers(1900, 2100),
    sex=st.sampled_from(Sex),
    national_pseudonym=st.none() | NATIONAL,
    department=DEPARTMENTS,
)
REFERRALS = st.builds(
    Referral,
    id=IDS,
    recorded_at=INSTANTS,
    patient=CODES,
    date=DATES,
    microstructure=IDS,
    referrer=IDS,
    indications=st.lists(st.sampled_from(Indication)),
    substances=st.lists(st.sampled_from(Substance)),
    situations=SITUATIONS,
)
INCLUSIONS = st.builds(
    Inclusion,
    id=IDS,
    recorded_at=INSTANTS,
    patient=CODES,
    date=DATES,
    program=IDS,
    microstructure=IDS,
    decision=st.builds(
        DecisionSnapshot, outcome=st.sampled_from(Outcome), policy=IDS, policy_version=IDS
    ),
)
CONSULTATIONS = st.builds(
    Consultation,
    id=IDS,
    recorded_at=INSTANTS,
    patient=CODES,
    start=INSTANTS,
    professional=IDS,
    role=st.sampled_from(Role),
    status=st.sampled_from(ConsultationStatus),
    mode=st.sampled_from(ConsultationMode),
    duration=st.integers(0, 10 * 3600).map(lambda s: pendulum.duration(seconds=s)),
    session=st.none()
    | st.builds(
        lambda r, d: f"{r}@{d.isoformat()}",
        st.from_regex(r"[a-z][a-z-]{0,10}", fullmatch=True),
        DATES,
    ),
)
MEETINGS = st.builds(
    RcpMeeting,
    id=IDS,
    recorded_at=INSTANTS,
    date=DATES,
    microstructure=IDS,
    attendees=st.lists(IDS, max_size=4).map(tuple),
    cases=st.lists(
        st.builds(RcpCase, patient=CODES, outcome=st.sampled_from(RcpOutcome)), max_size=4
    ).map(tuple),
)
EXITS = st.builds(
    Exit,
    id=IDS,
    recorded_at=INSTANTS,
    patient=CODES,
    date=DATES,
    reason=st.sampled_from(ExitReason),
)
EVENTS = st.one_of(PATIENTS, REFERRALS, assessments(), INCLUSIONS, CONSULTATIONS, MEETINGS, EXITS)
#: Valid care files from the generator: a few patients, any seed.
CARE_FILES = st.builds(
    lambda n, seed: list(generate(patients=n, seed=seed)),
    st.integers(0, 4),
    st.integers(0, 2**32),
)
