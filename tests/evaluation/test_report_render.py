"""Rendering a report: CSV, JSON, Markdown and one self-contained HTML page."""

import csv
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.evaluation.report_samples import ACTIVE, PERCENT, cell, sample_report, sample_table

from microstructure.errors import FieldError, ValidationError
from microstructure.evaluation import Cell, Mask, Report, render, write_report
from microstructure.io import from_data

FORMATS = ["csv", "json", "md", "html"]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_cell_with_the_cells_figures():
    """Each cell is one CSV row whose figures are the cell's, read back as numbers."""
    table = sample_table()
    rows = _rows(render(sample_report(), "csv"))
    assert len(rows) == len(table.cells)
    for row, expected in zip(rows, table.cells, strict=True):
        assert (row["indicator"], row["unit"], row["category"] or None) == (
            expected.indicator,
            expected.unit,
            expected.category,
        )
        for column in ("value", "numerator", "denominator"):
            figure = getattr(expected, column)
            assert (float(row[column]) if row[column] else None) == figure


def test_csv_masked_cells_name_their_mask_and_show_no_figure():
    """A masked row has its mask and a note, and no figure at all (never 0)."""
    rows = _rows(render(sample_report(), "csv"))
    masked = [row for row in rows if row["mask"]]
    assert {row["mask"] for row in masked} == {"primary", "secondary", "derived"}
    for row in masked:
        assert row["value"] == row["numerator"] == row["denominator"] == row["count"] == ""
        assert row["note"]
    primary = next(row for row in masked if row["mask"] == "primary")
    assert "(11)" in primary["note"]


def test_a_value_without_denominator_is_explained_not_blank():
    """A ratio over a denominator of 0 says so in CSV, Markdown and HTML."""
    report = sample_report()
    row = next(
        r
        for r in _rows(render(report, "csv"))
        if r["unit"] == "net-1" and r["indicator"] == "share-of-women"
    )
    assert (row["value"], row["mask"], row["note"]) == ("", "", "no value: the denominator is 0")
    assert "| network | net-1 | no value (denominator 0) |" in render(report, "md")
    assert ">no value (denominator 0)</td>" in render(report, "html")


def test_json_is_the_report_through_the_converter_and_reads_back():
    """The JSON is io's data of the report: it structures back to an equal report."""
    report = sample_report()
    data = json.loads(render(report, "json"))
    assert data["threshold"] == 11
    masks = [None if c.mask is None else c.mask.value for c in report.table.cells]
    assert [c["mask"] for c in data["table"]["cells"]] == masks
    assert "primary" in masks
    assert from_data(Report, data) == report


def test_markdown_groups_by_indicator_with_both_titles():
    """Markdown has a section per indicator, the French title below it, masks spelled out."""
    text = render(sample_report(), "md")
    assert text.startswith("# Activity 2026\n")
    assert "## Active file\n\n*File active*" in text
    assert "## Share of women\n\n*Part des femmes*" in text
    assert "### By sex" in text
    assert "| microstructure | ms-b | masked (primary) |" in text
    assert "| microstructure | ms-a | female | masked (secondary) |" in text
    assert "| microstructure | ms-a | 75.0 % (30 / 40) |" in text


def test_markdown_escapes_pipes_in_titles():
    """A pipe in a title does not break the table."""
    report = sample_report(title="A | B")
    assert render(report, "md").startswith("# A \\| B\n")


class _Links(HTMLParser):
    """Collects every attribute that could make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs_):
        self.tags.add(tag)
        for name, value in attrs_:
            fetching = name in {"src", "href", "xlink:href", "srcset", "action", "data"}
            if fetching and value and not value.startswith("#"):
                self.fetches.append((tag, name, value))


def test_html_is_one_self_contained_page():
    """No script, no stylesheet link, no URL to fetch: only in-page anchors."""
    page = render(sample_report(), "html")
    assert "http" not in page
    assert "<script" not in page
    assert re.findall(r"url\((?!#)", page) == []  # only url(#id) inside the page
    assert "@import" not in page
    parser = _Links()
    parser.feed(page)
    assert parser.fetches == []
    assert {"link", "script", "img", "iframe", "object"}.isdisjoint(parser.tags)
    assert page.count("<style>") == 1


def test_html_tables_have_english_titles_and_french_on_hover_and_below():
    """Each indicator has an English heading, the French title as its tooltip and below."""
    page = render(sample_report(), "html")
    assert '<h2 title="File active">Active file</h2>' in page
    assert '<p class="fr" lang="fr">File active</p>' in page
    assert '<h2 title="Part des femmes">Share of women</h2>' in page
    masked = re.findall(r'<td class="v masked" title="([^"]*)">([^<]*)</td>', page)
    assert ("count below the threshold (11)", "masked (primary)") in masked
    assert {text for _, text in masked} == {
        "masked (primary)",
        "masked (secondary)",
        "masked (derived)",
    }


def test_html_escapes_what_it_shows():
    """A title with markup is shown as text, not run as markup."""
    hostile = attrs.evolve(ACTIVE, title=attrs.evolve(ACTIVE.title, en="<script>x</script>"))
    table = attrs.evolve(sample_table(), indicators=(hostile, PERCENT))
    page = render(Report(title="<b>t</b>", table=table), "html")
    assert "<script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<h1>&lt;b&gt;t&lt;/b&gt;</h1>" in page


def test_html_charts_are_inline_svg_with_masked_months_as_gaps():
    """Two charts (active file, presence); the masked month of ms-b is a gap, not 0."""
    page = render(sample_report(), "html")
    assert page.count("<svg") == 2
    assert "Active file per month and microstructure" in page
    assert "Psychologist and social-worker presence per month (network)" in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # several charts, no id twice


def test_a_report_without_monthly_series_has_no_chart_section():
    """Without the monthly series (charts=False), the page has tables only."""
    page = render(sample_report(monthly=False), "html")
    assert "<svg" not in page
    assert 'id="charts"' not in page


def test_without_matplotlib_the_page_says_how_to_get_charts(monkeypatch):
    """With matplotlib missing, the page explains the plot extra instead of failing."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    page = render(sample_report(), "html")
    assert "<svg" not in page
    assert "pip install &#x27;.[plot]&#x27;" in page
    assert "<table>" in page


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_report_same_bytes(fmt):
    """Rendering twice gives the same text."""
    assert render(sample_report(), fmt) == render(sample_report(), fmt)


def test_html_bytes_do_not_depend_on_the_hash_seed():
    """Two interpreters with different hash seeds write the same page, charts included."""
    code = (
        "import sys; sys.path.insert(0, '.');"
        "from tests.evaluation.report_samples import sample_report;"
        "from microstructure.evaluation import render;"
        "sys.stdout.write(render(sample_report(), 'html'))"
    )
    pages = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    ]
    assert pages[0] == pages[1]
    assert b"<svg" in pages[0]


@pytest.mark.parametrize(
    ("name", "start"),
    [("r.csv", "indicator,"), ("r.json", "{"), ("r.md", "# "), ("r.markdown", "# "),
     ("r.html", "<!DOCTYPE html>"), ("R.HTM", "<!DOCTYPE html>")],
)  # fmt: skip
def test_write_report_takes_the_format_from_the_suffix(tmp_path, name, start):
    """The suffix chooses the format; the file holds what render gives."""
    path = write_report(sample_report(monthly=False), tmp_path / name)
    assert path.read_text(encoding="utf-8").startswith(start)


def test_write_report_with_an_explicit_format_ignores_the_suffix(tmp_path):
    """format= wins over the suffix."""
    path = write_report(sample_report(monthly=False), tmp_path / "report.txt", "md")
    assert path.read_text(encoding="utf-8") == render(sample_report(monthly=False), "md")


def test_unknown_suffix_or_format_is_a_field_error(tmp_path):
    """An unknown suffix or format names what is expected; nothing is written."""
    with pytest.raises(FieldError, match=r"\.csv"):
        write_report(sample_report(), tmp_path / "report.txt")
    with pytest.raises(FieldError, match="one of 'csv', 'json', 'md', 'html'") as caught:
        render(sample_report(), "pdf")  # type: ignore[arg-type]  # on purpose
    assert caught.value.errors[0].path == "$.format"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("title", 3), ("threshold", 0), ("threshold", True), ("breakdowns", "sex"),
     ("breakdowns", ("colour",)), ("table", "cells"), ("monthly", 1)],
)  # fmt: skip
def test_report_fields_are_validated(field, value):
    """A bad title, threshold, breakdown or table is a located ValidationError."""
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(sample_report(monthly=False), **{field: value})
    assert caught.value.errors[0].path == f"$.{field}"


_MASKS = st.sampled_from([None, Mask.PRIMARY, Mask.SECONDARY, Mask.DERIVED])


@given(st.lists(st.tuples(_MASKS, st.integers(0, 500)), min_size=1, max_size=12))
def test_every_masked_cell_is_marked_in_every_format(cells):
    """Whatever is masked, each format shows the reason and never a figure for it."""
    built = []
    for index, (mask, count) in enumerate(cells):
        figures = {} if mask else {"numerator": count, "value": count, "count": count}
        built.append(cell("active-file", f"ms-{index:02d}", mask=mask, **figures))
    table = attrs.evolve(sample_table(), cells=tuple(built), indicators=(ACTIVE,))
    report = Report(title="t", table=table)
    rows = _rows(render(report, "csv"))
    markdown = render(report, "md")
    page = render(report, "html")
    for (mask, count), row in zip(cells, rows, strict=True):
        if mask is None:
            assert row["value"] == str(count)
            assert row["mask"] == ""
            continue
        assert (row["mask"], row["value"]) == (mask.value, "")
        line = next(x for x in markdown.splitlines() if f"| {row['unit']} |" in x)
        assert line.endswith(f"| masked ({mask.value}) |")
    assert markdown.count("| masked (") == sum(m is not None for m, _ in cells)
    assert page.count('class="v masked"') == sum(m is not None for m, _ in cells)


def test_by_categories_medians_and_missing_periods_are_shown():
    """An indicator's own split has its column, a median its n, a missing cell says so."""
    from microstructure.evaluation import Level, ReportingPeriod, Table, indicator

    q1, q2 = ReportingPeriod.quarter(2026, 1), ReportingPeriod.quarter(2026, 2)
    net: dict[str, Any] = {"level": Level.NETWORK, "unit": "net-1"}
    cells = (
        Cell(indicator="exits", period=q1.label, numerator=12, value=12, count=12, **net),
        Cell(indicator="exits", period=q1.label, by="moved", mask=Mask.PRIMARY, **net),
        Cell(indicator="exits", period=q2.label, numerator=0, value=0, count=0, **net),
        Cell(indicator="median-age", period=q1.label, numerator=41.5, value=41.5, count=30, **net),
    )  # fmt: skip
    table = Table(
        cells=cells,
        indicators=(indicator("exits"), indicator("median-age")),
        periods=(q1, q2),
        levels=(Level.NETWORK,),
    )
    markdown = render(Report(title="t", table=table), "md")
    assert "| level | unit | exit-reason | 2026-Q1 | 2026-Q2 |" in markdown
    assert "| network | net-1 | all | 12 | 0 |" in markdown
    assert "| network | net-1 | moved | masked (primary) | not computed |" in markdown
    assert "| network | net-1 | 41.5 (n = 30) | not computed |" in markdown
    page = render(Report(title="t", table=table, monthly=attrs.evolve(table, cells=())), "html")
    assert '<td class="v none">not computed</td>' in page
    assert "No monthly figures to chart." in page


def test_write_report_to_a_missing_folder_is_a_configuration_error(tmp_path):
    """A file that cannot be written is a ConfigurationError naming it."""
    from microstructure.errors import ConfigurationError

    target = tmp_path / "nowhere" / "report.md"
    with pytest.raises(ConfigurationError, match=r"cannot write .*report\.md"):
        write_report(sample_report(monthly=False), target)


@pytest.mark.parametrize("bad", [None, "report", sample_table()])
def test_render_and_write_report_want_a_report(tmp_path, bad):
    """Anything but a Report is a FieldError at $.report."""
    with pytest.raises(FieldError) as caught:
        render(bad, "csv")
    assert caught.value.errors[0].path == "$.report"
    with pytest.raises(FieldError):
        write_report(bad, tmp_path / "r.csv")


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_titles_that_a_spreadsheet_would_run_are_quoted(start):
    """A network's title starting like a formula is written as text, not as a formula."""
    table = sample_table()
    title = attrs.evolve(ACTIVE.title, en=f"{start}HYPERLINK(1)")
    evil = attrs.evolve(ACTIVE, title=title)
    report = attrs.evolve(
        sample_report(monthly=False), table=attrs.evolve(table, indicators=(evil, PERCENT))
    )
    rows = _rows(render(report, "csv"))
    titles = {row["title"] for row in rows if row["indicator"] == "active-file"}
    assert titles == {f"'{start}HYPERLINK(1)"}
