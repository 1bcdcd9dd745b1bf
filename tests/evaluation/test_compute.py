"""compute: cells per level, period and breakdown, sums up the levels, medians from values."""

import statistics
from collections import defaultdict
from typing import Any

import attrs
import pytest

from microstructure.errors import ConfigurationError, FieldError, MicrostructureError, NotFoundError
from microstructure.evaluation import (
    Condition,
    Database,
    Dimension,
    Level,
    Measure,
    Operator,
    Population,
    age_bands,
    compute,
    indicator,
    indicators,
    load_indicators,
)
from microstructure.examples import example_national
from microstructure.records import write_records
from microstructure.synthetic import generate
from microstructure.vocabulary import Sex

LEVELS = ["microstructure", "network", "region", "nation"]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A store holding a generated care file of the example national teams."""
    path = tmp_path_factory.mktemp("records") / "records.jsonl"
    write_records(path, generate(patients=150, seed=11))
    with Database(example_national()) as db:
        db.add_records(path)
        yield db


@pytest.fixture(scope="module")
def table(database):
    """The whole catalogue for 2026 and its second quarter, at every level, by sex and indication."""
    return compute(
        database, periods=["2026", "2026-Q2"], levels=LEVELS, breakdowns=[None, "sex", "indication"]
    )


def _org(database: Database) -> dict[str, dict[str, str]]:
    rows = database.connection.execute(
        "SELECT microstructure, network, region, nation FROM org"
    ).fetchall()
    return {row[0]: dict(zip(LEVELS, row, strict=True)) for row in rows}


def test_every_indicator_and_unit_has_a_total(table, database):
    """Each indicator, period and level has a total cell at every unit of the team file."""
    org = _org(database)
    for item in indicators().values():
        for period in ("2026", "2026-Q2"):
            for level in LEVELS:
                units = {
                    c.unit
                    for c in table.select(
                        item.id, period=period, level=level, breakdown=None, category=None, by=None
                    )
                }
                assert units == {row[level] for row in org.values()}, (item.id, level)


def test_counts_add_up_the_levels(table, database):
    """Counts and denominators of a unit are the sums of those of its units below, never averaged ratios."""
    org = _org(database)
    for item in indicators().values():
        cells = table.select(item.id, period="2026", breakdown=None, category=None, by=None)
        by_unit = {(c.level.value, c.unit): c for c in cells}
        for upper in LEVELS[1:]:
            sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for ms, row in org.items():
                cell = by_unit[("microstructure", ms)]
                sums[row[upper]][0] += cell.count
                sums[row[upper]][1] += cell.denominator_count or 0
            for unit, (count, denominator) in sums.items():
                cell = by_unit[(upper, unit)]
                assert cell.count == count, (item.id, upper, unit)
                assert (cell.denominator_count or 0) == denominator, (item.id, upper, unit)
                if cell.denominator:
                    assert cell.value == pytest.approx(
                        cell.numerator / cell.denominator * item.scale
                    )


def test_medians_come_from_the_values(table, database):
    """A network's median is the median of its rows' values, not a mean of its microstructures' medians."""
    rows = database.connection.execute(
        "SELECT o.network, p.days_to_first_consultation FROM pop_inclusions('2026-01-01', '2026-12-31') p "
        "JOIN org o USING (microstructure) WHERE p.days_to_first_consultation IS NOT NULL"
    ).fetchall()
    values = defaultdict(list)
    for network, days in rows:
        values[network].append(days)
    assert values
    for network, days in values.items():
        cell = table.cell(
            "days-to-first-consultation-median", network, period="2026", level="network"
        )
        assert cell.value == pytest.approx(statistics.median(days))
        q1, _, q3 = statistics.quantiles(days, n=4, method="inclusive")
        assert table.cell(
            "days-to-first-consultation-q1", network, period="2026", level="network"
        ).value == pytest.approx(q1)
        assert table.cell(
            "days-to-first-consultation-q3", network, period="2026", level="network"
        ).value == pytest.approx(q3)
        assert cell.count == len(days)


def test_single_valued_categories_are_complete_and_add_up(table):
    """Every sex appears at every unit, and the sexes' counts add up to the total."""
    totals = table.select("active-file", period="2026", breakdown="sex", category=None)
    assert totals
    for total in totals:
        parts = [
            c
            for c in table.select(
                "active-file", total.unit, period="2026", level=total.level, breakdown="sex"
            )
            if c.category is not None
        ]
        assert sorted(c.category for c in parts) == sorted(s.value for s in Sex)
        assert sum(c.count for c in parts) == total.count


def test_multivalued_categories_count_each_patient_in_each(table):
    """Indication categories may add up to more than the total, never less than any one of them."""
    for total in table.select(
        "active-file", period="2026", level="nation", breakdown="indication", category=None
    ):
        parts = [
            c
            for c in table.select("active-file", "FR", period="2026", breakdown="indication")
            if c.category
        ]
        assert sum(c.count for c in parts) >= total.count
        assert all(c.count <= total.count for c in parts)


def test_by_splits_and_crosses_with_the_breakdown(table):
    """Exits come by reason, by sex, and by reason × sex, all adding up."""
    total = table.cell("exits", "FR", period="2026", level="nation")
    reasons = [
        c for c in table.select("exits", "FR", period="2026", breakdown=None, category=None) if c.by
    ]
    assert sum(c.count for c in reasons) == total.count
    crossed = [
        c
        for c in table.select("exits", "FR", period="2026", breakdown="sex")
        if c.by and c.category
    ]
    assert sum(c.count for c in crossed) == total.count
    assert len(crossed) == len(reasons) * len(Sex)


def test_by_share_keeps_the_whole_denominator(table):
    """Each indication's share divides by all active patients; each role's rate by all active patients."""
    active = table.cell("active-file", "FR", period="2026", level="nation").count
    for name in ("indications", "consultations-per-patient"):
        split = [
            c
            for c in table.select(name, "FR", period="2026", breakdown=None, category=None)
            if c.by
        ]
        assert split
        assert {c.denominator_count for c in split} == {active}


def test_breakdowns_skip_indicators_that_do_not_allow_them(table):
    """RCP and presence indicators have no sex breakdown; the others do."""
    assert table.select("rcp-held", breakdown="sex") == ()
    assert table.select("active-file", breakdown="sex")


def test_quarter_is_within_the_year(table):
    """A quarter's new inclusions are no more than the year's, unit by unit."""
    for cell in table.select("new-inclusions", period="2026-Q2", breakdown=None):
        year = table.cell("new-inclusions", cell.unit, period="2026", level=cell.level)
        assert cell.count <= year.count


def test_hostile_values_are_bound_not_spliced(database):
    """A condition value that looks like SQL is only a value: nothing matches, the org table stays."""
    hostile = "x'); DROP TABLE org; --"
    mine = load_indicators(
        {
            "indicators": [
                {
                    "id": "by-professional",
                    "title": {"en": "x", "fr": "x"},
                    "description": {"en": "x", "fr": "x"},
                    "unit": "count",
                    "numerator": {
                        "population": "consultations",
                        "where": [
                            {"column": "professional", "operator": "in", "value": [hostile, "y"]}
                        ],
                    },
                }
            ]
        }
    )
    table = compute(database, mine, periods=["2026"])
    assert {c.count for c in table.cells} == {0}
    assert database.connection.execute("SELECT count(*) FROM org").fetchall()[0][0] > 0


def test_network_indicator_as_data(database, table):
    """A network's own ratio computes like a shipped one; the same definition gives the same figures."""
    ours = attrs.evolve(indicator("missed-consultations"), id="our-missed")
    theirs = compute(database, [ours], periods=["2026"], levels=["nation"])
    shipped = table.cell("missed-consultations", "FR", period="2026", level="nation")
    assert theirs.cell("our-missed", "FR").value == shipped.value
    video = attrs.evolve(
        ours,
        id="video",
        numerator=Measure(
            Population.CONSULTATIONS, where=(Condition("mode", Operator.EQ, "video"),)
        ),
    )
    cell = compute(database, [video], periods=["2026"], levels=["nation"]).cell("video", "FR")
    count = database.connection.execute(
        "SELECT count(*) FROM pop_consultations('2026-01-01', '2026-12-31') WHERE mode = 'video'"
    ).fetchall()[0][0]
    assert cell.count == count


def test_progress_counts_every_query(database):
    """progress(done, total) is called once per indicator, period and breakdown, ending at total."""
    calls = []
    compute(
        database,
        ["active-file", "rcp-held"],
        periods=["2026-01", "2026-02"],
        breakdowns=[None, "sex"],
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(i, 6) for i in range(1, 7)]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"indicators": ["no-such-indicator"]}, NotFoundError),
        ({"indicators": "active-file"}, FieldError),
        ({"indicators": []}, FieldError),
        ({"periods": "2026"}, FieldError),
        ({"periods": ["2026-13"]}, FieldError),
        ({"periods": []}, FieldError),
        ({"levels": ["department"]}, FieldError),
        ({"levels": "network"}, FieldError),
        ({"breakdowns": ["role"]}, FieldError),
        ({"breakdowns": ["colour"]}, FieldError),
        ({"breakdowns": []}, FieldError),
        ({"progress": 3}, FieldError),
    ],
)
def test_bad_arguments_are_located_errors(database, arguments, error):
    """Each bad argument is a MicrostructureError of the expected kind."""
    given = {"periods": ["2026"]} | arguments
    with pytest.raises(error):
        compute(database, **given)


def test_not_a_database_is_a_field_error():
    """Compute needs a Database."""
    with pytest.raises(FieldError, match="database"):
        compute("network.duckdb", periods=["2026"])  # type: ignore[arg-type]


def test_duckdb_errors_are_wrapped():
    """A store whose macro is gone gives a ConfigurationError, not a raw DuckDB error."""
    with Database(example_national()) as db:
        db.connection.execute("DROP MACRO TABLE pop_exits")
        with pytest.raises(ConfigurationError, match="cannot compute"):
            compute(db, ["exits"], periods=["2026"])
        assert compute(db, ["active-file"], periods=["2026"]).cells


def test_table_records_what_was_asked(table):
    """The table keeps the indicators, periods and levels in the order asked."""
    assert [i.id for i in table.indicators] == list(indicators())
    assert [p.label for p in table.periods] == ["2026", "2026-Q2"]
    assert [lv.value for lv in table.levels] == LEVELS
    assert all(isinstance(c.breakdown, Dimension | None) for c in table.cells)
    assert list(table.cells) == sorted(table.cells, key=lambda c: c.sort_key)


def test_errors_are_microstructure_errors(database):
    """A level given as a number is still a library error."""
    with pytest.raises(MicrostructureError):
        compute(database, periods=["2026"], levels=[Level.NETWORK, 3])  # type: ignore[list-item]


def test_by_category_seen_only_in_the_denominator_gets_a_cell():
    """An instrument with assessments but no improvement still gets its cell, with count 0."""
    from microstructure.evaluation._compute import _cells
    from microstructure.evaluation._model import ReportingPeriod

    rows = [
        ("d", "nation", "FR", None, None, 1.0, 1, 1),
        ("d", "nation", "FR", None, "phq-9", 1.0, 1, 1),
        ("n", "nation", "FR", None, None, 0.0, 0, 0),
    ]
    cells = _cells(
        indicator("score-improvement"),
        period=ReportingPeriod.year(2026),
        breakdown=None,
        levels=[Level.NATION],
        units={Level.NATION: ["FR"]},
        known={Dimension.INSTRUMENT: []},
        rows=rows,
    )
    phq9 = next(c for c in cells if c.by == "phq-9")
    assert (phq9.count, phq9.denominator_count, phq9.value) == (0, 1, 0.0)


def test_compute_leaves_no_temporary_tables(database):
    """The population rows and view snapshots of a computation are dropped afterwards."""
    query = "SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY 1"
    before = database.connection.execute(query).fetchall()
    compute(database, ["active-file", "score-change"], periods=["2026"])
    assert database.connection.execute(query).fetchall() == before
    views = database.connection.execute(
        "SELECT count(*) FROM duckdb_views() WHERE NOT internal"
    ).fetchall()[0][0]
    assert views > 0


def _count_where(database: Database, population: str, conditions: list[dict[str, Any]]) -> int:
    """Count an ad-hoc indicator over ``population`` at nation level."""
    item = load_indicators(
        {
            "indicators": [
                {
                    "id": "probe",
                    "title": {"en": "x", "fr": "x"},
                    "description": {"en": "x", "fr": "x"},
                    "unit": "count",
                    "numerator": {"population": population, "where": conditions},
                }
            ]
        }
    )
    count = compute(database, item, periods=["2026"], levels=["nation"]).cell("probe", "FR").count
    assert count is not None  # compute never masks: only disclose does
    return count


OPERATOR_CASES = [
    (
        {"column": "indications", "operator": "eq", "value": "addiction"},
        lambda r: "addiction" in r["indications"],
    ),
    (
        {"column": "indications", "operator": "ne", "value": "addiction"},
        lambda r: "addiction" not in r["indications"],
    ),
    (
        {"column": "substances", "operator": "in", "value": ["alcohol", "cannabis"]},
        lambda r: bool({"alcohol", "cannabis"} & set(r["substances"])),
    ),
    ({"column": "substances", "operator": "is-null"}, lambda r: not r["substances"]),
    ({"column": "substances", "operator": "not-null"}, lambda r: bool(r["substances"])),
    (
        {"column": "age", "operator": "lt", "value": 40},
        lambda r: r["age"] is not None and r["age"] < 40,
    ),
    (
        {"column": "age", "operator": "ge", "value": 40.5},
        lambda r: r["age"] is not None and r["age"] >= 40.5,
    ),
    ({"column": "age", "operator": "is-null"}, lambda r: r["age"] is None),
    (
        {"column": "sex", "operator": "ne", "value": "female"},
        lambda r: r["sex"] is not None and r["sex"] != "female",
    ),
    (
        {"column": "held_consultations", "operator": "in", "value": [1, 2, 3]},
        lambda r: r["held_consultations"] in {1, 2, 3},
    ),
    (
        {"column": "discussed_at_rcp", "operator": "ne", "value": True},
        lambda r: r["discussed_at_rcp"] is False,
    ),
    (
        {"column": "annual_forfait", "operator": "not-null"},
        lambda r: r["annual_forfait"] is not None,
    ),
]


@pytest.mark.parametrize(
    ("condition", "holds"), OPERATOR_CASES, ids=[str(c[0]) for c in OPERATOR_CASES]
)
def test_operators_match_their_documented_meaning(database, condition, holds):
    """Each operator selects the rows its documentation describes, checked row by row in Python."""
    cursor = database.connection.execute(
        "SELECT * FROM pop_active_patients('2026-01-01', '2026-12-31')"
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    assert rows
    assert _count_where(database, "active-patients", [condition]) == sum(
        1 for r in rows if holds(r)
    )


def test_date_conditions_compare_days(database):
    """A date column compares with an ISO date given as text."""
    cursor = database.connection.execute(
        "SELECT day FROM pop_rcp_expected('2026-01-01', '2026-12-31')"
    )
    days = [row[0].isoformat() for row in cursor.fetchall()]
    condition = {"column": "day", "operator": "le", "value": "2026-06-30"}
    assert _count_where(database, "rcp-expected", [condition]) == sum(
        d <= "2026-06-30" for d in days
    )


def test_age_bands_are_complete_and_follow_the_data(database):
    """Every age band (and unknown) appears at every unit; each patient falls in the band of their age."""
    rows = database.connection.execute(
        "SELECT age FROM pop_active_patients('2026-01-01', '2026-12-31')"
    ).fetchall()
    expected = {band.label: 0 for band in age_bands()} | {"unknown": 0}
    for (age,) in rows:
        label = next((b.label for b in age_bands() if age is not None and b.holds(age)), "unknown")
        expected[label] += 1
    cells = compute(
        database, ["active-file"], periods=["2026"], levels=["nation"], breakdowns=["age-band"]
    )
    got = {c.category: c.count for c in cells.cells if c.category is not None}
    assert got == expected


def test_a_sum_over_rows_without_values_is_unknown_and_over_no_rows_zero():
    """forfait-cost: patients whose program has no forfait cost an unknown sum, not 0 €."""
    from microstructure.evaluation._compute import _cells
    from microstructure.evaluation._model import ReportingPeriod

    rows = [  # (part, level, unit, category, by, value, rows with a value, every row)
        ("n", "nation", "FR", None, None, 528.0, 1, 3),
        ("n", "nation", "FR", None, "equip-addict", 528.0, 1, 1),
        ("n", "nation", "FR", None, "sante-mentale", None, 0, 2),
    ]
    cells = _cells(
        indicator("forfait-cost"),
        period=ReportingPeriod.year(2023),
        breakdown=None,
        levels=[Level.NATION],
        units={Level.NATION: ["FR"]},
        known={Dimension.PROGRAM: ["droit-commun", "equip-addict", "sante-mentale"]},
        rows=rows,
    )
    by = {c.by: (c.numerator, c.count) for c in cells}
    assert by == {
        None: (528.0, 1),
        "equip-addict": (528.0, 1),
        "sante-mentale": (None, 0),
        "droit-commun": (0.0, 0),
    }
