"""Computed figures: `Cell`, `Table`, and `compute` over a `Database`."""

from __future__ import annotations

import math
from types import EllipsisType
from typing import Any

import attrs

from microstructure import _validators as _v
from microstructure._frozen import frozen_tuple
from microstructure.errors import NotFoundError
from microstructure.evaluation._model import Dimension, Indicator, Level, Mask, ReportingPeriod

__all__ = ["Cell", "Table"]


def _label(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        _v.fail(attribute, value, "a non-empty string")


def _number(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        _v.fail(attribute, value, "a finite number or None")


def _count(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        _v.fail(attribute, value, "a count (an integer of at least 0)")


@attrs.frozen(kw_only=True)
class Cell:
    """One figure: an indicator for a period, at one unit of a level, in one category.

    ``category`` is the category of the breakdown asked for (``None``: all), ``by`` the
    category of the indicator's own split (``None``: all). ``count`` is the number of
    rows behind the numerator and ``denominator_count`` behind the denominator: the
    counts disclosure control protects. A masked cell has ``mask`` set and its numbers
    ``None`` once disclosed.

    Examples:
        >>> from microstructure.evaluation import Cell, Level
        >>> cell = Cell(indicator="active-file", period="2026", level=Level.NETWORK,
        ...             unit="rms-alsace", numerator=120.0, value=120.0, count=120)
        >>> cell.value, cell.mask
        (120.0, None)
    """

    indicator: str = attrs.field(validator=_v.identifier)
    """The indicator's id."""
    period: str = attrs.field(validator=_label)
    """The period's label (`ReportingPeriod.label`)."""
    level: Level = attrs.field(validator=_v.instance_of(Level))
    """The level of the organisation."""
    unit: str = attrs.field(validator=_label)
    """The org id at that level: microstructure id, network id, region code, ``FR``."""
    breakdown: Dimension | None = attrs.field(
        default=None, validator=_v.optional(_v.instance_of(Dimension))
    )
    """The breakdown asked for, or ``None``."""
    category: str | None = attrs.field(default=None, validator=_v.optional(_label))
    """The breakdown's category, or ``None`` for all."""
    by: str | None = attrs.field(default=None, validator=_v.optional(_label))
    """The category of the indicator's own ``by``, or ``None`` for all."""
    numerator: float | None = attrs.field(default=None, validator=_number)
    """The numerator (or the value's aggregate: sum, mean, median…)."""
    denominator: float | None = attrs.field(default=None, validator=_number)
    """The denominator, for a ratio."""
    value: float | None = attrs.field(default=None, validator=_number)
    """``numerator / denominator × scale``, the numerator without denominator, or ``None``."""
    count: int = attrs.field(default=0, validator=_count)
    """Rows behind the numerator (the protected count)."""
    denominator_count: int | None = attrs.field(default=None, validator=_v.optional(_count))
    """Rows behind the denominator, for a ratio."""
    mask: Mask | None = attrs.field(default=None, validator=_v.optional(_v.instance_of(Mask)))
    """Why the cell is masked by disclosure control, or ``None``."""

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """The order of cells in a `Table`."""
        return (
            self.indicator,
            self.period,
            _LEVEL_ORDER[self.level],
            self.unit,
            _optional_key(self.breakdown),
            _optional_key(self.category),
            _optional_key(self.by),
        )


_LEVEL_ORDER = {level: index for index, level in enumerate(Level)}


def _optional_key(value: str | None) -> tuple[bool, str]:
    return (value is not None, value or "")


def _sorted_cells(cells: object) -> object:
    if isinstance(cells, list | tuple) and all(isinstance(c, Cell) for c in cells):
        return tuple(sorted(cells, key=lambda c: c.sort_key))
    return cells


@attrs.frozen(kw_only=True)
class Table:
    """The cells of a computation, sorted, with what they were computed for.

    Cells are sorted by indicator id, period label, level (microstructure first), unit,
    breakdown, category and ``by`` (``None``, the total, first).

    Examples:
        >>> from microstructure.evaluation import Cell, Level, Table, indicator
        >>> cells = [Cell(indicator="active-file", period="2026", level=Level.NETWORK,
        ...               unit=unit, numerator=n, value=n, count=int(n))
        ...          for unit, n in (("rms-b", 12.0), ("rms-a", 30.0))]
        >>> table = Table(cells=cells, indicators=[indicator("active-file")],
        ...               periods=[ReportingPeriod.year(2026)], levels=[Level.NETWORK])
        >>> [c.unit for c in table.cells]
        ['rms-a', 'rms-b']
        >>> table.cell("active-file", "rms-b").value
        12.0
    """

    cells: tuple[Cell, ...] = attrs.field(
        converter=_sorted_cells, validator=_v.tuple_of(Cell, "Cell")
    )
    """Every cell, sorted."""
    indicators: tuple[Indicator, ...] = attrs.field(
        converter=frozen_tuple, validator=_v.tuple_of(Indicator, "Indicator")
    )
    """The indicators computed, in the order asked."""
    periods: tuple[ReportingPeriod, ...] = attrs.field(
        converter=frozen_tuple, validator=_v.tuple_of(ReportingPeriod, "ReportingPeriod")
    )
    """The periods computed, in the order asked."""
    levels: tuple[Level, ...] = attrs.field(
        converter=frozen_tuple, validator=_v.tuple_of(Level, "Level")
    )
    """The levels computed, in the order asked."""

    def select(
        self,
        indicator: str | None = None,
        unit: str | None = None,
        *,
        period: str | None = None,
        level: Level | str | None = None,
        breakdown: Dimension | str | EllipsisType | None = ...,
        category: str | EllipsisType | None = ...,
        by: str | EllipsisType | None = ...,
    ) -> tuple[Cell, ...]:
        """The cells matching every filter given (``None`` matches the totals for the last three).

        Examples:
            >>> from microstructure.evaluation import Cell, Level, Table
            >>> table = Table(cells=[Cell(indicator="exits", period="2026",
            ...     level=Level.NETWORK, unit="n", by=b, count=2) for b in (None, "moved")],
            ...     indicators=[], periods=[], levels=[Level.NETWORK])
            >>> [c.by for c in table.select("exits", by="moved")]
            ['moved']
        """
        wanted: dict[str, object] = {
            "indicator": indicator,
            "unit": unit,
            "period": period,
            "level": None if level is None else _v.to_enum(Level, level, "level"),
        }
        exact: dict[str, object] = {}
        if breakdown is not ...:
            exact["breakdown"] = (
                None if breakdown is None else _v.to_enum(Dimension, breakdown, "breakdown")
            )
        if category is not ...:
            exact["category"] = category
        if by is not ...:
            exact["by"] = by
        return tuple(
            cell
            for cell in self.cells
            if all(v is None or getattr(cell, k) == v for k, v in wanted.items())
            and all(getattr(cell, k) == v for k, v in exact.items())
        )

    def cell(
        self,
        indicator: str,
        unit: str,
        *,
        period: str | None = None,
        level: Level | str | None = None,
        breakdown: Dimension | str | None = None,
        category: str | None = None,
        by: str | None = None,
    ) -> Cell:
        """The one cell of ``indicator`` at ``unit`` (the total unless a category is given).

        Raises:
            NotFoundError: if no cell, or more than one, matches.
        """
        found = self.select(
            indicator,
            unit,
            period=period,
            level=level,
            breakdown=breakdown,
            category=category,
            by=by,
        )
        if len(found) != 1:
            what = f"{indicator}@{unit}"
            expected = "filters matching exactly one cell" + (
                f" (found {len(found)})" if found else ""
            )
            raise NotFoundError(kind="cell", code=what, expected=expected)
        return found[0]
