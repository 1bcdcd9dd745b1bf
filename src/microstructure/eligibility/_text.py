"""English and French text of criteria, for explanations."""

from __future__ import annotations

import decimal

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
    ScoreAtLeast,
    ScoreInBand,
    ScreenPositive,
    UsesSubstance,
)
from microstructure.eligibility._instruments import instruments
from microstructure.eligibility._taxonomy import Indication, taxonomy

__all__ = ["describe", "number_fr"]


def number_fr(value: decimal.Decimal | int) -> str:
    """A number written the French way (decimal comma).

    Examples:
        >>> number_fr(decimal.Decimal("30.17"))
        '30,17'
    """
    return str(value).replace(".", ",")


_DOMAINS = {
    Indication.ADDICTION: ("addiction", "d'addictologie"),
    Indication.MENTAL_HEALTH: ("mental-health", "de santé mentale"),
    Indication.PRECARITY: ("social", "social"),
}


def _name(instrument_id: str) -> str:
    return instrument_id.upper()


def _situation_labels(code: str) -> tuple[str, str]:
    kind = taxonomy().situations.get(code)
    if kind is None:
        return code, code
    return kind.label, kind.label_fr


def _band_labels(criterion: ScoreInBand) -> tuple[str, str]:
    scheme = instruments()[criterion.instrument].scheme(criterion.scheme)
    english: list[str] = []
    french: list[str] = []
    for band_id in criterion.bands:
        band = next(b for b in scheme.bands if b.id == band_id)
        if band.label not in english:
            english.append(band.label)
            french.append(band.label_fr)
    return " or ".join(english), " ou ".join(french)


def _describe(criterion: Criterion) -> tuple[str, str]:  # noqa: C901, PLR0911, PLR0912
    match criterion:
        case AllOf():
            return "all of", "toutes les conditions suivantes"
        case AnyOf():
            return "any of", "au moins une des conditions suivantes"
        case AtLeast(n=n):
            return f"at least {n} of", f"au moins {n} des conditions suivantes"
        case Not():
            return "not", "pas"
        case HasIndication(indication=indication):
            return f"indication: {indication.label}", f"indication : {indication.label_fr}"
        case UsesSubstance(substance=None):
            return "addiction to a substance", "addiction à une substance"
        case UsesSubstance(substance=substance) if substance is not None:
            return f"substance: {substance.label}", f"substance : {substance.label_fr}"
        case HasBehaviour(behaviour=None):
            return "addiction without a substance", "addiction sans substance"
        case HasBehaviour(behaviour=behaviour) if behaviour is not None:
            return (
                f"addiction without a substance: {behaviour.label}",
                f"addiction sans substance : {behaviour.label_fr}",
            )
        case HasSituation(situation=code):
            english, french = _situation_labels(code)
            return f"situation: {english}", f"situation : {french}"
        case InFamily(family=family, precarity_only=precarity_only):
            if precarity_only:
                return (
                    f"a situation of precarity ({family.label})",
                    f"une situation de précarité d'ordre {family.label_fr}",
                )
            article = "an" if family.label[0] in "aeiou" else "a"
            return f"{article} {family.label} situation", f"une situation d'ordre {family.label_fr}"
        case ScoreAtLeast(instrument=instrument, value=value):
            shown = value if value != value.to_integral_value() else int(value)
            return (
                f"{_name(instrument)} score of {shown} or more",
                f"score {_name(instrument)} supérieur ou égal à {number_fr(shown)}",
            )
        case ScoreInBand(instrument=instrument):
            english, french = _band_labels(criterion)
            return f"{_name(instrument)}: {english}", f"{_name(instrument)} : {french}"
        case ScreenPositive(instrument=instrument):
            return (
                f"positive {_name(instrument)} screen",
                f"repérage positif ({_name(instrument)})",
            )
        case HasFlag(instrument=instrument, flag=flag):
            rule = next(r for r in instruments()[instrument].flags if r.id == flag)
            return f"{_name(instrument)}: {rule.label}", f"{_name(instrument)} : {rule.label_fr}"
        case AgeBetween(minimum=low, maximum=high):
            if low is not None and high is not None:
                return f"aged {low} to {high}", f"âgé(e) de {low} à {high} ans"
            if low is not None:
                return f"aged {low} or more", f"âgé(e) de {low} ans ou plus"
            if high is not None:
                return f"aged {high} or less", f"âgé(e) de {high} ans ou moins"
            return "of any age", "de tout âge"
        case FollowedElsewhere(domain=None):
            return "already followed by another scheme", "déjà suivi(e) par un autre dispositif"
        case FollowedElsewhere(domain=domain) if domain is not None:
            english, french = _DOMAINS[domain]
            return (
                f"already followed by another {english} scheme",
                f"déjà suivi(e) par un autre dispositif {french}",
            )
        case FieldIs(field=field, op=op, value=value):
            return f"{field} {op.symbol} {value!r}", f"{field} {op.symbol} {value!r}"
    raise AssertionError(criterion)  # pragma: no cover - every class is matched


def describe(criterion: Criterion) -> tuple[str, str]:
    """The English and French text of ``criterion`` (its own labels when it has them).

    Examples:
        >>> from microstructure.eligibility import ScoreAtLeast
        >>> describe(ScoreAtLeast(instrument="epices", value="30.17"))
        ('EPICES score of 30.17 or more', 'score EPICES supérieur ou égal à 30,17')
    """
    english, french = _describe(criterion)
    return criterion.label or english, criterion.label_fr or french
