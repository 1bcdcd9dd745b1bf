"""The shipped catalogue, a network's own indicators, age bands and improvement thresholds."""

import itertools
import json
import sys
import types
from pathlib import Path
from typing import Any

import attrs
import pytest

from microstructure.eligibility import instruments
from microstructure.errors import (
    ConfigurationError,
    MicrostructureError,
    NotFoundError,
    ValidationError,
)
from microstructure.evaluation import (
    Aggregate,
    Dimension,
    Population,
    Unit,
    age_bands,
    improvement_thresholds,
    indicator,
    indicators,
    load_indicators,
)
from microstructure.io import to_data

#: Every id of the contract (EVAL.md), with its unit and its `by`.
CONTRACT = {
    "active-file": ("count", None),
    "new-inclusions": ("count", None),
    "exits": ("count", "exit-reason"),
    "consultations-per-patient": ("per-patient", "role"),
    "multiprofessional-follow-up": ("percent", None),
    "missed-consultations": ("percent", None),
    "rcp-held": ("percent", None),
    "cases-per-rcp": ("per-meeting", None),
    "patients-discussed-at-rcp": ("percent", None),
    "days-to-first-consultation-median": ("days", None),
    "days-to-first-consultation-q1": ("days", None),
    "days-to-first-consultation-q3": ("days", None),
    "retention-3-months": ("percent", None),
    "retention-6-months": ("percent", None),
    "share-of-women": ("percent", None),
    "sex-ratio": ("ratio", None),
    "mean-age": ("years", None),
    "median-age": ("years", None),
    "indications": ("percent", "indication"),
    "substances": ("percent", "substance"),
    "psychologist-presence": ("percent", None),
    "social-worker-presence": ("percent", None),
    "score-change": ("points", "instrument"),
    "score-improvement": ("percent", "instrument"),
    "forfait-cost": ("euros", None),
}


def test_catalogue_has_every_contract_id_with_its_unit_and_by():
    """The shipped catalogue holds exactly the ids of the contract, with their units and splits."""
    catalogue = indicators()
    assert sorted(catalogue) == sorted(CONTRACT)
    for key, (unit, by) in CONTRACT.items():
        item = catalogue[key]
        assert item.unit == Unit(unit), key
        assert item.by == (None if by is None else Dimension(by)) or key == "forfait-cost", key
    assert catalogue["forfait-cost"].by is Dimension.PROGRAM


def test_allowed_breakdowns_follow_the_contract():
    """Patient indicators allow the five breakdowns but their own; RCP and presence none."""
    patient = {Dimension(d) for d in ("sex", "age-band", "indication", "substance", "program")}
    for item in indicators().values():
        if item.numerator.population in {
            Population.RCP_MEETINGS,
            Population.RCP_EXPECTED,
            Population.PRESENCE_WEEKS,
        }:
            assert item.dimensions == (), item.id
        elif item.id in {"share-of-women", "sex-ratio"}:
            assert set(item.dimensions) == patient - {Dimension.SEX}
        elif item.id in {"mean-age", "median-age"}:
            assert set(item.dimensions) == patient - {Dimension.AGE_BAND}
        else:
            assert set(item.dimensions) == patient - {item.by}, item.id


def test_definitions_match_the_contract():
    """A few definitions spelled out in the contract, checked field by field."""
    missed = indicator("missed-consultations")
    assert [(c.column, c.operator.value, c.value) for c in missed.numerator.where] == [
        ("status", "eq", "missed")
    ]
    assert missed.denominator is not None
    assert missed.denominator.where[0].value == ("held", "missed")
    q1 = indicator("days-to-first-consultation-q1").numerator
    assert (q1.aggregate, q1.column) == (Aggregate.QUARTILE_1, "days_to_first_consultation")
    cases = indicator("cases-per-rcp")
    assert (cases.numerator.aggregate, cases.numerator.column) == (Aggregate.SUM, "cases")
    assert indicator("retention-6-months").numerator.where[0].value == 6
    assert indicator("sex-ratio").scale == 1
    assert indicator("share-of-women").scale == 100


def test_catalogue_is_read_only():
    """The catalogue mapping cannot be changed by a caller."""
    catalogue = indicators()
    assert isinstance(catalogue, types.MappingProxyType)
    with pytest.raises(TypeError):
        catalogue["x"] = indicator("active-file")  # type: ignore[index]


def test_overrides_merge_over_the_shipped_catalogue():
    """`overrides=` replaces the indicator with the same id and adds new ones, keyword-only."""
    ours = attrs.evolve(indicator("active-file"), disclosure=False)
    extra = attrs.evolve(indicator("active-file"), id="our-file")
    merged = indicators(overrides=[ours, extra])
    assert merged["active-file"] is ours
    assert merged["our-file"] is extra
    assert len(merged) == len(indicators()) + 1
    assert indicator("active-file", overrides={"active-file": ours}) is ours
    with pytest.raises(MicrostructureError):
        indicators(overrides=["active-file"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        indicators([ours])  # type: ignore[call-arg]


def test_unknown_indicator_is_not_found():
    """An unknown id raises NotFoundError listing the known ids."""
    with pytest.raises(NotFoundError, match="active-file"):
        indicator("file-active")


def _network_file(tmp_path: Path, indicators_data: list[Any], suffix: str = ".json") -> Path:
    path = tmp_path / f"ours{suffix}"
    path.write_text(json.dumps({"indicators": indicators_data}), encoding="utf-8")
    return path


def test_load_indicators_reports_the_full_path(tmp_path):
    """A bad column of the fourth indicator of a file is reported at its full JSONPath."""
    items = [
        to_data(indicator(key))
        for key in ("active-file", "exits", "sex-ratio", "missed-consultations")
    ]
    items[3]["numerator"]["where"][0]["column"] = "colour"
    with pytest.raises(ValidationError) as caught:
        load_indicators(_network_file(tmp_path, items))
    assert [d.path for d in caught.value.errors] == ["$.indicators[3].numerator.where[0].column"]


def test_load_indicators_reads_toml(tmp_path):
    """A network's TOML file of indicators loads into Indicators."""
    path = tmp_path / "ours.toml"
    path.write_text(
        """
[[indicators]]
id = "video-consultations"
title = { en = "Video consultations", fr = "Téléconsultations" }
description = { en = "Held by video.", fr = "Honorées en vidéo." }
unit = "percent"
dimensions = ["sex"]
numerator = { population = "consultations", where = [
  { column = "mode", operator = "eq", value = "video" },
  { column = "status", operator = "eq", value = "held" } ] }
denominator = { population = "consultations", where = [
  { column = "status", operator = "eq", value = "held" } ] }
""",
        encoding="utf-8",
    )
    (loaded,) = load_indicators(path)
    assert loaded.id == "video-consultations"
    assert loaded.scale == 100
    assert indicators(overrides=[loaded])["video-consultations"] is loaded


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"indicators": [{"id": "x"}]}, "$.indicators[0].title"),
        ({"indicators": [], "extra": 1}, "$.extra"),
        ({}, "$.indicators"),
    ],
)
def test_load_indicators_rejects_bad_data(data, path):
    """Missing and unknown keys are located errors."""
    with pytest.raises(ValidationError) as caught:
        load_indicators(data)
    assert path in [d.path for d in caught.value.errors]


def test_duplicate_ids_in_a_file_are_errors():
    """Two indicators with one id in a file: the second is reported."""
    item = to_data(indicator("active-file"))
    with pytest.raises(ValidationError) as caught:
        load_indicators({"indicators": [item, item]})
    assert [d.path for d in caught.value.errors] == ["$.indicators[1].id"]


def test_missing_file_is_a_configuration_error(tmp_path):
    """An unreadable file is a ConfigurationError naming it."""
    with pytest.raises(ConfigurationError, match=r"missing\.toml"):
        load_indicators(tmp_path / "missing.toml")


def test_age_bands_tile_all_ages():
    """The shipped bands start at 0, follow each other without gap, and end open."""
    bands = age_bands()
    assert bands[0].min == 0
    assert bands[-1].max is None
    for before, after in itertools.pairwise(bands):
        assert before.max is not None
        assert before.max + 1 == after.min
    for age in range(120):
        assert sum(band.holds(age) for band in bands) == 1


def test_improvement_thresholds_are_sourced_data():
    """Thresholds name shipped instruments; published ones cite a source."""
    thresholds = improvement_thresholds()
    assert thresholds["phq-9"].points == 5
    assert thresholds["gad-7"].points == 4
    for key, threshold in thresholds.items():
        assert key in instruments()
        assert threshold.instrument == key
        assert threshold.note
        if threshold.published:
            assert threshold.sources


def test_indicators_page_is_up_to_date():
    """docs/reference/indicators.md matches the catalogue (regenerate: python docs/gen_indicators.py)."""
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "docs"))
    try:
        from gen_indicators import render  # type: ignore[import-not-found]  # a docs script
    finally:
        sys.path.pop(0)
    page = (root / "docs" / "reference" / "indicators.md").read_text(encoding="utf-8")
    assert page == render()
    for key, item in indicators().items():
        assert f"`{key}`" in page
        assert item.title.fr in page


def test_how_to_toml_block_loads(tmp_path):
    """The TOML file shown in the how-to is a valid indicators file."""
    root = Path(__file__).resolve().parents[2]
    page = (root / "docs" / "how-to" / "network-indicator.md").read_text(encoding="utf-8")
    block = page.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "our-indicators.toml"
    path.write_text(block, encoding="utf-8")
    (loaded,) = load_indicators(path)
    assert loaded.id == "video-consultations"
    assert [c.value for c in loaded.numerator.where] == ["held", "video"]
