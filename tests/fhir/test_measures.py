"""Measures for the catalogue; MeasureReports for a disclosed report, masked cells never 0."""

from typing import Any

from tests.fhir.conftest import of_type

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
from microstructure.evaluation import indicators as catalogue
from microstructure.examples import example_national
from microstructure.fhir import EXPRESSION_LANGUAGE, bundle, systems

DAR = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"


def _scoring(measure: dict[str, Any]) -> str:
    code: str = measure["scoring"]["coding"][0]["code"]
    return code


def test_one_measure_per_catalogue_indicator():
    """Every indicator of the shipped catalogue is a Measure, in catalogue order, by its id."""
    measures = of_type(bundle(example_national()), "Measure")
    assert [m["identifier"][0]["value"] for m in measures] == list(catalogue())
    base = systems()["measure"]
    assert [m["url"] for m in measures] == [f"{base}/{i}" for i in catalogue()]


def test_scoring_follows_the_definition():
    """Proportions, ratios, cohorts and continuous variables, from numerator and denominator."""
    measures = {
        m["identifier"][0]["value"]: m for m in of_type(bundle(example_national()), "Measure")
    }
    assert _scoring(measures["active-file"]) == "cohort"
    assert _scoring(measures["missed-consultations"]) == "proportion"
    assert _scoring(measures["rcp-held"]) == "ratio"  # meetings held over meetings expected
    assert _scoring(measures["consultations-per-patient"]) == "ratio"
    assert _scoring(measures["mean-age"]) == "continuous-variable"


def test_population_criteria_reference_the_indicator():
    """Each population's expression names the indicator id and the part, in the library's notation."""
    for measure in of_type(bundle(example_national()), "Measure"):
        ident = measure["identifier"][0]["value"]
        for population in measure["group"][0]["population"]:
            criteria = population["criteria"]
            assert criteria["language"] == EXPRESSION_LANGUAGE
            assert criteria["expression"].startswith(f"{ident}.")
    held = of_type(bundle(example_national()), "Measure")
    missed = next(m for m in held if m["identifier"][0]["value"] == "missed-consultations")
    expressions = [p["criteria"]["expression"] for p in missed["group"][0]["population"]]
    assert expressions == [
        'missed-consultations.numerator: count of consultations where status = "missed"',
        'missed-consultations.denominator: count of consultations where status in ("held", "missed")',
    ]


def test_stratifiers_list_the_split_then_the_breakdowns():
    """The indicator's own split comes first, then each allowed breakdown."""
    exits = next(
        m
        for m in of_type(bundle(example_national()), "Measure")
        if m["identifier"][0]["value"] == "exits"
    )
    codes = [s["code"]["coding"][0]["code"] for s in exits["group"][0]["stratifier"]]
    assert codes == ["exit-reason", *[d.value for d in indicator("exits").dimensions]]


def test_one_report_per_indicator_and_period(full, published):
    """A MeasureReport per (indicator, period) of the report, with the period's dates."""
    reports = of_type(full, "MeasureReport")
    pairs = {(c.indicator, c.period) for c in published.table.cells}
    assert len(reports) == len(pairs)
    periods = {(p.start.isoformat(), p.end.isoformat()) for p in published.table.periods}
    assert {(r["period"]["start"], r["period"]["end"]) for r in reports} == periods


def _hand_report() -> Report:
    """Two networks, one masked (primary), broken down by sex with a derived mask."""
    cells = [
        Cell(indicator="active-file", period="2026", level=Level.NETWORK, unit="reseau-alsace",
             numerator=57.0, value=57.0, count=57),
        Cell(indicator="active-file", period="2026", level=Level.NETWORK, unit="reseau-alsace",
             breakdown=Dimension.SEX, category="female", numerator=30.0, value=30.0, count=30),
        Cell(indicator="active-file", period="2026", level=Level.NETWORK, unit="reseau-alsace",
             breakdown=Dimension.SEX, category="male", numerator=27.0, value=27.0, count=27),
        Cell(indicator="active-file", period="2026", level=Level.NETWORK, unit="reseau-reunion",
             mask=Mask.PRIMARY, count=None),
        Cell(indicator="missed-consultations", period="2026", level=Level.NETWORK,
             unit="reseau-alsace", numerator=0.0, denominator=0.0, value=None, count=0,
             denominator_count=0),
        Cell(indicator="missed-consultations", period="2026", level=Level.NETWORK,
             unit="reseau-reunion", mask=Mask.DERIVED, count=None),
    ]  # fmt: skip
    table = Table(
        cells=cells,
        indicators=[indicator("active-file"), indicator("missed-consultations")],
        periods=[ReportingPeriod.year(2026)],
        levels=[Level.NETWORK],
    )
    return Report(title="Hand report", table=table)


def test_masked_cells_carry_the_reason_and_no_figure():
    """A masked cell: data-absent-reason masked and the mask's reason, no count, no value."""
    found = bundle(example_national(), report=_hand_report())
    reports = of_type(found, "MeasureReport")
    active, missed = reports
    assert active["meta"]["security"][0]["code"] == "MASKED"
    alsace, reunion = active["group"]
    assert alsace["measureScore"]["value"] == 57.0
    assert alsace["population"][0]["count"] == 57
    strata = alsace["stratifier"][0]["stratum"]
    assert [(s["value"]["text"], s["population"][0]["count"]) for s in strata] == [
        ("female", 30),
        ("male", 27),
    ]
    assert reunion["code"]["coding"][0]["code"] == "reseau-reunion"
    assert "value" not in reunion["measureScore"]
    assert reunion["measureScore"]["extension"] == [
        {"url": DAR, "valueCode": "masked"},
        {"url": systems()["disclosure-mask"], "valueCode": "primary"},
    ]
    assert "count" not in reunion["population"][0]
    assert reunion["population"][0]["_count"]["extension"][0]["valueCode"] == "masked"
    derived = missed["group"][1]["measureScore"]["extension"]
    assert derived[1]["valueCode"] == "derived"
    no_value = missed["group"][0]["measureScore"]["extension"]
    assert no_value == [{"url": DAR, "valueCode": "not-a-number"}]


def _scores(full: dict[str, Any], published: Report) -> dict[tuple[str, str, str, Any], Any]:
    """Every score of the MeasureReports by (indicator, period, unit, categories)."""
    labels = {(p.start.isoformat(), p.end.isoformat()): p.label for p in published.table.periods}
    found: dict[tuple[str, str, str, Any], Any] = {}
    for report in of_type(full, "MeasureReport"):
        ident = report["measure"].rsplit("/", 1)[1]
        label = labels[report["period"]["start"], report["period"]["end"]]
        for group in report["group"]:
            unit = group["code"]["coding"][0]["code"]
            found[ident, label, unit, ()] = group["measureScore"]
            for stratifier in group.get("stratifier", ()):
                dims = [c["coding"][0]["code"] for c in stratifier["code"]]
                for stratum in stratifier["stratum"]:
                    parts = (
                        [stratum["value"]]
                        if "value" in stratum
                        else [c["value"] for c in stratum["component"]]
                    )
                    key = tuple(sorted(zip(dims, (p["text"] for p in parts), strict=True)))
                    found[ident, label, unit, key] = stratum["measureScore"]
    return found


def test_masked_cells_of_a_real_report_are_absent_with_their_reason(full, published):
    """Every masked cell of a computed report: no value, masked, its own mask reason."""
    scores = _scores(full, published)
    by = {i.id: i.by for i in published.table.indicators}

    def key(cell: Cell) -> tuple[tuple[str, str], ...]:
        pairs: list[tuple[str, str]] = []
        if cell.category is not None:
            assert cell.breakdown is not None
            pairs.append((cell.breakdown.value, cell.category))
        if cell.by is not None:
            split = by[cell.indicator]
            assert split is not None
            pairs.append((split.value, cell.by))
        return tuple(sorted(pairs))

    masked = [c for c in published.table.cells if c.mask is not None]
    assert masked, "the generated report should mask some cells"
    for cell in masked:
        score = scores[cell.indicator, cell.period, cell.unit, key(cell)]
        assert "value" not in score, (cell, score)
        assert score["extension"] == [
            {"url": DAR, "valueCode": "masked"},
            {"url": systems()["disclosure-mask"], "valueCode": cell.mask.value},
        ]
    shown = [c for c in published.table.cells if c.mask is None and c.value is not None]
    for cell in shown:
        assert scores[cell.indicator, cell.period, cell.unit, key(cell)]["value"] == cell.value


def test_groups_point_at_their_unit(full):
    """A microstructure's group points at its CareTeam, a network's at its Organization."""
    urls = {e["fullUrl"]: e["resource"] for e in full["entry"]}
    kinds = set()
    for report in of_type(full, "MeasureReport"):
        for group in report["group"]:
            level = group["code"]["text"].split()[0]
            target = urls[group["extension"][0]["valueReference"]["reference"]]
            kinds.add((level, target["resourceType"]))
            assert target["identifier"][0]["value"] == group["code"]["coding"][0]["code"]
    assert kinds == {
        ("microstructure", "CareTeam"),
        ("network", "Organization"),
        ("nation", "Organization"),
    }
