"""The population table macros have exactly the columns and types of the evaluation contract."""

# ruff: noqa: S608 - the SQL names the macros of a fixed list

from pathlib import Path

import pytest

from microstructure.evaluation import Database, Population
from microstructure.examples import example_national
from microstructure.records import write_records
from microstructure.synthetic import generate

_PATIENT = [
    ("microstructure", "VARCHAR"),
    ("patient", "VARCHAR"),
    ("program", "VARCHAR"),
    ("sex", "VARCHAR"),
    ("age", "INTEGER"),
    ("indications", "VARCHAR[]"),
    ("substances", "VARCHAR[]"),
]

COLUMNS = {
    "active_patients": [
        *_PATIENT,
        ("held_consultations", "INTEGER"),
        ("professionals_besides_gp", "INTEGER"),
        ("discussed_at_rcp", "BOOLEAN"),
        ("annual_forfait", "DOUBLE"),
    ],
    "inclusions": [*_PATIENT, ("days_to_first_consultation", "INTEGER")],
    "exits": [*_PATIENT, ("reason", "VARCHAR")],
    "consultations": [
        *_PATIENT,
        ("role", "VARCHAR"),
        ("status", "VARCHAR"),
        ("mode", "VARCHAR"),
        ("professional", "VARCHAR"),
        ("duration_minutes", "DOUBLE"),
    ],
    "rcp_meetings": [("microstructure", "VARCHAR"), ("cases", "INTEGER"), ("attendees", "INTEGER")],
    "rcp_expected": [("microstructure", "VARCHAR"), ("day", "DATE")],
    "retention": [*_PATIENT, ("horizon_months", "INTEGER"), ("retained", "BOOLEAN")],
    "score_changes": [
        *_PATIENT,
        ("instrument", "VARCHAR"),
        ("baseline", "DOUBLE"),
        ("follow_up", "DOUBLE"),
        ("change", "DOUBLE"),
        ("improved", "BOOLEAN"),
    ],
    "presence_weeks": [
        ("microstructure", "VARCHAR"),
        ("role", "VARCHAR"),
        ("week", "DATE"),
        ("present", "BOOLEAN"),
    ],
}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A database holding a small generated care file."""
    path = Path(tmp_path_factory.mktemp("pop")) / "care.jsonl"
    write_records(path, generate(patients=30, seed=11))
    db = Database(example_national())
    db.add_records(path)
    return db


def test_every_population_has_a_macro(database: Database) -> None:
    """The macro names are pop_ and the nine population names of the contract."""
    assert Database.population_macros() == tuple(f"pop_{name}" for name in sorted(COLUMNS))
    assert sorted(p.macro for p in database.populations()) == sorted(
        f"pop_{name}" for name in COLUMNS
    )
    assert set(database.populations()) == set(Population)


@pytest.mark.parametrize("population", list(Population))
def test_model_columns_match_the_macros(database: Database, population: Population) -> None:
    """The compiler's table of known columns names exactly the columns the macro returns."""
    described = database.connection.execute(
        f"DESCRIBE SELECT * FROM {population.macro}(DATE '2026-01-01', DATE '2026-12-31')"
    ).fetchall()
    assert {row[0] for row in described} == set(population.columns)


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_columns_and_types(database: Database, name: str) -> None:
    """Each macro returns exactly the contract's columns, in order, with their types."""
    described = database.connection.execute(
        f"DESCRIBE SELECT * FROM pop_{name}(DATE '2026-01-01', DATE '2026-12-31')"
    ).fetchall()
    assert [(row[0], row[1]) for row in described] == COLUMNS[name]


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_string_dates_work_too(database: Database, name: str) -> None:
    """A period given as ISO strings gives the same rows as one given as dates."""
    con = database.connection
    as_dates = con.execute(
        f"SELECT count(*) FROM pop_{name}(DATE '2026-01-01', DATE '2026-06-30')"
    ).fetchall()
    as_text = con.execute(f"SELECT count(*) FROM pop_{name}('2026-01-01', '2026-06-30')").fetchall()
    assert as_dates == as_text
