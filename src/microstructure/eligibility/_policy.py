"""The policy model: a program's criterion and what an unknown result means."""

from __future__ import annotations

from typing import Any

import attrs

from microstructure._validators import fail as _fail
from microstructure._validators import identifier as _identifier
from microstructure.eligibility._criteria import AllOf, AnyOf, AtLeast, Criterion, Not, ScoreAtLeast
from microstructure.eligibility._decision import Outcome
from microstructure.eligibility._findings import REPEATED_CRITERION, THRESHOLD_OUT_OF_RANGE
from microstructure.eligibility._instruments import instruments
from microstructure.errors import FieldError, Finding

__all__ = ["Policy", "check_policy"]


def _check_when_unknown(_: object, attribute: attrs.Attribute[Any], value: Outcome) -> None:
    if value is Outcome.ELIGIBLE:
        _fail(
            attribute,
            value.value,
            "'to-review' or 'not-eligible': missing data never makes a patient eligible",
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
    if not isinstance(policy, Policy):
        raise FieldError(type(policy).__name__, "a Policy", field="policy")
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
