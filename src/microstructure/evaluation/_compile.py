"""Compile an `Indicator` to one SQL query over the population table macros and ``org``.

No SQL comes from data: column names are checked against each population's known
columns when the `Measure` is built (and quoted here all the same), operators map to
fixed SQL fragments, and every value — condition values, age-band bounds and labels,
period dates — is a named parameter bound by DuckDB.

The query of an indicator returns one row per (part, level, unit, category, by) with:
``part`` (``n`` for the numerator, ``d`` for the denominator), ``level``, ``unit`` (the
org id at that level), ``category`` (the breakdown's, or NULL for all), ``by_category``
(the indicator's own split, or NULL for all), ``value`` (the aggregate), ``row_count``
(the rows behind it: for an aggregate of a column, the rows with a value) and ``all_rows``
(every row meeting the conditions, with or without a value). Every level asked is computed in the same pass with GROUPING SETS
over the ``org`` columns; each level's figures come from its own rows (sums of counts,
medians of the underlying values), never from the figures of the level below.
"""

# ruff: noqa: S608 - SQL names come from fixed lists; every value is a bound parameter

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from microstructure.evaluation._model import (
    BOOL,
    DATE,
    LIST,
    NUMBER,
    TEXT,
    AgeBand,
    Aggregate,
    Condition,
    Dimension,
    Indicator,
    Level,
    Measure,
    Operator,
    Population,
)

__all__ = ["Query", "compile_indicator"]

#: Category of a row whose dimension is unknown (no age, no program…).
UNKNOWN = "unknown"

_COMPARISONS = {
    Operator.EQ: "=",
    Operator.NE: "<>",
    Operator.LT: "<",
    Operator.LE: "<=",
    Operator.GT: ">",
    Operator.GE: ">=",
}

_AGGREGATES = {
    Aggregate.MEAN: "avg({})",
    Aggregate.SUM: "sum({})",
    Aggregate.MEDIAN: "quantile_cont({}, 0.5)",
    Aggregate.QUARTILE_1: "quantile_cont({}, 0.25)",
    Aggregate.QUARTILE_3: "quantile_cont({}, 0.75)",
}


@attrs.frozen
class Query:
    """SQL text and its named parameters (``$p_start``, ``$p_end``, ``$v0``…)."""

    sql: str
    parameters: Mapping[str, Any]


def _quote(name: str) -> str:
    """A quoted SQL identifier (names are already checked against a fixed list)."""
    return '"' + name.replace('"', '""') + '"'


class _Parameters:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def bind(self, value: object) -> str:
        name = f"v{len(self.values)}"
        self.values[name] = value
        return "$" + name


def _bound(value: object, kind: str, params: _Parameters) -> str:
    """A placeholder for ``value``, cast to the column's kind."""
    placeholder = params.bind(value)
    cast = {DATE: "DATE", NUMBER: "DOUBLE", BOOL: "BOOLEAN"}.get(kind, "VARCHAR")
    return f"CAST({placeholder} AS {cast})"


def _list_condition(column: str, operator: Operator, values: Sequence[str]) -> str:
    if operator is Operator.IS_NULL:
        return f"({column} IS NULL OR len({column}) = 0)"
    if operator is Operator.NOT_NULL:
        return f"len({column}) > 0"
    if operator is Operator.IN:
        return f"list_has_any({column}, [{', '.join(values)}])"
    found = f"list_contains({column}, {values[0]})"
    return found if operator is Operator.EQ else f"NOT {found}"


def _condition(condition: Condition, population: Population, params: _Parameters) -> str:
    column = "p." + _quote(condition.column)
    kind = population.columns[condition.column]
    operator = condition.operator
    given = condition.value
    raw = () if given is None else given if isinstance(given, tuple) else (given,)
    values = [_bound(value, TEXT if kind == LIST else kind, params) for value in raw]
    if kind == LIST:
        return _list_condition(column, operator, values)
    if operator is Operator.IS_NULL:
        return f"{column} IS NULL"
    if operator is Operator.NOT_NULL:
        return f"{column} IS NOT NULL"
    if operator is Operator.IN:
        return f"{column} IN ({', '.join(values)})"
    return f"{column} {_COMPARISONS[operator]} {values[0]}"


def _category(dimension: Dimension, bands: Sequence[AgeBand], params: _Parameters) -> str:
    """The SQL expression of a single-valued dimension's category (never NULL)."""
    column = "p." + _quote(dimension.column)
    if dimension is not Dimension.AGE_BAND:
        return f"COALESCE(CAST({column} AS VARCHAR), '{UNKNOWN}')"
    branches = []
    for band in bands:
        low = params.bind(band.min)
        test = f"{column} >= {low}"
        if band.max is not None:
            test += f" AND {column} <= {params.bind(band.max)}"
        branches.append(f"WHEN {test} THEN CAST({params.bind(band.label)} AS VARCHAR)")
    return f"CASE {' '.join(branches)} ELSE '{UNKNOWN}' END"


def _shape(
    measure: Measure,
    part: str,
    *,
    source: str,
    levels: Sequence[Level],
    category: Dimension | None,
    by: Dimension | None,
    sets: Sequence[tuple[bool, bool]],
    bands: Sequence[AgeBand],
    params: _Parameters,
) -> str:
    """One SELECT: the measure at every level, for each of ``sets``.

    Each set says whether it splits by ``category`` and by ``by``; a dimension a set does
    not split by is rolled up (NULL). Categories are never NULL otherwise (``unknown``).
    """
    joins = [f"{source} AS p", "JOIN org AS o ON o.microstructure = p.microstructure"]
    selected = [f"o.{_quote(level.value)} AS {_quote('l_' + level.value)}" for level in levels]
    for alias, dimension in (("category", category), ("by_category", by)):
        if dimension is None:
            selected.append(f"CAST(NULL AS VARCHAR) AS {alias}")
        elif dimension.multivalued:
            joins.append(
                f"CROSS JOIN UNNEST(list_distinct(p.{_quote(dimension.column)})) "
                f"AS u_{alias}({alias})"
            )
            selected.append(f"CAST(u_{alias}.{alias} AS VARCHAR) AS {alias}")
        else:
            selected.append(f"{_category(dimension, bands, params)} AS {alias}")
    if measure.column is not None:
        selected.append(f"CAST(p.{_quote(measure.column)} AS DOUBLE) AS v")
    where = [_condition(c, measure.population, params) for c in measure.where]
    inner = (
        "SELECT "
        + ", ".join(selected)
        + " FROM "
        + " ".join(joins)
        + (" WHERE " + " AND ".join(where) if where else "")
    )
    if measure.aggregate is Aggregate.COUNT:
        value, rows = "CAST(count(*) AS DOUBLE)", "count(*)"
    else:
        value, rows = _AGGREGATES[measure.aggregate].format("v"), "count(v)"
    level_columns = [_quote("l_" + level.value) for level in levels]
    level_case = " ".join(
        f"WHEN GROUPING({c}) = 0 THEN '{level.value}'"
        for c, level in zip(level_columns, levels, strict=True)
    )
    unit_case = " ".join(f"WHEN GROUPING({c}) = 0 THEN CAST({c} AS VARCHAR)" for c in level_columns)
    nothing = "CAST(NULL AS VARCHAR)"
    category_out = "category" if any(split for split, _ in sets) else nothing
    by_out = "by_category" if any(own for _, own in sets) else nothing
    grouped = ", ".join(
        "("
        + ", ".join([c, *(["category"] if split else []), *(["by_category"] if own else [])])
        + ")"
        for c in level_columns
        for split, own in sets
    )
    return (
        f"SELECT '{part}' AS part, CASE {level_case} END AS level, "
        f"CASE {unit_case} END AS unit, {category_out} AS category, {by_out} AS by_category, "
        f"CAST({value} AS DOUBLE) AS value, CAST({rows} AS BIGINT) AS row_count, "
        "CAST(count(*) AS BIGINT) AS all_rows "
        f"FROM ({inner}) AS rows GROUP BY GROUPING SETS ({grouped})"
    )


def compile_indicator(
    indicator: Indicator,
    *,
    levels: Sequence[Level],
    breakdown: Dimension | None,
    bands: Sequence[AgeBand],
    sources: Mapping[Population, str] | None = None,
) -> Query:
    """The query computing ``indicator`` at ``levels``, with ``breakdown`` (or none).

    ``sources`` maps a population to the relation to read instead of its macro called
    with ``$p_start``/``$p_end`` (a temporary table holding its rows, for instance).
    The breakdown must be one of the indicator's dimensions (checked by the caller).
    """
    params = _Parameters()
    parts: list[str] = []
    measures = [("n", indicator.numerator)]
    if indicator.denominator is not None:
        measures.append(("d", indicator.denominator))
    for part, measure in measures:
        population = measure.population
        source = (sources or {}).get(population) or f"{population.macro}($p_start, $p_end)"
        splits_by = part == "n" or indicator.splits_denominator()
        own = indicator.by if splits_by else None
        # One scan per set of multi-valued dimensions unnested: the other splits of the
        # same rows are grouping sets of that scan.
        scans: dict[tuple[bool, bool], list[tuple[bool, bool]]] = {}
        for split in [False] if breakdown is None else [False, True]:
            for by in [False] if own is None else [False, True]:
                unnested = (
                    split and breakdown is not None and breakdown.multivalued,
                    by and own is not None and own.multivalued,
                )
                scans.setdefault(unnested, []).append((split, by))
        parts.extend(
            _shape(
                measure,
                part,
                source=source,
                levels=levels,
                category=breakdown if any(split for split, _ in sets) else None,
                by=own if any(by for _, by in sets) else None,
                sets=sets,
                bands=bands,
                params=params,
            )
            for sets in scans.values()
        )
    return Query(sql="\nUNION ALL\n".join(parts), parameters=params.values)
