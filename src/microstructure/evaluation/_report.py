"""Reports: the disclosed indicators of a period as CSV, JSON, Markdown or one HTML page.

A `Report` holds what is safe to publish and nothing else: the table after disclosure
control, the threshold used, and the monthly series behind the charts (disclosed too).
It carries no timestamp, so that the same records give the same bytes. Every masked
cell says why it is masked; a value that cannot be computed (a denominator of 0) says
so too: no figure is ever an unexplained blank, and none is written as 0.
"""

from __future__ import annotations

import csv
import html
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from microstructure._validators import at_least, fail, instance_of, optional, to_enum
from microstructure.errors import FieldError
from microstructure.evaluation._compute import Cell, Table, compute
from microstructure.evaluation._disclosure import disclose
from microstructure.evaluation._model import (
    Aggregate,
    Dimension,
    Indicator,
    Level,
    Mask,
    ReportingPeriod,
    Unit,
)
from microstructure.io import write_atomically

if TYPE_CHECKING:
    from microstructure.evaluation._store import Database

__all__ = ["FORMATS", "Report", "ReportFormat", "render", "report", "write_report"]

#: The formats a report renders to.
ReportFormat = Literal["csv", "json", "md", "html"]
#: The formats of `render`, and the file suffixes `write_report` recognises for each.
FORMATS: Final[dict[str, tuple[str, ...]]] = {
    "csv": (".csv",),
    "json": (".json",),
    "md": (".md", ".markdown"),
    "html": (".html", ".htm"),
}

# The indicators of the charts, computed per month by `report`.
_ACTIVE_FILE = "active-file"
_PRESENCE = ("psychologist-presence", "social-worker-presence")
_PER_CHART = 10  # lines in one chart; more microstructures make more charts
# Coarsest first: the order of rows in a table.
_LEVEL_ORDER = (Level.NATION, Level.REGION, Level.NETWORK, Level.MICROSTRUCTURE)
_DECIMALS = {
    Unit.COUNT: 0,
    Unit.PERCENT: 1,
    Unit.PER_PATIENT: 2,
    Unit.PER_MEETING: 2,
    Unit.DAYS: 1,
    Unit.YEARS: 1,
    Unit.POINTS: 2,
    Unit.EUROS: 0,
    Unit.RATIO: 2,
}
_SYMBOLS = {Unit.PERCENT: " %", Unit.EUROS: " €"}
_MASK_NOTES = {
    Mask.PRIMARY: "count below the threshold",
    Mask.SECONDARY: "masked so that a masked count cannot be recovered from the others",
    Mask.DERIVED: "computed from a masked count",
}


def _title(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        fail(attribute, value, "a title: a non-empty string")


def _breakdowns(value: object) -> tuple[Dimension | None, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise FieldError(value, "a tuple of Dimension members or None", field="breakdowns")
    found = tuple(None if b is None else to_enum(Dimension, b, "breakdowns") for b in value)
    return found or (None,)


@attrs.frozen
class Report:
    """What is published: a disclosed `Table`, the threshold and how it was made.

    Made by `report` from a `Database`; rendered by `render` and `write_report`.
    It holds no date of generation: the same records give the same bytes.

    Examples:
        >>> from microstructure.evaluation import Cell, Level, Mask, Report, Table
        >>> from microstructure.evaluation import ReportingPeriod, indicator
        >>> cells = (
        ...     Cell(indicator="active-file", period="2026", level=Level.NETWORK,
        ...          unit="reseau-alsace", numerator=57.0, value=57.0, count=57),
        ...     Cell(indicator="active-file", period="2026", level=Level.NETWORK,
        ...          unit="reseau-reunion", mask=Mask.PRIMARY),
        ... )
        >>> table = Table(cells=cells, indicators=(indicator("active-file"),),
        ...               periods=(ReportingPeriod.year(2026),), levels=(Level.NETWORK,))
        >>> published = Report(title="Activity 2026", table=table)
        >>> published.threshold, published.breakdowns
        (11, (None,))
    """

    title: str = attrs.field(validator=_title)
    """The report's title (the first heading of Markdown and HTML)."""
    table: Table = attrs.field(validator=instance_of(Table))
    """The indicators after disclosure control: masked cells carry a `Mask` and no figure."""
    threshold: int = attrs.field(default=11, validator=at_least(1))
    """The disclosure threshold: counts from 1 to ``threshold - 1`` were masked."""
    breakdowns: tuple[Dimension | None, ...] = attrs.field(default=(None,), converter=_breakdowns)
    """The breakdowns asked for (``None``: the totals)."""
    monthly: Table | None = attrs.field(default=None, validator=optional(instance_of(Table)))
    """Active file per microstructure and presence per month for the charts, disclosed too."""


def report(
    database: Database,
    indicators: Iterable[str | Indicator] | None = None,
    *,
    periods: Iterable[ReportingPeriod | str],
    levels: Iterable[Level | str] = ("network",),
    breakdowns: Iterable[Dimension | str | None] = (None,),
    threshold: int = 11,
    title: str | None = None,
    charts: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Compute the indicators (`compute`) and keep what is safe to publish (`disclose`).

    With ``charts`` (the default), also computes the active file per microstructure and
    the psychologist and social-worker presence per month of the periods, disclosed
    with the same threshold, for the charts of the HTML page. ``progress`` is called
    with (steps done, steps known so far).

    Raises:
        FieldError: for a threshold below 1 or an unknown breakdown.
        NotFoundError: for an unknown indicator.

    Examples:
        >>> from microstructure.evaluation import Database, report
        >>> from microstructure.examples import example_network
        >>> with Database(example_network()) as database:
        ...     published = report(database, ["active-file"], periods=["2026"], charts=False)
        >>> published.title, published.threshold
        ('Evaluation report 2026', 11)
    """
    given: object = threshold
    if isinstance(given, bool) or not isinstance(given, int) or given < 1:
        raise FieldError(given, "an integer of at least 1", field="threshold")
    asked = _breakdowns(breakdowns)
    # Steps of the two computations in a row: (steps of the finished ones, this one's total).
    steps = [0, 0]

    def step(current: int, total: int) -> None:
        steps[1] = total
        if progress is not None:
            progress(steps[0] + current, steps[0] + total)

    table = compute(
        database, indicators, periods=periods, levels=levels, breakdowns=asked, progress=step
    )
    published = disclose(table, threshold=threshold, teams=database.teams)
    monthly = None
    if charts:
        steps[0], steps[1] = steps[0] + steps[1], 0
        top = next((lv for lv in _LEVEL_ORDER if lv in published.levels), Level.MICROSTRUCTURE)
        chart_levels = {Level.MICROSTRUCTURE: None, top: None}  # ordered, without repeats
        series = compute(
            database,
            [_ACTIVE_FILE, *_PRESENCE],
            periods=_months(published.periods),
            levels=list(chart_levels),
            progress=step,
        )
        monthly = disclose(series, threshold=threshold, teams=database.teams)
    labels = ", ".join(period.label for period in published.periods)
    return Report(
        title=title if title is not None else f"Evaluation report {labels}",
        table=published,
        threshold=threshold,
        breakdowns=asked,
        monthly=monthly,
    )


def _months(periods: Sequence[ReportingPeriod]) -> tuple[ReportingPeriod, ...]:
    seen: dict[str, ReportingPeriod] = {}
    for period in periods:
        for month in period.months():
            seen.setdefault(month.label, month)
    return tuple(sorted(seen.values(), key=lambda month: month.start))


# -- render ------------------------------------------------------------------------------


def render(report: Report, format: ReportFormat) -> str:  # noqa: A002 - the word users know
    r"""The report as text: ``csv``, ``json``, ``md`` (Markdown) or ``html`` (one page).

    CSV has one row per cell with a ``mask`` column; JSON is the whole `Report` through
    `microstructure.io`; Markdown and HTML show one table per indicator (English title,
    French title below) with masked cells written ``masked (primary)``. The HTML page
    is self-contained (inline style and SVG charts, nothing fetched when opened).

    Raises:
        FieldError: for an unknown format, or a ``report`` that is not a `Report`.

    Examples:
        >>> from microstructure.evaluation import Cell, Level, Mask, Report, Table
        >>> from microstructure.evaluation import ReportingPeriod, indicator, render
        >>> cells = (
        ...     Cell(indicator="active-file", period="2026", level=Level.NETWORK,
        ...          unit="reseau-alsace", numerator=57.0, value=57.0, count=57),
        ...     Cell(indicator="active-file", period="2026", level=Level.NETWORK,
        ...          unit="reseau-reunion", mask=Mask.PRIMARY),
        ... )
        >>> table = Table(cells=cells, indicators=(indicator("active-file"),),
        ...               periods=(ReportingPeriod.year(2026),), levels=(Level.NETWORK,))
        >>> published = Report(title="Activity 2026", table=table)
        >>> print(render(published, "csv"))
        indicator,title,period,level,unit,breakdown,category,by,value,value_unit,numerator,denominator,count,mask,note
        active-file,Active file,2026,network,reseau-alsace,,,,57,count,57,,57,,
        active-file,Active file,2026,network,reseau-reunion,,,,,count,,,,primary,count below the threshold (11)
        <BLANKLINE>
        >>> print("\n".join(render(published, "md").splitlines()[-5:]))
        | level | unit | 2026 |
        | --- | --- | ---: |
        | network | reseau-alsace | 57 |
        | network | reseau-reunion | masked (primary) |
        <BLANKLINE>
    """
    renderers: dict[str, Callable[[Report], str]] = {
        "csv": _csv,
        "json": _json,
        "md": _markdown,
        "html": _html,
    }
    _check_report(report)
    given: object = format
    chosen = renderers.get(given) if isinstance(given, str) else None
    if chosen is None:
        expected = "one of " + ", ".join(repr(name) for name in renderers)
        raise FieldError(format, expected, field="format")
    return chosen(report)


def write_report(report: Report, path: str | Path, format: ReportFormat | None = None) -> Path:  # noqa: A002
    """Write `render` (``format``, else from the file's suffix) to ``path`` in UTF-8.

    The file is replaced atomically (`microstructure.io.write_atomically`): a reader never
    sees half a report, and a failed write leaves an existing file as it was.

    Raises:
        FieldError: for an unknown format, a suffix that names none, or an argument that
            is not a `Report` or a path.
        ConfigurationError: if the file cannot be written.
    """
    _check_report(report)
    given: object = path
    if not isinstance(given, str | os.PathLike) or not str(given):
        raise FieldError(type(given).__name__, "a file path", field="path")
    target = Path(given)
    if format is None:
        suffix = target.suffix.lower()
        found = next((name for name, suffixes in FORMATS.items() if suffix in suffixes), None)
        if found is None:
            known = ", ".join(s for suffixes in FORMATS.values() for s in suffixes)
            raise FieldError(
                target.name, f"a file name ending in {known}, or a format", field="path"
            )
        format = found  # type: ignore[assignment]  # noqa: A001 - a key of FORMATS
    text = render(report, format)  # type: ignore[arg-type]
    write_atomically(target, lambda out: out.write(text), what="report")
    return target


# -- shared ------------------------------------------------------------------------------


def _check_report(report: object) -> None:
    if not isinstance(report, Report):
        raise FieldError(type(report).__name__, "a Report (made by report())", field="report")


def _indicator_map(table: Table) -> dict[str, Indicator]:
    return {indicator.id: indicator for indicator in table.indicators}


def _number(value: float | None) -> str:
    """A number as CSV writes it: integral values without a decimal point, no rounding."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _note(cell: Cell, threshold: int) -> str:
    if cell.mask is not None:
        note = _MASK_NOTES[cell.mask]
        return f"{note} ({threshold})" if cell.mask is Mask.PRIMARY else note
    if cell.value is None:
        return "no value: the denominator is 0" if cell.denominator == 0 else "no value: no data"
    return ""


def _shown(value: float, unit: Unit) -> str:
    decimals = _DECIMALS.get(unit, 2)
    return f"{value:,.{decimals}f}{_SYMBOLS.get(unit, '')}"


def _count(value: float | None) -> str:
    return (
        "–" if value is None else f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    )


def _cell_text(cell: Cell, indicator: Indicator) -> str:
    """A cell as a reader sees it: the value, and what it rests on."""
    if cell.mask is not None:
        return f"masked ({cell.mask.value})"
    if cell.value is None:
        return "no value (denominator 0)" if cell.denominator == 0 else "no value (no data)"
    text = _shown(cell.value, indicator.unit)
    if indicator.denominator is not None:
        return f"{text} ({_count(cell.numerator)} / {_count(cell.denominator)})"
    if indicator.numerator.aggregate not in {Aggregate.COUNT, Aggregate.SUM}:
        return f"{text} (n = {cell.count:,})"
    return text


@attrs.frozen
class _Block:
    """The rows of one indicator under one breakdown: a table of Markdown or HTML."""

    indicator: Indicator
    breakdown: Dimension | None
    has_category: bool
    has_by: bool
    rows: tuple[tuple[tuple[Level, str, str | None, str | None], dict[str, Cell]], ...]


def _blocks(table: Table) -> Iterator[_Block]:
    """Per indicator (table order), per breakdown: rows (level, unit, category, by) × periods."""
    indicators = _indicator_map(table)
    grouped: dict[
        str,
        dict[Dimension | None, dict[tuple[Level, str, str | None, str | None], dict[str, Cell]]],
    ] = {}
    for cell in table.cells:
        rows = grouped.setdefault(cell.indicator, {}).setdefault(cell.breakdown, {})
        rows.setdefault((cell.level, cell.unit, cell.category, cell.by), {})[cell.period] = cell
    for indicator_id in sorted(grouped, key=list(indicators).index):
        for breakdown, rows in grouped[indicator_id].items():
            ranked = sorted(
                (_LEVEL_ORDER.index(key[0]), key[1], key[2] is not None, key[3] is not None, i, key)
                for i, key in enumerate(rows)
            )
            keys = [item[-1] for item in ranked]
            yield _Block(
                indicator=indicators[indicator_id],
                breakdown=breakdown,
                has_category=breakdown is not None,
                has_by=indicators[indicator_id].by is not None,
                rows=tuple((key, rows[key]) for key in keys),
            )


def _headers(block: _Block) -> list[str]:
    headers = ["level", "unit"]
    if block.has_category and block.breakdown is not None:
        headers.append(block.breakdown.value)
    if block.has_by and block.indicator.by is not None:
        headers.append(block.indicator.by.value)
    return headers


def _row_labels(block: _Block, key: tuple[Level, str, str | None, str | None]) -> list[str]:
    level, unit, category, by = key
    labels = [level.value, unit]
    if block.has_category:
        labels.append("all" if category is None else category)
    if block.has_by:
        labels.append("all" if by is None else by)
    return labels


def _masking_sentence(threshold: int) -> str:
    return (
        f"Counts from 1 to {threshold - 1} are masked, written masked (primary); "
        "further cells are masked so that no masked count can be recovered from totals, "
        "margins or other cells, written masked (secondary); a ratio, mean or median "
        "resting on a masked count is masked too, written masked (derived). "
        "No masked figure is written as 0."
    )


def _parameters(report: Report) -> list[tuple[str, str]]:
    table = report.table
    breakdowns = ", ".join("none" if b is None else b.value for b in report.breakdowns)
    return [
        ("Periods", ", ".join(f"{p.label} ({p.start} to {p.end})" for p in table.periods)),
        ("Levels", ", ".join(level.value for level in table.levels)),
        ("Breakdowns", breakdowns),
        ("Indicators", str(len(table.indicators))),
        ("Disclosure threshold", str(report.threshold)),
    ]


# -- csv and json ------------------------------------------------------------------------

_CSV_COLUMNS = (
    "indicator",
    "title",
    "period",
    "level",
    "unit",
    "breakdown",
    "category",
    "by",
    "value",
    "value_unit",
    "numerator",
    "denominator",
    "count",
    "mask",
    "note",
)


#: A spreadsheet reads a text cell starting with one of these as a formula (CSV injection,
#: OWASP): such text, which only a network's own indicator file can bring, gets a quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv(report: Report) -> str:
    indicators = _indicator_map(report.table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for cell in report.table.cells:
        indicator = indicators[cell.indicator]
        masked = cell.mask is not None
        writer.writerow(
            (
                cell.indicator,
                _spreadsheet_text(indicator.title.en),
                cell.period,
                cell.level.value,
                cell.unit,
                "" if cell.breakdown is None else cell.breakdown.value,
                "" if cell.category is None else cell.category,
                "" if cell.by is None else cell.by,
                _number(cell.value),
                indicator.unit.value,
                _number(cell.numerator),
                _number(cell.denominator),
                "" if masked else str(cell.count),
                "" if cell.mask is None else cell.mask.value,
                _note(cell, report.threshold),
            )
        )
    return out.getvalue()


def _json(report: Report) -> str:
    from microstructure.io import dumps  # noqa: PLC0415 - io's converter, built once

    return dumps(report) + "\n"


# -- markdown ----------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown(report: Report) -> str:
    table = report.table
    lines = [f"# {_md(report.title)}", ""]
    lines += [f"- {name}: {_md(value)}" for name, value in _parameters(report)]
    lines += ["", _masking_sentence(report.threshold), ""]
    current: str | None = None
    for block in _blocks(table):
        indicator = block.indicator
        if indicator.id != current:
            current = indicator.id
            lines += [f"## {_md(indicator.title.en)}", ""]
            lines += [f"*{_md(indicator.title.fr)}* (`{indicator.id}`, {indicator.unit.value})", ""]
            lines += [_md(indicator.description.en), ""]
        if block.breakdown is not None:
            lines += [f"### By {block.breakdown.value}", ""]
        headers = [*_headers(block), *(p.label for p in table.periods)]
        lines.append("| " + " | ".join(_md(h) for h in headers) + " |")
        aligns = ["---"] * (len(headers) - len(table.periods)) + ["---:"] * len(table.periods)
        lines.append("| " + " | ".join(aligns) + " |")
        for key, cells in block.rows:
            values = [
                _cell_text(cells[p.label], indicator) if p.label in cells else "not computed"
                for p in table.periods
            ]
            lines.append(
                "| " + " | ".join(_md(v) for v in [*_row_labels(block, key), *values]) + " |"
            )
        lines.append("")
    return "\n".join(lines)


# -- html --------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin:2.2rem 0 .1rem}h3{font-size:1rem}
.fr{color:#555;font-style:italic;margin:0 0 .6rem}
table{border-collapse:collapse;margin:.4rem 0 1.2rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.v{text-align:right;white-space:nowrap}
td.masked{color:#8a4b00;background:#fff6e5;font-style:italic}
td.none{color:#777;font-style:italic}
dl.params{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem}
dl.params dt{font-weight:600}dl.params dd{margin:0}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#444}
nav ul{columns:2}
.note{background:#f6f8fa;border-left:4px solid #999;padding:.5rem .8rem}
""".strip()


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html(report: Report) -> str:
    from importlib.metadata import version  # noqa: PLC0415 - only for HTML

    made_with = f"Made with microstructure {version('microstructure')}."
    table = report.table
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(report.title)}</h1>",
        '<dl class="params">',
    ]
    for name, value in _parameters(report):
        parts.append(f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>")
    parts += ["</dl>", f'<p class="note">{_e(_masking_sentence(report.threshold))}</p>']
    parts += ["<nav><h2>Indicators</h2><ul>"]
    for indicator in table.indicators:
        parts.append(
            f'<li><a href="#{_e(indicator.id)}" title="{_e(indicator.title.fr)}">'
            f"{_e(indicator.title.en)}</a></li>"
        )
    parts.append("</ul></nav>")
    parts += _chart_section(report)
    current: str | None = None
    for block in _blocks(table):
        indicator = block.indicator
        if indicator.id != current:
            if current is not None:
                parts.append("</section>")
            current = indicator.id
            parts += [
                f'<section id="{_e(indicator.id)}">',
                f'<h2 title="{_e(indicator.title.fr)}">{_e(indicator.title.en)}</h2>',
                f'<p class="fr" lang="fr">{_e(indicator.title.fr)}</p>',
                (
                    f"<p>{_e(indicator.description.en)} <small>(<code>{_e(indicator.id)}</code>,"
                    f" {_e(indicator.unit.value)})</small></p>"
                ),
            ]
        if block.breakdown is not None:
            parts.append(f"<h3>By {_e(block.breakdown.value)}</h3>")
        parts += _html_table(block, table.periods, report.threshold)
    if current is not None:
        parts.append("</section>")
    parts += [
        f"<footer><p><small>{_e(made_with)}</small></p></footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _html_table(block: _Block, periods: Sequence[ReportingPeriod], threshold: int) -> list[str]:
    headers = [*_headers(block), *(p.label for p in periods)]
    rows = [
        "<table>",
        "<thead><tr>" + "".join(f'<th scope="col">{_e(h)}</th>' for h in headers) + "</tr></thead>",
        "<tbody>",
    ]
    for key, cells in block.rows:
        labels = "".join(f"<td>{_e(label)}</td>" for label in _row_labels(block, key))
        values = []
        for period in periods:
            cell = cells.get(period.label)
            if cell is None:
                values.append('<td class="v none">not computed</td>')
                continue
            text = _cell_text(cell, block.indicator)
            kind = " masked" if cell.mask is not None else " none" if cell.value is None else ""
            note = _note(cell, threshold)
            title = f' title="{_e(note)}"' if note else ""
            values.append(f'<td class="v{kind}"{title}>{_e(text)}</td>')
        rows.append(f"<tr>{labels}{''.join(values)}</tr>")
    rows += ["</tbody>", "</table>"]
    return rows


def _chart_section(report: Report) -> list[str]:
    from microstructure.evaluation import _charts  # noqa: PLC0415 - only for HTML

    monthly = report.monthly
    if monthly is None:
        return []
    parts = ['<section id="charts">', "<h2>Charts</h2>"]
    if not _charts.charts_available():
        return [*parts, f'<p class="note">{_e(_charts.PLOT_HINT)}</p>', "</section>"]
    months = [period.label for period in monthly.periods]
    gaps = (
        "A gap is a month whose figure is masked (a count below "
        f"{report.threshold}, or masked to protect one) or cannot be computed."
    )
    number = 0
    for title, title_fr, y_label, percent, series in _chart_series(monthly):
        number += 1
        svg = _charts.line_chart(
            title, months, series, y_label=y_label, percent=percent, prefix=f"chart{number}"
        )
        parts += [
            f'<figure role="group" aria-label="{_e(title)}">',
            svg,
            (
                f'<figcaption>{_e(title)}<br><span class="fr" lang="fr">{_e(title_fr)}</span>'
                f"<br>{_e(gaps)}</figcaption>"
            ),
            "</figure>",
        ]
    if number == 0:
        parts.append('<p class="note">No monthly figures to chart.</p>')
    parts.append("</section>")
    return parts


def _chart_series(
    monthly: Table,
) -> Iterator[tuple[str, str, str, bool, list[tuple[str, list[float | None]]]]]:
    """(title, French title, y label, percent?, series) of each chart of the page."""
    months = [period.label for period in monthly.periods]
    totals: dict[tuple[str, Level, str], dict[str, float | None]] = {}
    for cell in monthly.cells:
        if cell.breakdown is None and cell.category is None and cell.by is None:
            totals.setdefault((cell.indicator, cell.level, cell.unit), {})[cell.period] = cell.value
    active = sorted(
        unit
        for indicator, level, unit in totals
        if indicator == _ACTIVE_FILE and level is Level.MICROSTRUCTURE
    )
    for start in range(0, len(active), _PER_CHART):
        chunk = active[start : start + _PER_CHART]
        suffix = (
            f" ({start + 1}–{start + len(chunk)} of {len(active)})"
            if len(active) > _PER_CHART
            else ""
        )
        series = [
            (unit, [totals[(_ACTIVE_FILE, Level.MICROSTRUCTURE, unit)].get(m) for m in months])
            for unit in chunk
        ]
        yield (
            f"Active file per month and microstructure{suffix}",
            f"File active par mois et par microstructure{suffix}",
            "patients",
            False,
            series,
        )
    presence_level = next(
        (
            level
            for level in _LEVEL_ORDER
            if any(k[1] is level and k[0] in _PRESENCE for k in totals)
        ),
        None,
    )
    if presence_level is None:
        return
    lines = [
        (
            f"{unit}: {indicator.removesuffix('-presence').replace('-', ' ')}",
            [values.get(m) for m in months],
        )
        for (indicator, level, unit), values in sorted(totals.items())
        if indicator in _PRESENCE and level is presence_level
    ]
    for start in range(0, len(lines), _PER_CHART):
        yield (
            f"Psychologist and social-worker presence per month ({presence_level.value})",
            f"Présence du psychologue et du travailleur social par mois ({presence_level.value})",
            "% of planned weeks with a consultation held",
            True,
            lines[start : start + _PER_CHART],
        )
