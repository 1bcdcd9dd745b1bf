"""The store: loading by DuckDB, de-duplication with the records' rule, persistence, tables."""

import datetime as dt
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.records import helpers as h

from microstructure.eligibility import AnswerKind, instruments
from microstructure.errors import (
    ConfigurationError,
    FieldError,
    MicrostructureError,
    ValidationError,
)
from microstructure.evaluation import Database
from microstructure.examples import example_national, example_network
from microstructure.programs import Activity
from microstructure.records import dumps_records, merge_files, read_records, write_records
from microstructure.scheduling import example_schedule, expand
from microstructure.synthetic import generate

TEAMS = example_national()
LATER = pendulum.datetime(2030, 7, 2, 12)


def _events_table(db: Database) -> list[tuple[Any, ...]]:
    return sorted(db.connection.execute("SELECT * FROM events").fetchall(), key=repr)


@pytest.fixture(scope="module")
def care() -> list[Any]:
    """A small generated care file's events."""
    return list(generate(patients=6, seed=21))


def test_loads_a_generated_file(tmp_path: Path, care: list[Any]) -> None:
    """Every event of a valid file is added once, and adding it again adds nothing."""
    path = tmp_path / "care.jsonl"
    write_records(path, care)
    with Database(TEAMS) as db:
        assert db.add_records(path) == len(care)
        assert db.add_records(path) == 0
        got = db.connection.execute("SELECT count(*), count(DISTINCT id) FROM events").fetchall()
        assert got == [(len(care), len(care))]


def test_loads_like_records_merge(tmp_path: Path, care: list[Any]) -> None:
    """The versions that stand are those `records.merge_files` keeps (ids and recorded_at)."""
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    corrected = [
        h.consultation(h.CODE, id=e.id, start=e.start, status="missed", recorded_at=LATER)
        for e in care
        if type(e).__name__ == "Consultation"
    ][:3]
    write_records(first, care)
    write_records(second, corrected + care[:10])
    merge_files([first, second], tmp_path / "merged.jsonl")
    merged = read_records(tmp_path / "merged.jsonl")
    with Database(TEAMS) as db:
        db.add_records(first)
        db.add_records(second)
        rows = db.connection.execute("SELECT id, recorded_at, status FROM events").fetchall()
    expected = {(e.id, e.recorded_at.in_timezone("UTC").naive()) for e in merged}
    assert {(i, at.astimezone(dt.UTC).replace(tzinfo=None)) for i, at, _ in rows} == expected
    statuses = {i: s for i, _, s in rows}
    assert all(statuses[e.id] == "missed" for e in corrected)


def _split(events: list[Any], order: list[int], cuts: list[int]) -> list[list[Any]]:
    shuffled = [events[i] for i in order]
    bounds = sorted({0, len(shuffled), *(c % (len(shuffled) + 1) for c in cuts)})
    return [shuffled[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_any_order_and_split_gives_the_same_tables(
    tmp_path_factory: pytest.TempPathFactory, care: list[Any], data: st.DataObject
) -> None:
    """Loading the same events in any order, in any split into files, gives the same tables."""
    extra = [
        h.consultation(h.CODE, id="c-x", recorded_at=LATER),
        h.consultation(h.CODE, id="c-x", status="missed"),
        h.consultation(h.CODE, id="c-y", status="held"),  # a conflict: same instant,
        h.consultation(h.CODE, id="c-y", status="missed"),  # different content
        h.exit_(id="x-z"),
        h.exit_(id="x-z"),  # the same event twice
    ]
    events = care + extra
    order = data.draw(st.permutations(range(len(events))))
    cuts = data.draw(st.lists(st.integers(0, len(events)), max_size=3))
    folder = tmp_path_factory.mktemp("split")
    with Database(TEAMS) as reference:
        whole = folder / "whole.jsonl"
        write_records(whole, events)
        reference.add_records(whole)
        expected = _events_table(reference)
        expected_active = reference.connection.execute(
            "SELECT count(*) FROM pop_active_patients('2026-01-01', '2026-12-31')"
        ).fetchall()
    with Database(TEAMS) as db:
        for index, part in enumerate(_split(events, order, cuts)):
            path = folder / f"part{index}.jsonl"
            write_records(path, part)
            db.add_records(path)
        assert _events_table(db) == expected
        assert (
            db.connection.execute(
                "SELECT count(*) FROM pop_active_patients('2026-01-01', '2026-12-31')"
            ).fetchall()
            == expected_active
        )


def test_conflict_is_reported_and_settled_whatever_the_order(tmp_path: Path) -> None:
    """Same id and instant, different content: an MS-REC-011 finding, the same winner."""
    one = h.consultation(h.CODE, id="c-1", status="held")
    two = h.consultation(h.CODE, id="c-1", status="missed")
    write_records(tmp_path / "one.jsonl", [one])
    write_records(tmp_path / "two.jsonl", [two])
    winners = []
    for files in (("one", "two"), ("two", "one")):
        with Database(TEAMS) as db:
            for name in files:
                db.add_records(tmp_path / f"{name}.jsonl")
            winners.append(db.connection.execute("SELECT status FROM events").fetchall())
            assert [f.code for f in db.findings] == ["MS-REC-011"]
            assert db.findings[0].path == '$["c-1"]'
    assert winners[0] == winners[1]
    assert len(winners[0]) == 1


def test_same_instant_same_content_is_one_event(tmp_path: Path) -> None:
    """The same event sent twice, in two files, is one event and no finding."""
    event = h.consultation(h.CODE, id="c-1")
    write_records(tmp_path / "one.jsonl", [event])
    write_records(tmp_path / "two.jsonl", [h.exit_(), event])
    with Database(TEAMS) as db:
        assert db.add_records(tmp_path / "one.jsonl") == 1
        assert db.add_records(tmp_path / "two.jsonl") == 1
        assert db.findings == ()


def test_older_version_does_not_replace_a_newer_one(tmp_path: Path) -> None:
    """A correction loaded first stands when the older version arrives later."""
    new = h.consultation(h.CODE, id="c-1", status="missed", recorded_at=LATER)
    old = h.consultation(h.CODE, id="c-1", status="held")
    write_records(tmp_path / "new.jsonl", [new])
    write_records(tmp_path / "old.jsonl", [old])
    with Database(TEAMS) as db:
        db.add_records(tmp_path / "new.jsonl")
        assert db.add_records(tmp_path / "old.jsonl") == 0
        assert db.connection.execute("SELECT status FROM events").fetchall() == [("missed",)]


def test_database_file_persists(tmp_path: Path, care: list[Any]) -> None:
    """Records added in one run are in the file in the next; adding them again adds nothing."""
    records, store = tmp_path / "care.jsonl", tmp_path / "network.duckdb"
    write_records(records, care)
    with Database(TEAMS, path=store) as db:
        db.add_records(records)
    with Database(TEAMS, path=store) as db:
        assert db.connection.execute("SELECT count(*) FROM events").fetchall() == [(len(care),)]
        assert db.add_records(records) == 0


def test_newer_database_file_is_refused(tmp_path: Path) -> None:
    """A database file written by a newer store version is a ConfigurationError."""
    store = tmp_path / "network.duckdb"
    with Database(TEAMS, path=store) as db:
        db.connection.execute("UPDATE store_meta SET version = 99")
    with pytest.raises(ConfigurationError, match="version 99"):
        Database(TEAMS, path=store)


def test_parquet_gives_the_same_events(tmp_path: Path, care: list[Any]) -> None:
    """A Parquet file with the records' columns loads the same events as the JSON Lines."""
    records, parquet = tmp_path / "care.jsonl", tmp_path / "care.parquet"
    write_records(records, care)
    with Database(TEAMS) as db:
        db.add_records(records)
        expected = _events_table(db)
        db.connection.execute(f"COPY events TO '{parquet}' (FORMAT parquet)")
    with Database(TEAMS) as db:
        assert db.add_records(parquet) == len(care)
        assert _events_table(db) == expected


# -- bad input ---------------------------------------------------------------------------

HEADER = json.dumps({"format": "microstructure-records", "version": 1})


def _load(tmp_path: Path, text: str, name: str = "bad.jsonl") -> MicrostructureError:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with Database(TEAMS) as db, pytest.raises(MicrostructureError) as caught:
        db.add_records(path)
    assert not isinstance(caught.value, duckdb.Error)
    assert name in str(caught.value)
    return caught.value


def _line(event: Any) -> str:
    return dumps_records([event]).splitlines()[1]


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is a ConfigurationError naming it."""
    with Database(TEAMS) as db, pytest.raises(ConfigurationError, match=r"nothere\.jsonl"):
        db.add_records(tmp_path / "nothere.jsonl")


def test_wrong_header(tmp_path: Path) -> None:
    """A file without the header line names line 1 and the format expected."""
    error = _load(tmp_path, _line(h.exit_()) + "\n")
    assert "line 1: $.format" in str(error)
    assert "microstructure-records" in str(error)


def test_newer_format_version(tmp_path: Path) -> None:
    """A file of a newer format version is refused, naming the version expected."""
    header = json.dumps({"format": "microstructure-records", "version": 2})
    error = _load(tmp_path, header + "\n" + _line(h.exit_()) + "\n")
    assert "line 1: $.version" in str(error)
    assert "expected version 1" in str(error)


def test_malformed_line(tmp_path: Path) -> None:
    """A line that is not JSON is located by its number."""
    text = HEADER + "\n" + _line(h.exit_()) + "\n" + '{"type": "exit", "id": \n'
    error = _load(tmp_path, text)
    assert "line 3" in str(error)


def test_wrong_type_never_shows_the_personal_value(tmp_path: Path) -> None:
    """A birth year of the wrong type is located, and its value is not in the message."""
    data = json.loads(_line(h.patient()))
    data["birth_year"] = "19x7"
    error = _load(tmp_path, HEADER + "\n" + json.dumps(data) + "\n")
    assert "line 2" in str(error)
    assert "birth_year" in str(error)
    assert "19x7" not in str(error)


def test_unknown_code_is_located(tmp_path: Path) -> None:
    """A status outside the vocabulary names the line, the field and what was expected."""
    data = json.loads(_line(h.consultation()))
    data["status"] = "maybe"
    error = _load(tmp_path, HEADER + "\n" + _line(h.exit_()) + "\n" + json.dumps(data) + "\n")
    assert "line 3" in str(error)
    assert "status" in str(error)


def test_bad_date_is_located(tmp_path: Path) -> None:
    """A date DuckDB cannot read is located by the records reader, by line and field."""
    data = json.loads(_line(h.exit_()))
    data["date"] = "2026-13-01"
    error = _load(tmp_path, HEADER + "\n" + json.dumps(data) + "\n")
    assert "line 2" in str(error)
    assert "date" in str(error)


def test_not_a_parquet_file(tmp_path: Path) -> None:
    """A file named .parquet that is not one is a ConfigurationError."""
    path = tmp_path / "care.parquet"
    path.write_text("nope", encoding="utf-8")
    with Database(TEAMS) as db, pytest.raises(ConfigurationError, match=r"care\.parquet"):
        db.add_records(path)


def test_wrong_arguments() -> None:
    """Teams, paths and schedules of the wrong type are FieldErrors."""
    with pytest.raises(FieldError):
        Database("teams.json")  # type: ignore[arg-type]
    with pytest.raises(FieldError):
        Database(TEAMS, schedule=[1])  # type: ignore[arg-type]
    with Database(TEAMS) as db, pytest.raises(FieldError):
        db.add_records(3)  # type: ignore[arg-type]


# -- tables ------------------------------------------------------------------------------


def test_org_table() -> None:
    """One row per microstructure with its network, region and the nation."""
    with Database(TEAMS) as db:
        rows = db.connection.execute("SELECT * FROM org ORDER BY microstructure").fetchall()
        assert db.teams is TEAMS
    assert rows == [
        ("ms-colmar", "reseau-alsace", "44", "FR"),
        ("ms-hautepierre", "reseau-alsace", "44", "FR"),
        ("ms-neudorf", "reseau-alsace", "44", "FR"),
        ("ms-saint-denis", "reseau-reunion", "04", "FR"),
    ]


def test_programs_table() -> None:
    """Each program's annual forfait (NULL when unknown) and monthly RCP count."""
    with Database(example_network()) as db:
        rows = {r[0]: r[1:] for r in db.connection.execute("SELECT * FROM programs").fetchall()}
    assert rows["equip-addict"] == (528.0, 1)
    assert rows["droit-commun"] == (None, 1)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_assessment_totals_match_eligibility_scoring(data: st.DataObject) -> None:
    """Totals computed in SQL from the instrument tables equal `eligibility` scoring."""
    inst = data.draw(st.sampled_from(sorted(instruments().values(), key=lambda i: i.id)))
    answers = tuple(
        data.draw(st.sampled_from([o.answer for o in item.options])) for item in inst.items
    )
    if inst.answer_kind is AnswerKind.YES_NO:
        answers = tuple(bool(a) for a in answers)
    expected = float(inst.score(answers).total)
    with Database(TEAMS) as db:
        con = db.connection
        con.execute(
            "INSERT INTO events (type, id, recorded_at, patient, date, instrument, stage, answers, day) "
            "VALUES ('assessment', 'as-1', now(), 'K3M7-QXVG', DATE '2026-01-01', ?, "
            "'inclusion', ?, DATE '2026-01-01')",
            [inst.id, json.dumps(list(answers))],
        )
        got = con.execute("SELECT score FROM ms_assessment_scores").fetchall()
    assert got == [(pytest.approx(expected),)]


def test_planned_sessions_follow_the_schedule(tmp_path: Path) -> None:
    """With a schedule, expected RCPs and presence weeks are those `scheduling.expand` gives."""
    schedule = example_schedule()
    path = tmp_path / "care.jsonl"
    write_records(path, generate(patients=8, seed=3, schedule=schedule))
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    # a week around the year: the 1 January 2026 session of ms-colmar moves to 31 December
    occurrences = expand(schedule, TEAMS, start - dt.timedelta(days=7), end + dt.timedelta(days=7))
    rcp = sorted(
        (o.microstructure, o.start.date())
        for o in occurrences
        if o.activity is Activity.RCP and start <= o.start.date() <= end
    )
    psy_weeks = {
        (o.microstructure, o.start.date() - dt.timedelta(days=o.start.weekday()))
        for o in occurrences
        if o.activity is Activity.PSYCHOLOGIST_CONSULTATIONS
    }
    with Database(TEAMS, schedule=schedule) as db:
        db.add_records(path)
        con = db.connection
        got_rcp = con.execute(
            "SELECT microstructure, day FROM pop_rcp_expected('2026-01-01', '2026-12-31') "
            "ORDER BY ALL"
        ).fetchall()
        got_weeks = con.execute(
            "SELECT microstructure, week FROM pop_presence_weeks('2026-01-01', '2026-12-31') "
            "WHERE role = 'psychologist'"
        ).fetchall()
    scheduled = {s.microstructure for s in schedule.schedules}
    assert [r for r in got_rcp if r[0] in scheduled] == [
        (ms, pendulum.Date(d.year, d.month, d.day)) for ms, d in rcp
    ]
    thursday_in_year = {(ms, w) for ms, w in psy_weeks if (w + dt.timedelta(days=3)).year == 2026}
    assert {(ms, w) for ms, w in got_weeks if ms in scheduled} == thursday_in_year


def test_import_does_not_load_duckdb() -> None:
    """Importing the evaluation package leaves DuckDB unloaded until a Database is made."""
    code = "import sys, microstructure.evaluation; print('duckdb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("answers", [9, 9, 9, 9, 9, 9, 9]),
        ("answers", [1, 1]),
        ("instrument", "no-such-test"),
    ],
)
def test_assessment_that_cannot_be_scored(tmp_path: Path, field: str, value: object) -> None:
    """Answers the instrument does not accept, or an unknown instrument, are located errors."""
    data = json.loads(_line(h.assessment()))
    data[field] = value
    error = _load(tmp_path, HEADER + "\n" + json.dumps(data) + "\n")
    assert "line 2" in str(error)
    assert field in str(error)


def test_total_out_of_range(tmp_path: Path) -> None:
    """A total above the instrument's maximum is a located error."""
    data = json.loads(_line(h.assessment(answers=None, total=3)))
    data["total"] = 99
    error = _load(tmp_path, HEADER + "\n" + json.dumps(data) + "\n")
    assert "line 2" in str(error)
    assert "total" in str(error)


def test_rcp_per_month_from_each_program_frequency() -> None:
    """A program's RCP frequency per month: 1 without one, weekly x 4, quarterly rounded up."""
    from microstructure.programs import Period, Program, SessionFrequency, programs

    def rcp(period: Period | None, count: int = 1) -> Program:
        frequencies = (
            ()
            if period is None
            else (SessionFrequency(activity=Activity.RCP, period=period, count=count),)
        )
        return Program(id=f"p-{period}-{count}", name="P", name_fr="P", frequencies=frequencies)

    custom = [rcp(None), rcp(Period.WEEK), rcp(Period.QUARTER, 2), rcp(Period.MONTH, 2)]
    with Database(TEAMS, programs={**programs(), **{p.id: p for p in custom}}) as db:
        got = dict(db.connection.execute("SELECT program, rcp_per_month FROM programs").fetchall())
    assert [got[p.id] for p in custom] == [1, 4, 1, 2]


def test_schedule_by_network_and_progress(tmp_path: Path, care: list[Any]) -> None:
    """A mapping of schedules by network is accepted; progress hears the count added."""
    path = tmp_path / "care.jsonl"
    write_records(path, care)
    heard: list[int] = []
    with Database(TEAMS, schedule={"reseau-alsace": example_schedule()}) as db:
        db.add_records(path, progress=heard.append)
        planned = db.connection.execute("SELECT count(*) FROM planned_sessions").fetchall()
        db.add_records(path, progress=heard.append)
        again = db.connection.execute("SELECT count(*) FROM planned_sessions").fetchall()
    assert heard == [len(care), 0]
    assert again == planned
    assert planned[0][0] > 0


def test_first_microstructure_of_an_id_wins() -> None:
    """A microstructure listed twice in a national file keeps its first network, as teams say."""
    from microstructure.teams import NationalCoordination

    twice = NationalCoordination(networks=(*TEAMS.networks, TEAMS.networks[0]))
    with Database(twice) as db:
        rows = db.connection.execute("SELECT count(*) FROM org").fetchall()
    assert rows == [(4,)]


def test_database_path_errors(tmp_path: Path) -> None:
    """A path of the wrong type is a FieldError; a file that is no database, a ConfigurationError."""
    with pytest.raises(FieldError):
        Database(TEAMS, path=3)  # type: ignore[arg-type]
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database at all, " * 200, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"junk\.duckdb"):
        Database(TEAMS, path=junk)


def test_header_that_is_not_json(tmp_path: Path) -> None:
    """A first line that is not JSON is named as the missing header."""
    error = _load(tmp_path, "format: records\n")
    assert "line 1: $.format" in str(error)


def test_bad_duration_is_located(tmp_path: Path) -> None:
    """A duration that is not an ISO 8601 duration is located by line and field."""
    data = json.loads(_line(h.consultation()))
    data["duration"] = "45 minutes"
    error = _load(tmp_path, HEADER + "\n" + json.dumps(data) + "\n")
    assert "line 2" in str(error)
    assert "duration" in str(error)


def test_many_bad_lines_are_reported_in_part(tmp_path: Path) -> None:
    """A file of bad lines reports the first twenty problems, each located."""
    data = json.loads(_line(h.consultation()))
    data["status"] = "maybe"
    error = _load(tmp_path, HEADER + "\n" + (json.dumps(data) + "\n") * 30)
    assert isinstance(error, ValidationError)
    assert len(error.errors) == 20


def test_bad_parquet_rows(tmp_path: Path) -> None:
    """Parquet rows that are not valid records, or a table without them, are ValidationErrors."""
    con = duckdb.connect()
    bad_rows = tmp_path / "bad.parquet"
    con.execute(
        f"COPY (SELECT 'consultation' AS type, 'c-1' AS id, now() AS recorded_at, "
        f"'maybe' AS status) TO '{bad_rows}' (FORMAT parquet)"
    )
    other = tmp_path / "other.parquet"
    con.execute(f"COPY (SELECT 1 AS x) TO '{other}' (FORMAT parquet)")
    con.close()
    with Database(TEAMS) as db:
        with pytest.raises(ValidationError, match=r"bad\.parquet"):
            db.add_records(bad_rows)
        with pytest.raises(ValidationError, match=r"other\.parquet"):
            db.add_records(other)
        assert db.connection.execute("SELECT count(*) FROM events").fetchall() == [(0,)]


def test_database_file_of_another_store_layout(tmp_path: Path) -> None:
    """An events table with other columns is a ConfigurationError, not a DuckDB error."""
    store = tmp_path / "other.duckdb"
    con = duckdb.connect(str(store))
    con.execute("CREATE TABLE events (id VARCHAR)")
    con.close()
    with pytest.raises(ConfigurationError, match="events table"):
        Database(TEAMS, path=store)


def test_closed_database(tmp_path: Path, care: list[Any]) -> None:
    """Adding records to a closed database is a ConfigurationError naming the file."""
    path = tmp_path / "care.jsonl"
    write_records(path, care)
    db = Database(TEAMS)
    db.close()
    with pytest.raises(ConfigurationError, match=r"care\.jsonl"):
        db.add_records(path)


def test_start_without_offset_is_located(tmp_path: Path) -> None:
    """A consultation's start without a UTC offset is refused, as the records reader does."""
    data = json.loads(_line(h.consultation()))
    data["start"] = "2026-01-19T09:00:00"
    error = _load(tmp_path, HEADER + "\n" + json.dumps(data) + "\n")
    assert "line 2" in str(error)
    assert "start" in str(error)
