"""No identity data beyond pseudonyms reaches an exported resource."""

import csv
import importlib.resources
import re

import pendulum
from tests.fhir.conftest import of_type, walk

from microstructure.examples import example_national
from microstructure.fhir import bundle, dumps
from microstructure.identifiers import AnonymousCode, Identity, Key, Pseudonymizer, parse_sex
from microstructure.records import Patient
from microstructure.teams import microstructures_of


def _display_names() -> set[str]:
    """Every professional's display name in the example team file, and each word of it."""
    teams = example_national()
    people = [p for n in teams.networks for p in n.coordination]
    people += [p for ms in microstructures_of(teams).values() for p in ms.members]
    names = {p.display_name for p in people if p.display_name}
    words = {w for n in names for w in re.findall(r"[A-Za-zÀ-ÿ]{3,}", n)}
    return names | (words - {"exemple"})


def _identities() -> list[dict[str, str]]:
    path = importlib.resources.files("microstructure") / "data/examples/identities.csv"
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def _pseudonymous_patients() -> tuple[list[Patient], list[dict[str, str]]]:
    """Patient records made from the example identities: national pseudonym, birth year, sex."""
    pseudonymizer = Pseudonymizer(site_key=Key(bytes(32)), national_key=Key(bytes([1]) * 32))
    rows = _identities()
    patients = []
    for index, row in enumerate(rows):
        birth = pendulum.Date.fromisoformat(row["birth_date"])
        identity = Identity(
            birth_name=row["birth_name"],
            first_name=row["first_name"],
            birth_date=birth,
            sex=parse_sex(row["sex"]),
        )
        patients.append(
            Patient(
                id=f"pat-{index}",
                recorded_at=pendulum.datetime(2026, 1, 5, 9),
                patient=AnonymousCode.encode(f"AC{index:04d}"),
                birth_year=birth.year,
                sex=identity.sex,
                national_pseudonym=pseudonymizer.pseudonymize(identity),
                department="67",
            )
        )
    return patients, rows


def test_no_display_name_reaches_the_bundle(full):
    """No professional's display name, nor any word of one, is in the serialized bundle."""
    text = dumps(full)
    found = [name for name in _display_names() if name in text]
    assert found == []
    assert "Dr " not in text


def test_practitioners_carry_identifiers_only(full):
    """A Practitioner has identifiers (local id, RPPS, IDNPS) and nothing else."""
    for practitioner in of_type(full, "Practitioner"):
        assert set(practitioner) == {"resourceType", "id", "identifier"}


def test_no_identity_field_reaches_the_bundle():
    """Names, birth dates in any spelling and departments of the identities never appear."""
    patients, rows = _pseudonymous_patients()
    text = dumps(bundle(example_national(), patients))
    for row in rows:
        birth = pendulum.Date.fromisoformat(row["birth_date"])
        spellings = {
            row["birth_name"],
            row["first_name"],
            row["birth_name"].removeprefix("EXEMPLE-"),
            birth.isoformat(),
            birth.format("DD/MM/YYYY"),
            birth.format("YYYYMMDD"),
            birth.format("DD-MM-YYYY"),
        }
        assert [s for s in spellings if s.lower() in text.lower()] == []
    assert '"district":"67"' not in text.split('"Patient"', 1)[1]


def test_patients_carry_only_codes_gender_and_birth_year():
    """Patients: pseudonymous identifiers, administrative gender, a four-digit birth year."""
    patients, _ = _pseudonymous_patients()
    found = of_type(bundle(example_national(), patients), "Patient")
    assert len(found) == len(patients)
    for resource, record in zip(
        found, sorted(patients, key=lambda p: p.patient.value), strict=True
    ):
        assert set(resource) == {"resourceType", "id", "meta", "identifier", "gender", "birthDate"}
        assert resource["birthDate"] == str(record.birth_year)
        assert re.fullmatch(r"\d{4}", resource["birthDate"])
        assert resource["gender"] == record.sex.value
        values = [i["value"] for i in resource["identifier"]]
        assert values == [record.patient.value, record.national_pseudonym]
        assert resource["meta"]["security"][0]["code"] == "PSEUDED"


def test_generated_patients_carry_no_full_date(full, events):
    """In the full bundle every Patient's birthDate is a year, and no other key appears."""
    patients = of_type(full, "Patient")
    assert len(patients) == len({e.patient.value for e in events if isinstance(e, Patient)})
    for patient in patients:
        assert re.fullmatch(r"\d{4}", patient["birthDate"])
        assert not {key for key, _ in walk(patient)} & {"name", "address", "telecom", "text"}
