"""The criterion algebra: JSON round trips, stable JSON form, errors and Kleene logic."""

import json
import re
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.eligibility import strategies

from microstructure.eligibility import (
    AgeBetween,
    AllOf,
    AnyOf,
    AtLeast,
    Criterion,
    FieldIs,
    FollowedElsewhere,
    HasBehaviour,
    HasFlag,
    HasIndication,
    HasSituation,
    InFamily,
    Not,
    Op,
    Policy,
    ScoreAtLeast,
    ScoreInBand,
    ScreenPositive,
    Situation,
    Truth,
    UsesSubstance,
    criterion_type,
    decide,
    default_policies,
    instruments,
    load_criterion,
    load_policy,
    taxonomy,
)
from microstructure.errors import ValidationError
from microstructure.io import dumps, from_data, loads, to_data


@given(strategies.CRITERIA)
def test_every_criterion_round_trips_through_json(criterion):
    """A criterion written to JSON and read back is equal to the original."""
    assert criterion == from_data(Criterion, json.loads(json.dumps(to_data(criterion))))
    assert criterion == load_criterion(dumps(criterion))


@given(strategies.POLICIES)
def test_every_policy_round_trips_through_json(policy):
    """A policy written to JSON and read back is equal to the original."""
    assert policy == loads(Policy, dumps(policy))
    assert policy == load_policy(json.loads(dumps(policy)))


def test_default_policies_round_trip():
    """The shipped policies round-trip exactly."""
    for policy in default_policies().values():
        assert policy == loads(Policy, dumps(policy))


def test_json_form_is_stable():
    """The documented JSON form: a "type" tag, groups under "of", defaults left out."""
    criterion = AllOf(
        of=(
            HasIndication(indication="addiction"),
            Not(criterion=FollowedElsewhere(domain="addiction")),
            AtLeast(n=1, of=(UsesSubstance(), HasBehaviour(behaviour="gambling"))),
            ScoreAtLeast(instrument="epices", value="30.17"),
            ScoreInBand(instrument="phq-9", bands=("moderate", "severe")),
            AgeBetween(minimum=18),
            FieldIs(field="extra.children", op=Op.GE, value=3),
        ),
        label="example",
    )
    expected = {
        "type": "all",
        "of": [
            {"type": "indication", "indication": "addiction"},
            {"type": "not", "criterion": {"type": "followed-elsewhere", "domain": "addiction"}},
            {
                "type": "at-least",
                "of": [{"type": "substance"}, {"type": "behaviour", "behaviour": "gambling"}],
                "n": 1,
            },
            {"type": "score-at-least", "instrument": "epices", "value": 30.17},
            {"type": "score-in-band", "instrument": "phq-9", "bands": ["moderate", "severe"]},
            {"type": "age-between", "minimum": 18},
            {"type": "field", "field": "extra.children", "op": "ge", "value": 3},
        ],
        "label": "example",
    }
    assert expected == json.loads(dumps(criterion))


def test_every_kind_has_a_tag():
    """Each criterion class has its own stable tag."""
    tags = {
        criterion_type(c)
        for c in (
            AllOf(of=(UsesSubstance(),)),
            AnyOf(of=(UsesSubstance(),)),
            Not(criterion=UsesSubstance()),
            AtLeast(n=1, of=(UsesSubstance(),)),
            HasIndication(indication="precarity"),
            UsesSubstance(),
            HasBehaviour(),
            HasSituation(situation="debt"),
            InFamily(family="somatic"),
            ScoreAtLeast(instrument="cast", value=7),
            ScoreInBand(instrument="cast", bands=["high-risk"]),
            ScreenPositive(instrument="cast"),
            HasFlag(instrument="phq-9", flag="suicidal-thoughts"),
            AgeBetween(),
            FollowedElsewhere(),
            FieldIs(field="age", op="lt", value=18),
        )
    }
    assert len(tags) == 16


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ({"type": "every"}, "$.type", "one of 'all'"),
        ({"of": []}, "$.type", "required key is missing"),
        ({"type": "all", "of": []}, "$.of", "at least one criterion"),
        ({"type": "all", "of": [{"type": "indication"}]}, "$.of[0].indication", "missing"),
        (
            {"type": "any", "of": [{"type": "substance", "substance": "wine"}]},
            "$.of[0].substance",
            "'alcohol'",
        ),
        ({"type": "at-least", "n": 3, "of": [{"type": "substance"}]}, "$.n", "at most"),
        ({"type": "at-least", "n": 0, "of": [{"type": "substance"}]}, "$.n", "at least 1"),
        ({"type": "situation", "situation": "lonely"}, "$.situation", "'x-'"),
        (
            {"type": "score-at-least", "instrument": "k10", "value": 20},
            "$.instrument",
            "instrument id",
        ),
        ({"type": "score-at-least", "instrument": "cast", "value": "7"}, None, None),
        ({"type": "score-in-band", "instrument": "cast", "bands": ["red"]}, "$.bands", "band ids"),
        ({"type": "flag", "instrument": "cast", "flag": "x"}, "$.flag", "a flag of cast"),
        ({"type": "age-between", "minimum": 30, "maximum": 20}, "$.maximum", "not below"),
        ({"type": "field", "field": "name", "op": "eq", "value": 1}, "$.field", "'extra.<name>'"),
        (
            {"type": "indication", "indication": "addiction", "weight": 2},
            "$.weight",
            "unexpected key",
        ),
        ([], "$", "a criterion"),
    ],
)
def test_bad_criteria_are_located(data, path, message):
    """Every mistake in a criterion is reported at its JSON path."""
    if path is None:
        assert load_criterion(data) == ScoreAtLeast(instrument="cast", value=7)
        return
    with pytest.raises(ValidationError) as caught:
        load_criterion(data)
    error = caught.value
    assert path in [e.path for e in error.errors]
    assert message in str(error)
    assert str(error).startswith("invalid criterion")


def test_every_problem_in_a_policy_is_listed():
    """A policy with three mistakes lists all three with their paths."""
    data = {
        "program": "Equip addict",
        "name": "x",
        "name_fr": "x",
        "criterion": {
            "type": "all",
            "of": [{"type": "indication", "indication": "x"}, {"type": "substance", "s": 1}],
        },
        "when_unknown": "eligible",
    }
    with pytest.raises(ValidationError) as caught:
        load_policy(data)
    paths = sorted(e.path for e in caught.value.errors)
    assert "$.criterion.of[0].indication" in paths
    assert "$.criterion.of[1].s" in paths


# -- three-valued logic ----------------------------------------------------------------

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
# Leaves with a known result on SITUATION: indication precarity is true, addiction false,
# substances unknown.
SITUATION = Situation(indications={"precarity"})
LEAF: dict[Truth, Criterion] = {
    T: HasIndication(indication="precarity"),
    F: HasIndication(indication="addiction"),
    U: UsesSubstance(),
}
# Kleene's strong three-valued tables.
AND = {(T, T): T, (T, F): F, (T, U): U, (F, F): F, (F, U): F, (U, U): U}
OR = {(T, T): T, (T, F): T, (T, U): T, (F, F): F, (F, U): U, (U, U): U}


def _result(criterion: Any) -> Any:
    policy = Policy(program="test", name="t", name_fr="t", criterion=criterion)
    return decide(SITUATION, policy).explanation.result


@pytest.mark.parametrize(("a", "b"), list(AND))
def test_all_and_any_follow_kleene_tables(a, b):
    """all-of and any-of give Kleene's strong conjunction and disjunction, both orders."""
    for left, right in ((a, b), (b, a)):
        assert AND[a, b] == _result(AllOf(of=(LEAF[left], LEAF[right])))
        assert OR[a, b] == _result(AnyOf(of=(LEAF[left], LEAF[right])))


def test_not_keeps_unknown():
    """Not swaps true and false and keeps unknown."""
    assert [_result(Not(criterion=LEAF[v])) for v in (T, F, U)] == [F, T, U]


@pytest.mark.parametrize(
    ("values", "n", "expected"),
    [
        ((T, T, F), 2, T),
        ((T, F, F), 2, F),
        ((T, U, F), 2, U),
        ((U, U, U), 1, U),
        ((F, F, U), 2, F),
        ((T, U, U), 1, T),
        ((T, T, T), 3, T),
    ],
)
def test_at_least_counts_true_and_unknown(values, n, expected):
    """at-least n is true with n trues, false when even the unknowns cannot reach n."""
    assert expected == _result(AtLeast(n=n, of=tuple(LEAF[v] for v in values)))


# An independent reference: Kleene logic as min/max over F=0 < U=1 < T=2.
_RANK = {F: 0, U: 1, T: 2}
_TRUTH = {0: F, 1: U, 2: T}
_BAND = re.compile(r"^(\d+)(?:-(\d+)|\+)$")


def _age_span(situation: Any) -> tuple[int, int] | None:
    if situation.age is not None:
        return situation.age, situation.age
    if situation.age_band is None:
        return None
    match = _BAND.match(situation.age_band)
    assert match is not None
    return int(match.group(1)), int(match.group(2) or 130)


def _ref_leaf(c: Any, s: Any) -> bool | None:  # noqa: C901, PLR0911, PLR0912
    def has(values: Any, test: Callable[[Any], bool]) -> bool | None:
        return None if values is None else test(values)

    match c:
        case HasIndication():
            return has(s.indications, lambda v: c.indication in v)
        case UsesSubstance():
            return has(s.substances, lambda v: (c.substance in v) if c.substance else len(v) > 0)
        case HasBehaviour():
            return has(s.behaviours, lambda v: (c.behaviour in v) if c.behaviour else len(v) > 0)
        case HasSituation():
            return has(s.situations, lambda v: c.situation in v)
        case InFamily():
            codes = {
                k.code
                for k in taxonomy().situations.values()
                if k.family == c.family and (k.precarity or not c.precarity_only)
            }
            return has(s.situations, lambda v: len(codes & set(v)) > 0)
        case ScoreAtLeast() | ScoreInBand() | ScreenPositive() | HasFlag():
            r = s.score(c.instrument)
            if r is None:
                return None
            if isinstance(c, ScoreAtLeast):
                return bool(r.total >= c.value)
            if isinstance(c, ScreenPositive):
                return bool(r.positive) if r.positive is not None else None
            if isinstance(c, HasFlag):
                return (c.flag in r.flags) if r.from_answers else None
            band = instruments()[c.instrument].band(r.total, s.sex, c.scheme)
            return None if band is None else band.id in c.bands
        case AgeBetween():
            span = _age_span(s)
            if span is None:
                return None
            low, high = c.minimum or 0, 130 if c.maximum is None else c.maximum
            if low <= span[0] and span[1] <= high:
                return True
            return None if span[1] >= low and span[0] <= high else False
        case FollowedElsewhere():
            return has(
                s.followed_by,
                lambda v: any(c.domain is None or f.domain == c.domain for f in v),
            )
        case FieldIs():
            value = {"age": s.age, "sex": s.sex}.get(c.field, s.extra.get(c.field[6:]))
            if value is None:
                return None
            if c.op not in (Op.EQ, Op.NE) and isinstance(value, str) != isinstance(c.value, str):
                return False
            ops = {
                "eq": value == c.value,
                "ne": value != c.value,
                "lt": lambda: value < c.value,
                "le": lambda: value <= c.value,
                "gt": lambda: value > c.value,
                "ge": lambda: value >= c.value,
            }
            result = ops[c.op.value]
            return bool(result() if callable(result) else result)
    raise AssertionError(c)


def _reference(c: Any, s: Any) -> int:
    match c:
        case AllOf():
            return min(_reference(p, s) for p in c.of)
        case AnyOf():
            return max(_reference(p, s) for p in c.of)
        case Not():
            return 2 - _reference(c.criterion, s)
        case AtLeast():
            ranks = [_reference(p, s) for p in c.of]
            if ranks.count(2) >= c.n:
                return 2
            return 0 if ranks.count(2) + ranks.count(1) < c.n else 1
    value = _ref_leaf(c, s)
    return 1 if value is None else (2 if value else 0)


@given(strategies.CRITERIA, strategies.SITUATIONS)
def test_evaluation_matches_an_independent_reference(criterion, situation):
    """Decide agrees with a min/max Kleene interpreter on any criterion and situation."""
    policy = Policy(program="test", name="t", name_fr="t", criterion=criterion)
    assert _TRUTH[_reference(criterion, situation)] == decide(situation, policy).explanation.result


_FILLS = {
    "indications": st.frozensets(st.sampled_from(["addiction", "precarity", "mental-health"])),
    "substances": st.frozensets(st.sampled_from(["alcohol", "cannabis"])),
    "behaviours": st.frozensets(st.sampled_from(["gambling"])),
    "situations": st.frozensets(st.sampled_from(["debt", "bereavement", "chronic-illness"])),
    "followed_by": st.frozensets(st.sampled_from(["csapa", "cmp"])),
    "sex": st.sampled_from(["female", "male"]),
}


@given(strategies.CRITERIA, strategies.SITUATIONS, st.data())
def test_learning_more_never_reverses_a_known_result(criterion, situation, data):
    """Filling in unknown fields turns unknown into true or false, never true into false."""
    policy = Policy(program="test", name="t", name_fr="t", criterion=criterion)
    before = decide(situation, policy).explanation.result
    fills = {
        name: data.draw(strategy)
        for name, strategy in _FILLS.items()
        if getattr(situation, name) is None
    }
    if situation.age is None and situation.age_band is None:
        fills["age"] = data.draw(st.integers(0, 130))
    after = decide(attrs.evolve(situation, **fills), policy).explanation.result
    if before is not Truth.UNKNOWN:
        assert before == after
