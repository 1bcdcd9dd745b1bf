"""Population macros on a hand-built care file whose expected rows are worked out by hand.

Two patients of the example network. Patient A (woman, born 1980) is referred to and
included at ms-neudorf, seen three times in Q1 (the third a correction from "held" to
"missed"), once on 1 April just after midnight Paris summer time (1 April as written,
31 March in UTC: the DST date), leaves on 1 June, and is seen again after her exit
(ignored). Patient B (man, born 1950) is included at ms-colmar in Equip'addict, leaves on
31 March, and is included again at ms-neudorf in April (a patient in two microstructures).
A third code has no patient record and a consultation outside any episode (ignored).
The events are split into two files that both hold some of them (duplicates).
"""

# ruff: noqa: S608 - the SQL names the macros of a fixed list

import datetime as dt
from pathlib import Path
from typing import Any

import pendulum
import pytest
from tests.records import helpers as h

from microstructure.evaluation import Database, improvement_thresholds
from microstructure.examples import example_national
from microstructure.identifiers import AnonymousCode
from microstructure.io import to_data
from microstructure.records import write_records

A = h.CODE
B = h.OTHER
C = AnonymousCode.encode("ZZZZZZ")
LATER = pendulum.datetime(2026, 7, 2, 12)


def _paris(month: int, dom: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, dom, hour, minute, tz="Europe/Paris")


def _events() -> tuple[list[Any], list[Any]]:
    """The two files: the second repeats some events of the first and corrects one."""
    a = [
        h.patient(A),
        h.referral(A),  # 5 Jan, ms-neudorf, addiction, alcohol
        h.assessment(A),  # gad-7 at inclusion on 12 Jan: total 10
        h.inclusion(A),  # 12 Jan, ms-neudorf, droit-commun
        h.consultation(A, id="c-a1", start=_paris(1, 19)),
        h.consultation(
            A, id="c-a2", start=_paris(2, 2), professional="ts-strasbourg", role="social-worker"
        ),
        h.consultation(A, id="c-a3", start=_paris(2, 9)),  # corrected to missed in file 2
        h.consultation(A, id="c-a4", start=_paris(4, 1, 0, 30)),  # 2026-03-31T22:30Z
        h.assessment(A, id="as-a2", date=h.day(4, 1), stage="follow-up", answers=None, total=2),
        h.assessment(A, id="as-a3", date=h.day(5, 20), stage="follow-up", answers=None, total=4),
        h.exit_(A),  # 1 June, goals reached
        h.consultation(A, id="c-a5", start=_paris(6, 10)),  # after the exit: ignored
        h.assessment(A, id="as-a4", date=h.day(7, 10), stage="follow-up", answers=None, total=0),
        h.meeting(A, id="rcp-n", date=h.day(2, 12)),
    ]
    b = [
        h.patient(B, birth_year=1950, sex="male"),
        h.referral(
            B,
            id="ref-b1",
            date=h.day(2, 1),
            microstructure="ms-colmar",
            referrer="gp-colmar-1",
            indications=["mental-health"],
            substances=[],
        ),
        h.inclusion(
            B, id="inc-b1", date=h.day(2, 10), microstructure="ms-colmar", program="equip-addict"
        ),
        h.consultation(
            B, id="c-b1", start=_paris(2, 20), professional="psy-colmar", role="psychologist"
        ),
        h.consultation(
            B, id="c-b2", start=_paris(3, 5), professional="gp-colmar-1", role="gp", session=None
        ),
        h.exit_(B, id="x-b1", date=h.day(3, 31), reason="moved"),
        h.referral(
            B,
            id="ref-b2",
            date=h.day(4, 10),
            indications=["precarity"],
            substances=["tobacco"],
        ),
        h.inclusion(B, id="inc-b2", date=h.day(4, 15)),
        h.consultation(B, id="c-b3", start=_paris(4, 20)),
        h.meeting(
            B,
            C,
            id="rcp-c",
            date=h.day(3, 10),
            microstructure="ms-colmar",
            attendees=("gp-colmar-1", "psy-colmar", "ts-colmar"),
        ),
    ]
    c = [h.consultation(C, id="c-c1", start=_paris(1, 20))]
    first = a[:8] + b[:5] + c
    second = [
        a[3],  # the inclusion of A again: a duplicate
        h.consultation(A, id="c-a3", start=_paris(2, 9), status="missed", recorded_at=LATER),
        *a[7:],
        *b[3:],  # two consultations of B again
    ]
    return first, second


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """Both files loaded, the second after the first."""
    folder = Path(tmp_path_factory.mktemp("hand"))
    first, second = _events()
    write_records(folder / "one.jsonl", first)
    write_records(folder / "two.jsonl", second)
    db = Database(example_national())
    db.add_records(folder / "one.jsonl")
    db.add_records(folder / "two.jsonl")
    return db


def _rows(
    db: Database, name: str, start: str, end: str, columns: str = "*"
) -> list[tuple[Any, ...]]:
    return sorted(
        db.connection.execute(
            f"SELECT {columns} FROM pop_{name}(DATE '{start}', DATE '{end}')"
        ).fetchall(),
        key=repr,
    )


Q1 = ("2026-01-01", "2026-03-31")
Q2 = ("2026-04-01", "2026-06-30")
A_NEUDORF: tuple[Any, ...] = (
    "ms-neudorf",
    to_data(A),
    "droit-commun",
    "female",
    46,
    ["addiction"],
    ["alcohol"],
)
B_COLMAR: tuple[Any, ...] = (
    "ms-colmar",
    to_data(B),
    "equip-addict",
    "male",
    76,
    ["mental-health"],
    [],
)
B_NEUDORF: tuple[Any, ...] = (
    "ms-neudorf",
    to_data(B),
    "droit-commun",
    "male",
    76,
    ["precarity"],
    ["tobacco"],
)


def test_events_are_deduplicated(database: Database) -> None:
    """Each event id stands once; the correction of c-a3 replaced the first version."""
    con = database.connection
    ids = con.execute("SELECT id FROM events ORDER BY id").fetchall()
    assert len(ids) == len(set(ids)) == 25
    assert con.execute("SELECT status FROM events WHERE id = 'c-a3'").fetchall() == [("missed",)]


def test_active_patients(database: Database) -> None:
    """Q1: A at Neudorf (2 held, psy and social worker, discussed), B at Colmar (forfait)."""
    assert _rows(database, "active_patients", *Q1) == sorted(
        [
            (*A_NEUDORF, 2, 2, True, None),
            (*B_COLMAR, 2, 1, True, 528.0),
        ],
        key=repr,
    )


def test_active_patients_after_dst_and_in_two_microstructures(database: Database) -> None:
    """Q2: the 1 April consultation counts in April; B is active at Neudorf, not at Colmar."""
    assert _rows(database, "active_patients", *Q2) == sorted(
        [(*A_NEUDORF, 1, 1, False, None), (*B_NEUDORF, 1, 1, False, None)], key=repr
    )


def test_march_leaves_out_the_consultation_dated_1_april() -> None:
    """The day of a consultation is its local date as written, not its UTC date."""
    start = pendulum.parse("2026-04-01T00:30:00+02:00")
    assert isinstance(start, pendulum.DateTime)
    assert start.in_timezone("UTC").date() == pendulum.date(2026, 3, 31)


def test_march_active_file(database: Database) -> None:
    """In March only B is active (A's next held consultation is dated 1 April)."""
    assert _rows(database, "active_patients", "2026-03-01", "2026-03-31", "patient") == [
        (to_data(B),)
    ]


def test_inclusions(database: Database) -> None:
    """Days from the referral to the first held consultation of each episode."""
    assert _rows(database, "inclusions", *Q1) == sorted(
        [(*A_NEUDORF, 14), (*B_COLMAR, 19)], key=repr
    )
    assert _rows(database, "inclusions", *Q2) == [(*B_NEUDORF, 10)]


def test_exits(database: Database) -> None:
    """Exits with their reason, in the period of their date."""
    assert _rows(database, "exits", *Q1) == [(*B_COLMAR, "moved")]
    assert _rows(database, "exits", *Q2) == [(*A_NEUDORF, "goals-reached")]


def test_consultations(database: Database) -> None:
    """Q1: five consultations in episodes (the one of the unknown patient is ignored)."""
    got = _rows(database, "consultations", *Q1, "patient, role, status, professional")
    assert got == sorted(
        [
            (to_data(A), "psychologist", "held", "psy-strasbourg"),
            (to_data(A), "social-worker", "held", "ts-strasbourg"),
            (to_data(A), "psychologist", "missed", "psy-strasbourg"),
            (to_data(B), "psychologist", "held", "psy-colmar"),
            (to_data(B), "gp", "held", "gp-colmar-1"),
        ],
        key=repr,
    )
    durations = _rows(database, "consultations", *Q1, "duration_minutes")
    assert durations == [(45.0,)] * 5


def test_consultation_after_exit_is_ignored(database: Database) -> None:
    """A's consultation of 10 June, after her exit, is in no episode."""
    assert _rows(database, "consultations", "2026-06-02", "2026-12-31") == []


def test_rcp_meetings(database: Database) -> None:
    """Each meeting in the period with its number of cases and attendees."""
    assert _rows(database, "rcp_meetings", *Q1) == [("ms-colmar", 2, 3), ("ms-neudorf", 1, 2)]
    assert _rows(database, "rcp_meetings", *Q2) == []


def test_rcp_expected_from_programs(database: Database) -> None:
    """Without a schedule: one meeting a month for each microstructure in a program."""
    rows = _rows(database, "rcp_expected", *Q1)
    teams = ("ms-colmar", "ms-hautepierre", "ms-neudorf", "ms-saint-denis")
    months = (dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert rows == sorted([(ms, m) for ms in teams for m in months], key=repr)


def test_rcp_expected_counts_months_whose_first_day_is_in_the_period(database: Database) -> None:
    """A custom period from 15 January to 10 March owes the meetings of February and March."""
    days = {row[1] for row in _rows(database, "rcp_expected", "2026-01-15", "2026-03-10")}
    assert days == {dt.date(2026, 2, 1), dt.date(2026, 3, 1)}


def test_retention(database: Database) -> None:
    """Anniversaries at 3 and 6 months: retained unless the exit came before."""
    assert _rows(database, "retention", *Q2) == sorted(
        [(*A_NEUDORF, 3, True), (*B_COLMAR, 3, False)], key=repr
    )
    q3 = _rows(database, "retention", "2026-07-01", "2026-09-30")
    assert q3 == sorted(
        [(*A_NEUDORF, 6, False), (*B_COLMAR, 6, False), (*B_NEUDORF, 3, True)], key=repr
    )


def test_score_changes(database: Database) -> None:
    """A's GAD-7: 10 at inclusion, 4 on 20 May (the follow-up nearest 6 months, in the episode)."""
    improved = improvement_thresholds()["gad-7"].points <= 10 - 4
    assert _rows(database, "score_changes", *Q2) == [
        (*A_NEUDORF, "gad-7", 10.0, 4.0, -6.0, improved)
    ]
    assert _rows(database, "score_changes", *Q1) == []
    assert _rows(database, "score_changes", "2026-07-01", "2026-12-31") == []


def test_score_improvement_uses_the_threshold_table(database: Database) -> None:
    """With a threshold of 5 points for GAD-7, a fall of 6 points is an improvement."""
    con = database.connection
    saved = con.execute("SELECT * FROM improvement_thresholds").fetchall()
    con.execute("DELETE FROM improvement_thresholds")
    con.execute("INSERT INTO improvement_thresholds VALUES ('gad-7', 5), ('phq-9', 5)")
    try:
        assert _rows(database, "score_changes", *Q2, "improved") == [(True,)]
        con.execute("UPDATE improvement_thresholds SET points = 7 WHERE instrument = 'gad-7'")
        assert _rows(database, "score_changes", *Q2, "improved") == [(False,)]
    finally:
        con.execute("DELETE FROM improvement_thresholds")
        if saved:
            con.executemany("INSERT INTO improvement_thresholds VALUES (?, ?)", saved)


def test_presence_weeks_without_schedule(database: Database) -> None:
    """Every ISO week whose Thursday is in the period, per team member role; present if seen."""
    rows = _rows(database, "presence_weeks", "2026-01-19", "2026-02-08")
    weeks = [dt.date(2026, 1, 19), dt.date(2026, 1, 26), dt.date(2026, 2, 2)]
    teams = ("ms-colmar", "ms-hautepierre", "ms-neudorf", "ms-saint-denis")
    assert sorted((r[0], r[1], r[2]) for r in rows) == sorted(
        (ms, role, w) for ms in teams for role in ("psychologist", "social-worker") for w in weeks
    )
    assert sorted((r[0], r[1], r[2]) for r in rows if r[3]) == [
        ("ms-neudorf", "psychologist", dt.date(2026, 1, 19)),
        ("ms-neudorf", "social-worker", dt.date(2026, 2, 2)),
    ]


def test_week_with_thursday_outside_the_period_is_left_out(database: Database) -> None:
    """The week of Monday 26 January has its Thursday on the 29th: not in 30 Jan - 8 Feb."""
    weeks = {r[2] for r in _rows(database, "presence_weeks", "2026-01-30", "2026-02-08")}
    assert weeks == {dt.date(2026, 2, 2)}


def test_every_row_belongs_to_one_known_microstructure(database: Database) -> None:
    """Rows carry a microstructure of the team file, so counts add up the levels."""
    con = database.connection
    known = {r[0] for r in con.execute("SELECT microstructure FROM org").fetchall()}
    for name in Database.population_macros():
        found = con.execute(
            f"SELECT DISTINCT microstructure FROM {name}(DATE '2026-01-01', DATE '2026-12-31')"
        ).fetchall()
        assert {r[0] for r in found} <= known, name


def test_program_is_that_of_the_last_held_consultation(tmp_path: Path) -> None:
    """Two episodes at one microstructure in a quarter: one row, the later episode's program."""
    d = AnonymousCode.encode("DDDDDD")
    ms = {"microstructure": "ms-hautepierre"}
    events: list[Any] = [
        h.patient(d, id="pat-d", birth_year=2010, sex="other"),
        h.referral(d, id="ref-d", date=h.day(1, 2), referrer="gp-hautepierre-1", **ms),
        h.inclusion(d, id="inc-d1", date=h.day(1, 5), program="sante-mentale", **ms),
        h.consultation(d, id="c-d1", start=_paris(1, 10)),
        h.exit_(d, id="x-d1", date=h.day(1, 20)),
        h.inclusion(d, id="inc-d2", date=h.day(2, 1), **ms),
        h.consultation(
            d, id="c-d2", start=_paris(2, 10), professional="ts-strasbourg", role="social-worker"
        ),
        h.consultation(d, id="c-d3", start=_paris(2, 10, 8), status="missed"),
    ]
    write_records(tmp_path / "d.jsonl", events)
    with Database(example_national()) as db:
        db.add_records(tmp_path / "d.jsonl")
        assert _rows(db, "active_patients", *Q1) == [
            (
                "ms-hautepierre",
                to_data(d),
                "droit-commun",
                "other",
                16,
                ["addiction"],
                ["alcohol"],
                2,
                2,
                False,
                None,
            )
        ]
        assert _rows(db, "inclusions", *Q1, "program, days_to_first_consultation") == [
            ("droit-commun", 39),
            ("sante-mentale", 8),
        ]
        assert _rows(db, "exits", *Q1, "program, reason") == [("sante-mentale", "goals-reached")]
