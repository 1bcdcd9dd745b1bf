"""The compiler of criteria into closures evaluated in three-valued (Kleene) logic."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from microstructure.eligibility._criteria import (
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
    ScoreAtLeast,
    ScoreInBand,
    ScreenPositive,
    UsesSubstance,
)
from microstructure.eligibility._decision import Explanation, Truth
from microstructure.eligibility._instruments import instruments
from microstructure.eligibility._policy import Policy
from microstructure.eligibility._situation import MAX_AGE, Situation
from microstructure.eligibility._taxonomy import FollowUp, taxonomy
from microstructure.eligibility._text import describe

__all__ = ["Run", "compiled"]

#: A compiled criterion: the explanation of its result on a situation.
Run = Callable[[Situation], Explanation]
_Test = Callable[[Situation], "bool | None"]
_MEMO_LIMIT = 4096


def _kleene_all(results: list[Truth]) -> Truth:
    if Truth.FALSE in results:
        return Truth.FALSE
    return Truth.UNKNOWN if Truth.UNKNOWN in results else Truth.TRUE


def _kleene_any(results: list[Truth]) -> Truth:
    if Truth.TRUE in results:
        return Truth.TRUE
    return Truth.UNKNOWN if Truth.UNKNOWN in results else Truth.FALSE


def _kleene_not(results: list[Truth]) -> Truth:
    return {Truth.TRUE: Truth.FALSE, Truth.FALSE: Truth.TRUE}.get(results[0], Truth.UNKNOWN)


def _kleene_at_least(n: int) -> Callable[[list[Truth]], Truth]:
    def combine(results: list[Truth]) -> Truth:
        true = results.count(Truth.TRUE)
        if true >= n:
            return Truth.TRUE
        if true + results.count(Truth.UNKNOWN) < n:
            return Truth.FALSE
        return Truth.UNKNOWN

    return combine


def _set_test(attribute: str, member: object | None) -> _Test:
    if member is None:
        return lambda s: None if (v := getattr(s, attribute)) is None else bool(v)
    return lambda s: None if (v := getattr(s, attribute)) is None else member in v


def _any_of_test(attribute: str, members: frozenset[object]) -> _Test:
    return lambda s: None if (v := getattr(s, attribute)) is None else not members.isdisjoint(v)


def _score_test(criterion: ScoreAtLeast | ScoreInBand | ScreenPositive | HasFlag) -> _Test:
    name = criterion.instrument
    match criterion:
        case ScoreAtLeast(value=value):
            return lambda s: None if (r := s.score(name)) is None else r.total >= value
        case ScoreInBand(bands=bands, scheme=scheme):
            known = instruments()[name]
            wanted = frozenset(bands)
            default = scheme is None or scheme == known.default_scheme

            def in_band(s: Situation) -> bool | None:
                r = s.score(name)
                if r is None:
                    return None
                if default:
                    band_id = r.band
                else:
                    band = known.band(r.total, s.sex, scheme)
                    band_id = None if band is None else band.id
                return None if band_id is None else band_id in wanted

            return in_band
        case ScreenPositive():
            return lambda s: None if (r := s.score(name)) is None else r.positive
        case HasFlag(flag=flag):
            return lambda s: (
                None if (r := s.score(name)) is None or not r.from_answers else flag in r.flags
            )
    raise AssertionError(criterion)  # pragma: no cover


def _age_test(low: int | None, high: int | None) -> _Test:
    lo = 0 if low is None else low
    hi = MAX_AGE if high is None else high

    def test(s: Situation) -> bool | None:
        span = s.age_range
        if span is None:
            return None
        if lo <= span[0] and span[1] <= hi:
            return True
        if span[1] < lo or span[0] > hi:
            return False
        return None

    return test


_COMPARE: dict[Op, Callable[[Any, Any], bool]] = {
    Op.EQ: lambda a, b: bool(a == b),
    Op.NE: lambda a, b: bool(a != b),
    Op.LT: lambda a, b: bool(a < b),
    Op.LE: lambda a, b: bool(a <= b),
    Op.GT: lambda a, b: bool(a > b),
    Op.GE: lambda a, b: bool(a >= b),
}


def _field_test(criterion: FieldIs) -> _Test:
    compare = _COMPARE[criterion.op]
    expected = criterion.value
    field = criterion.field

    def get(s: Situation) -> object:
        if field == "age":
            return s.age
        if field == "sex":
            return s.sex
        return s.extra.get(field.removeprefix("extra."))

    def test(s: Situation) -> bool | None:
        value = get(s)
        if value is None:
            return None
        if criterion.op not in (Op.EQ, Op.NE) and (
            isinstance(value, str) != isinstance(expected, str)
        ):
            return False  # a code is not ordered against a number
        return compare(value, expected)

    return test


def _leaf_test(  # noqa: C901, PLR0911 - one case per kind of leaf
    criterion: Criterion,
) -> tuple[_Test, Callable[[Situation], tuple[str, ...]]]:
    match criterion:
        case HasIndication(indication=indication):
            return _set_test("indications", indication), lambda _: ("indications",)
        case UsesSubstance(substance=substance):
            return _set_test("substances", substance), lambda _: ("substances",)
        case HasBehaviour(behaviour=behaviour):
            return _set_test("behaviours", behaviour), lambda _: ("behaviours",)
        case HasSituation(situation=code):
            return _set_test("situations", code), lambda _: ("situations",)
        case InFamily(family=family, precarity_only=precarity_only):
            codes = frozenset(
                kind.code
                for kind in taxonomy().in_family(family)
                if kind.precarity or not precarity_only
            )
            return _any_of_test("situations", codes), lambda _: ("situations",)
        case ScoreAtLeast() | ScoreInBand() | ScreenPositive() | HasFlag():
            name = criterion.instrument

            def score_missing(s: Situation) -> tuple[str, ...]:
                r = s.score(name)
                return (f"answers.{name}",) if r is None or not r.from_answers else ("sex",)

            return _score_test(criterion), score_missing
        case AgeBetween(minimum=low, maximum=high):
            return _age_test(low, high), lambda _: ("age",)
        case FollowedElsewhere(domain=domain):
            if domain is None:
                return _set_test("followed_by", None), lambda _: ("followed_by",)
            schemes = frozenset(f for f in FollowUp if f.domain is domain)
            return _any_of_test("followed_by", schemes), lambda _: ("followed_by",)
        case FieldIs(field=field):
            return _field_test(criterion), lambda _: (field,)
    raise AssertionError(criterion)  # pragma: no cover


def _compile_leaf(criterion: Criterion, path: str) -> Run:
    text, text_fr = describe(criterion)
    test, missing = _leaf_test(criterion)
    yes = Explanation(criterion=path, text=text, text_fr=text_fr, result=Truth.TRUE)
    no = Explanation(criterion=path, text=text, text_fr=text_fr, result=Truth.FALSE)
    unknown: dict[tuple[str, ...], Explanation] = {}

    def run(s: Situation) -> Explanation:
        result = test(s)
        if result is True:
            return yes
        if result is False:
            return no
        # Unknown results are interned by what is missing, so that groups find their
        # children in their memo by identity.
        needed = missing(s)
        found = unknown.get(needed)
        if found is None:
            found = unknown[needed] = Explanation(
                criterion=path, text=text, text_fr=text_fr, result=Truth.UNKNOWN, missing=needed
            )
        return found

    return run


def _compile_group(
    path: str,
    texts: tuple[str, str],
    parts: list[Run],
    combine: Callable[[list[Truth]], Truth],
) -> Run:
    text, text_fr = texts
    memo: dict[tuple[Explanation, ...], Explanation] = {}

    def run(s: Situation) -> Explanation:
        children = tuple([part(s) for part in parts])
        found = memo.get(children)
        if found is not None:
            return found
        result = combine([child.result for child in children])
        missing: tuple[str, ...] = ()
        if result is Truth.UNKNOWN:
            missing = tuple(
                dict.fromkeys(
                    name
                    for child in children
                    if child.result is Truth.UNKNOWN
                    for name in child.missing
                )
            )
        node = Explanation(
            criterion=path,
            text=text,
            text_fr=text_fr,
            result=result,
            missing=missing,
            children=children,
        )
        if len(memo) < _MEMO_LIMIT:
            memo[children] = node
        return node

    return run


def _compile(criterion: Criterion, path: str) -> Run:
    match criterion:
        case AllOf(of=of) | AnyOf(of=of) | AtLeast(of=of):
            parts = [_compile(c, f"{path}.of[{i}]") for i, c in enumerate(of)]
            combine: Callable[[list[Truth]], Truth]
            if isinstance(criterion, AllOf):
                combine = _kleene_all
            elif isinstance(criterion, AnyOf):
                combine = _kleene_any
            else:
                combine = _kleene_at_least(criterion.n)
            return _compile_group(path, describe(criterion), parts, combine)
        case Not(criterion=inner):
            inner_text, inner_fr = describe(inner)
            texts = (
                criterion.label or f"not: {inner_text}",
                criterion.label_fr or f"non : {inner_fr}",
            )
            return _compile_group(path, texts, [_compile(inner, f"{path}.criterion")], _kleene_not)
    return _compile_leaf(criterion, path)


@functools.lru_cache(maxsize=256)
def compiled(policy: Policy) -> Run:
    """The policy's criterion compiled once (cached by policy) into a `Run`."""
    return _compile(policy.criterion, "$.criterion")
