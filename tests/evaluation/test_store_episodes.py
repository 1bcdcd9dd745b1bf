"""The store's episodes follow the records' rules (`records` is the independent source)."""

from pathlib import Path
from typing import Any

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.records import helpers as h

from microstructure.evaluation import Database
from microstructure.examples import example_national
from microstructure.records import write_records
from microstructure.records._rules import Rules, check_patient

TEAMS = example_national()
RULES = Rules(TEAMS)

_step = st.tuples(
    st.sampled_from(["inclusion", "exit"]),
    st.integers(0, 40),  # day offset from 1 March
    st.sampled_from(["ms-neudorf", "ms-colmar"]),
)


def _events(steps: list[tuple[str, int, str]]) -> list[Any]:
    events: list[Any] = [h.patient()]
    for index, (kind, offset, ms) in enumerate(steps):
        day = pendulum.date(2026, 3, 1).add(days=offset)
        if kind == "inclusion":
            events.append(h.inclusion(id=f"inc-{index:02d}", date=day, microstructure=ms))
        else:
            events.append(h.exit_(id=f"x-{index:02d}", date=day))
    return events


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(_step, max_size=8))
def test_episodes_match_the_records_rules(tmp_path_factory: Any, steps: list[Any]) -> None:
    """Overlapping inclusions, exits without inclusion, same-day events: as `records` says."""
    events = _events(steps)
    _, summary = check_patient(events, RULES)
    expected = sorted((e.inclusion, e.microstructure, e.start, e.end) for e in summary.episodes)
    path = Path(tmp_path_factory.mktemp("ep")) / "ep.jsonl"
    write_records(path, events)
    with Database(TEAMS) as db:
        db.add_records(path)
        rows = db.connection.execute(
            'SELECT inclusion, microstructure, start, "end" FROM ms_episodes'
        ).fetchall()
    as_pendulum = [
        (
            i,
            ms,
            pendulum.Date(s.year, s.month, s.day),
            None if e is None else pendulum.Date(e.year, e.month, e.day),
        )
        for i, ms, s, e in rows
    ]
    assert sorted(as_pendulum, key=repr) == sorted(expected, key=repr)


def test_exits_population_counts_only_closing_exits(tmp_path: Path) -> None:
    """An exit with no open episode is not in pop_exits; the one closing an episode is."""
    events = _events(
        [
            ("exit", 1, "ms-neudorf"),
            ("inclusion", 2, "ms-neudorf"),
            ("exit", 5, "ms-neudorf"),
            ("exit", 6, "ms-neudorf"),
        ]
    )
    write_records(tmp_path / "x.jsonl", events)
    with Database(TEAMS) as db:
        db.add_records(tmp_path / "x.jsonl")
        rows = db.connection.execute(
            "SELECT microstructure FROM pop_exits('2026-03-01', '2026-03-31')"
        ).fetchall()
    assert rows == [("ms-neudorf",)]
