"""Hand-built disclosed tables for the report tests: cells as `compute` and `disclose` give them."""

from microstructure.evaluation import (
    Cell,
    Dimension,
    Level,
    Mask,
    Report,
    ReportingPeriod,
    Table,
    indicator,
)

ACTIVE = indicator("active-file")
PERCENT = indicator("share-of-women")
PRESENCE = indicator("psychologist-presence")
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
    cells = []
    for index, month in enumerate(months):
        for unit in ("ms-a", "ms-b"):
            count = 20 + index + (5 if unit == "ms-b" else 0)
            figures: dict[str, int] = {"numerator": count, "value": count, "count": count}
            masked = unit == "ms-b" and month.label == masked_month
            cells.append(
                Cell(
                    indicator="active-file",
                    period=month.label,
                    level=Level.MICROSTRUCTURE,
                    unit=unit,
                    mask=Mask.PRIMARY if masked else None,
                    **({} if masked else figures),  # type: ignore[arg-type]
                )
            )
        cells.append(
            Cell(indicator="psychologist-presence", period=month.label, level=Level.NETWORK,
                 unit="net-1", numerator=3, denominator=4, value=75.0, count=3,
                 denominator_count=4)
        )  # fmt: skip
    return Table(
        cells=tuple(cells),
        indicators=(ACTIVE, PRESENCE),
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
