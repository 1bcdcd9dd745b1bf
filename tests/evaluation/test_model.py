"""The indicator model: validation with located errors, periods, age bands, round trips."""

import itertools

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microstructure.errors import FieldError, ValidationError
from microstructure.evaluation import (
    AgeBand,
    Cell,
    Condition,
    Dimension,
    Indicator,
    Level,
    Mask,
    Measure,
    Operator,
    Population,
    ReportingPeriod,
    Table,
    Text,
    Unit,
    indicator,
    indicators,
)
from microstructure.io import from_data, to_data

TEXT = {"en": "x", "fr": "x"}


def _paths(error: ValidationError) -> list[str]:
    return [detail.path for detail in error.errors]


def test_enums_have_the_contract_values():
    """Units, levels, dimensions, aggregates, populations and operators use EVAL.md's codes."""
    assert [u.value for u in Unit] == [
        "count",
        "percent",
        "per-patient",
        "per-meeting",
        "days",
        "years",
        "points",
        "euros",
        "ratio",
    ]
    assert [lv.value for lv in Level] == ["microstructure", "network", "region", "nation"]
    assert {d.value for d in Dimension} == {
        "sex",
        "age-band",
        "indication",
        "substance",
        "program",
        "role",
        "exit-reason",
        "instrument",
    }
    assert [p.macro for p in Population] == [
        "pop_active_patients",
        "pop_inclusions",
        "pop_exits",
        "pop_consultations",
        "pop_rcp_meetings",
        "pop_rcp_expected",
        "pop_retention",
        "pop_score_changes",
        "pop_presence_weeks",
    ]
    assert {o.value for o in Operator} == {
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
        "in",
        "is-null",
        "not-null",
    }
    assert [m.value for m in Mask] == ["primary", "secondary", "derived"]


def test_unknown_condition_column_is_located_under_the_indicator():
    """A condition on a column the population lacks is reported at its full path."""
    data = to_data(indicator("missed-consultations"))
    data["numerator"]["where"][0]["column"] = "colour"
    with pytest.raises(ValidationError) as caught:
        from_data(Indicator, data)
    assert _paths(caught.value) == ["$.numerator.where[0].column"]
    assert "colour" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"population": "patients"}, "$.numerator.population"),
        ({"aggregate": "mode"}, "$.numerator.aggregate"),
        ({"aggregate": "sum", "column": "sex"}, "$.numerator.column"),
        ({"aggregate": "mean"}, "$.numerator.column"),
        ({"column": "age"}, "$.numerator.column"),
        (
            {"where": [{"column": "sex", "operator": "lt", "value": "x"}]},
            "$.numerator.where[0].operator",
        ),
        (
            {"where": [{"column": "sex", "operator": "eq", "value": "woman"}]},
            "$.numerator.where[0].value",
        ),
        (
            {"where": [{"column": "age", "operator": "ge", "value": "18"}]},
            "$.numerator.where[0].value",
        ),
        (
            {"where": [{"column": "age", "operator": "in", "value": 18}]},
            "$.numerator.where[0].value",
        ),
        (
            {"where": [{"column": "age", "operator": "is-null", "value": 1}]},
            "$.numerator.where[0].value",
        ),
        (
            {"where": [{"column": "age", "operator": "like", "value": 1}]},
            "$.numerator.where[0].operator",
        ),
        (
            {"where": [{"column": "age; drop", "operator": "eq", "value": 1}]},
            "$.numerator.where[0].column",
        ),
        ({"sql": "select 1"}, "$.numerator.sql"),
    ],
)
def test_bad_measures_are_located(change, path):
    """Unknown populations, columns, operators, values and keys are errors at their path."""
    data = to_data(indicator("active-file"))
    data["numerator"].update(change)
    with pytest.raises(ValidationError) as caught:
        from_data(Indicator, data)
    assert path in _paths(caught.value)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"by": "colour"}, "$.by"),
        ({"by": "role"}, "$.by"),
        ({"dimensions": ["sex", "role"]}, "$.dimensions[1]"),
        ({"dimensions": ["sex", "sex"]}, "$.dimensions"),
        ({"unit": "furlongs"}, "$.unit"),
        ({"scale": 0}, "$.scale"),
        ({"id": "no spaces"}, "$.id"),
    ],
)
def test_bad_indicators_are_located(change, path):
    """An unknown or unavailable dimension, unit or id is an error at its path."""
    data = to_data(indicator("active-file"))
    data.update(change)
    with pytest.raises(ValidationError) as caught:
        from_data(Indicator, data)
    assert path in _paths(caught.value)


def test_breakdowns_must_exist_in_both_populations():
    """A breakdown of a ratio must be a column of the numerator's and the denominator's rows."""
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(indicator("rcp-held"), dimensions=(Dimension.SEX,))
    assert _paths(caught.value) == ["$.dimensions[0]"]


def test_percent_scales_by_100_by_default():
    """A percentage's scale defaults to 100, any other unit's to 1."""
    measure = Measure(Population.ACTIVE_PATIENTS)
    share = Indicator(
        id="x", title=Text("x", "x"), description=Text("x", "x"), unit=Unit.PERCENT,
        numerator=measure, denominator=measure,
    )  # fmt: skip
    assert share.scale == 100
    assert attrs.evolve(share, unit=Unit.RATIO, scale=1).scale == 1
    assert from_data(Indicator, to_data(share) | {"unit": "count", "scale": 1}).scale == 1


def test_condition_values_follow_the_operator():
    """``in`` takes a list, ``is-null`` none, the others one value."""
    assert Condition("status", Operator.IN, ["held"]).value == ("held",)
    with pytest.raises(FieldError):
        Condition("status", Operator.EQ, ("held",))
    with pytest.raises(FieldError):
        Condition("status", Operator.IN, "held")
    with pytest.raises(FieldError):
        Condition("status", Operator.NOT_NULL, "held")
    with pytest.raises(FieldError):
        Condition("status", Operator.EQ, float("nan"))


def test_every_shipped_indicator_round_trips():
    """Each shipped indicator survives to_data then from_data unchanged."""
    for item in indicators().values():
        assert from_data(Indicator, to_data(item)) == item


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", "2026-01-01", "2026-12-31"),
        ("2026-Q1", "2026-01-01", "2026-03-31"),
        ("2024-Q4", "2024-10-01", "2024-12-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2026-01-15/2026-03-10", "2026-01-15", "2026-03-10"),
    ],
)
def test_periods_parse(text, start, end):
    """Each written form gives its inclusive dates and keeps its label."""
    period = ReportingPeriod.parse(text)
    assert (period.start.isoformat(), period.end.isoformat(), period.label) == (start, end, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "26",
        "2026-Q5",
        "2026-13",
        "2026-00",
        "2026-02-30/2026-03-01",
        "2026-03-01/2026-02-01",
        "2026-W01",
        None,
        2026,
    ],
)
def test_bad_periods_are_field_errors(text):
    """A period that is not one of the four forms is a FieldError at $.period or $.end."""
    with pytest.raises(FieldError):
        ReportingPeriod.parse(text)


@given(
    st.dates(min_value=pendulum.date(1990, 1, 1), max_value=pendulum.date(2100, 1, 1)),
    st.integers(0, 800),
)
def test_months_tile_the_period(start, days):
    """The months of a period are contiguous, inside it, and cover it exactly."""
    first = pendulum.date(start.year, start.month, start.day)
    period = ReportingPeriod.custom(first, first.add(days=days))
    months = period.months()
    assert months[0].start == period.start
    assert months[-1].end == period.end
    for before, after in itertools.pairwise(months):
        assert before.end.add(days=1) == after.start
    assert all(m.start.month == m.end.month and m.start.year == m.end.year for m in months)


def test_age_bands_validate():
    """A band whose maximum is below its minimum is a FieldError at $.max."""
    with pytest.raises(FieldError) as caught:
        AgeBand("x", 30, 20)
    assert _paths(caught.value) == ["$.max"]
    assert AgeBand("65+", 65).holds(120)


def test_cells_and_tables():
    """A Table sorts its cells (totals first) and finds one cell by its coordinates."""
    cells = [
        Cell(indicator="exits", period="2026", level=Level.NETWORK, unit="n", by=by, count=c)
        for by, c in (("moved", 1), (None, 3), ("death", 2))
    ]
    table = Table(cells=cells, indicators=[indicator("exits")], periods=[], levels=[Level.NETWORK])
    assert [c.by for c in table.cells] == [None, "death", "moved"]
    assert table.cell("exits", "n", by="death").count == 2
    assert from_data(Table, to_data(table)) == table
    with pytest.raises(FieldError):
        Cell(indicator="x", period="2026", level=Level.NETWORK, unit="n", count=-1)
    with pytest.raises(FieldError):
        Cell(indicator="x", period="2026", level=Level.NETWORK, unit="n", value=float("inf"))
