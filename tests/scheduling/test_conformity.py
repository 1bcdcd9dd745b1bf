"""Conformity of the sessions held with principles 2 and 3 and the programs' frequencies."""

import re
from typing import Any

import pendulum
import pytest

from microstructure.errors import NotFoundError, ValidationError
from microstructure.programs import Activity
from microstructure.scheduling import HeldSession, SessionStatus, conformity, expand


def held(
    kit: Any, ms: str, activity: Activity, *days: str, status: SessionStatus = SessionStatus.HELD
) -> list[HeldSession]:
    """Sessions of one activity on the given ISO dates."""
    return [
        HeldSession(microstructure=ms, activity=activity, date=kit.d(day), status=status)
        for day in days
    ]


PSY = Activity.PSYCHOLOGIST_CONSULTATIONS
SOCIAL = Activity.SOCIAL_WORKER_CONSULTATIONS


def test_month_with_missed_sessions(kit, schedule, national):
    """May 2026 at Neudorf with a missed psychologist week, a cancelled social session and no RCP."""
    may = (kit.d("2026-05-01"), kit.d("2026-05-31"))
    plan = expand(schedule, national, *may, microstructure="ms-neudorf")
    sessions = []
    for occurrence in plan:
        session = HeldSession.planned(occurrence)
        if occurrence.activity is Activity.RCP:
            continue  # the RCP did not take place
        if occurrence.activity is PSY and occurrence.date == kit.d("2026-05-11"):
            continue  # the psychologist was away in week 20
        if occurrence.activity is SOCIAL and occurrence.date == kit.d("2026-05-19"):
            session = HeldSession(
                microstructure="ms-neudorf",
                activity=SOCIAL,
                date=occurrence.date,
                status=SessionStatus.CANCELLED,
            )
        sessions.append(session)
    report = conformity(sessions, national, *may, microstructure="ms-neudorf")
    (month,) = report.months
    assert month.weeks == ("2026-W19", "2026-W20", "2026-W21", "2026-W22")
    assert month.psychologist_weeks == ("2026-W19", "2026-W21", "2026-W22")
    assert month.social_worker_weeks == ("2026-W19", "2026-W20", "2026-W22")
    assert (month.rcp_held, month.psychiatrist_sessions) == (0, 1)
    assert not month.weekly_psychologist
    assert not month.weekly_social_worker
    assert not month.conforms
    assert [(f.code, f.path) for f in report.findings] == [
        ("MS-SCHED-013", "$.months[0]"),
        ("MS-SCHED-011", "$.months[0].weeks[1]"),
        ("MS-SCHED-012", "$.months[0].weeks[2]"),
    ]
    assert [_where(report, f) for f in report.findings] == [
        ("ms-neudorf", "2026-05"),
        ("ms-neudorf", "2026-W20"),
        ("ms-neudorf", "2026-W21"),
    ]


def test_example_plan_gaps_are_the_skipped_holidays(kit, schedule, national):
    """Holding every planned session from February to December 2026 leaves only the gaps the plan makes."""
    year = (kit.d("2026-02-01"), kit.d("2026-12-31"))
    plan = [HeldSession.planned(o) for o in expand(schedule, national, *year)]
    report = conformity(plan, national, *year)
    assert len(report.months) == 4 * 11
    assert sorted((f.code, *_where(report, f)) for f in report.findings) == [
        ("MS-SCHED-011", "ms-saint-denis", "2026-W46"),  # Wednesday 11 November: skipped
        ("MS-SCHED-012", "ms-colmar", "2026-W46"),  # Wednesday 11 November: skipped
        ("MS-SCHED-012", "ms-hautepierre", "2026-W29"),  # Tuesday 14 July: skipped
        ("MS-SCHED-012", "ms-neudorf", "2026-W29"),  # Tuesday 14 July: skipped
        ("MS-SCHED-012", "ms-neudorf", "2026-W33"),  # cancelled on 11 August
        ("MS-SCHED-013", "ms-colmar", "2026-04"),  # 1st Monday is Easter Monday: skipped
    ]
    assert list(report.findings) == sorted(report.findings, key=lambda f: f.sort_key)


def _where(report: Any, finding: Any) -> Any:
    """The microstructure and period a conformity finding's JSONPath points at in the report."""
    match = re.fullmatch(r"\$\.months\[(\d+)\](?:\.weeks\[(\d+)\])?", finding.path)
    assert match is not None, finding.path
    month = report.months[int(match.group(1))]
    period = month.month if match.group(2) is None else month.weeks[int(match.group(2))]
    assert finding.message.startswith(f"{month.microstructure}: ")
    assert f" in {period}," in finding.message
    return month.microstructure, period


def test_unknown_microstructure_filter_is_not_found(national):
    """Filtering on a microstructure that is not in the teams raises NotFoundError."""
    with pytest.raises(NotFoundError, match="ms-typo"):
        conformity(
            [],
            national,
            pendulum.date(2026, 5, 1),
            pendulum.date(2026, 5, 31),
            microstructure="ms-typo",
        )


def test_week_straddling_months_counts_where_its_thursday_is(kit):
    """Week 27 of 2026 (29 June–5 July) belongs to July: a Monday 29 June session counts for July."""
    team = kit.team()
    sessions = held(kit, "ms-test", PSY, "2026-06-29") + held(kit, "ms-test", SOCIAL, "2026-07-03")
    report = conformity(sessions, team, kit.d("2026-06-01"), kit.d("2026-07-31"))
    june, july = report.months
    assert "2026-W27" not in june.weeks
    assert july.weeks[0] == "2026-W27"
    assert july.psychologist_weeks == ("2026-W27",)
    assert july.social_worker_weeks == ("2026-W27",)


def test_program_adds_monthly_psychiatrist_sessions(kit, national):
    """In May 2023 Hautepierre was in the santé mentale program: no psychiatrist gives MS-SCHED-014."""
    report = conformity(
        [], national, kit.d("2023-05-01"), kit.d("2023-05-31"), microstructure="ms-hautepierre"
    )
    codes = {f.code for f in report.findings}
    assert "MS-SCHED-014" in codes
    later = conformity(
        [], national, kit.d("2026-05-01"), kit.d("2026-05-31"), microstructure="ms-hautepierre"
    )
    assert "MS-SCHED-014" not in {f.code for f in later.findings}


def test_unknown_microstructure_is_located(kit, national):
    """A held session naming an unknown microstructure is a ValidationError at its index."""
    sessions = held(kit, "ms-neudorf", PSY, "2026-05-04") + held(
        kit, "ms-nowhere", PSY, "2026-05-04"
    )
    with pytest.raises(ValidationError) as caught:
        conformity(sessions, national, kit.d("2026-05-01"), kit.d("2026-05-31"))
    assert [e.path for e in caught.value.errors] == ["$[1].microstructure"]


def test_missed_status_does_not_count(kit):
    """Sessions marked missed or cancelled do not count as presence."""
    sessions = held(kit, "ms-test", PSY, "2026-05-04", status=SessionStatus.MISSED)
    report = conformity(sessions, kit.team(), kit.d("2026-05-01"), kit.d("2026-05-31"))
    assert report.months[0].psychologist_weeks == ()
