"""Hand-built disclosed tables for the report tests: cells written as `compute` and `disclose` give them."""

from microstructure.evaluation._compute import Cell, Table
from microstructure.evaluation._disclosure import Mask
from microstructure.evaluation._model import (
    Dimension,
    Indicator,
    Level,
    Measure,
    Population,
    ReportingPeriod,
    Text,
    Unit,
)
from microstructure.evaluation._report import Report

ACTIVE = Indicator(
    id="active-file",
    title=Text(en="Active file", fr="File active"),
    description=Text(
        en="Patients with at least one held consultation in the period.",
        fr="Patients ayant eu au moins une consultation honorée dans la période.",
    ),
    unit=Unit.COUNT,
    numerator=Measure(population=Population.ACTIVE_PATIENTS),
    dimensions=(Dimension.SEX,),
)
PERCENT = Indicator(
    id="share-of-women",
    title=Text(en="Share of women", fr="Part des femmes"),
    description=Text(en="Women among active patients.", fr="Femmes parmi les patients actifs."),
    unit=Unit.PERCENT,
    numerator=Measure(population=Population.ACTIVE_PATIENTS),
    denominator=Measure(population=Population.ACTIVE_PATIENTS),
    scale=100,
)
YEAR = ReportingPeriod.year(2026)


def cell(indicator: str, unit: str, **fields: object) -> Cell:
    """A cell of 2026; level from the unit's prefix (net- or ms-)."""
    level = Level.NETWORK if unit.startswith("net") else Level.MICROSTRUCTURE
    return Cell(indicator=indicator, period=YEAR.label, level=level, unit=unit, **fields)  # type: ignore[arg-type]


def sample_table() -> Table:
    """A network of two microstructures: one published count, a primary and a secondary mask."""
    cells = (
        cell("active-file", "ms-a", numerator=40, value=40, count=40),
        cell("active-file", "ms-b", mask=Mask.PRIMARY),
        cell("active-file", "net-1", numerator=47, value=47, count=47),
        cell("active-file", "ms-a", breakdown=Dimension.SEX, category="female", mask=Mask.SECONDARY),
        cell("active-file", "ms-a", breakdown=Dimension.SEX, category="male", mask=Mask.PRIMARY),
        cell("active-file", "net-1", breakdown=Dimension.SEX, category="female", numerator=30, value=30, count=30),
        cell("share-of-women", "ms-a", numerator=30, denominator=40, value=75.0, count=30, denominator_count=40),
        cell("share-of-women", "ms-b", mask=Mask.DERIVED),
        cell("share-of-women", "net-1", numerator=0, denominator=0, value=None, count=0, denominator_count=0),
    )  # fmt: skip
    return Table(
        cells=cells,
        indicators=(ACTIVE, PERCENT),
        periods=(YEAR,),
        levels=(Level.MICROSTRUCTURE, Level.NETWORK),
    )


def monthly_table(*, masked_month: str = "2026-03") -> Table:
    """Active file of two microstructures and presence of the network, per month of 2026."""
    months = YEAR.months()
    presence = Indicator(
        id="psychologist-presence",
        title=Text(en="Psychologist presence", fr="Présence du psychologue"),
        description=Text(en="Weeks with a consultation.", fr="Semaines avec une consultation."),
        unit=Unit.PERCENT,
        numerator=Measure(population=Population.PRESENCE_WEEKS),
        denominator=Measure(population=Population.PRESENCE_WEEKS),
        scale=100,
        disclosure=False,
    )
    cells = []
    for index, month in enumerate(months):
        for unit in ("ms-a", "ms-b"):
            if unit == "ms-b" and month.label == masked_month:
                cells.append(
                    Cell("active-file", month.label, Level.MICROSTRUCTURE, unit, mask=Mask.PRIMARY)
                )
                continue
            count = 20 + index + (5 if unit == "ms-b" else 0)
            cells.append(
                Cell("active-file", month.label, Level.MICROSTRUCTURE, unit,
                     numerator=count, value=count, count=count)
            )  # fmt: skip
        cells.append(
            Cell("psychologist-presence", month.label, Level.NETWORK, "net-1",
                 numerator=3, denominator=4, value=75.0, count=3, denominator_count=4)
        )  # fmt: skip
    return Table(
        cells=tuple(cells),
        indicators=(ACTIVE, presence),
        periods=months,
        levels=(Level.MICROSTRUCTURE, Level.NETWORK),
    )


def sample_report(*, monthly: bool = True, title: str = "Activity 2026") -> Report:
    """The sample table as a report, with the monthly series or without."""
    return Report(
        title=title,
        table=sample_table(),
        threshold=11,
        breakdowns=(None, Dimension.SEX),
        monthly=monthly_table() if monthly else None,
    )
