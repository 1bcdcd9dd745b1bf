"""Every shipped indicator, computed by the engine, equals the plain-Python oracle's figure.

The oracle (`tests/evaluation/oracle.py`) is written from the definitions of the
contract, without DuckDB and without the engine's code. It is first checked by hand on a
small pathway, then compared with `microstructure.evaluation.compute` on generated care
files with duplicates and corrections (the bundled national teams: two networks, two
regions):

- three seeds over 2026, the year and its second quarter, at the microstructure, network
  and nation levels, with no breakdown and by sex and by age band;
- 2023-07 to 2024-06, across the end of the experiments (programs with and without a
  forfait), a quarter and a custom half-year, at the microstructure and region levels, by
  program;
- without a schedule (expected RCPs and presence weeks from programs and the calendar).

Counts are compared exactly, means, medians and ratios with `math.isclose`.
"""

from __future__ import annotations

import decimal
import functools
import math
import random
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.evaluation import oracle
from tests.records import helpers as h

from microstructure.examples import example_national
from microstructure.io import to_data
from microstructure.programs import program, programs
from microstructure.records import Consultation, ConsultationStatus, write_records
from microstructure.scheduling import example_schedule
from microstructure.synthetic import generate

TEAMS = example_national()
YEAR = (pendulum.date(2026, 1, 1), pendulum.date(2026, 12, 31))
#: Droit commun has no published forfait; the comparison gives it one, as a network would.
FORFAIT = attrs.evolve(program("droit-commun"), annual_forfait_per_patient=decimal.Decimal(480))
LEVELS = ("microstructure", "network", "nation")
BREAKDOWNS = (None, "sex", "age-band")
PERIODS = ("2026", "2026-Q2")


# -- the oracle on its own -------------------------------------------------------------


@given(st.lists(st.integers(-50, 400), min_size=1, max_size=40), st.sampled_from((0.25, 0.5, 0.75)))
def test_quantile_is_duckdbs_quantile_cont(values, q):
    """The oracle's quantile is DuckDB's quantile_cont (and median) on the same values."""
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE t(x INTEGER)")
    con.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
    expected, median = con.execute(f"SELECT quantile_cont(x, {q}), median(x) FROM t").fetchall()[0]  # noqa: S608
    ours, middle = oracle.quantile_cont(values, q), oracle.quantile_cont(values, 0.5)
    assert ours is not None
    assert middle is not None
    assert math.isclose(expected, ours, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(median, middle, rel_tol=1e-12, abs_tol=1e-12)


def _by_hand() -> list[Any]:
    """Two patients of ms-neudorf in 2026, every figure countable on one's fingers."""
    other = h.OTHER
    return [
        *h.pathway(),  # referred 5 Jan, included 12 Jan, psy held 19 Jan, RCP 12 Feb, exit 1 Jun
        h.consultation(id="c-a2", start=pendulum.datetime(2026, 1, 20, 9, tz="Europe/Paris"),
                       professional="ts-strasbourg", role="social-worker", status="missed"),
        h.consultation(id="c-a3", start=pendulum.datetime(2026, 4, 21, 9, tz="Europe/Paris"),
                       professional="ts-strasbourg", role="social-worker"),
        # a correction: the missed consultation was in fact cancelled by the patient
        h.consultation(id="c-a2", start=pendulum.datetime(2026, 1, 20, 9, tz="Europe/Paris"),
                       professional="ts-strasbourg", role="social-worker",
                       status="cancelled-by-patient", recorded_at=h.STAMP.add(days=1)),
        h.patient(other, birth_year=1950, sex="male"),
        h.referral(other, date=h.day(3, 2), indications=["mental-health"], substances=[]),
        h.assessment(other, date=h.day(3, 9), instrument="phq-9", answers=None, total=18),
        h.inclusion(other, date=h.day(3, 9)),
        h.consultation(other, start=pendulum.datetime(2026, 3, 23, 9, tz="Europe/Paris")),
        h.assessment(other, id="as-b2", date=h.day(5, 4), instrument="phq-9",
                     stage="follow-up", answers=None, total=16),
        h.assessment(other, id="as-b3", date=h.day(9, 14), instrument="phq-9",
                     stage="follow-up", answers=None, total=9),
        h.consultation(other, id="c-b2", start=pendulum.datetime(2026, 9, 14, 9, tz="Europe/Paris"),
                       status="missed"),
    ]  # fmt: skip


def test_oracle_counts_a_pathway_by_hand():
    """On two hand-made pathways the oracle finds the figures counted by hand."""
    pops = oracle.populations(_by_hand(), TEAMS, *YEAR, thresholds={"phq-9": 5})
    org = oracle.organisation(TEAMS)

    def total(indicator: str) -> oracle.Figures:
        return oracle.figures(indicator, pops, org, level="nation")["FR", None, None]

    assert total("active-file").value == 2
    assert total("new-inclusions").value == 2
    assert total("exits").value == 1
    # held: 19 Jan and 21 Apr (first patient), 23 Mar (second); the correction cancels one
    assert (
        total("consultations-per-patient").numerator,
        total("consultations-per-patient").value,
    ) == (3, 1.5)
    assert total("missed-consultations").value == 25  # 1 missed of 4 held or missed
    assert total("multiprofessional-follow-up").value == 50  # psychologist and social worker
    assert total("patients-discussed-at-rcp").value == 50
    assert total("cases-per-rcp").value == 1
    assert total("rcp-held").denominator == 12 * 4  # a month each, four microstructures
    # referral 5 Jan -> first held 19 Jan: 14 days; 2 Mar -> 23 Mar: 21 days
    assert [total(f"days-to-first-consultation-{q}").value for q in ("q1", "median", "q3")] == [
        15.75,
        17.5,
        19.25,
    ]
    assert total("retention-3-months").value == 100  # 12 Apr and 9 Jun, exit 1 Jun
    assert total("retention-6-months").value == 50  # 12 Jul after the exit; 9 Sep retained
    assert total("share-of-women").value == 50
    assert total("sex-ratio").value == 1
    assert total("mean-age").value == (46 + 76) / 2
    # the follow-up closest to 9 Sep within 9 Jul - 9 Nov: 14 Sep, 18 -> 9
    assert total("score-change").value == -9
    assert total("score-improvement").value == 100
    indications = oracle.figures("indications", pops, org, level="nation")
    assert indications["FR", None, "mental-health"].value == 50
    assert total("forfait-cost").value is None  # droit commun has no forfait
    without = oracle.figures("psychologist-presence", pops, org, level="microstructure")
    # every ISO week whose Thursday is in 2026 (53: 1 Jan is a Thursday); 2 with a held one
    assert (
        without["ms-neudorf", None, None].numerator,
        without["ms-neudorf", None, None].denominator,
    ) == (2, 53)
    by_sex = oracle.figures("active-file", pops, org, level="network", breakdown="sex")
    assert by_sex["reseau-alsace", "male", None].value == 1
    assert by_sex["reseau-alsace", "female", None].value == 1


# -- the engine against the oracle ------------------------------------------------------


def _evaluation() -> Any:
    from microstructure import evaluation

    if not all(hasattr(evaluation, name) for name in ("Database", "compute", "indicators")):
        pytest.skip("microstructure.evaluation.compute is not on this branch yet")
    return evaluation


def _corrected(events: list[Any], seed: int) -> list[Any]:
    """The events with some sent twice and some corrected later (another status)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    out = list(events)
    for event in events:
        if isinstance(event, Consultation) and rng.random() < 0.03:
            status = rng.choice(list(ConsultationStatus))
            out.append(
                attrs.evolve(event, status=status, recorded_at=event.recorded_at.add(days=2))
            )
        elif rng.random() < 0.01:
            out.append(event)
    return out


@attrs.frozen
class Scenario:
    """A generated care file and what to compute on it."""

    seed: int
    scheduled: bool = True
    periods: tuple[str, ...] = PERIODS
    levels: tuple[str, ...] = LEVELS
    breakdowns: tuple[str | None, ...] = BREAKDOWNS
    start: pendulum.Date | None = None
    end: pendulum.Date | None = None

    def schedule(self) -> Any:
        """The bundled schedule, its rules starting early enough for the scenario."""
        if not self.scheduled:
            return None
        schedule = example_schedule()
        if self.start is None:
            return schedule
        first = self.start
        return attrs.evolve(schedule, schedules=tuple(
            attrs.evolve(team, rules=tuple(attrs.evolve(r, valid_from=first) for r in team.rules))
            for team in schedule.schedules
        ))  # fmt: skip


#: 2023-07 to 2024-06: Equip'addict and santé mentale end, droit commun begins (programs
#: with and without a forfait), at the region level, by program, and a custom period.
PROGRAMS = Scenario(
    seed=5,
    periods=("2023-Q4", "2024-01-01/2024-06-30"),
    levels=("microstructure", "region"),
    breakdowns=(None, "program"),
    start=pendulum.date(2023, 7, 1),
    end=pendulum.date(2024, 6, 30),
)


@functools.cache
def _scenario(scenario: Scenario) -> tuple[Path, list[Any]]:
    """A generated care file with duplicates and corrections, written once per session."""
    generated = generate(patients=300, seed=scenario.seed, schedule=scenario.schedule(),
                         start=scenario.start, end=scenario.end)  # fmt: skip
    events = _corrected(list(generated), scenario.seed)
    folder = Path(tempfile.mkdtemp(prefix="oracle-"))
    path = folder / "care.jsonl"
    write_records(path, events)
    return path, events


def _thresholds(evaluation: Any) -> dict[str, float]:
    return {k: float(v.points) for k, v in evaluation.improvement_thresholds().items()}


def _bands(evaluation: Any) -> list[tuple[str, int, int | None]]:
    return [(b.label, b.min, b.max) for b in evaluation.age_bands()]


@functools.cache
def _compared(scenario: Scenario) -> dict[str, list[str]]:
    """Per indicator, every disagreement between the engine and the oracle (empty: agree)."""
    evaluation = _evaluation()
    path, events = _scenario(scenario)
    schedule = scenario.schedule()
    table_of_programs = {**programs(), FORFAIT.id: FORFAIT}
    with evaluation.Database(TEAMS, schedule=schedule, programs=table_of_programs) as db:
        db.add_records(path)
        table = evaluation.compute(db, periods=scenario.periods, levels=scenario.levels,
                                   breakdowns=scenario.breakdowns)  # fmt: skip
    got: dict[tuple[str | None, ...], Any] = {}
    for cell in table.cells:
        key = (cell.indicator, cell.period, str(cell.level), cell.unit,
               None if cell.breakdown is None else str(cell.breakdown), cell.category, cell.by)  # fmt: skip
        got[key] = cell
    org = oracle.organisation(TEAMS)
    problems: dict[str, list[str]] = {name: [] for name in oracle.CATALOGUE}
    seen: set[tuple[str | None, ...]] = set()
    for period in table.periods:
        pops = oracle.populations(
            events, TEAMS, period.start, period.end, schedule=schedule,
            program_table=table_of_programs, thresholds=_thresholds(evaluation),
        )  # fmt: skip
        for name in oracle.CATALOGUE:
            for level in scenario.levels:
                for breakdown in scenario.breakdowns:
                    if breakdown is not None and not _allowed(evaluation, name, breakdown):
                        continue
                    expected = oracle.figures(name, pops, org, level=level, breakdown=breakdown,
                                              bands=_bands(evaluation))  # fmt: skip
                    for (unit, category, by), figures in expected.items():
                        key = (name, period.label, level, unit, breakdown, category, by)
                        seen.add(key)
                        problems[name] += _differences(key, figures, got.get(key))
    for listed, cell in got.items():
        # a known category with no row: count 0 (its denominator may be the total's)
        if listed not in seen and cell.indicator in problems and (cell.count or cell.numerator):
            problems[cell.indicator].append(
                f"{listed}: engine has count {cell.count}, numerator {cell.numerator}, "
                "oracle no row"
            )
    return problems


def _allowed(evaluation: Any, name: str, breakdown: str) -> bool:
    return breakdown in {str(d) for d in evaluation.indicator(name).dimensions}


def _same(ours: float | None, theirs: float | None) -> bool:
    if ours is None or theirs is None:
        return ours == theirs
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-9)


def _differences(key: tuple[Any, ...], expected: oracle.Figures, cell: Any) -> list[str]:
    if cell is None:
        if expected.count == 0 and not expected.denominator_count:
            return []  # a category with no row: the engine need not emit it
        return [f"{key}: no cell; oracle {expected}"]
    found = []
    if cell.count != expected.count:
        found.append(f"{key}: count {cell.count} != oracle {expected.count}")
    if (
        expected.denominator_count is not None
        and cell.denominator_count != expected.denominator_count
    ):
        found.append(
            f"{key}: denominator_count {cell.denominator_count} != oracle {expected.denominator_count}"
        )
    for name in ("numerator", "denominator", "value"):
        mine, theirs = getattr(expected, name), getattr(cell, name)
        if not _same(mine, theirs):
            found.append(f"{key}: {name} {theirs} != oracle {mine}")
    return found


SEEDS = (1, 2, 3)


@pytest.mark.parametrize("indicator", sorted(oracle.CATALOGUE))
@pytest.mark.parametrize("seed", SEEDS)
def test_engine_agrees_with_oracle(seed, indicator):
    """The engine's cells of one indicator equal the oracle's, at three levels, by sex and age band."""
    problems = _compared(Scenario(seed))[indicator]
    assert problems == [], "\n".join(problems[:20])


@pytest.mark.parametrize("indicator", sorted(oracle.CATALOGUE))
def test_engine_agrees_across_programs(indicator):
    """Across the end of the experiments: by program, at the region level, a custom period."""
    problems = _compared(PROGRAMS)[indicator]
    assert problems == [], "\n".join(problems[:20])


@pytest.mark.parametrize(
    "indicator", ["rcp-held", "psychologist-presence", "social-worker-presence"]
)
def test_engine_agrees_without_a_schedule(indicator):
    """Without a schedule, expected RCPs and presence weeks follow the programs and the calendar."""
    problems = _compared(Scenario(4, scheduled=False))[indicator]
    assert problems == [], "\n".join(problems[:20])


def test_the_catalogue_is_the_oracles():
    """The oracle covers every shipped indicator, and nothing else."""
    evaluation = _evaluation()
    assert sorted(evaluation.indicators()) == sorted(oracle.CATALOGUE)


def test_generated_files_exercise_every_population():
    """The generated scenario has rows in every population, so no comparison is vacuous."""
    _, events = _scenario(Scenario(1))
    pops = oracle.populations(events, TEAMS, *YEAR, schedule=example_schedule(),
                              program_table={FORFAIT.id: FORFAIT}, thresholds={"phq-9": 5})  # fmt: skip
    assert {name: bool(rows) for name, rows in pops.items()} == dict.fromkeys(pops, True)
    statuses = {row["status"] for row in pops["consultations"]}
    assert {"held", "missed"} <= statuses
    assert {row["retained"] for row in pops["retention"]} == {True, False}
    assert any(row["improved"] for row in pops["score_changes"])
    assert to_data(FORFAIT)["annual_forfait_per_patient"] == "480"


def test_compute_leaves_no_temporary_table():
    """The helper rows compute keeps for one call are dropped after it: views read again."""
    evaluation = _evaluation()
    path, _ = _scenario(Scenario(1))
    with evaluation.Database(TEAMS) as db:
        db.add_records(path)
        con = db.connection
        listing = "SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY ALL"
        tables = con.execute(listing).fetchall()
        rows = con.execute("SELECT count(*) FROM ms_consultations").fetchone()
        evaluation.compute(db, ["active-file"], periods=["2026-Q1"])
        assert con.execute(listing).fetchall() == tables
        assert con.execute("SELECT count(*) FROM ms_consultations").fetchone() == rows
        assert "ms_consultations" not in {name for (name,) in tables}


def test_a_file_with_every_line_twice_gives_the_same_figures(tmp_path):
    """Every event sent twice (assessments included) is one event: same figures as once."""
    evaluation = _evaluation()
    events = list(generate(patients=40, seed=8))
    once, twice = tmp_path / "once.jsonl", tmp_path / "twice.jsonl"
    write_records(once, events)
    write_records(twice, [e for event in events for e in (event, event)])
    tables = []
    for path in (once, twice):
        with evaluation.Database(TEAMS) as db:
            db.add_records(path)
            tables.append(evaluation.compute(db, periods=["2026"]).cells)
    assert tables[0] == tables[1]
    assert any(cell.count for cell in tables[0])
