"""The shared vocabulary: one Role, one Activity and one Sex, re-exported unchanged."""

import pytest

import microstructure
from microstructure import eligibility, identifiers, programs, teams, vocabulary
from microstructure.vocabulary import Activity, Role, Sex

# FHIR R4 value set "AdministrativeGender" (http://hl7.org/fhir/administrative-gender).
FHIR_ADMINISTRATIVE_GENDER = {"male", "female", "other", "unknown"}


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (teams, "Role"),
        (programs, "Activity"),
        (eligibility, "Sex"),
        (identifiers, "Sex"),
    ],
)
def test_subpackages_reexport_the_one_definition(module, name):
    """Each subpackage's name is the very object of `microstructure.vocabulary`."""
    assert getattr(module, name) is getattr(vocabulary, name)
    assert name in module.__all__


def test_top_level_exposes_the_vocabulary():
    """`microstructure.vocabulary` is a public, lazily loaded subpackage."""
    assert "vocabulary" in microstructure.__all__
    assert microstructure.vocabulary is vocabulary
    assert sorted(vocabulary.__all__) == ["Activity", "Role", "Sex"]


def test_sex_codes_are_fhir_administrative_gender():
    """The Sex values are exactly FHIR's AdministrativeGender codes."""
    assert {s.value for s in Sex} == FHIR_ADMINISTRATIVE_GENDER


def test_sex_labels():
    """Each sex has an English and a distinct French label."""
    assert [s.label for s in Sex] == ["female", "male", "other", "unknown"]
    assert [s.label_fr for s in Sex] == ["femme", "homme", "autre", "inconnu"]


def test_the_old_eligibility_codes_are_refused():
    """The one-letter codes of the former eligibility Sex are no longer values."""
    for old in ("f", "m", "x"):
        with pytest.raises(ValueError, match=old):
            Sex(old)


def test_every_activity_but_rcp_is_run_by_one_clinical_role():
    """An activity names the role that runs it; the whole-team RCP names none."""
    assert {a: a.role for a in Activity} == {
        Activity.PSYCHOLOGIST_CONSULTATIONS: Role.PSYCHOLOGIST,
        Activity.SOCIAL_WORKER_CONSULTATIONS: Role.SOCIAL_WORKER,
        Activity.PSYCHIATRIST_SESSIONS: Role.PSYCHIATRIST,
        Activity.RCP: None,
    }


def test_every_role_has_labels():
    """Every role has an English and a French label."""
    assert all(r.label and r.label_fr for r in Role)


@pytest.mark.parametrize(
    ("sex", "band", "positive"),
    [
        (Sex.FEMALE, "positive", True),
        (Sex.MALE, "negative", False),
        (Sex.OTHER, None, None),
        (Sex.UNKNOWN, None, None),
        (None, None, None),
    ],
)
def test_audit_c_thresholds_read_the_shared_sex(sex, band, positive):
    """AUDIT-C's total of 3 (women ≥ 3, men ≥ 4; Bradley 2007) depends on the shared Sex."""
    result = eligibility.score("audit-c", [2, 1, 0], sex=sex)
    assert (result.total, result.band, result.positive) == (3, band, positive)
    situation = eligibility.Situation(
        sex=sex.value if sex else None, answers={"audit-c": [2, 1, 0]}
    )
    scored = situation.score("audit-c")
    assert scored is not None
    assert scored.band == band


def test_shared_classes_show_their_owner_module():
    """Role, Activity and Sex name microstructure.vocabulary, not a re-exporting subpackage."""
    assert {cls.__module__ for cls in (Activity, Role, Sex)} == {"microstructure.vocabulary"}


def test_spelled_other_reads_as_other_and_pseudonymizes_like_unknown():
    """`parse_sex` reads the vocabulary's own `other`; it gives the pseudonym of `unknown`."""
    import pendulum

    assert identifiers.parse_sex(" Autre ") is Sex.OTHER
    forms = {
        identifiers.canonical_form(
            identifiers.Identity(
                birth_name="Martin",
                first_name="Camille",
                birth_date=pendulum.date(1990, 1, 2),
                sex=sex,
            )
        )
        for sex in (Sex.OTHER, Sex.UNKNOWN)
    }
    assert forms == {"MARTIN|CAMILLE|1990-01-02|0"}
