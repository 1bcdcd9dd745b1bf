"""The generator: seeded, valid, grouped by patient, scheduled on the team's sessions."""

import pytest

from microstructure.examples import example_national
from microstructure.records import Consultation, RcpMeeting, validate
from microstructure.scheduling import example_schedule, expand
from microstructure.synthetic import generate

TEAMS = example_national()


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_generated_files_are_valid(seed):
    """Every generated file validates with no finding."""
    events = list(generate(patients=25, seed=seed))
    assert validate(events, TEAMS) == ()
    assert len({e.id for e in events}) == len(events)


def test_same_seed_same_events_other_seed_other_events():
    """The seed decides everything."""
    assert list(generate(patients=5, seed=1)) == list(generate(patients=5, seed=1))
    assert list(generate(patients=5, seed=1)) != list(generate(patients=5, seed=2))


def test_events_are_grouped_by_patient_then_meetings():
    """Each patient's events are contiguous; meetings come last."""
    events = list(generate(patients=30, seed=4))
    seen, current = set(), None
    for event in events:
        if isinstance(event, RcpMeeting):
            current = "meetings"
            continue
        assert current != "meetings"
        code = event.patient.value
        if code != current:
            assert code not in seen
            seen.add(code)
            current = code
    assert len(seen) == 30


def test_consultations_sit_on_scheduled_sessions():
    """Every consultation refers to a session that the schedule expands to."""
    events = list(generate(patients=10, seed=6))
    sessions = {
        f"{o.rule}@{o.start.format('YYYY-MM-DD[T]HH:mm')}"
        for o in expand(example_schedule(), TEAMS, events[0].recorded_at.date().replace(month=1, day=1),
                        events[0].recorded_at.date().replace(month=12, day=31))
    }  # fmt: skip
    consultations = [e for e in events if isinstance(e, Consultation)]
    assert consultations
    assert {c.session for c in consultations} <= sessions


def test_zero_patients_gives_nothing():
    """No patient, no event."""
    assert list(generate(patients=0, seed=1)) == []
