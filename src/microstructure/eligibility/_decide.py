"""Explainable decisions on a situation, and the alerts its screening answers raise."""

from __future__ import annotations

from microstructure.eligibility._compile import compiled
from microstructure.eligibility._decision import Decision, Outcome, Truth
from microstructure.eligibility._findings import FLAG_KINDS, OTHER_FLAG
from microstructure.eligibility._instruments import instruments
from microstructure.eligibility._loading import default_policy
from microstructure.eligibility._policy import Policy
from microstructure.eligibility._situation import Situation
from microstructure.errors import FieldError, Finding

__all__ = ["alerts", "decide"]


def _require_situation(situation: object) -> None:
    if not isinstance(situation, Situation):
        raise FieldError(type(situation).__name__, "a Situation", field="situation")


def alerts(situation: Situation) -> tuple[Finding, ...]:
    """Findings raised by screening answers, whatever any decision (PHQ-9 item 9…).

    Examples:
        >>> from microstructure.eligibility import Situation, alerts
        >>> [a.code for a in alerts(Situation(answers={"phq-9": [0, 0, 0, 0, 0, 0, 0, 0, 1]}))]
        ['MS-ELIG-001']
    """
    _require_situation(situation)
    found: list[Finding] = []
    for instrument_id in sorted(situation.answers):
        result = situation.score(instrument_id)
        if result is None or not result.flags:
            continue
        rules = {rule.id: rule for rule in instruments()[instrument_id].flags}
        for flag in result.flags:
            rule = rules[flag]
            kind = FLAG_KINDS.get((instrument_id, flag), OTHER_FLAG)
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
    _require_situation(situation)
    if not isinstance(policy, Policy | str):
        raise FieldError(type(policy).__name__, "a Policy or a program id", field="policy")
    chosen = default_policy(policy) if isinstance(policy, str) else policy
    root = compiled(chosen)(situation)
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
