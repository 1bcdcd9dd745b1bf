"""What the care records say about a patient, as an eligibility `Situation`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from microstructure.eligibility import Situation
from microstructure.errors import FieldError, NotFoundError, ValidationError
from microstructure.identifiers import AnonymousCode
from microstructure.records._model import Assessment, Event, Patient, Referral

__all__ = ["situation"]


def situation(
    events: Iterable[Event], patient: AnonymousCode | str, *, on: dt.date | None = None
) -> Situation:
    """The eligibility `Situation` of ``patient`` from their records up to ``on``.

    The latest `Referral` on or before ``on`` gives the indications, substances and
    situation codes; the latest `Assessment` of each instrument gives its answers (or
    its total); the `Patient` record gives the sex and the age reached in ``on``'s year
    (records keep the birth year only). What the records do not hold (another scheme
    following the patient, behaviours) stays unknown, so that a policy needing it says
    what to collect. The situation's code is the patient's anonymous code; no other
    identity enters it. ``on`` defaults to the latest date of the patient's records.

    Raises:
        FieldError: if ``patient`` is not an anonymous code.
        NotFoundError: if no `Referral` of ``patient`` is dated on or before ``on``.

    Examples:
        >>> import pendulum
        >>> from microstructure.eligibility import decide
        >>> from microstructure.identifiers import AnonymousCode
        >>> from microstructure.records import Patient, Referral, situation
        >>> code = AnonymousCode.encode("000001")
        >>> at = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Paris")
        >>> events = [
        ...     Patient(id="p1", recorded_at=at, patient=code, birth_year=1980, sex="female"),
        ...     Referral(id="r1", recorded_at=at, patient=code, date=at.date(),
        ...              microstructure="ms-neudorf", referrer="gp-1",
        ...              indications=["addiction"], substances=["alcohol"],
        ...              situations=["debt"]),
        ... ]
        >>> s = situation(events, code)
        >>> s.age, sorted(str(x) for x in s.substances), s.followed_by
        (46, ['alcohol'], None)
        >>> decide(s, "equip-addict").to_collect
        ('followed_by',)
    """
    wanted = _code(patient)
    person: Patient | None = None
    referral: Referral | None = None
    assessments: dict[str, Assessment] = {}
    mine = [e for e in events if getattr(e, "patient", None) == wanted]
    if on is None:
        days = [e.date for e in mine if isinstance(e, Referral | Assessment)]
        on = max(days) if days else None
    for event in mine:
        if isinstance(event, Patient):
            person = event
        elif isinstance(event, Referral) and on is not None and event.date <= on:
            if referral is None or event.date >= referral.date:
                referral = event
        elif isinstance(event, Assessment) and on is not None and event.date <= on:
            known = assessments.get(event.instrument)
            if known is None or event.date >= known.date:
                assessments[event.instrument] = event
    if referral is None or on is None:
        raise NotFoundError(
            kind="referral",
            code=str(wanted),
            expected="a patient with a referral dated on or before the day asked",
        )
    return Situation(
        code=str(wanted),
        age=None if person is None else on.year - person.birth_year,
        sex=None if person is None else person.sex,
        indications=set(referral.indications),
        substances=set(referral.substances),
        situations=set(referral.situations),
        answers={i: a.answers for i, a in assessments.items() if a.answers is not None},
        scores={
            i: a.total for i, a in assessments.items() if a.answers is None and a.total is not None
        },
    )


def _code(patient: object) -> AnonymousCode:
    if isinstance(patient, AnonymousCode):
        return patient
    if isinstance(patient, str):
        try:
            return AnonymousCode.parse(patient)
        except ValidationError:
            pass
    raise FieldError(patient, "an anonymous code", field="patient", personal=True)
