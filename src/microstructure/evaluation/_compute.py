"""Computed figures: `Cell`, `Table`, and `compute` over a `Database`."""

from __future__ import annotations

import contextlib
import math
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import EllipsisType
from typing import TYPE_CHECKING, Any

import attrs

from microstructure import _validators as _v
from microstructure._frozen import frozen_tuple
from microstructure.eligibility import Indication, Substance
from microstructure.errors import ConfigurationError, FieldError, NotFoundError
from microstructure.evaluation._catalogue import age_bands, indicator
from microstructure.evaluation._catalogue import indicators as catalogue
from microstructure.evaluation._compile import UNKNOWN, compile_indicator
from microstructure.evaluation._model import (
    BREAKDOWNS,
    AgeBand,
    Aggregate,
    Dimension,
    Indicator,
    Level,
    Mask,
    Population,
    ReportingPeriod,
)
from microstructure.evaluation._store import Database
from microstructure.records import ExitReason
from microstructure.vocabulary import Role, Sex

if TYPE_CHECKING:
    import duckdb

__all__ = ["Cell", "Table", "compute"]


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
    count: int | None = attrs.field(default=0, validator=_v.optional(_count))
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


# -- compute ---------------------------------------------------------------------------


def _indicators(given: object) -> tuple[Indicator, ...]:
    if given is None:
        return tuple(catalogue().values())
    if isinstance(given, str | bytes | Indicator) or not isinstance(given, Iterable):
        expected = "indicator ids or Indicators (a list), or None for the whole catalogue"
        raise FieldError(_shown(given), expected, field="indicators")
    found: dict[str, Indicator] = {}
    for item in given:
        chosen = item if isinstance(item, Indicator) else indicator(item)
        found[chosen.id] = chosen
    if not found:
        raise FieldError([], "at least one indicator", field="indicators")
    return tuple(found.values())


def _periods(given: object) -> tuple[ReportingPeriod, ...]:
    expected = "reporting periods such as ['2026', '2026-Q2'] (a list)"
    if isinstance(given, str | bytes | ReportingPeriod) or not isinstance(given, Iterable):
        raise FieldError(_shown(given), expected, field="periods")
    found: dict[tuple[str, str, str], ReportingPeriod] = {}
    for item in given:
        period = item if isinstance(item, ReportingPeriod) else ReportingPeriod.parse(item)
        found[(period.start.isoformat(), period.end.isoformat(), period.label)] = period
    if not found:
        raise FieldError([], "at least one period", field="periods")
    return tuple(found.values())


def _levels(given: object) -> tuple[Level, ...]:
    expected = "levels such as ['network'] (a list)"
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise FieldError(_shown(given), expected, field="levels")
    found = tuple(dict.fromkeys(_v.to_enum(Level, item, "levels") for item in given))
    if not found:
        raise FieldError([], "at least one level", field="levels")
    return found


def _breakdowns(given: object) -> tuple[Dimension | None, ...]:
    expected = "breakdowns such as [None, 'sex'] (a list)"
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise FieldError(_shown(given), expected, field="breakdowns")
    found: dict[Dimension | None, None] = {}
    for item in given:
        if item is None:
            found[None] = None
            continue
        dimension = _v.to_enum(Dimension, item, "breakdowns")
        if dimension not in BREAKDOWNS:
            wanted = "a breakdown: one of " + ", ".join(repr(d.value) for d in BREAKDOWNS)
            raise FieldError(dimension.value, wanted, field="breakdowns")
        found[dimension] = None
    if not found:
        raise FieldError([], "at least one breakdown (None for none)", field="breakdowns")
    return tuple(found)


def _shown(value: object) -> object:
    return value if isinstance(value, str | int | float | bool | None) else type(value).__name__


def _connection(database: object) -> duckdb.DuckDBPyConnection:
    if not isinstance(database, Database):
        raise FieldError(_shown(database), "an evaluation Database", field="database")
    return database.connection


def _fail(exc: Exception, what: str) -> ConfigurationError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ConfigurationError(f"the evaluation database cannot compute {what}: {first}")


def _units(connection: duckdb.DuckDBPyConnection) -> dict[Level, list[str]]:
    columns = ", ".join(f'"{level.value}"' for level in Level)
    rows = connection.execute(f"SELECT DISTINCT {columns} FROM org").fetchall()  # noqa: S608 - fixed names
    units: dict[Level, list[str]] = {}
    for index, level in enumerate(Level):
        units[level] = sorted({str(row[index]) for row in rows if row[index] is not None})
    return units


def _known_categories(
    connection: duckdb.DuckDBPyConnection, bands: Sequence[AgeBand]
) -> dict[Dimension, list[str]]:
    """The categories every unit shows, rows or not (instrument: only those seen)."""
    try:
        programs = [
            str(row[0]) for row in connection.execute("SELECT program FROM programs").fetchall()
        ]
    except Exception:  # noqa: BLE001 - no programs table (duckdb.Error): the programs seen
        programs = []
    return {
        Dimension.SEX: [sex.value for sex in Sex],
        Dimension.AGE_BAND: [band.label for band in bands] + [UNKNOWN],
        Dimension.PROGRAM: sorted(programs),
        Dimension.ROLE: [role.value for role in Role],
        Dimension.EXIT_REASON: [reason.value for reason in ExitReason],
        Dimension.INDICATION: [item.value for item in Indication],
        Dimension.SUBSTANCE: [item.value for item in Substance],
        Dimension.INSTRUMENT: [],
    }


_Key = tuple[str, str, str | None, str | None]


def _categories(
    dimension: Dimension | None, known: Mapping[Dimension, list[str]], seen: set[str | None]
) -> list[str | None]:
    if dimension is None:
        return [None]
    listed = list(known[dimension])
    listed.extend(sorted(c for c in seen if c is not None and c not in listed))
    return [None, *listed]


def _cells(
    item: Indicator,
    *,
    period: ReportingPeriod,
    breakdown: Dimension | None,
    levels: Sequence[Level],
    units: Mapping[Level, list[str]],
    known: Mapping[Dimension, list[str]],
    rows: list[tuple[Any, ...]],
) -> list[Cell]:
    found: dict[str, dict[_Key, tuple[float | None, int, int]]] = {"n": {}, "d": {}}
    seen_categories: set[str | None] = set()
    seen_by: set[str | None] = set()
    for part, level, unit, category, by, value, count, every in rows:
        found[part][(level, unit, category, by)] = (value, int(count), int(every))
        seen_categories.add(category)
        seen_by.add(by)  # a denominator split by `by` may have categories the numerator lacks
    categories = _categories(breakdown, known, seen_categories)
    bys = _categories(item.by, known, seen_by)
    additive = item.numerator.aggregate in {Aggregate.COUNT, Aggregate.SUM}
    return [
        _cell(
            item,
            period=period,
            breakdown=breakdown,
            level=level,
            unit=unit,
            category=category,
            by=by,
            found=found,
            additive=additive,
        )
        for level in levels
        for unit in units[level]
        for category in categories
        for by in bys
    ]


def _cell(
    item: Indicator,
    *,
    period: ReportingPeriod,
    breakdown: Dimension | None,
    level: Level,
    unit: str,
    category: str | None,
    by: str | None,
    found: Mapping[str, Mapping[_Key, tuple[float | None, int, int]]],
    additive: bool,
) -> Cell:
    # A sum over no row is 0; over rows none of which has a value, it is unknown (None):
    # the forfait cost of patients whose program has no forfait is not 0 €.
    numerator, count, every = found["n"].get((level.value, unit, category, by), (None, 0, 0))
    if numerator is None and additive and every == 0:
        numerator = 0.0
    denominator: float | None = None
    denominator_count: int | None = None
    value = numerator
    if item.denominator is not None:
        den_by = by if item.splits_denominator() else None
        denominator, denominator_count, every = found["d"].get(
            (level.value, unit, category, den_by), (None, 0, 0)
        )
        if (
            denominator is None
            and every == 0
            and item.denominator.aggregate
            in {
                Aggregate.COUNT,
                Aggregate.SUM,
            }
        ):
            denominator = 0.0
        value = (
            None
            if numerator is None or denominator is None or denominator == 0
            else numerator / denominator * item.scale
        )
    return Cell(
        indicator=item.id,
        period=period.label,
        level=level,
        unit=unit,
        breakdown=breakdown,
        category=category,
        by=by,
        numerator=numerator,
        denominator=denominator,
        value=value,
        count=count,
        denominator_count=denominator_count,
    )


def _snapshot_views(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The store's views, read once into temporary tables of the same names.

    The population macros read the store's views (episodes, consultations…); each macro
    would compute them again. A temporary table is found before a view of the same name,
    so for the time of one `compute` every macro reads the views' rows computed once.
    """
    views = connection.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = "
        "current_database() AND schema_name = 'main' AND view_name NOT IN "
        "(SELECT table_name FROM duckdb_tables() WHERE temporary) ORDER BY view_oid"
    ).fetchall()
    made: list[str] = []
    for (name,) in views:
        quoted = '"' + str(name).replace('"', '""') + '"'
        connection.execute(f"CREATE TEMPORARY TABLE {quoted} AS SELECT * FROM main.{quoted}")  # noqa: S608 - names from the catalog
        made.append(quoted)
    return made


def _columns_needed(
    jobs: Iterable[tuple[Indicator, Dimension | None]],
) -> dict[Population, list[str]]:
    """The columns of each population the jobs read (so that no other is computed)."""
    needed: dict[Population, dict[str, None]] = {}
    for item, breakdown in jobs:
        for measure in (item.numerator, item.denominator):
            if measure is None:
                continue
            columns = needed.setdefault(measure.population, {"microstructure": None})
            for condition in measure.where:
                columns[condition.column] = None
            if measure.column is not None:
                columns[measure.column] = None
            for dimension in (breakdown, item.by):
                if dimension is not None and measure.allows(dimension):
                    columns[dimension.column] = None
    return {population: list(columns) for population, columns in needed.items()}


def _materialise(
    connection: duckdb.DuckDBPyConnection,
    populations: Mapping[Population, Sequence[str]],
    period: ReportingPeriod,
    prefix: str,
) -> dict[Population, str]:
    """Each population's rows for ``period`` in a temporary table, read by every indicator.

    Only the columns the indicators read are kept, so the others are never computed.
    """
    tables: dict[Population, str] = {}
    for population, columns in populations.items():
        name = f"{prefix}{population.macro}"
        listed = ", ".join(f'"{column}"' for column in columns)
        connection.execute(
            f'CREATE OR REPLACE TEMPORARY TABLE "{name}" AS '  # noqa: S608 - fixed names
            f"SELECT {listed} FROM {population.macro}($p_start, $p_end)",
            {"p_start": period.start.isoformat(), "p_end": period.end.isoformat()},
        )
        tables[population] = f'"{name}"'
    return tables


def compute(
    database: Database,
    indicators: Iterable[str | Indicator] | None = None,
    *,
    periods: Iterable[ReportingPeriod | str],
    levels: Iterable[Level | str] = ("network",),
    breakdowns: Iterable[Dimension | str | None] = (None,),
    progress: Callable[[int, int], None] | None = None,
) -> Table:
    """Compute indicators per period, level and breakdown on an evaluation `Database`.

    ``indicators`` are ids of the shipped catalogue or `Indicator` objects (a network's
    own); ``None`` computes the whole catalogue. A breakdown applies to the indicators
    that allow it (their ``dimensions``) and is skipped for the others; ``None`` means no
    breakdown. Every unit of each level in the team file gets its cells, with count 0
    where it has no rows, and so does every category of sex, age band, program, role,
    exit reason, indication and substance. ``progress(done, total)`` is called after each
    query (one per indicator, period and breakdown).

    Raises:
        FieldError: if an argument is not what is expected.
        NotFoundError: if an indicator id is unknown.
        ConfigurationError: if the database cannot compute the figures (DuckDB's error).

    Examples:
        >>> from microstructure.evaluation import Database, compute
        >>> from microstructure.examples import example_network
        >>> with Database(example_network()) as db:
        ...     table = compute(db, ["active-file"], periods=["2026"])
        >>> [(c.unit, c.count) for c in table.cells]
        [('reseau-alsace', 0)]
    """
    chosen = _indicators(indicators)
    chosen_periods = _periods(periods)
    chosen_levels = _levels(levels)
    chosen_breakdowns = _breakdowns(breakdowns)
    if progress is not None and not callable(progress):
        raise FieldError(
            _shown(progress), "a function progress(done, total) or None", field="progress"
        )
    connection = _connection(database)
    import duckdb  # noqa: PLC0415 - DuckDB is imported only when indicators are computed

    bands = age_bands()
    jobs = [
        (item, breakdown)
        for item in chosen
        for breakdown in chosen_breakdowns
        if breakdown is None or breakdown in item.dimensions
    ]
    total = len(jobs) * len(chosen_periods)
    populations = _columns_needed(jobs)
    prefix = f"__microstructure_{secrets.token_hex(4)}_"
    cells: list[Cell] = []
    done = 0
    views: list[str] = []
    try:
        units = _units(connection)
        known = _known_categories(connection, bands)
        views = _snapshot_views(connection)
        for period in chosen_periods:
            sources = _materialise(connection, populations, period, prefix)
            for item, breakdown in jobs:
                query = compile_indicator(
                    item, levels=chosen_levels, breakdown=breakdown, bands=bands, sources=sources
                )
                rows = connection.execute(query.sql, dict(query.parameters)).fetchall()
                cells.extend(
                    _cells(
                        item,
                        period=period,
                        breakdown=breakdown,
                        levels=chosen_levels,
                        units=units,
                        known=known,
                        rows=rows,
                    )
                )
                done += 1
                if progress is not None:
                    progress(done, total)
    except duckdb.Error as exc:
        raise _fail(exc, "the indicators") from None
    finally:
        dropped = [f'"{prefix}{population.macro}"' for population in populations] + views
        for name in dropped:
            with contextlib.suppress(duckdb.Error):
                connection.execute(f"DROP TABLE IF EXISTS temp.{name}")
    return Table(cells=cells, indicators=chosen, periods=chosen_periods, levels=chosen_levels)
