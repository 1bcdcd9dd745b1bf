"""Every exported resource validates with fhir.resources' R4B models; references resolve."""

import json
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from tests.fhir.conftest import entries, of_type, walk

from microstructure.examples import example_national, example_network
from microstructure.fhir import FORMAT, FORMAT_SYSTEM, bundle, dumps
from microstructure.synthetic import generate


def _validate(found: dict[str, Any]) -> None:
    """Validate the Bundle with the R4B models: each entry by the model of its resource type."""
    parsed = Bundle.model_validate(found)
    assert parsed.entry is not None
    assert len(parsed.entry) == len(found["entry"])
    for entry, resource in zip(parsed.entry, entries(found), strict=True):
        assert type(entry.resource) is get_fhir_model_class(resource["resourceType"])
        assert entry.resource.id == resource["id"]
        # Nothing lost: the model gives back the same JSON (no unknown element dropped).
        assert entry.resource.model_dump(mode="json", by_alias=True, exclude_none=True) == resource


def _dangling(found: dict[str, Any]) -> list[str]:
    """References (and Measure canonicals) that point to nothing in the Bundle."""
    urls = {entry["fullUrl"] for entry in found["entry"]}
    canonicals = {m["url"] for m in of_type(found, "Measure")}
    missing = [
        value
        for key, value in walk(found)
        if key == "reference" and isinstance(value, str) and value not in urls
    ]
    missing += [
        r["measure"] for r in of_type(found, "MeasureReport") if r["measure"] not in canonicals
    ]
    return missing


def test_the_example_teams_alone_validate():
    """The bundled example's team file gives valid resources with resolving references."""
    found = bundle(example_national())
    _validate(found)
    assert _dangling(found) == []
    kinds = {r["resourceType"] for r in entries(found)}
    assert kinds == {
        "Organization",
        "Location",
        "Practitioner",
        "PractitionerRole",
        "CareTeam",
        "Measure",
    }


def test_a_lone_network_validates():
    """A network file (no national coordination) validates; its network is the reporter."""
    found = bundle(example_network())
    _validate(found)
    assert _dangling(found) == []
    assert len(of_type(found, "Organization")) == 1


def test_a_lone_microstructure_validates():
    """A microstructure file alone: its team, site and roles, with no organisation to point at."""
    team = example_national().networks[0].microstructures[0]
    found = bundle(team, indicators=())
    _validate(found)
    assert _dangling(found) == []
    assert [r["resourceType"] for r in entries(found)][:2] == ["Location", "Practitioner"]
    assert "managingOrganization" not in of_type(found, "CareTeam")[0]


def test_measure_names_are_computable():
    """Measure.name starts with a capital letter and holds only letters, digits and _."""
    import re

    from microstructure.fhir._measures import _name

    for measure in of_type(bundle(example_network()), "Measure"):
        assert re.fullmatch(r"[A-Z][A-Za-z0-9_]{0,254}", measure["name"])
    assert _name("3-month-retention") == "Indicator3MonthRetention"
    assert _name("active-file") == "ActiveFile"


def test_the_full_bundle_validates(full):
    """Teams, generated records and a disclosed report: every resource validates."""
    _validate(full)
    counts: dict[str, int] = {}
    for resource in entries(full):
        counts[resource["resourceType"]] = counts.get(resource["resourceType"], 0) + 1
    for kind in ("Patient", "EpisodeOfCare", "Encounter", "MeasureReport"):
        assert counts.get(kind, 0) > 0, kind


def test_every_reference_resolves(full):
    """Every reference is the fullUrl of an entry, every measure the url of a Measure."""
    assert _dangling(full) == []
    assert sum(1 for key, _ in walk(full) if key == "reference") > 100


def test_full_urls_are_unique_uuids_matching_the_ids(full):
    """Each fullUrl is urn:uuid: and the resource id, and no two entries share one."""
    urls = [entry["fullUrl"] for entry in full["entry"]]
    assert len(urls) == len(set(urls))
    for entry in full["entry"]:
        assert entry["fullUrl"] == "urn:uuid:" + entry["resource"]["id"]


def test_the_same_input_gives_the_same_bytes(events, published):
    """Two exports of the same input, events in another order, are byte for byte equal."""
    first = dumps(bundle(example_national(), events, published))
    second = dumps(bundle(example_national(), list(reversed(events)), published))
    assert first == second
    assert json.loads(first)["type"] == "collection"


def test_another_base_changes_every_id_but_not_the_shape():
    """The base names the library's systems and seeds the uuids."""
    one = bundle(example_network(), indicators=())
    other = bundle(example_network(), indicators=(), base="https://rms.example.org/fhir/")
    assert {e["fullUrl"] for e in one["entry"]}.isdisjoint(e["fullUrl"] for e in other["entry"])
    assert [r["resourceType"] for r in entries(one)] == [r["resourceType"] for r in entries(other)]
    systems = {str(v) for k, v in walk(other) if k == "system"}
    assert "https://rms.example.org/fhir/sid/network" in systems
    assert not any("microstructure.invalid" in s for s in systems)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_care_files_validate(seed):
    """Care files of several seeds validate, references resolving."""
    found = bundle(example_national(), generate(patients=30, seed=seed))
    _validate(found)
    assert _dangling(found) == []


def test_the_bundle_carries_its_format_and_version():
    """``Bundle.meta.tag`` names the library's FHIR format and version, kept by the R4B model."""
    found = bundle(example_network(), indicators=())
    assert found["meta"] == {
        "tag": [
            {"system": "urn:microstructure:format", "code": "microstructure-fhir", "version": "1"}
        ]
    }
    assert (FORMAT.name, FORMAT.version, FORMAT_SYSTEM) == (
        "microstructure-fhir",
        1,
        "urn:microstructure:format",
    )
    parsed = Bundle.model_validate(found)
    assert parsed.meta is not None
    assert parsed.meta.model_dump(mode="json", exclude_none=True) == found["meta"]
