"""Eligibility: who may enter a microstructure, and why.

- a taxonomy shipped as data: `Indication`, `Substance`, `Behaviour`, the four
  `Family` groups of inclusion criteria and their situations (`taxonomy`);
- screening instruments shipped as data (AUDIT, AUDIT-C, CAST, FTND, HSI, PHQ-9, GAD-7,
  EPICES, DETA, DAST-10) and `score`;
- a patient `Situation` (codes and numbers only, never identity);
- a criterion algebra (`AllOf`, `AnyOf`, `Not`, `AtLeast`, leaves) that round-trips
  through JSON, evaluated in three-valued logic by `decide` into an explainable
  `Decision`, with default `Policy` data per program and `load_policy` for a network's own;
- `read_situations` and `write_decisions`: a situations file in, its `DecisionFile` (or
  CSV, or text) out, one row at a time.

Examples:
    >>> from microstructure.eligibility import Situation, decide, score
    >>> score("gad-7", [2, 2, 1, 1, 1, 2, 1]).band
    'moderate'
    >>> decide(Situation(situations={"bereavement"}), "sante-mentale").outcome.value
    'eligible'
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
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
        criterion_type,
    )
    from microstructure.eligibility._decide import alerts, decide
    from microstructure.eligibility._decision import Decision, Explanation, Outcome, Truth
    from microstructure.eligibility._decisions_file import (
        DecisionFile,
        DecisionRow,
        write_decisions,
    )
    from microstructure.eligibility._instruments import (
        Answer,
        AnswerKind,
        AnswerOption,
        Band,
        BandScheme,
        Cutoff,
        FlagRule,
        Instrument,
        Item,
        Points,
        Score,
        instrument,
        instruments,
        score,
    )
    from microstructure.eligibility._loading import (
        default_policies,
        default_policy,
        load_criterion,
        load_policy,
    )
    from microstructure.eligibility._policy import Policy, check_policy
    from microstructure.eligibility._reading import SituationRow, read_situations
    from microstructure.eligibility._situation import FieldValue, Situation
    from microstructure.eligibility._taxonomy import (
        Behaviour,
        Family,
        FollowUp,
        Indication,
        Label,
        SituationKind,
        Substance,
        Taxonomy,
        is_situation_code,
        situation_kind,
        taxonomy,
    )
    from microstructure.vocabulary import Sex

__all__ = [
    "AgeBetween",
    "AllOf",
    "Answer",
    "AnswerKind",
    "AnswerOption",
    "AnyOf",
    "AtLeast",
    "Band",
    "BandScheme",
    "Behaviour",
    "Criterion",
    "Cutoff",
    "Decision",
    "DecisionFile",
    "DecisionRow",
    "Explanation",
    "Family",
    "FieldIs",
    "FieldValue",
    "FlagRule",
    "FollowUp",
    "FollowedElsewhere",
    "HasBehaviour",
    "HasFlag",
    "HasIndication",
    "HasSituation",
    "InFamily",
    "Indication",
    "Instrument",
    "Item",
    "Label",
    "Not",
    "Op",
    "Outcome",
    "Points",
    "Policy",
    "Score",
    "ScoreAtLeast",
    "ScoreInBand",
    "ScreenPositive",
    "Sex",
    "Situation",
    "SituationKind",
    "SituationRow",
    "Substance",
    "Taxonomy",
    "Truth",
    "UsesSubstance",
    "alerts",
    "check_policy",
    "criterion_type",
    "decide",
    "default_policies",
    "default_policy",
    "instrument",
    "instruments",
    "is_situation_code",
    "load_criterion",
    "load_policy",
    "read_situations",
    "score",
    "situation_kind",
    "taxonomy",
    "write_decisions",
]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.eligibility._criteria": (
                "AgeBetween",
                "AllOf",
                "AnyOf",
                "AtLeast",
                "Criterion",
                "FieldIs",
                "FollowedElsewhere",
                "HasBehaviour",
                "HasFlag",
                "HasIndication",
                "HasSituation",
                "InFamily",
                "Not",
                "Op",
                "ScoreAtLeast",
                "ScoreInBand",
                "ScreenPositive",
                "UsesSubstance",
                "criterion_type",
            ),
            "microstructure.eligibility._decide": (
                "alerts",
                "decide",
            ),
            "microstructure.eligibility._decision": (
                "Decision",
                "Explanation",
                "Outcome",
                "Truth",
            ),
            "microstructure.eligibility._decisions_file": (
                "DecisionFile",
                "DecisionRow",
                "write_decisions",
            ),
            "microstructure.eligibility._instruments": (
                "Answer",
                "AnswerKind",
                "AnswerOption",
                "Band",
                "BandScheme",
                "Cutoff",
                "FlagRule",
                "Instrument",
                "Item",
                "Points",
                "Score",
                "instrument",
                "instruments",
                "score",
            ),
            "microstructure.eligibility._loading": (
                "default_policies",
                "default_policy",
                "load_criterion",
                "load_policy",
            ),
            "microstructure.eligibility._policy": (
                "Policy",
                "check_policy",
            ),
            "microstructure.eligibility._reading": (
                "SituationRow",
                "read_situations",
            ),
            "microstructure.eligibility._situation": (
                "FieldValue",
                "Situation",
            ),
            "microstructure.eligibility._taxonomy": (
                "Behaviour",
                "Family",
                "FollowUp",
                "Indication",
                "Label",
                "SituationKind",
                "Substance",
                "Taxonomy",
                "is_situation_code",
                "situation_kind",
                "taxonomy",
            ),
            "microstructure.vocabulary": ("Sex",),
        },
    )
