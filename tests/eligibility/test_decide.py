"""Decisions of the default policies on hand-made cases, explanations, policy files, alerts."""

import json

import pytest

from microstructure.eligibility import (
    AgeBetween,
    Outcome,
    Policy,
    Situation,
    Truth,
    alerts,
    check_policy,
    decide,
    default_policies,
    default_policy,
    load_policy,
)
from microstructure.errors import ConfigurationError, NotFoundError, Severity, ValidationError

ELIGIBLE, NOT_ELIGIBLE, TO_REVIEW = Outcome.ELIGIBLE, Outcome.NOT_ELIGIBLE, Outcome.TO_REVIEW

CASES = [
    # Equip'addict: addiction + complex situation + not followed by another addiction scheme.
    (
        "equip-addict",
        {"substances": ["alcohol"], "situations": ["debt"], "followed_by": []},
        ELIGIBLE,
    ),
    (
        "equip-addict",
        {"behaviours": ["gambling"], "indications": ["mental-health"], "followed_by": ["cmp"]},
        ELIGIBLE,
    ),
    (
        "equip-addict",
        {"substances": ["alcohol"], "situations": ["debt"], "followed_by": ["csapa"]},
        NOT_ELIGIBLE,
    ),
    (
        "equip-addict",
        {
            "indications": ["precarity"],
            "substances": [],
            "behaviours": [],
            "situations": ["debt"],
            "followed_by": [],
        },
        NOT_ELIGIBLE,
    ),
    (
        "equip-addict",
        {
            "indications": ["addiction"],
            "situations": [],
            "followed_by": [],
            "scores": {"epices": 20.5, "phq-9": 4, "gad-7": 9},
        },
        NOT_ELIGIBLE,
    ),
    (
        "equip-addict",
        {"indications": ["addiction"], "situations": [], "followed_by": []},
        TO_REVIEW,
    ),
    (
        "equip-addict",
        {"substances": ["cannabis"], "scores": {"gad-7": 10}, "followed_by": ["cmp"]},
        ELIGIBLE,
    ),
    ("equip-addict", {"substances": ["alcohol"], "situations": ["debt"]}, TO_REVIEW),
    # Santé mentale: one criterion of the four families.
    ("sante-mentale", {"situations": ["lockdown-effects"]}, ELIGIBLE),
    ("sante-mentale", {"situations": ["chronic-illness"]}, ELIGIBLE),
    ("sante-mentale", {"situations": []}, NOT_ELIGIBLE),
    ("sante-mentale", {"situations": ["x-network-code"]}, NOT_ELIGIBLE),
    ("sante-mentale", {"indications": ["mental-health"]}, TO_REVIEW),
    # Droit commun: any of the three indications.
    ("droit-commun", {"indications": ["precarity"]}, ELIGIBLE),
    ("droit-commun", {"indications": [], "substances": ["cannabis"]}, ELIGIBLE),
    (
        "droit-commun",
        {
            "indications": [],
            "substances": [],
            "behaviours": [],
            "situations": ["chronic-illness"],
            "scores": {"epices": 30.16, "phq-9": 9, "gad-7": 0},
        },
        NOT_ELIGIBLE,
    ),
    ("droit-commun", {"scores": {"epices": 30.17}}, ELIGIBLE),
    ("droit-commun", {"answers": {"phq-9": [2, 2, 1, 2, 1, 1, 1, 0, 0]}}, ELIGIBLE),
    ("droit-commun", {"situations": ["homeless"]}, ELIGIBLE),
    ("droit-commun", {}, TO_REVIEW),
]


@pytest.mark.parametrize(("program", "data", "expected"), CASES)
def test_default_policies_on_hand_made_cases(program, data, expected):
    """Each default policy decides the hand-made case as its published summary says."""
    assert expected == decide(Situation(**data), program).outcome


def test_to_review_says_what_to_collect():
    """An unknown result lists the fields to collect, and routes the case to the RCP."""
    decision = decide(Situation(substances=["alcohol"], situations=["debt"]), "equip-addict")
    assert decision.for_rcp
    assert decision.to_collect == ("followed_by",)
    assert decision.explanation.result == Truth.UNKNOWN


def test_when_unknown_not_eligible():
    """A policy may turn unknown into not eligible; the fields to collect are still given."""
    policy = Policy(
        program="adults",
        name="Adults",
        name_fr="Adultes",
        criterion=AgeBetween(minimum=18),
        when_unknown=Outcome.NOT_ELIGIBLE,
    )
    decision = decide(Situation(), policy)
    assert (decision.outcome, decision.to_collect) == (NOT_ELIGIBLE, ("age",))


def test_missing_data_never_makes_eligible():
    """A policy cannot say that unknown means eligible."""
    with pytest.raises(ValidationError, match="never makes a patient eligible"):
        load_policy(
            {
                "program": "x",
                "name": "x",
                "name_fr": "x",
                "criterion": {"type": "substance"},
                "when_unknown": "eligible",
            }
        )


def test_age_band_is_unknown_only_when_it_straddles_a_bound():
    """With an age band, the age criterion is unknown only when the band crosses a bound."""
    policy = Policy(program="adults", name="a", name_fr="a", criterion=AgeBetween(minimum=18))
    outcomes = [decide(Situation(age_band=b), policy).outcome for b in ("25-44", "0-15", "16-24")]
    assert outcomes == [ELIGIBLE, NOT_ELIGIBLE, TO_REVIEW]


def test_sex_specific_threshold_asks_for_the_sex():
    """An AUDIT-C of 3 without a sex is unknown, and asks for the sex."""
    policy = load_policy(
        {
            "program": "alcohol",
            "name": "a",
            "name_fr": "a",
            "criterion": {"type": "screen-positive", "instrument": "audit-c"},
        }
    )
    assert decide(Situation(answers={"audit-c": [2, 1, 0]}), policy).to_collect == ("sex",)
    assert (
        decide(Situation(sex="female", answers={"audit-c": [2, 1, 0]}), policy).outcome == ELIGIBLE
    )
    assert decide(Situation(), policy).to_collect == ("answers.audit-c",)


def test_explanation_in_english_and_french():
    """The explanation prints which criteria held, failed or were unknown, in both languages."""
    situation = Situation(code="K7PQ", substances=["alcohol"], situations=["debt"])
    decision = decide(situation, "equip-addict")
    english = decision.explain("en")
    french = decision.explain("fr")
    assert english.splitlines()[0] == "K7PQ — equip-addict: to review in a case meeting (RCP)"
    assert "[yes] substance" not in english
    assert "[yes] addiction to a substance" in english
    assert "[?]   already followed by another addiction scheme (missing: followed_by)" in english
    assert french.splitlines()[0] == "K7PQ — equip-addict : à examiner en RCP"
    assert "[oui] une situation d'ordre environnemental" in french
    assert "À recueillir : followed_by" in french
    assert str(decision) == english
    with pytest.raises(ValidationError, match="'en' or 'fr'"):
        decision.explain("de")


def test_explanation_paths_point_into_the_policy():
    """Each explanation node names where its criterion is in the policy."""
    decision = decide(Situation(situations=["debt"]), "sante-mentale")
    assert decision.explanation.criterion == "$.criterion"
    assert [f"$.criterion.of[{i}]" for i in range(4)] == [
        c.criterion for c in decision.explanation.children
    ]


def test_suicidal_thoughts_alert_is_surfaced_on_its_own():
    """PHQ-9 item 9 above 0 gives an error alert in every decision, whatever the outcome."""
    situation = Situation(situations=[], answers={"phq-9": [0, 0, 0, 0, 0, 0, 0, 0, 2]})
    decision = decide(situation, "sante-mentale")
    assert decision.outcome == NOT_ELIGIBLE
    (alert,) = decision.alerts
    assert (
        alert.code,
        alert.severity,
        alert.path,
    ) == ("MS-ELIG-001", Severity.ERROR, "$.answers.phq-9[8]")
    assert "MS-ELIG-001" in decision.explain("fr")
    assert alerts(Situation(answers={"phq-9": [0] * 9})) == ()


def test_audit_alerts():
    """AUDIT dependence symptoms and harm raise their own warnings."""
    codes = [a.code for a in alerts(Situation(answers={"audit": [1, 0, 0, 2, 0, 0, 0, 0, 0, 4]}))]
    assert codes == ["MS-ELIG-002", "MS-ELIG-003"]


def test_network_policy_file_overrides_the_default(tmp_path):
    """A network's JSON or TOML policy replaces the shipped one for its program."""
    json_path = tmp_path / "equip.json"
    json_path.write_text(
        json.dumps(
            {
                "program": "equip-addict",
                "name": "Adults with an addiction",
                "name_fr": "Adultes avec une addiction",
                "criterion": {
                    "type": "all",
                    "of": [{"type": "age-between", "minimum": 18}, {"type": "substance"}],
                },
            }
        ),
        encoding="utf-8",
    )
    toml_path = tmp_path / "mental.toml"
    toml_path.write_text(
        'program = "sante-mentale"\nname = "Bereavement"\nname_fr = "Deuil"\n'
        '[criterion]\ntype = "situation"\nsituation = "bereavement"\n',
        encoding="utf-8",
    )
    overrides = {p.program: p for p in (load_policy(json_path), load_policy(toml_path))}
    situation = Situation(age=17, substances=["alcohol"], situations=["bereavement", "debt"])
    assert (
        decide(situation, default_policy("equip-addict", overrides=overrides)).outcome
        == NOT_ELIGIBLE
    )
    assert (
        decide(situation, default_policy("sante-mentale", overrides=overrides)).outcome == ELIGIBLE
    )
    assert default_policy("droit-commun", overrides=overrides) == default_policies()["droit-commun"]


def test_bad_policy_files(tmp_path):
    """Unreadable, malformed or invalid policy files give clear errors."""
    with pytest.raises(ConfigurationError, match="cannot read policy file"):
        load_policy(tmp_path / "missing.json")
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("program = ", encoding="utf-8")
    with pytest.raises(ValidationError, match="expected valid TOML"):
        load_policy(bad_toml)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{", encoding="utf-8")
    with pytest.raises(ValidationError, match="line 1"):
        load_policy(bad_json)
    with pytest.raises(NotFoundError, match="'equip-addict'"):
        default_policy("equipaddict")


def test_check_policy_findings():
    """Thresholds out of range and repeated criteria are reported; the defaults are clean."""
    policy = load_policy(
        {
            "program": "x",
            "name": "x",
            "name_fr": "x",
            "criterion": {
                "type": "any",
                "of": [
                    {"type": "score-at-least", "instrument": "phq-9", "value": 0},
                    {"type": "substance"},
                    {"type": "substance"},
                ],
            },
        }
    )
    assert [(f.code, f.path) for f in check_policy(policy)] == [
        ("MS-ELIG-005", "$.criterion.of[0].value"),
        ("MS-ELIG-006", "$.criterion.of[2]"),
    ]
    for default in default_policies().values():
        assert check_policy(default) == ()


def test_every_default_policy_cites_sources_and_has_french_text():
    """Each shipped policy names its sources and has a French name."""
    for policy in default_policies().values():
        assert policy.sources
        assert policy.name_fr
        assert policy.notes


def test_decision_round_trips_through_json():
    """A decision, with its explanation and alerts, is JSON data and reads back equal."""
    from microstructure.eligibility import Decision
    from microstructure.io import dumps, loads

    situation = Situation(code="A1", situations=["debt"], answers={"phq-9": [1] * 9})
    decision = decide(situation, "sante-mentale")
    assert decision == loads(Decision, dumps(decision))
