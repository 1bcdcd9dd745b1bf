"""Identities and the v1 normalisation, checked against a literal reading of the spec."""

import datetime as dt
import unicodedata
from typing import Any

import pendulum
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from microstructure.errors import ValidationError
from microstructure.identifiers import Identity, Sex, canonical_form, normalize_name
from microstructure.io import from_data, to_data


def spec_normalize(text: str) -> str | None:
    """The normalisation exactly as docs/explanation/anonymity.md words it, step by step."""
    text = unicodedata.normalize("NFKD", text)  # 1
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")  # 2
    text = text.upper()  # 3
    for letter, replacement in {"Œ": "OE", "Æ": "AE", "Ø": "O", "Ł": "L", "Đ": "D"}.items():
        text = text.replace(letter, replacement)  # 4
    kept = []
    for ch in text:  # 5
        if ch.isspace() or unicodedata.category(ch) == "Pd" or ch in "'`\u2018\u2019\u02bc":
            continue
        if "A" <= ch <= "Z":
            kept.append(ch)
        else:
            return None  # 6: anything else is an error
    return "".join(kept) or None  # 7: at least one letter


NAME_CHARS = st.sampled_from(
    [
        *"abcxyzABCXYZéèêëÉàâäçÇîïôöùûüÿœŒæÆøØłŁđĐßñÑ -'’‘ʼ`\u2010\u2013\u2014\u00a0\t",
        "e\u0301",
        "\u0130",
        "\ufb01",
        "ǅ",
        "1",
        ".",
        "И",
        "α",
        "_",
        "\u0327",
        "\u0483",
    ]
)


@given(st.lists(NAME_CHARS, max_size=12).map("".join))
@example("d’Aubigné")
@example("---")
@example("Ǆ")
def test_normalize_name_matches_the_specification(text):
    """normalize_name gives the spec's result, or an error exactly when the spec has none."""
    expected = spec_normalize(text)
    if expected is None:
        with pytest.raises(ValidationError):
            normalize_name(text)
    else:
        assert normalize_name(text) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("d'Aubigné", "DAUBIGNE"),
        ("D’AUBIGNE", "DAUBIGNE"),
        ("d aubigne", "DAUBIGNE"),
        ("de La Fontaine", "DELAFONTAINE"),
        ("Élodie-Marie", "ELODIEMARIE"),
        ("élodie marie", "ELODIEMARIE"),
        ("Œdipe", "OEDIPE"),
        ("Lætitia", "LAETITIA"),
        ("Weiß", "WEISS"),
        ("Ørsted", "ORSTED"),
        ("Łukasz", "LUKASZ"),
        ("Ðorđe", None),
        ("Müller—Lüdenscheidt", "MULLERLUDENSCHEIDT"),
        ("N'Diaye", "NDIAYE"),
        ("Иванов", None),
        ("Dupont 2", None),
        ("' - '", None),
    ],
)
def test_normalisation_examples(typed, expected):
    """Hand-written expectations for accents, ligatures, particles and separators."""
    if expected is None:
        with pytest.raises(ValidationError):
            normalize_name(typed)
    else:
        assert normalize_name(typed) == expected


def _identity(**changes: Any) -> Identity:
    fields = {
        "birth_name": "d'Aubigné",
        "first_name": "Élodie-Marie",
        "birth_date": pendulum.date(1985, 3, 7),
        "sex": Sex.FEMALE,
    }
    return Identity(**{**fields, **changes})


def test_two_spellings_give_one_canonical_form():
    """The issue's example typed two ways gives one canonical form."""
    typed_twice = _identity(birth_name="D AUBIGNE", first_name="ELODIE MARIE")
    assert canonical_form(_identity()) == canonical_form(typed_twice)
    assert canonical_form(_identity()) == "DAUBIGNE|ELODIEMARIE|1985-03-07|2"


@pytest.mark.parametrize(
    ("sex", "code"),
    [(Sex.MALE, "1"), (Sex.FEMALE, "2"), (Sex.UNKNOWN, "0"), (Sex.OTHER, "0")],
)
def test_sex_codes_follow_iso_5218(sex, code):
    """Sex enters the canonical form as its ISO/IEC 5218 digit; other, like unknown, as 0."""
    assert canonical_form(_identity(sex=sex)).endswith("|" + code)


def test_a_standard_library_date_is_accepted():
    """A datetime.date works like a pendulum.Date; a datetime does not."""
    assert canonical_form(_identity(birth_date=dt.date(1985, 3, 7))) == canonical_form(_identity())
    with pytest.raises(ValidationError, match=r"\$\.birth_date"):
        _identity(birth_date=dt.datetime(1985, 3, 7, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"birth_name": "Иванов"}, "$.birth_name"),
        ({"first_name": " - "}, "$.first_name"),
        ({"first_name": 12}, "$.first_name"),
        ({"birth_date": "1985-03-07"}, "$.birth_date"),
        ({"sex": "female"}, "$.sex"),
        ({"used_name": 3}, "$.used_name"),
        ({"other_given_names": ["Anne"]}, "$.other_given_names"),
    ],
)
def test_bad_fields_are_located_and_redacted(changes, path):
    """A bad field is a ValidationError naming the field, with the value redacted."""
    with pytest.raises(ValidationError) as caught:
        _identity(**changes)
    (detail,) = caught.value.errors
    assert detail.path == path
    assert detail.redacted
    assert detail.value is None


def test_identity_repr_and_str_show_nothing():
    """Repr and str of an identity are the same opaque text."""
    identity = _identity(used_name="Dupont-Moretti", other_given_names=("Anne",))
    assert repr(identity) == str(identity) == "Identity(<redacted>)"


def test_identity_round_trips_through_the_converter():
    """An identity converts to data and back, equal."""
    identity = _identity(other_given_names=("Anne", "Louise"))
    data = to_data(identity)
    assert data == {
        "birth_name": "d'Aubigné",
        "first_name": "Élodie-Marie",
        "birth_date": "1985-03-07",
        "sex": "female",
        "used_name": None,
        "other_given_names": ["Anne", "Louise"],
    }
    back = from_data(Identity, data)
    assert back == identity
    assert canonical_form(back) == canonical_form(identity)


def test_converter_errors_are_redacted_and_located():
    """from_data reports each bad identity field by path, never by value."""
    data = {
        "birth_name": "Zylberstein",
        "first_name": "Quentin",
        "birth_date": "1985-02-30",
        "sex": "femme",
    }
    with pytest.raises(ValidationError) as caught:
        from_data(Identity, data)
    paths = sorted(e.path for e in caught.value.errors)
    assert paths == ["$.birth_date", "$.sex"]
    assert all(e.redacted and e.value is None for e in caught.value.errors)
    assert "1985-02-30" not in str(caught.value)
    assert "femme" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        from_data(Identity, {**data, "birth_date": "1985-02-03", "sex": "male", "birth_name": "-"})
    assert [e.path for e in caught.value.errors] == ["$.birth_name"]
