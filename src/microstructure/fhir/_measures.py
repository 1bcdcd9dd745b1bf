"""Indicators as FHIR Measures, and a published report as MeasureReports.

A MeasureReport refers to exactly one Measure and one period, so a report becomes one
MeasureReport per indicator and period; inside it, one group per unit of each level
(microstructure, network, region, nation) and one stratum per category of the
indicator's own split and of the breakdowns. A cell masked by disclosure control keeps
no figure: its counts and score carry the data-absent-reason ``masked`` and the reason
of the mask (primary, secondary, derived), never 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from microstructure.evaluation import (
    Aggregate,
    Cell,
    Condition,
    Dimension,
    Indicator,
    Level,
    Measure,
    Report,
    ReportingPeriod,
    Unit,
)
from microstructure.fhir._systems import (
    DATA_ABSENT_REASON,
    ISO_4217,
    MEASURE_POPULATION,
    MEASURE_SCORING,
    OBSERVATION_VALUE,
    UCUM,
    Ids,
    coding,
)
from microstructure.fhir._teams import TeamIndex

__all__ = ["EXPRESSION_LANGUAGE", "measure_resources", "report_resources"]

Resource = dict[str, Any]

#: The language of the population criteria: the library's own notation of a measure.
EXPRESSION_LANGUAGE = "text/x-microstructure-indicator"

# The value's unit as a Quantity: UCUM where it has one, ISO 4217 for euros.
_QUANTITY: dict[Unit, tuple[str, str, str]] = {
    Unit.COUNT: (UCUM, "1", "count"),
    Unit.PERCENT: (UCUM, "%", "%"),
    Unit.PER_PATIENT: (UCUM, "/{patient}", "per patient"),
    Unit.PER_MEETING: (UCUM, "/{meeting}", "per meeting"),
    Unit.DAYS: (UCUM, "d", "days"),
    Unit.YEARS: (UCUM, "a", "years"),
    Unit.POINTS: (UCUM, "{score}", "points"),
    Unit.EUROS: (ISO_4217, "EUR", "€"),
    Unit.RATIO: (UCUM, "1", "ratio"),
}
_OPERATORS = {
    "eq": "=",
    "ne": "≠",
    "lt": "<",
    "le": "≤",
    "gt": ">",
    "ge": "≥",
    "in": "in",
    "is-null": "is null",
    "not-null": "is not null",
}


def scoring(indicator: Indicator) -> str:
    """The FHIR measure-scoring code of an indicator.

    A percentage whose numerator counts rows of its denominator's population is a
    ``proportion``; any other quotient a ``ratio``; a count without denominator a
    ``cohort``; a sum, mean, median or quartile a ``continuous-variable``.
    """
    if indicator.denominator is not None:
        same = indicator.numerator.population is indicator.denominator.population
        counted = indicator.numerator.aggregate is Aggregate.COUNT
        return "proportion" if indicator.unit is Unit.PERCENT and same and counted else "ratio"
    return "cohort" if indicator.numerator.aggregate is Aggregate.COUNT else "continuous-variable"


def _condition(condition: Condition) -> str:
    value = condition.value
    shown = (
        ""
        if value is None
        else " (" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + ")"
        if isinstance(value, tuple)
        else " " + json.dumps(value, ensure_ascii=False)
    )
    return f"{condition.column} {_OPERATORS[condition.operator.value]}{shown}"


def _notation(measure: Measure) -> str:
    """The measure in words: ``count of consultations where status = "held"``."""
    what = (
        f"count of {measure.population.value}"
        if measure.aggregate is Aggregate.COUNT
        else f"{measure.aggregate.value} of {measure.column} over {measure.population.value}"
    )
    if measure.where:
        what += " where " + " and ".join(_condition(c) for c in measure.where)
    return what


def _population(indicator: Indicator, code: str, part: str, measure: Measure) -> Resource:
    notation = _notation(measure)
    return {
        "code": {"coding": [coding(MEASURE_POPULATION, code)]},
        "description": f"{indicator.id} {part}: {notation}",
        "criteria": {
            "description": f"The {part} of indicator {indicator.id}",
            "language": EXPRESSION_LANGUAGE,
            "expression": f"{indicator.id}.{part}: {notation}",
        },
    }


def _codes(indicator: Indicator) -> tuple[str, str | None]:
    """The measure-population codes of the numerator and the denominator."""
    kind = scoring(indicator)
    if kind in {"proportion", "ratio"}:
        return "numerator", "denominator"
    if kind == "cohort":
        return "initial-population", None
    return "measure-population", None


def _dimension(ids: Ids, dimension: Dimension) -> Resource:
    return {"coding": [coding(ids.systems["dimension"], dimension.value)]}


def _name(identifier: str) -> str:
    """A computable name (``ActiveFile``): FHIR wants a capital letter first, then letters, digits, ``_``."""
    words = identifier.replace(".", "-").replace("_", "-").split("-")
    name = "".join(word[:1].upper() + word[1:] for word in words if word)
    return name if name[:1].isalpha() else f"Indicator{name}"


def _measure(ids: Ids, indicator: Indicator) -> Resource:
    numerator, denominator = _codes(indicator)
    populations = [_population(indicator, numerator, "numerator", indicator.numerator)]
    if denominator is not None and indicator.denominator is not None:
        populations.append(
            _population(indicator, denominator, "denominator", indicator.denominator)
        )
    splits = ([indicator.by] if indicator.by is not None else []) + list(indicator.dimensions)
    stratifiers = [
        {
            "code": _dimension(ids, dimension),
            "description": (
                f"{indicator.id} by {dimension.value}"
                + (" (the indicator's own split)" if dimension is indicator.by else "")
            ),
            "criteria": {
                "language": EXPRESSION_LANGUAGE,
                "expression": f"{indicator.id} by {dimension.value}",
            },
        }
        for dimension in splits
    ]
    _, _, unit_label = _QUANTITY[indicator.unit]
    scale = "" if indicator.scale == 1 else f" × {indicator.scale}"
    group: Resource = {
        "description": f"Value in {unit_label}: numerator / denominator{scale}"
        if indicator.denominator is not None
        else f"Value in {unit_label}: the numerator",
        "population": populations,
    }
    if stratifiers:
        group["stratifier"] = stratifiers
    return {
        "resourceType": "Measure",
        "url": f"{ids.systems['measure']}/{indicator.id}",
        "identifier": [ids.identifier("indicator", indicator.id)],
        "name": _name(indicator.id),
        "title": indicator.title.en,
        "subtitle": indicator.title.fr,
        "status": "active",
        "experimental": False,
        "description": f"{indicator.description.en}\n\n{indicator.description.fr}",
        "scoring": {"coding": [coding(MEASURE_SCORING, scoring(indicator))]},
        "group": [group],
    }


def measure_resources(ids: Ids, indicators: Iterable[Indicator]) -> dict[str, Resource]:
    """One Measure per indicator, by key, in the order given (the first of an id wins)."""
    found: dict[str, Resource] = {}
    for indicator in indicators:
        found.setdefault(f"Measure/{indicator.id}", _measure(ids, indicator))
    return found


# -- reports -----------------------------------------------------------------------------


_UNIT_SYSTEMS = {
    Level.MICROSTRUCTURE: "microstructure",
    Level.NETWORK: "network",
    Level.REGION: "region",
    Level.NATION: "national-coordination",
}


class _Cells:
    """Turns the cells of one indicator and period into a MeasureReport's groups."""

    def __init__(self, ids: Ids, indicator: Indicator, index: TeamIndex) -> None:
        self.ids = ids
        self.indicator = indicator
        self.index = index
        self.codes = _codes(indicator)
        self.mask_url = ids.systems["disclosure-mask"]

    def absent(self, cell: Cell, reason: str | None = None) -> list[Resource]:
        if cell.mask is not None:
            return [
                {"url": DATA_ABSENT_REASON, "valueCode": "masked"},
                {"url": self.mask_url, "valueCode": cell.mask.value},
            ]
        return [{"url": DATA_ABSENT_REASON, "valueCode": reason or "unknown"}]

    def populations(self, cell: Cell) -> list[Resource]:
        numerator, denominator = self.codes
        found: list[Resource] = []
        counts = [(numerator, cell.count)]
        if denominator is not None:
            counts.append((denominator, cell.denominator_count))
        for code, count in counts:
            entry: Resource = {"code": {"coding": [coding(MEASURE_POPULATION, code)]}}
            if cell.mask is not None or count is None:
                entry["_count"] = {"extension": self.absent(cell, "not-applicable")}
            else:
                entry["count"] = count
            found.append(entry)
        return found

    def score(self, cell: Cell) -> Resource:
        if cell.mask is None and cell.value is not None:
            system, code, label = _QUANTITY[self.indicator.unit]
            return {"value": cell.value, "unit": label, "system": system, "code": code}
        reason = "not-a-number" if cell.denominator == 0 else "not-applicable"
        return {"extension": self.absent(cell, reason)}

    def category(self, dimension: Dimension, value: str) -> Resource:
        return {
            "coding": [coding(f"{self.ids.systems['category']}/{dimension.value}", value)],
            "text": value,
        }

    def stratum(self, cell: Cell, key: tuple[tuple[Dimension, str], ...]) -> Resource:
        found: Resource = {}
        if len(key) == 1:
            found["value"] = self.category(*key[0])
        else:
            found["component"] = [
                {"code": _dimension(self.ids, d), "value": self.category(d, v)} for d, v in key
            ]
        found["population"] = self.populations(cell)
        found["measureScore"] = self.score(cell)
        return found

    def target(self, level: Level, unit: str) -> str | None:
        """The key of the resource a unit of a level is, if it has one (regions have none)."""
        if level is Level.MICROSTRUCTURE:
            return self.index.teams.get(unit)
        if level is Level.NETWORK:
            return self.index.networks.get(unit)
        if level is Level.NATION and self.index.top == "Organization/national":
            return self.index.top
        return None

    def key(self, cell: Cell) -> tuple[tuple[Dimension, str], ...]:
        """The categories of a cell: of the breakdown asked for, then of the indicator's ``by``."""
        key: list[tuple[Dimension, str]] = []
        if cell.breakdown is not None and cell.category is not None:
            key.append((cell.breakdown, cell.category))
        if self.indicator.by is not None and cell.by is not None:
            key.append((self.indicator.by, cell.by))
        return tuple(key)

    def group(self, level: Level, unit: str, cells: list[Cell]) -> Resource:
        system = self.ids.systems[_UNIT_SYSTEMS[level]]
        group: Resource = {}
        target = self.target(level, unit)
        if target is not None:
            group["extension"] = [
                {"url": self.ids.systems["reporting-unit"], "valueReference": self.ids.ref(target)}
            ]
        group["code"] = {"coding": [coding(system, unit)], "text": f"{level.value} {unit}"}
        strata: dict[tuple[Dimension, ...], list[Resource]] = {}
        seen: set[tuple[tuple[Dimension, str], ...]] = set()
        total: Cell | None = None
        for cell in cells:
            key = self.key(cell)
            if not key:
                total = cell if total is None else total
            elif key not in seen:
                seen.add(key)
                strata.setdefault(tuple(d for d, _ in key), []).append(self.stratum(cell, key))
        if total is not None:
            group["population"] = self.populations(total)
            group["measureScore"] = self.score(total)
        if strata:
            group["stratifier"] = [
                {"code": [_dimension(self.ids, d) for d in dims], "stratum": items}
                for dims, items in strata.items()
            ]
        return group


def report_resources(
    ids: Ids, report: Report, index: TeamIndex, indicators: dict[str, Indicator]
) -> dict[str, Resource]:
    """One MeasureReport per indicator and period of ``report``, by key, in table order."""
    periods: dict[str, ReportingPeriod] = {p.label: p for p in report.table.periods}
    grouped: dict[tuple[str, str], dict[tuple[Level, str], list[Cell]]] = {}
    for cell in report.table.cells:
        units = grouped.setdefault((cell.indicator, cell.period), {})
        units.setdefault((cell.level, cell.unit), []).append(cell)
    found: dict[str, Resource] = {}
    for (indicator_id, label), units in grouped.items():
        indicator = indicators[indicator_id]
        builder = _Cells(ids, indicator, index)
        period = periods[label]
        resource: Resource = {"resourceType": "MeasureReport"}
        if any(cell.mask is not None for cells in units.values() for cell in cells):
            resource["meta"] = {"security": [coding(OBSERVATION_VALUE, "MASKED", "masked")]}
        resource["status"] = "complete"
        resource["type"] = "summary"
        resource["measure"] = f"{ids.systems['measure']}/{indicator_id}"
        if index.top is not None:
            resource["reporter"] = ids.ref(index.top)
        resource["period"] = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        resource["group"] = [
            builder.group(level, unit, cells) for (level, unit), cells in units.items()
        ]
        key = f"MeasureReport/{report.title}/{report.threshold}/{indicator_id}/{label}"
        found[key] = resource
    return found
