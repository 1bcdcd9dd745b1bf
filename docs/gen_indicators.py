"""Regenerate docs/reference/indicators.md from the shipped indicator catalogue.

Run: python docs/gen_indicators.py
"""

from pathlib import Path

from microstructure.evaluation import (
    Aggregate,
    Condition,
    Indicator,
    Measure,
    Operator,
    Population,
    age_bands,
    improvement_thresholds,
    indicators,
)

HEADER = """# Indicator catalogue

Every indicator shipped with the library, generated from its data
(`microstructure/data/evaluation/indicators.toml`, read by
`microstructure.evaluation.indicators()`); a test fails when this page is stale.
Ids are stable.
A network adds its own indicators as data: see
[add a network indicator](../how-to/network-indicator.md).

Each figure is computed for a period and a unit of a level (microstructure, network,
region, nation) from the rows of that unit: numerators and denominators are counts or
sums of rows, so they add up the levels; ratios are never averaged, and medians and
quartiles are computed from the values themselves (linear interpolation between the
sorted values, the "inclusive" method of `statistics.quantiles`).
The value is numerator ÷ denominator × scale (none when the denominator is 0), or the
numerator when there is no denominator.
`count` is the number of rows behind the numerator (the rows of its population that meet
its conditions, whatever the aggregate), the figure disclosure control protects.
A sum, mean or median over rows that all lack the value is none; over no rows, a count or
a sum is 0.

| id | title | titre | unit | by | breakdowns | disclosure |
|---|---|---|---|---|---|---|
"""

OPERATORS = {
    Operator.EQ: "=",
    Operator.NE: "≠",
    Operator.LT: "<",
    Operator.LE: "≤",
    Operator.GT: ">",
    Operator.GE: "≥",
    Operator.IN: "in",
    Operator.IS_NULL: "is null",
    Operator.NOT_NULL: "is not null",
}


def _value(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_value(v) for v in value) + ")"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _condition(condition: Condition) -> str:
    text = f"`{condition.column}` {OPERATORS[condition.operator]}"
    if condition.operator.takes_value:
        text += f" `{_value(condition.value)}`"
    return text


def _measure(measure: Measure) -> str:
    rows = f"`{measure.population.value}`"
    if measure.aggregate is Aggregate.COUNT:
        text = f"count of {rows}"
    else:
        text = f"{measure.aggregate.value} of `{measure.column}` over {rows}"
    if measure.where:
        text += " where " + " and ".join(_condition(c) for c in measure.where)
    return text


def _row(item: Indicator) -> str:
    by = f"`{item.by.value}`" if item.by else "–"
    dimensions = ", ".join(f"`{d.value}`" for d in item.dimensions) or "–"
    disclosure = "yes" if item.disclosure else "no"
    return (
        f"| [`{item.id}`](#{item.id}) | {item.title.en} | {item.title.fr} | "
        f"{item.unit.value} | {by} | {dimensions} | {disclosure} |"
    )


def _section(item: Indicator) -> str:
    lines = [
        f"### `{item.id}` {item.title.en} {{ #{item.id} }}",
        "",
        f"*{item.title.fr}* · unit: {item.unit.value} ({item.unit.label_fr})",
        "",
        item.description.en,
        "",
        f"*{item.description.fr}*",
        "",
        f"- numerator: {_measure(item.numerator)}",
    ]
    if item.denominator is not None:
        lines.append(f"- denominator: {_measure(item.denominator)}")
        lines.append(f"- value: numerator ÷ denominator × {item.scale}")
    if item.by is not None:
        shared = (
            "each category divides by its own rows"
            if item.splits_denominator()
            else "each category divides by all the denominator's rows"
            if item.denominator is not None
            else "one figure per category"
        )
        lines.append(f"- by: `{item.by.value}` ({shared})")
    return "\n".join(lines) + "\n"


def _populations() -> str:
    lines = [
        "## Populations",
        "",
        "The rows an indicator counts, one table macro of the evaluation store each",
        "(`pop_<name>(p_start, p_end)`), and the columns a condition may name.",
        "",
        "| population | columns |",
        "|---|---|",
    ]
    lines.extend(
        f"| `{p.value}` | " + ", ".join(f"`{c}` ({k})" for c, k in p.columns.items()) + " |"
        for p in Population
    )
    return "\n".join(lines) + "\n"


def _bands() -> str:
    labels = ", ".join(f"`{band.label}`" for band in age_bands())
    return (
        "## Age bands\n\n"
        "Ages are whole years on the last day of the period (year of the period's end − "
        f"birth year): {labels}, and `unknown` when the birth year is not known.\n"
    )


def _thresholds() -> str:
    lines = [
        "## Minimal improvements",
        "",
        "`score-improvement` counts a patient as improved when the inclusion score minus",
        "the six-month score is at least the instrument's minimal improvement.",
        "Instruments without one are left out of its denominator.",
        "",
        "| instrument | points | kind | source |",
        "|---|---|---|---|",
    ]
    for key, threshold in improvement_thresholds().items():
        kind = (
            "published minimal clinically important difference"
            if threshold.published
            else "configurable default"
        )
        source = "; ".join(threshold.sources) or threshold.note
        lines.append(f"| `{key}` | {threshold.points:g} | {kind} | {source} |")
    return "\n".join(lines) + "\n"


def render() -> str:
    """The page's Markdown text."""
    catalogue = indicators().values()
    rows = "\n".join(_row(item) for item in catalogue)
    sections = "\n".join(_section(item) for item in catalogue)
    return (
        HEADER
        + rows
        + "\n\n## Definitions\n\n"
        + sections
        + "\n"
        + _populations()
        + "\n"
        + _bands()
        + "\n"
        + _thresholds()
    )


if __name__ == "__main__":
    target = Path(__file__).parent / "reference" / "indicators.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
