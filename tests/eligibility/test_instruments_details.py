"""Screening instruments in detail: whole `Score`s, located errors, and loading the data files.

Written against the surviving mutants of `microstructure.eligibility._instruments` (mutmut):
each test pins down behaviour that a plausible slip in that module would change.
"""

import json
from decimal import Decimal
from typing import Any

import attrs
import pytest

from microstructure._data import list_data, load_data
from microstructure.eligibility import Points, Score, instrument, instruments, score
from microstructure.eligibility._instruments import (
    Instrument,
    _check_instrument,
    _resolve_option_sets,
    _shipped,
)
from microstructure.errors import ConfigurationError, NotFoundError, ValidationError
from microstructure.io import from_data


def test_score_is_the_whole_expected_record():
    """`score` fills every field of `Score`: instrument, total, band, scheme, screen, flags."""
    assert score("phq-9", [1, 1, 2, 1, 0, 1, 1, 0, 1]) == Score(
        instrument="phq-9",
        total=8,
        band="mild",
        scheme="kroenke-2001",
        positive=False,
        flags=("suicidal-thoughts",),
        from_answers=True,
    )
    assert score("audit", [4, 2, 3, 1, 0, 1, 2, 0, 2, 4], scheme="who-zones").scheme == "who-zones"


@pytest.mark.parametrize(
    ("name", "total", "sex", "scheme", "band", "scheme_id", "positive"),
    [
        ("audit-c", 3, "female", None, "positive", "bradley-2007", True),
        ("audit-c", 3, "male", None, "negative", "bradley-2007", False),
        ("audit-c", 3, None, None, None, "bradley-2007", None),
        ("audit", 19, None, "who-zones", "zone-3", "who-zones", True),
        ("audit", 40, None, None, "probable-dependence", "ofdt", True),
        ("audit", 0, None, None, "low-risk", "ofdt", False),
        ("epices", Decimal("30.17"), None, None, "precarious", "sass-2006", True),
    ],
)
def test_from_total_is_the_whole_expected_record(  # noqa: PLR0917
    name, total, sex, scheme, band, scheme_id, positive
):
    """A total alone gives the band of the sex and scheme asked for, no flags, not from answers."""
    assert instrument(name).from_total(total, sex=sex, scheme=scheme) == Score(
        instrument=name,
        total=total,
        band=band,
        scheme=scheme_id,
        positive=positive,
        flags=(),
        from_answers=False,
    )


@pytest.mark.parametrize(
    ("name", "total", "message", "shown"),
    [
        ("audit", 41, "expected an integer from 0 to 40", 41),
        ("audit", -1, "expected an integer from 0 to 40", -1),
        ("audit", Decimal("3.5"), "expected an integer from 0 to 40", "3.5"),
        (
            "epices",
            Decimal("30.175"),
            "expected a number with 2 decimals from 0.00 to 100.00",
            "30.175",
        ),
        (
            "epices",
            Decimal("100.01"),
            "expected a number with 2 decimals from 0.00 to 100.00",
            "100.01",
        ),
        ("epices", Decimal(101), "expected a number with 2 decimals from 0.00 to 100.00", 101),
    ],
)
def test_from_total_out_of_range_is_located_at_the_root(name, total, message, shown):
    """A total out of range or precision is one error at `$`, showing the total exactly."""
    with pytest.raises(ValidationError) as caught:
        instrument(name).from_total(total)
    assert [(e.path, e.message, e.value) for e in caught.value.errors] == [("$", message, shown)]
    assert type(caught.value.errors[0].value) is type(shown)
    assert str(caught.value).startswith(f"invalid {name} total")


def test_every_bad_answer_is_reported_after_a_missing_one():
    """A missing item does not stop the check: the bad answer after it is reported too."""
    answers = {"q1": 0, "q3": 9, "q4": 0, "q5": 0, "q6": 0, "q7": 0}
    with pytest.raises(ValidationError) as caught:
        score("gad-7", answers)
    assert [(e.path, e.value) for e in caught.value.errors] == [("$.q2", None), ("$.q3", 9)]
    assert str(caught.value).startswith("invalid gad-7 answers: 2 problems")
    with pytest.raises(ValidationError, match="invalid cast answers"):
        score("cast", "012345")  # type: ignore[arg-type]  # text on purpose


def test_sex_is_read_from_its_code_and_a_bad_one_is_located():
    """Sex codes are accepted as text in `score` and `from_total`; others fail at `$.sex`."""
    assert score("audit-c", [2, 1, 0], sex="female").band == "positive"
    assert instrument("audit-c").from_total(3, sex="female").positive is True
    with pytest.raises(ValidationError) as caught:
        instrument("audit-c").from_total(3, sex="f")
    detail = caught.value.errors[0]
    assert (detail.path, detail.value) == ("$.sex", "f")
    assert detail.message == "expected one of 'female', 'male', 'other', 'unknown' or None"
    assert str(caught.value).startswith("invalid sex")


def test_unknown_instrument_and_scheme_list_the_known_ones():
    """NotFoundError names what was asked for and every known alternative."""
    with pytest.raises(NotFoundError) as caught:
        instrument("k10")
    known = (
        "'audit', 'audit-c', 'cast', 'dast-10', 'deta', 'epices', 'ftnd', 'gad-7', 'hsi', 'phq-9'"
    )
    assert str(caught.value) == f"unknown instrument 'k10': expected one of {known}"
    with pytest.raises(NotFoundError) as caught:
        instrument("audit").scheme("sfa")
    assert (
        str(caught.value) == "unknown audit band scheme 'sfa': expected one of 'ofdt', 'who-zones'"
    )


def test_data_files_load_afresh_to_the_same_instruments():
    """Loading the data files again gives equal instruments that score the published examples."""
    fresh = _shipped.__wrapped__()
    assert fresh == instruments()
    assert fresh["audit"].score([4, 2, 3, 1, 0, 1, 2, 0, 2, 4]).total == 19
    assert fresh["epices"].maximum == Decimal("100.00")
    assert fresh["dast-10"].score([False] * 10).total == 1
    assert [o.answer for o in fresh["audit"].items[8].options] == [0, 2, 4]


def _raw(name: str) -> Any:
    """The data of one shipped instrument file, each item with its own copy of its options."""
    (path,) = (p for p in list_data("instruments") if name in p)
    return json.loads(json.dumps(_resolve_option_sets(load_data(path))))  # unshare the sets


def test_option_sets_are_expanded_into_items():
    """An item naming an option set gets that set's options; the sets themselves go."""
    data = _raw("phq_9")
    assert "option_sets" not in data
    assert all(isinstance(item["options"], list) for item in data["items"])
    assert [o["answer"] for o in data["items"][0]["options"]] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (2, Decimal(2)),
        ("30.17", Decimal("30.17")),
        (1.25, Decimal("1.25")),
        ("-11.83", Decimal("-11.83")),
    ],
)
def test_points_are_read_exactly(points, expected):
    """Points given as an integer, a decimal string or a number are read exactly."""
    data = _raw("gad_7")
    data["items"][0]["options"][1]["points"] = points
    loaded = from_data(Instrument, data)
    assert loaded.items[0].options[1].points == expected
    assert type(loaded.items[0].options[1].points).__name__ == "Points"


@pytest.mark.parametrize("points", [True, None, [1], "abc", "inf", "NaN"])
def test_bad_points_are_located_errors(points):
    """Points that are not a finite number fail at their path, saying what was expected."""
    data = _raw("gad_7")
    data["items"][0]["options"][1]["points"] = points
    with pytest.raises(ValidationError) as caught:
        from_data(Instrument, data)
    (detail,) = caught.value.errors
    assert detail.path == "$.items[0].options[1].points"
    assert "a number of points" in detail.message


@pytest.mark.parametrize("answer", ["1", 1.0, None])
def test_bad_answer_options_are_located_errors(answer):
    """An option's answer must be points (an integer) or true/false."""
    data = _raw("gad_7")
    data["items"][0]["options"][1]["answer"] = answer
    with pytest.raises(ValidationError) as caught:
        from_data(Instrument, data)
    (detail,) = caught.value.errors
    assert detail.path == "$.items[0].options[1].answer"
    assert "the points of an answer (an integer) or true/false" in detail.message


def test_inconsistent_instrument_files_are_refused():
    """Gaps or overlaps in bands, a wrong default scheme or a flag on no item are refused."""
    audit_c = instrument("audit-c")
    _check_instrument(audit_c, "audit_c.toml")  # the shipped file is consistent
    with pytest.raises(ConfigurationError, match="default_scheme 'nope' is not one of"):
        _check_instrument(attrs.evolve(audit_c, default_scheme="nope"), "x.toml")
    scheme = audit_c.schemes[0]
    first, *rest = scheme.bands
    gap = attrs.evolve(audit_c, schemes=(attrs.evolve(scheme, bands=tuple(rest)),))
    with pytest.raises(ConfigurationError) as caught:
        _check_instrument(gap, "gap.toml")
    assert "shipped instrument file 'gap.toml' is inconsistent" in str(caught.value)
    assert "band 'positive' starts at 3, not 0" in str(caught.value)
    assert first.sex is not None
    short = attrs.evolve(
        scheme, bands=(*scheme.bands[:3], attrs.evolve(scheme.bands[3], high=Points(11)))
    )
    with pytest.raises(ConfigurationError, match="ends at 11, not 12"):
        _check_instrument(attrs.evolve(audit_c, schemes=(short,)), "short.toml")
    overlap = attrs.evolve(scheme, bands=(attrs.evolve(first, high=Points(3)), *rest))
    with pytest.raises(ConfigurationError, match="band 'positive' starts at 3, not 4"):
        _check_instrument(attrs.evolve(audit_c, schemes=(overlap,)), "overlap.toml")
    phq_9 = instrument("phq-9")
    bad_flag = attrs.evolve(phq_9.flags[0], items=("q10",))
    with pytest.raises(
        ConfigurationError, match="flag 'suicidal-thoughts' names unknown item 'q10'"
    ):
        _check_instrument(attrs.evolve(phq_9, flags=(bad_flag,)), "phq.toml")
