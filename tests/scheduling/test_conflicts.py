"""Conflicts: one professional at two sessions at once, across sites, with a travel buffer."""

from typing import Any

import pendulum
import pytest

from microstructure.errors import FieldError, Severity
from microstructure.scheduling import (
    HolidayPolicy,
    NetworkSchedule,
    TeamSchedule,
    Weekday,
    conflicts,
    expand,
)
from microstructure.teams import Network


@pytest.fixture
def shared(kit):
    """Two microstructures in two sites sharing psychologist 'psy-1'."""
    one = kit.team("67", ms_id="ms-a", site_id="site-a")
    two = kit.team("68", ms_id="ms-b", site_id="site-b")
    return Network(id="net", name="Réseau", region="44", microstructures=(one, two))


def plan(
    kit: Any, a_time: tuple[int, int], b_time: tuple[int, int], b_weekday: Weekday = Weekday.MONDAY
) -> NetworkSchedule:
    """Monday psychologist sessions in both sites, 3 hours each."""
    return NetworkSchedule(
        (
            TeamSchedule(microstructure="ms-a", rules=(kit.weekly(time=a_time),)),
            TeamSchedule(microstructure="ms-b", rules=(kit.weekly(b_weekday, time=b_time),)),
        )
    )


def test_overlap_across_sites_is_an_error(kit, shared):
    """The shared psychologist at 09:00–12:00 in one site and 11:00 in another: MS-SCHED-001 each Monday."""
    found = conflicts(
        expand(plan(kit, (9, 0), (11, 0)), shared, kit.d("2026-06-01"), kit.d("2026-06-14"))
    )
    assert [(f.code, f.severity, f.path) for f in found] == [
        ("MS-SCHED-001", Severity.ERROR, "$.schedules[1].rules[0]"),
        ("MS-SCHED-001", Severity.ERROR, "$.schedules[1].rules[0]"),
    ]
    assert "psy-1 is booked at ms-a/psy 2026-06-01 09:00–12:00 CEST" in found[0].message


def test_back_to_back_needs_the_buffer(kit, shared):
    """Sessions 12:00 then 12:30 in two sites conflict only when 45 minutes of travel are needed."""
    occurrences = expand(
        plan(kit, (9, 0), (12, 30)), shared, kit.d("2026-06-01"), kit.d("2026-06-07")
    )
    assert conflicts(occurrences) == ()
    (found,) = conflicts(occurrences, buffer=pendulum.duration(minutes=45))
    assert (found.code, found.severity) == ("MS-SCHED-002", Severity.WARNING)
    assert "0h30 between" in found.message
    assert conflicts(occurrences, buffer=pendulum.duration(minutes=30)) == ()


def test_no_conflict_on_different_days_or_people(kit, shared):
    """Sessions on different days, or held by different people, do not conflict."""
    occurrences = expand(
        plan(kit, (9, 0), (9, 0), Weekday.TUESDAY), shared, kit.d("2026-06-01"), kit.d("2026-06-30")
    )
    assert conflicts(occurrences, buffer=pendulum.duration(hours=2)) == ()


def test_same_site_back_to_back_needs_no_buffer(kit):
    """Two sessions in the same site one after the other are fine whatever the buffer."""
    rules = (kit.weekly(time=(9, 0)), kit.weekly(id="psy-pm", time=(12, 0)))
    occurrences = expand(kit.one(rules), kit.team(), kit.d("2026-06-01"), kit.d("2026-06-07"))
    assert conflicts(occurrences, buffer=pendulum.duration(hours=1)) == ()


def test_rcp_participants_conflict_with_a_session_elsewhere(kit, shared):
    """An RCP (every clinician by default) overlapping the psychologist's session elsewhere conflicts."""
    schedules = NetworkSchedule(
        (
            TeamSchedule(
                microstructure="ms-a",
                rules=(kit.monthly(2, Weekday.MONDAY, policy=HolidayPolicy.KEEP),),
            ),
            TeamSchedule(microstructure="ms-b", rules=(kit.weekly(time=(13, 0)),)),
        )
    )
    found = conflicts(expand(schedules, shared, kit.d("2026-06-01"), kit.d("2026-06-30")))
    assert [(f.code, f.path) for f in found] == [("MS-SCHED-001", "$.schedules[1].rules[0]")]
    assert "psy-1" in found[0].message
    assert "2026-06-08" in found[0].message


def test_example_network_has_no_conflict(kit, schedule, national):
    """The bundled example schedule is free of double bookings over 2026."""
    assert conflicts(expand(schedule, national, kit.d("2026-01-01"), kit.d("2026-12-31"))) == ()


def test_negative_buffer_is_refused():
    """A negative buffer is a FieldError located at the buffer argument."""
    with pytest.raises(FieldError, match=r"not negative .* @ \$\.buffer"):
        conflicts([], buffer=pendulum.duration(minutes=-5))
