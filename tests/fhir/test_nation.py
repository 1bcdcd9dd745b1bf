"""The export of the synthetic nation: valid R4B, references resolving, no generated name."""

from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from tests.fhir.conftest import entries, of_type, walk

from microstructure import synthetic
from microstructure.fhir import bundle, dumps
from microstructure.records import Patient
from microstructure.teams import microstructures_of

# The synthetic nation comes with branch `nation`; until it lands these tests are skipped.
NATION: Any = getattr(synthetic, "nation", None)
if NATION is None:  # pragma: no cover - until the synthetic nation lands
    pytest.skip("microstructure.synthetic.nation is not there yet", allow_module_level=True)


@pytest.fixture(scope="module")
def country() -> Any:
    """The synthetic nation (seed 2)."""
    return NATION(seed=2)


@pytest.fixture(scope="module")
def exported(country) -> tuple[dict[str, Any], list[Any]]:
    """The nation's teams with the records of two networks (mainland and overseas)."""
    networks = country.teams.networks
    chosen = [networks[0].id, next(n.id for n in networks if n.region == "04")]
    events = [e for net in chosen for e in country.events(network=net)]
    return bundle(country.teams, events), events


def test_the_nation_validates_and_references_resolve(exported):
    """Every resource of the nation's bundle validates with R4B; every reference resolves."""
    found, _ = exported
    parsed = Bundle.model_validate(found)
    assert parsed.entry is not None
    assert len(parsed.entry) == len(found["entry"])
    urls = {entry["fullUrl"] for entry in found["entry"]}
    references = [v for k, v in walk(found) if k == "reference"]
    assert references
    assert [r for r in references if r not in urls] == []


def test_one_care_team_per_microstructure_and_patients_of_the_records(country, exported):
    """A CareTeam per microstructure of the nation, a Patient per patient record."""
    found, events = exported
    assert len(of_type(found, "CareTeam")) == len(microstructures_of(country.teams))
    codes = {e.patient.value for e in events if isinstance(e, Patient)}
    exported_codes = {p["identifier"][0]["value"] for p in of_type(found, "Patient")}
    assert exported_codes == codes
    assert len(of_type(found, "Organization")) == len(country.teams.networks) + 1


def test_no_generated_name_reaches_the_bundle(country, exported):
    """No display name of the nation's professionals appears in the serialized bundle."""
    found, _ = exported
    text = dumps(found)
    people = [p for n in country.teams.networks for p in n.coordination]
    people += [p for ms in microstructures_of(country.teams).values() for p in ms.members]
    names = {p.display_name for p in people if p.display_name}
    assert len(names) > 400
    assert [name for name in names if name in text] == []
    assert "fictif·ve" not in text
    for practitioner in of_type(found, "Practitioner"):
        assert set(practitioner) == {"resourceType", "id", "identifier"}
    for patient in of_type(found, "Patient"):
        assert set(patient) <= {"resourceType", "id", "meta", "identifier", "gender", "birthDate"}
        assert len(patient["birthDate"]) == 4
    assert {r["resourceType"] for r in entries(found)} >= {"Encounter", "EpisodeOfCare"}
