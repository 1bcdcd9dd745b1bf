"""Hypothesis strategies for eligibility: criteria, policies, situations and decisions."""

from decimal import Decimal
from typing import TypeVar

from hypothesis import strategies as st

from microstructure.eligibility import (
    AgeBetween,
    AllOf,
    AnyOf,
    AtLeast,
    Behaviour,
    DecisionFile,
    DecisionRow,
    Family,
    FieldIs,
    FollowedElsewhere,
    FollowUp,
    HasBehaviour,
    HasFlag,
    HasIndication,
    HasSituation,
    Indication,
    InFamily,
    Not,
    Op,
    Outcome,
    Policy,
    ScoreAtLeast,
    ScoreInBand,
    ScreenPositive,
    Sex,
    Situation,
    Substance,
    UsesSubstance,
    decide,
    default_policies,
    instruments,
    taxonomy,
)

INSTRUMENTS = sorted(instruments())
SITUATION_CODES = sorted(taxonomy().situations)
LABELS = st.none() | st.text(min_size=1, max_size=20)
FIELDS = st.sampled_from(["age", "sex", "extra.children", "extra.housed", "extra.zone"])
FIELD_VALUES = st.integers(-5, 200) | st.booleans() | st.sampled_from(["f", "m", "qpv", "rural"])


@st.composite
def score_at_least(draw):
    name = draw(st.sampled_from(INSTRUMENTS))
    inst = instruments()[name]
    if inst.decimals:
        value = Decimal(draw(st.integers(0, 10_000))) / 100
    else:
        value = Decimal(draw(st.integers(0, int(inst.maximum))))
    return ScoreAtLeast(instrument=name, value=value, label=draw(LABELS))


@st.composite
def score_in_band(draw):
    name = draw(st.sampled_from(INSTRUMENTS))
    scheme = draw(st.sampled_from(instruments()[name].schemes))
    ids = sorted({b.id for b in scheme.bands})
    bands = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
    chosen = draw(st.sampled_from([None, scheme.id]))
    if chosen is None and scheme.id != instruments()[name].default_scheme:
        chosen = scheme.id
    return ScoreInBand(instrument=name, bands=tuple(bands), scheme=chosen)


@st.composite
def age_between(draw):
    low = draw(st.none() | st.integers(0, 100))
    high = draw(st.none() | st.integers(low or 0, 130))
    return AgeBetween(minimum=low, maximum=high)


LEAVES = st.one_of(
    st.builds(HasIndication, indication=st.sampled_from(Indication), label=LABELS),
    st.builds(UsesSubstance, substance=st.none() | st.sampled_from(Substance)),
    st.builds(HasBehaviour, behaviour=st.none() | st.sampled_from(Behaviour)),
    st.builds(HasSituation, situation=st.sampled_from([*SITUATION_CODES, "x-network-code"])),
    st.builds(InFamily, family=st.sampled_from(Family), precarity_only=st.booleans()),
    score_at_least(),
    score_in_band(),
    st.builds(ScreenPositive, instrument=st.sampled_from(INSTRUMENTS), label_fr=LABELS),
    st.builds(HasFlag, instrument=st.just("phq-9"), flag=st.just("suicidal-thoughts"))
    | st.builds(
        HasFlag,
        instrument=st.just("audit"),
        flag=st.sampled_from(["dependence-symptoms", "harm-past-year"]),
    ),
    age_between(),
    st.builds(FollowedElsewhere, domain=st.none() | st.sampled_from(Indication)),
    st.builds(FieldIs, field=FIELDS, op=st.sampled_from(Op), value=FIELD_VALUES),
)


def _groups(children):
    parts = st.lists(children, min_size=1, max_size=4).map(tuple)

    @st.composite
    def at_least(draw):
        of = draw(parts)
        return AtLeast(of=of, n=draw(st.integers(1, len(of))), label=draw(LABELS))

    return st.one_of(
        st.builds(AllOf, of=parts, label=LABELS, label_fr=LABELS),
        st.builds(AnyOf, of=parts),
        st.builds(Not, criterion=children),
        at_least(),
    )


CRITERIA = st.recursive(LEAVES, _groups, max_leaves=12)

POLICIES = st.builds(
    Policy,
    program=st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True),
    name=st.text(min_size=1, max_size=20),
    name_fr=st.text(min_size=1, max_size=20),
    criterion=CRITERIA,
    when_unknown=st.sampled_from([Outcome.TO_REVIEW, Outcome.NOT_ELIGIBLE]),
    sources=st.lists(st.text(max_size=20), max_size=2).map(tuple),
    notes=st.text(max_size=20),
)


T = TypeVar("T")


def _maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


@st.composite
def answers(draw):
    chosen = draw(st.lists(st.sampled_from(INSTRUMENTS), max_size=3, unique=True))
    out = {}
    for name in chosen:
        inst = instruments()[name]
        out[name] = [draw(st.sampled_from(item.options)).answer for item in inst.items]
    return out


SITUATIONS = st.builds(
    Situation,
    code=_maybe(st.from_regex(r"[A-Z0-9]{4,8}", fullmatch=True)),
    age=_maybe(st.integers(0, 130)),
    age_band=_maybe(st.sampled_from(["0-17", "18-24", "25-44", "45-64", "65+", "16-30"])),
    sex=_maybe(st.sampled_from(Sex)),
    indications=_maybe(st.frozensets(st.sampled_from(Indication))),
    substances=_maybe(st.frozensets(st.sampled_from(Substance), max_size=3)),
    behaviours=_maybe(st.frozensets(st.sampled_from(Behaviour), max_size=2)),
    situations=_maybe(
        st.frozensets(st.sampled_from([*SITUATION_CODES, "x-network-code"]), max_size=4)
    ),
    followed_by=_maybe(st.frozensets(st.sampled_from(FollowUp), max_size=2)),
    answers=answers(),
    extra=st.dictionaries(
        st.sampled_from(["children", "housed", "zone"]), FIELD_VALUES, max_size=3
    ),
)

#: A decision of a drawn situation, by a drawn policy or a shipped one.
DECISIONS = st.builds(decide, SITUATIONS, POLICIES | st.sampled_from(sorted(default_policies())))

DECISION_ROWS = st.builds(
    DecisionRow,
    index=st.integers(0, 10**9),
    line=st.none() | st.integers(1, 10**9),
    decisions=st.lists(DECISIONS, max_size=3).map(tuple),
)

DECISION_FILES = st.builds(DecisionFile, rows=st.lists(DECISION_ROWS, max_size=4).map(tuple))
