"""Properties: exact JSON Lines round trips, order-independent validation, merge laws."""

import pathlib
import random
import tempfile
from typing import Any

import attrs
import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.records import strategies

from microstructure.examples import example_national
from microstructure.io import from_data, to_data
from microstructure.records import (
    CareFile,
    Event,
    Patient,
    dumps_records,
    loads_records,
    merge,
    read_records,
    validate,
    validate_file,
    write_records,
)

TEAMS = example_national()


@given(strategies.EVENTS)
def test_every_record_round_trips_through_the_converter(event):
    """`from_data(Event, to_data(e)) == e` for every record type."""
    assert from_data(Event, to_data(event)) == event


@given(st.lists(strategies.EVENTS, max_size=8))
def test_every_record_round_trips_through_json_lines(events):
    """Records read back from JSON Lines text equal those written, in order."""
    assert loads_records(dumps_records(events)) == events


@settings(max_examples=25)
@given(strategies.CARE_FILES)
def test_every_valid_care_file_round_trips_through_a_file(events):
    """A generated care file written and read back is the same list of events."""
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "care.jsonl"
        assert write_records(path, events) == len(events)
        assert read_records(path) == events


@st.composite
def edited_care_files(draw):
    """A generated care file with corrections, repeats, conflicts and removals."""
    events = draw(strategies.CARE_FILES)
    out = list(events)
    for event in events:
        action = draw(st.sampled_from(["keep"] * 6 + ["drop", "repeat", "correct", "conflict"]))
        if action == "drop":
            out.remove(event)
        elif action == "repeat":
            out.append(event)
        elif action == "correct":
            later = event.recorded_at.add(hours=draw(st.integers(1, 48)))
            out.append(attrs.evolve(event, recorded_at=later))
        elif action == "conflict" and isinstance(event, Patient):
            out.append(attrs.evolve(event, birth_year=event.birth_year + 1))
    return out


@settings(max_examples=30)
@given(edited_care_files(), st.randoms(use_true_random=False))
def test_shuffling_the_events_gives_the_same_validated_state(events, rng):
    """Events, episodes and findings do not depend on the order of the events."""
    first = CareFile(TEAMS, events, strict=False)
    shuffled = list(events)
    rng.shuffle(shuffled)
    second = CareFile(TEAMS, shuffled, strict=False)
    assert first.events == second.events
    assert first.findings == second.findings
    assert [first.episodes(p) for p in first.patients] == [
        second.episodes(p) for p in second.patients
    ]
    one_by_one = CareFile(TEAMS, strict=False)
    for event in shuffled:
        one_by_one.add(event)
    assert one_by_one.events == first.events
    assert one_by_one.findings == first.findings


@settings(max_examples=20)
@given(edited_care_files(), st.randoms(use_true_random=False))
def test_the_stream_validator_ignores_order(events, rng):
    """`validate_file` on a shuffled file gives the findings of `validate`."""
    shuffled = list(events)
    rng.shuffle(shuffled)
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "care.jsonl"
        write_records(path, shuffled)
        assert validate_file(path, TEAMS).findings == validate(events, TEAMS)


_POOL_IDS = st.sampled_from(["e1", "e2", "e3", "e4"])
_POOL_TIMES = st.sampled_from([pendulum.datetime(2026, 1, 1, h) for h in (8, 9, 10)])
COLLIDING = st.lists(
    st.builds(
        lambda e, i, t: attrs.evolve(e, id=i, recorded_at=t),
        strategies.EVENTS,
        _POOL_IDS,
        _POOL_TIMES,
    ),
    max_size=5,
)


@given(COLLIDING)
def test_merge_is_idempotent(a):
    """Merging a file with itself, or merging twice, changes nothing."""
    assert merge(a, a) == merge(a) == merge(merge(a))


@given(COLLIDING, COLLIDING)
def test_merge_is_commutative(a, b):
    """The order of the files does not matter."""
    assert merge(a, b) == merge(b, a)


@given(COLLIDING, COLLIDING, COLLIDING)
def test_merge_is_associative(a, b, c):
    """Grouping does not matter."""
    assert merge(merge(a, b), c) == merge(a, merge(b, c))


@given(COLLIDING)
def test_merge_keeps_one_event_per_id(a):
    """The merged file has one event per id: the latest recorded one."""
    merged = merge(a)
    assert sorted(e.id for e in merged) == sorted({e.id for e in a})
    for event in merged:
        assert event.recorded_at == max(x.recorded_at for x in a if x.id == event.id)


def test_shuffled_generated_file_validates_clean(tmp_path, monkeypatch):
    """A large shuffled generated file takes the bucket pass and is still clean."""
    from microstructure.records import _stream
    from microstructure.synthetic import generate

    passes: list[object] = []
    bucket_pass = _stream._bucket_pass

    def spied(*args: Any) -> None:
        passes.append(args)
        bucket_pass(*args)

    monkeypatch.setattr(_stream, "_bucket_pass", spied)
    events = list(generate(patients=60, seed=9))
    random.Random(1).shuffle(events)  # noqa: S311 - a reproducible shuffle
    path = tmp_path / "care.jsonl"
    write_records(path, events)
    report = validate_file(path, TEAMS)
    assert len(passes) == 1
    assert (report.valid, report.findings, report.events, report.patients) == (
        True,
        (),
        len(events),
        60,
    )
