"""Three-valued evaluation of criteria, explainable decisions and program policies."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, cast

import attrs

from microstructure._data import list_data, load_data
from microstructure._validators import identifier as _identifier
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
from microstructure.eligibility._instruments import instruments
from microstructure.eligibility._situation import Situation
from microstructure.eligibility._taxonomy import FollowUp, taxonomy
from microstructure.eligibility._text import describe
from microstructure.errors import (
    ConfigurationError,
    ErrorDetail,
    Finding,
    NotFoundError,
    Severity,
    ValidationError,
    define_finding,
)
from microstructure.io import from_data, loads, read_file

__all__ = [
    "Decision",
    "Explanation",
    "Outcome",
    "Policy",
    "Truth",
    "alerts",
    "check_policy",
    "decide",
    "default_policies",
    "default_policy",
    "load_criterion",
    "load_policy",
]

_AREA = "eligibility"
SUICIDAL_THOUGHTS = define_finding(
    "MS-ELIG-001",
    Severity.ERROR,
    "Suicidal thoughts reported (PHQ-9 item 9): assess the risk now",
    "Idées suicidaires signalées (question 9 du PHQ-9) : évaluer le risque sans attendre",
    area=_AREA,
)
DEPENDENCE_SYMPTOMS = define_finding(
    "MS-ELIG-002",
    Severity.WARNING,
    "Alcohol dependence symptoms (AUDIT items 4 to 6)",
    "Signes de dépendance à l'alcool (questions 4 à 6 de l'AUDIT)",
    area=_AREA,
)
ALCOHOL_HARM = define_finding(
    "MS-ELIG-003",
    Severity.WARNING,
    "Alcohol-related harm in the past year (AUDIT item 9 or 10)",
    "Dommage lié à l'alcool dans l'année (question 9 ou 10 de l'AUDIT)",
    area=_AREA,
)
OTHER_FLAG = define_finding(
    "MS-ELIG-004",
    Severity.WARNING,
    "Screening flag raised by an item",
    "Signal d'alerte levé par une question d'un test de repérage",
    area=_AREA,
)
THRESHOLD_OUT_OF_RANGE = define_finding(
    "MS-ELIG-005",
    Severity.WARNING,
    "Score threshold outside the instrument's range: the criterion never changes",
    "Seuil hors de l'étendue du score : le critère ne change jamais",
    area=_AREA,
)
REPEATED_CRITERION = define_finding(
    "MS-ELIG-006",
    Severity.INFO,
    "Criterion repeated in the same group",
    "Critère répété dans un même groupe",
    area=_AREA,
)
_FLAG_KINDS = {
    ("phq-9", "suicidal-thoughts"): SUICIDAL_THOUGHTS,
    ("audit", "dependence-symptoms"): DEPENDENCE_SYMPTOMS,
    ("audit", "harm-past-year"): ALCOHOL_HARM,
}


class Truth(enum.StrEnum):
    """The value of a criterion in three-valued (Kleene) logic."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


class Outcome(enum.StrEnum):
    """What a decision says: eligible, not eligible, or to review (in an RCP)."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not-eligible"
    TO_REVIEW = "to-review"

    @property
    def label(self) -> str:
        """English label."""
        return _OUTCOME_LABELS[self][0]

    @property
    def label_fr(self) -> str:
        """French label."""
        return _OUTCOME_LABELS[self][1]


_OUTCOME_LABELS = {
    Outcome.ELIGIBLE: ("eligible", "éligible"),
    Outcome.NOT_ELIGIBLE: ("not eligible", "non éligible"),
    Outcome.TO_REVIEW: ("to review in a case meeting (RCP)", "à examiner en RCP"),
}
_MARKS = {
    "en": {Truth.TRUE: "[yes]", Truth.FALSE: "[no] ", Truth.UNKNOWN: "[?]  "},
    "fr": {Truth.TRUE: "[oui]", Truth.FALSE: "[non]", Truth.UNKNOWN: "[?]  "},
}


def _check_lang(lang: str) -> None:
    if lang not in _MARKS:
        raise ValidationError(
            [ErrorDetail("$.lang", "expected 'en' or 'fr'", lang)], subject="lang"
        )


@attrs.frozen(kw_only=True, cache_hash=True)
class Explanation:
    """Why a criterion held, failed or was unknown, with the same for its parts.

    Attributes:
        criterion: Where the criterion is in its policy (``$.criterion.of[1]``).
        text: English text of the criterion.
        text_fr: French text of the criterion.
        result: `Truth.TRUE`, `Truth.FALSE` or `Truth.UNKNOWN`.
        missing: For an unknown result, the situation fields to collect
            (``indications``, ``answers.audit-c``, ``sex``, ``extra.<name>``…).
        children: The explanations of the parts of a group.
    """

    criterion: str
    text: str
    text_fr: str
    result: Truth
    missing: tuple[str, ...] = ()
    children: tuple[Explanation, ...] = ()

    def lines(self, lang: str = "en", depth: int = 0) -> list[str]:
        """The explanation as indented lines, one per criterion.

        What is missing is shown only where it matters: under criteria whose own
        result is still unknown.
        """
        _check_lang(lang)
        return self._lines(lang, depth, show_missing=True)

    def _lines(self, lang: str, depth: int, *, show_missing: bool) -> list[str]:
        text = self.text if lang == "en" else self.text_fr
        line = f"{'  ' * depth}{_MARKS[lang][self.result]} {text}"
        if show_missing and self.missing and not self.children:
            word = "missing:" if lang == "en" else "manque :"
            line += f" ({word} {', '.join(self.missing)})"
        out = [line]
        below = show_missing and self.result is Truth.UNKNOWN
        for child in self.children:
            out.extend(child._lines(lang, depth + 1, show_missing=below))  # noqa: SLF001
        return out


@attrs.frozen(kw_only=True)
class Decision:
    """The decision of a program's policy on one situation, with its reasons.

    Attributes:
        program: The program id (``"equip-addict"``…).
        outcome: Eligible, not eligible or to review.
        explanation: The tree of criteria that held, failed or were unknown.
        to_collect: The fields to fill in to turn an unknown into a decision.
        code: The anonymous code of the situation, if it had one.
        alerts: Findings raised by screening answers whatever the outcome (PHQ-9 item 9…).
    """

    program: str
    outcome: Outcome
    explanation: Explanation
    to_collect: tuple[str, ...] = ()
    code: str | None = None
    alerts: tuple[Finding, ...] = ()

    @property
    def for_rcp(self) -> bool:
        """Whether the case should be discussed at the next case meeting (RCP)."""
        return self.outcome is Outcome.TO_REVIEW

    def explain(self, lang: str = "en") -> str:
        """The decision and its reasons as text, in English (``"en"``) or French (``"fr"``).

        Examples:
            >>> from microstructure.eligibility import Situation, decide
            >>> d = decide(Situation(code="K7", situations={"debt"}), "sante-mentale")
            >>> print(d.explain("fr"))
            K7 — sante-mentale : éligible
            [oui] au moins un critère somatique, psychiatrique, psychologique ou environnemental
              [non] une situation d'ordre somatique
              [non] une situation d'ordre psychiatrique
              [non] une situation d'ordre psychologique
              [oui] une situation d'ordre environnemental
        """
        _check_lang(lang)
        label = self.outcome.label if lang == "en" else self.outcome.label_fr
        who = f"{self.code} — " if self.code else ""
        sep = ":" if lang == "en" else " :"
        out = [f"{who}{self.program}{sep} {label}"]
        out.extend(self.explanation.lines(lang))
        if self.to_collect:
            word = "To collect" if lang == "en" else "À recueillir"
            out.append(f"{word}{sep} {', '.join(self.to_collect)}")
        for alert in self.alerts:
            message = alert.message if lang == "en" else (alert.message_fr or alert.message)
            out.append(f"!! {alert.code} {message}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.explain("en")


def _check_when_unknown(_: object, attribute: attrs.Attribute[Any], value: Outcome) -> None:
    if value is Outcome.ELIGIBLE:
        raise ValueError(  # noqa: TRY003
            "expected 'to-review' or 'not-eligible': missing data never makes a patient eligible",  # noqa: EM101
            attribute,
            "'to-review' or 'not-eligible'",
            value.value,
        )


@attrs.frozen(kw_only=True, cache_hash=True)
class Policy:
    """Who a program takes in: a criterion, and what to do when it is unknown.

    ``when_unknown`` is ``to-review`` (route the case to the RCP, the default) or
    ``not-eligible``. Default policies ship as data; a network loads its own with
    `load_policy`.

    Examples:
        >>> from microstructure.eligibility import default_policy
        >>> default_policy("sante-mentale").when_unknown
        <Outcome.TO_REVIEW: 'to-review'>
    """

    program: str = attrs.field(validator=_identifier)
    name: str
    name_fr: str
    criterion: Criterion
    when_unknown: Outcome = attrs.field(default=Outcome.TO_REVIEW, validator=_check_when_unknown)
    sources: tuple[str, ...] = ()
    notes: str = ""


# -- compilation to closures ----------------------------------------------------------

_Run = Callable[[Situation], Explanation]
_Test = Callable[[Situation], "bool | None"]
_MEMO_LIMIT = 4096
_TOP_AGE = 130


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
    hi = _TOP_AGE if high is None else high

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


def _compile_leaf(criterion: Criterion, path: str) -> _Run:
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
    parts: list[_Run],
    combine: Callable[[list[Truth]], Truth],
) -> _Run:
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


def _compile(criterion: Criterion, path: str) -> _Run:
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
def _compiled(policy: Policy) -> _Run:
    return _compile(policy.criterion, "$.criterion")


# -- decisions ------------------------------------------------------------------------


def alerts(situation: Situation) -> tuple[Finding, ...]:
    """Findings raised by screening answers, whatever any decision (PHQ-9 item 9…).

    Examples:
        >>> from microstructure.eligibility import Situation, alerts
        >>> [a.code for a in alerts(Situation(answers={"phq-9": [0, 0, 0, 0, 0, 0, 0, 0, 1]}))]
        ['MS-ELIG-001']
    """
    found: list[Finding] = []
    for instrument_id in sorted(situation.answers):
        result = situation.score(instrument_id)
        if result is None or not result.flags:
            continue
        rules = {rule.id: rule for rule in instruments()[instrument_id].flags}
        for flag in result.flags:
            rule = rules[flag]
            kind = _FLAG_KINDS.get((instrument_id, flag), OTHER_FLAG)
            where = f"$.answers.{instrument_id}"
            if len(rule.items) == 1:
                where += f"[{int(rule.items[0].removeprefix('q')) - 1}]"
            found.append(kind.at(where, rule.label, rule.label_fr))
    return tuple(found)


def decide(situation: Situation, policy: Policy | str) -> Decision:
    """Decide whether ``situation`` fits ``policy`` (a `Policy` or a program id).

    The criterion is evaluated in three-valued logic: when data is missing the result
    is *unknown*, and the outcome is the policy's ``when_unknown`` (to review by default),
    with the fields to collect.

    Examples:
        >>> from microstructure.eligibility import Situation, decide
        >>> s = Situation(indications={"addiction"}, substances={"alcohol"},
        ...               situations={"isolation"}, followed_by=set())
        >>> decide(s, "equip-addict").outcome
        <Outcome.ELIGIBLE: 'eligible'>
        >>> d = decide(Situation(indications={"addiction"}, situations={"isolation"}), "equip-addict")
        >>> d.outcome, d.to_collect
        (<Outcome.TO_REVIEW: 'to-review'>, ('followed_by',))
    """
    chosen = default_policy(policy) if isinstance(policy, str) else policy
    root = _compiled(chosen)(situation)
    result = root.result
    if result is Truth.TRUE:
        outcome = Outcome.ELIGIBLE
    elif result is Truth.FALSE:
        outcome = Outcome.NOT_ELIGIBLE
    else:
        outcome = chosen.when_unknown
    return Decision(
        program=chosen.program,
        outcome=outcome,
        explanation=root,
        to_collect=root.missing,
        code=situation.code,
        alerts=alerts(situation) if situation.answers else (),
    )


# -- policies as data -----------------------------------------------------------------


@functools.cache
def _shipped() -> dict[str, Policy]:
    found: dict[str, Policy] = {}
    for name in list_data("eligibility/policies"):
        try:
            loaded = from_data(Policy, load_data(name))
        except ValidationError as exc:  # pragma: no cover - guarded by a test
            msg = f"shipped policy file {name!r} is invalid:\n{exc}"
            raise ConfigurationError(msg) from exc
        found[loaded.program] = loaded
    return found


def _merged_policies(overrides: Iterable[Policy] | Mapping[str, Policy]) -> dict[str, Policy]:
    table = dict(_shipped())
    items = overrides.values() if isinstance(overrides, Mapping) else overrides
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        detail = ErrorDetail("$", "expected a list of Policy objects", f"<{type(items).__name__}>")
        raise ValidationError([detail], subject="policy overrides")
    for item in items:
        if not isinstance(item, Policy):
            detail = ErrorDetail("$", "expected Policy objects", type(item).__name__)
            raise ValidationError([detail], subject="policy overrides")
        table[item.program] = item
    return table


def default_policies(
    *, overrides: Iterable[Policy] | Mapping[str, Policy] = ()
) -> dict[str, Policy]:
    """The default policies by program id: the shipped ones, ``overrides`` merged over them.

    Each override replaces the shipped policy of its ``program`` (or adds one).

    Examples:
        >>> from microstructure.eligibility import default_policies
        >>> sorted(default_policies())
        ['droit-commun', 'equip-addict', 'sante-mentale']
    """
    return _merged_policies(overrides)


def default_policy(
    program_id: str, *, overrides: Iterable[Policy] | Mapping[str, Policy] = ()
) -> Policy:
    """The policy of ``program_id``, with ``overrides`` merged over the shipped defaults.

    Raises:
        NotFoundError: if no policy has that program id.
        ValidationError: if ``program_id`` is not a string, or an override not a `Policy`.

    Examples:
        >>> from microstructure.eligibility import default_policy
        >>> default_policy("equip-addict").name
        "Equip'addict: an addiction in a complex situation"
    """
    table = _merged_policies(overrides)
    if not isinstance(cast("object", program_id), str):
        shown = f"<{type(program_id).__name__}>"
        detail = ErrorDetail("$", "expected a program id (a string)", shown)
        raise ValidationError([detail], subject="program id")
    found = table.get(program_id)
    if found is None:
        expected = "one of " + ", ".join(repr(k) for k in sorted(table))
        raise NotFoundError(kind="eligibility policy", code=program_id, expected=expected)
    return found


def load_policy(source: str | Path | Mapping[str, Any]) -> Policy:
    """Load a network's own policy from a JSON or TOML file, or from a mapping.

    Pass it to `decide`, or as ``overrides=[policy]`` to `default_policy`, to
    replace the shipped policy of the same program.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: if the policy is invalid (every problem, with its path).

    Examples:
        >>> from microstructure.eligibility import load_policy
        >>> p = load_policy({"program": "equip-addict", "name": "Adults only",
        ...                  "name_fr": "Adultes seulement",
        ...                  "criterion": {"type": "age-between", "minimum": 18}})
        >>> p.criterion
        AgeBetween(minimum=18, maximum=None, label=None, label_fr=None)
    """
    data = source if isinstance(source, Mapping) else read_file(source, what="policy")
    try:
        return from_data(Policy, data)
    except ValidationError as exc:
        raise ValidationError(exc.errors, subject="eligibility policy") from None


def load_criterion(data: Mapping[str, Any] | str) -> Criterion:
    """Build a criterion from JSON-ready data or JSON text (``{"type": "all", "of": […]}``).

    Raises:
        ValidationError: listing every problem with its path.

    Examples:
        >>> from microstructure.eligibility import load_criterion
        >>> load_criterion('{"type": "screen-positive", "instrument": "cast"}')
        ScreenPositive(instrument='cast', label=None, label_fr=None)
    """
    try:
        if isinstance(data, str):
            result: Criterion = loads(Criterion, data)
        else:
            result = from_data(Criterion, data)
    except ValidationError as exc:
        raise ValidationError(exc.errors, subject="criterion") from None
    return result


def _walk_criteria(criterion: Criterion, path: str) -> list[tuple[Criterion, str]]:
    found = [(criterion, path)]
    if isinstance(criterion, AllOf | AnyOf | AtLeast):
        for i, part in enumerate(criterion.of):
            found.extend(_walk_criteria(part, f"{path}.of[{i}]"))
    elif isinstance(criterion, Not):
        found.extend(_walk_criteria(criterion.criterion, f"{path}.criterion"))
    return found


def check_policy(policy: Policy) -> tuple[Finding, ...]:
    """Findings about a policy that is valid but probably not what its author meant.

    Examples:
        >>> from microstructure.eligibility import check_policy, load_policy
        >>> p = load_policy({"program": "x", "name": "x", "name_fr": "x",
        ...                  "criterion": {"type": "score-at-least", "instrument": "gad-7", "value": 30}})
        >>> [f.code for f in check_policy(p)]
        ['MS-ELIG-005']
    """
    findings: list[Finding] = []
    for criterion, path in _walk_criteria(policy.criterion, "$.criterion"):
        if isinstance(criterion, ScoreAtLeast):
            known = instruments()[criterion.instrument]
            if not known.minimum < criterion.value <= known.maximum:
                findings.append(
                    THRESHOLD_OUT_OF_RANGE.at(
                        f"{path}.value",
                        f"{criterion.instrument} totals run from {known.minimum} to {known.maximum}",
                        f"les scores {criterion.instrument} vont de {known.minimum} à {known.maximum}",
                    )
                )
        if isinstance(criterion, AllOf | AnyOf | AtLeast):
            seen: set[Criterion] = set()
            for i, part in enumerate(criterion.of):
                if part in seen:
                    findings.append(
                        REPEATED_CRITERION.at(
                            f"{path}.of[{i}]",
                            "this criterion already appears in the group",
                            "ce critère figure déjà dans le groupe",
                        )
                    )
                seen.add(part)
    return tuple(sorted(findings, key=lambda f: f.sort_key))
