"""Decisions and their explanations, rendered as English or French text."""

from __future__ import annotations

import enum

import attrs

from microstructure._labels import Labelled, labels
from microstructure.errors import ErrorDetail, Finding, ValidationError

__all__ = ["Decision", "Explanation", "Outcome", "Truth"]


class Truth(enum.StrEnum):
    """The value of a criterion in three-valued (Kleene) logic."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


class Outcome(Labelled):
    """What a decision says: eligible, not eligible, or to review (in an RCP)."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not-eligible"
    TO_REVIEW = "to-review"


labels(
    Outcome,
    {
        Outcome.ELIGIBLE: ("eligible", "éligible"),
        Outcome.NOT_ELIGIBLE: ("not eligible", "non éligible"),
        Outcome.TO_REVIEW: ("to review in a case meeting (RCP)", "à examiner en RCP"),
    },
)
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
    """JSONPath of the criterion in the policy."""
    text: str
    """English text of the criterion."""
    text_fr: str
    """French text of the criterion."""
    result: Truth
    """True, false or unknown."""
    missing: tuple[str, ...] = ()
    """Situation fields the criterion needed and did not have."""
    children: tuple[Explanation, ...] = ()
    """Explanations of the parts of a group."""

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
    """Program id the decision is for."""
    outcome: Outcome
    """Eligible, not eligible, or to review at the next RCP."""
    explanation: Explanation
    """Why: the criterion tree with each part's result."""
    to_collect: tuple[str, ...] = ()
    """Situation fields whose absence left the decision open."""
    code: str | None = None
    """The situation's anonymous code, if given."""
    alerts: tuple[Finding, ...] = ()
    """Findings raised by screening answers (PHQ-9 item 9…)."""

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
