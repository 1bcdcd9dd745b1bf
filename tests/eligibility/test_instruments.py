"""Screening instruments: worked examples from the published forms, bands, flags, validation."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microstructure.eligibility import AnswerKind, Sex, instrument, instruments, score
from microstructure.errors import NotFoundError, ValidationError

# Each case: instrument, answers, sex, expected total, expected band (default scheme), positive.
# Totals are added by hand from the published forms (points per answer, in item order).
WORKED = [
    # AUDIT (WHO 2001): 4+2+3+1+0+1+2+0+2+4 = 19; OFDT ">15" probable dependence.
    ("audit", [4, 2, 3, 1, 0, 1, 2, 0, 2, 4], None, 19, "probable-dependence", True),
    ("audit", [2, 1, 1, 1, 1, 1, 0, 0, 0, 0], None, 7, "low-risk", False),
    ("audit", [2, 1, 1, 1, 1, 1, 1, 0, 0, 0], None, 8, "hazardous", True),
    ("audit", [4, 4, 4, 3, 0, 0, 0, 0, 0, 0], None, 15, "hazardous", True),
    ("audit", [4, 4, 4, 4, 0, 0, 0, 0, 0, 0], None, 16, "probable-dependence", True),
    ("audit", [4] * 8 + [4, 4], None, 40, "probable-dependence", True),
    # AUDIT-C (Bradley 2007): women >= 3, men >= 4.
    ("audit-c", [2, 1, 0], Sex.FEMALE, 3, "positive", True),
    ("audit-c", [2, 1, 0], Sex.MALE, 3, "negative", False),
    ("audit-c", [2, 1, 0], None, 3, None, None),
    ("audit-c", [3, 1, 0], None, 4, "positive", True),
    ("audit-c", [1, 1, 0], None, 2, "negative", False),
    # CAST (OFDT 2013): < 3 no risk, 3-6 low risk, >= 7 high risk.
    ("cast", [0, 1, 0, 1, 0, 0], None, 2, "no-risk", False),
    ("cast", [1, 1, 1, 0, 0, 0], None, 3, "low-risk", False),
    ("cast", [2, 1, 1, 1, 1, 0], None, 6, "low-risk", False),
    ("cast", [2, 2, 1, 1, 1, 0], None, 7, "high-risk", True),
    ("cast", [4, 4, 4, 4, 4, 4], None, 24, "high-risk", True),
    # FTND (Heatherton 1991), French bands 0-2 / 3-4 / 5-6 / 7-10.
    ("ftnd", [3, 1, 1, 2, 1, 0], None, 8, "strong", True),
    ("ftnd", [2, 0, 0, 1, 0, 0], None, 3, "low", True),
    ("ftnd", [1, 0, 0, 0, 1, 0], None, 2, "none", False),
    ("ftnd", [2, 1, 0, 1, 1, 0], None, 5, "medium", True),
    # HSI (items 1 and 4 of the FTND), French test simplifié 0-1 / 2-3 / 4-6.
    ("hsi", [3, 2], None, 5, "strong", True),
    ("hsi", [1, 1], None, 2, "moderate", True),
    ("hsi", [1, 0], None, 1, "none", False),
    # PHQ-9 (Kroenke 2001): 0-4 / 5-9 / 10-14 / 15-19 / 20-27, positive >= 10.
    ("phq-9", [1, 1, 2, 1, 0, 1, 1, 0, 1], None, 8, "mild", False),
    ("phq-9", [2, 2, 2, 2, 1, 1, 0, 0, 0], None, 10, "moderate", True),
    ("phq-9", [1, 1, 1, 1, 0, 0, 0, 0, 0], None, 4, "minimal", False),
    ("phq-9", [3, 3, 3, 3, 3, 0, 0, 0, 0], None, 15, "moderately-severe", True),
    ("phq-9", [3, 3, 3, 3, 3, 3, 2, 0, 0], None, 20, "severe", True),
    # GAD-7 (Spitzer 2006): 0-4 / 5-9 / 10-14 / 15-21, positive >= 10.
    ("gad-7", [2, 2, 1, 1, 1, 2, 1], None, 10, "moderate", True),
    ("gad-7", [1, 1, 1, 1, 0, 0, 0], None, 4, "minimal", False),
    ("gad-7", [3, 3, 3, 3, 3, 0, 0], None, 15, "severe", True),
    ("gad-7", [3] * 7, None, 21, "severe", True),
    # DETA (Rueff 1989): yes = 1, >= 2 positive.
    ("deta", [True, False, True, False], None, 2, "positive", True),
    ("deta", [False, False, False, True], None, 1, "negative", False),
    # DAST-10 (Skinner 1982): yes = 1 except item 3 where NO = 1.
    ("dast-10", [False] * 10, None, 1, "low", False),
    ("dast-10", [False, False, True] + [False] * 7, None, 0, "none", False),
    ("dast-10", [True] * 10, None, 9, "severe", True),
    ("dast-10", [True, True, False, True] + [False] * 6, None, 4, "moderate", True),
]


@pytest.mark.parametrize(("name", "answers", "sex", "total", "band", "positive"), WORKED)
def test_worked_examples(name, answers, sex, total, band, positive):  # noqa: PLR0917
    """The total, band and positive screen match the hand-computed published example."""
    result = score(name, answers, sex=sex)
    assert (total, band, positive) == (result.total, result.band, result.positive)
    assert isinstance(result.total, int)


# EPICES coefficients as printed in Sass et al. 2006 (item 1 to 11), typed here from the table.
EPICES_COEFFICIENTS = [
    "10.06",
    "-11.83",
    "-8.28",
    "-8.28",
    "14.80",
    "-6.51",
    "-7.10",
    "-7.10",
    "-9.47",
    "-9.47",
    "-7.10",
]


def test_epices_extremes_are_exactly_0_and_100():
    """The most and least favourable answers give exactly 0.00 and 100.00."""
    best = [False, True, True, True, False, True, True, True, True, True, True]
    worst = [not answer for answer in best]
    assert Decimal("0.00") == score("epices", best).total
    assert Decimal("100.00") == score("epices", worst).total
    assert score("epices", best).band == "not-precarious"
    assert score("epices", worst).band == "precarious"


def test_epices_worked_examples():
    """Hand-added EPICES examples: all no = 75.14, all yes = 24.86, and a mixed case 81.06."""
    assert Decimal("75.14") == score("epices", [False] * 11).total
    assert Decimal("24.86") == score("epices", [True] * 11).total
    mixed = [True, False, False, False, True, False, False, False, True, True, False]
    # 75.14 + 10.06 + 14.80 - 9.47 - 9.47
    result = score("epices", mixed)
    assert (Decimal("81.06"), "precarious", True) == (result.total, result.band, result.positive)


@given(st.lists(st.booleans(), min_size=11, max_size=11))
def test_epices_matches_the_published_formula(answers):
    """EPICES is 75.14 plus the coefficients of the "yes" items, for any answers."""
    expected = Decimal("75.14") + sum(
        (Decimal(c) for c, yes in zip(EPICES_COEFFICIENTS, answers, strict=True) if yes),
        Decimal(0),
    )
    result = score("epices", answers)
    assert expected == result.total
    assert result.band == ("precarious" if expected >= Decimal("30.17") else "not-precarious")


def test_phq9_item_9_flag_whatever_the_total():
    """Item 9 above 0 raises the suicidal-thoughts flag even with a minimal total."""
    low = score("phq-9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    high = score("phq-9", [3, 3, 3, 3, 3, 3, 3, 3, 0])
    assert (low.total, low.band, low.flags) == (1, "minimal", ("suicidal-thoughts",))
    assert high.flags == ()


def test_audit_who_flags():
    """AUDIT flags: 2 or more on an item 4-6, and 4 on item 9 or 10 (WHO 2001)."""
    assert score("audit", [1, 0, 0, 0, 2, 0, 0, 0, 0, 0]).flags == ("dependence-symptoms",)
    assert score("audit", [1, 0, 0, 1, 1, 1, 0, 0, 0, 4]).flags == ("harm-past-year",)
    assert score("audit", [1, 0, 0, 1, 1, 1, 0, 0, 2, 2]).flags == ()


def test_competing_band_schemes_by_name():
    """The WHO zones and the French five-level FTND are offered by name."""
    answers = [4, 2, 3, 1, 0, 1, 2, 0, 2, 4]  # 19
    assert score("audit", answers, scheme="who-zones").band == "zone-3"
    assert score("audit", [4, 4, 4, 4, 4, 0, 0, 0, 0, 0], scheme="who-zones").band == "zone-4"
    assert score("ftnd", [3, 1, 1, 3, 1, 1], scheme="fr-5-levels").band == "very-strong"
    assert score("ftnd", [3, 1, 1, 3, 1, 1]).band == "strong"
    assert score("hsi", [1, 1], scheme="international").band == "low"
    with pytest.raises(NotFoundError, match="band scheme"):
        score("audit", answers, scheme="sfa")


def test_answers_by_item_id():
    """A mapping from item id to answer gives the same total as the sequence."""
    answers = dict(zip([f"q{i}" for i in range(1, 8)], [2, 2, 1, 1, 1, 2, 1], strict=True))
    assert score("gad-7", answers).total == 10


@pytest.mark.parametrize(
    ("name", "answers", "path", "message"),
    [
        ("audit", [0] * 9, "$[9]", "item q10 is missing"),
        ("audit", [0] * 11, "$[10]", "audit has 10 items"),
        ("audit", [0] * 8 + [1, 0], "$[8]", "one of 0, 2, 4 for item q9"),
        ("audit", [0] * 9 + [3], "$[9]", "one of 0, 2, 4 for item q10"),
        ("ftnd", [3, 1, 1, 4, 1, 1], "$[3]", "one of 0, 1, 2, 3 for item q4"),
        ("phq-9", [0] * 8 + [True], "$[8]", "for item q9"),
        ("phq-9", [0] * 8 + ["1"], "$[8]", "for item q9"),
        ("phq-9", [0] * 8 + [1.0], "$[8]", "for item q9"),
        ("epices", [1] + [False] * 10, "$[0]", "one of True, False for item q1"),
        ("deta", [True, False, None, True], "$[2]", "for item q3"),
        ("gad-7", {"q1": 0, "q9": 1}, "$.q9", "unknown item"),
        ("gad-7", {"q1": 0}, "$.q2", "item q2 is missing"),
        ("cast", "012345", "$", "expected a sequence"),
        ("cast", [[0], 0, 0, 0, 0, 0], "$[0]", "for item q1"),
    ],
)
def test_bad_answers_name_the_item(name, answers, path, message):
    """A missing, extra, unknown or out-of-range answer is a ValidationError at its item."""
    with pytest.raises(ValidationError) as caught:
        score(name, answers)
    assert path in [e.path for e in caught.value.errors]
    assert message in str(caught.value)


def test_every_problem_is_listed_at_once():
    """Several bad answers are all reported in one error."""
    with pytest.raises(ValidationError) as caught:
        score("audit", [5, 0, 0, 0, 0, 0, 0, 0, 1])
    assert [e.path for e in caught.value.errors] == ["$[9]", "$[0]", "$[8]"]


def test_unknown_instrument_and_sex():
    """An unknown instrument is a NotFoundError; an unknown sex code a ValidationError."""
    with pytest.raises(NotFoundError, match="'k10'"):
        score("k10", [])
    with pytest.raises(ValidationError, match=r"\$\.sex"):
        score("audit-c", [1, 1, 1], sex="f")


def test_every_instrument_is_shipped_with_its_range():
    """The ten instruments load, with the published ranges and number of items."""
    expected = {
        "audit": (10, 0, 40),
        "audit-c": (3, 0, 12),
        "cast": (6, 0, 24),
        "ftnd": (6, 0, 10),
        "hsi": (2, 0, 6),
        "phq-9": (9, 0, 27),
        "gad-7": (7, 0, 21),
        "epices": (11, Decimal(0), Decimal(100)),
        "deta": (4, 0, 4),
        "dast-10": (10, 0, 10),
    }
    actual = {k: (len(v.items), v.minimum, v.maximum) for k, v in instruments().items()}
    assert expected == actual


def test_yes_no_instruments():
    """EPICES, DETA and DAST-10 take booleans; the others take points."""
    kinds = {k for k, v in instruments().items() if v.answer_kind is AnswerKind.YES_NO}
    assert {"epices", "deta", "dast-10"} == kinds


def test_every_instrument_cites_sources_and_has_french_labels():
    """Every instrument, item, option and band has sources or French labels."""
    for inst in instruments().values():
        assert inst.sources
        assert all(scheme.sources for scheme in inst.schemes)
        for item in inst.items:
            assert item.label_fr
            assert all(option.label_fr for option in item.options)


@st.composite
def _valid_answers(draw):
    inst = draw(st.sampled_from(sorted(instruments().values(), key=lambda i: i.id)))
    options = [draw(st.sampled_from(item.options)) for item in inst.items]
    return inst, options


@given(_valid_answers(), st.sampled_from([None, Sex.FEMALE, Sex.MALE]))
def test_any_valid_answers_score_within_range_and_band(case, sex):
    """Any valid answers give the sum of the options' points, inside the range and its band."""
    inst, options = case
    result = inst.score([o.answer for o in options], sex=sex)
    assert inst.intercept + sum(o.points for o in options) == result.total
    assert inst.minimum <= result.total <= inst.maximum
    if result.band is not None:
        band = inst.band(result.total, sex)
        assert band is not None
        assert band.low <= result.total <= band.high


def test_from_total_checks_range_and_precision():
    """A total alone is checked against the range and the instrument's precision."""
    assert instrument("phq-9").from_total(12).band == "moderate"
    assert not instrument("phq-9").from_total(12).from_answers
    with pytest.raises(ValidationError, match="from 0 to 27"):
        instrument("phq-9").from_total(28)
    with pytest.raises(ValidationError, match="2 decimals"):
        instrument("epices").from_total(Decimal("30.175"))


def _bradley_2007(total: int, sex: Sex | None) -> bool | None:
    """AUDIT-C screen by hand (Bradley 2007): women from 3, men from 4, else both agree."""
    if sex is Sex.FEMALE:
        return total >= 3
    if sex is Sex.MALE:
        return total >= 4
    return None if total == 3 else total >= 4


@pytest.mark.parametrize("sex", [Sex.FEMALE, Sex.MALE, Sex.OTHER, None])
def test_audit_c_band_follows_the_sex_specific_thresholds(sex):
    """`Instrument.band` keeps only the bands of the given sex; other or no sex decides alone."""
    audit_c = instrument("audit-c")
    for total in range(13):
        positive = _bradley_2007(total, sex)
        expected = None if positive is None else ("positive" if positive else "negative")
        band = audit_c.band(total, sex)
        assert (total, None if band is None else band.id) == (total, expected)
        if band is not None and sex in {Sex.FEMALE, Sex.MALE}:
            assert band.sex is sex
        assert (total, audit_c.is_positive(total, sex)) == (total, positive)
        assert (total, audit_c.from_total(total, sex=sex).positive) == (total, positive)
