"""Situations: no identity, strict validation with paths, scores from answers or totals."""

from decimal import Decimal

import pytest

from microstructure.eligibility import Indication, Sex, Situation
from microstructure.errors import ValidationError
from microstructure.io import dumps, from_data, loads


def test_repr_names_known_fields_not_their_values():
    """The repr shows the anonymous code and which fields are known, never their values."""
    situation = Situation(
        code="K7PQ", age=43, sex="female", situations={"violence"}, answers={"phq-9": [3] * 9}
    )
    text = repr(situation)
    assert text == "<Situation K7PQ: age, sex, situations, answers>"
    for value in ("43", "violence", "3, 3"):
        assert value not in text


def test_codes_become_enums():
    """Strings given for coded fields become the library's enums."""
    situation = Situation(sex="male", indications=["addiction"], substances="alcohol")
    assert Sex.MALE is situation.sex
    assert frozenset({Indication.ADDICTION}) == situation.indications
    assert situation.substances is not None
    assert len(situation.substances) == 1


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"code": "Jean Dupont"}, "$.code"),
        ({"age": -1}, "$.age"),
        ({"age": "42"}, "$.age"),
        ({"age_band": "adult"}, "$.age_band"),
        ({"sex": "f"}, "$.sex"),
        ({"indications": ["alcoholism"]}, "$.indications[0]"),
        ({"situations": ["sad"]}, "$.situations"),
        ({"answers": {"k10": [1]}}, "$.answers.k10"),
        ({"answers": {"phq-9": [0, 0]}}, "$.answers.phq-9[2]"),
        ({"scores": {"phq-9": 28}}, "$.scores.phq-9"),
        ({"scores": {"epices": "thirty"}}, "$.scores.epices"),
        ({"extra": {"note": "lives alone with her son"}}, "$.extra"),
        ({"name": "Dupont"}, "$.name"),
        ({"birth_date": "1980-01-01"}, "$.birth_date"),
    ],
)
def test_bad_situations_are_located(data, path):
    """Each mistake is reported at its path; names, birth dates and free text are refused."""
    with pytest.raises(ValidationError) as caught:
        from_data(Situation, data)
    assert path in [e.path for e in caught.value.errors]


def test_free_text_is_not_echoed():
    """A refused free-text code does not appear in the error message's value."""
    with pytest.raises(ValidationError) as caught:
        from_data(Situation, {"extra": {"note": "lives alone with her son"}})
    assert "lives alone" not in str(caught.value)


def test_scores_and_answers_must_agree():
    """A total given with the answers must be their total."""
    with pytest.raises(ValidationError, match=r"total of the answers given \(9\)"):
        Situation(answers={"phq-9": [1] * 9}, scores={"phq-9": 10})
    agreed = Situation(answers={"phq-9": [1] * 9}, scores={"phq-9": 9}).score("phq-9")
    assert agreed is not None
    assert agreed.total == 9


def test_total_only_score():
    """A total alone gives a band but no flags."""
    situation = Situation(scores={"epices": 30.17, "gad-7": 12})
    epices, gad_7 = situation.score("epices"), situation.score("gad-7")
    assert epices is not None
    assert gad_7 is not None
    assert (Decimal("30.17"), "precarious") == (epices.total, epices.band)
    assert not gad_7.from_answers


def test_round_trip():
    """A situation written to JSON reads back equal."""
    situation = Situation(
        code="A-1",
        age_band="65+",
        sex="other",
        indications=set(),
        followed_by={"cmp"},
        answers={"epices": [True] * 11, "audit-c": [1, 0, 0]},
        scores={"gad-7": 4},
        extra={"children": 2, "housed": False, "zone": "qpv"},
    )
    assert situation == loads(Situation, dumps(situation))
    assert situation.age_range == (65, 130)
