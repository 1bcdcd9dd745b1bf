"""The criterion algebra: small frozen classes that serialise to tagged JSON objects.

Every criterion is a JSON object whose ``"type"`` names its kind; groups nest other
criteria under ``"of"`` (or ``"criterion"`` for ``not``)::

    {"type": "all", "of": [
        {"type": "indication", "indication": "addiction"},
        {"type": "not", "criterion": {"type": "followed-elsewhere", "domain": "addiction"}}
    ]}
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Iterable
from typing import Any, TypeAlias

import attrs

from microstructure import _validators as _v
from microstructure._frozen import frozen_tuple
from microstructure._validators import fail as _fail
from microstructure.eligibility._instruments import Points, instruments
from microstructure.eligibility._situation import MAX_AGE, FieldValue
from microstructure.eligibility._taxonomy import (
    Behaviour,
    Family,
    Indication,
    Substance,
    is_situation_code,
)
from microstructure.errors import FieldError

__all__ = [
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
]


def _label_field() -> Any:
    return attrs.field(default=None, validator=_v.optional(_v.instance_of(str)))


# Converters: a member or its value; anything else is a located `FieldError`.
def _to_indication(value: Indication | str) -> Indication:
    return _v.to_enum(Indication, value, "indication")


def _to_substance(value: Substance | str | None) -> Substance | None:
    return None if value is None else _v.to_enum(Substance, value, "substance")


def _to_behaviour(value: Behaviour | str | None) -> Behaviour | None:
    return None if value is None else _v.to_enum(Behaviour, value, "behaviour")


def _to_family(value: Family | str) -> Family:
    return _v.to_enum(Family, value, "family")


def _to_domain(value: Indication | str | None) -> Indication | None:
    return None if value is None else _v.to_enum(Indication, value, "domain")


def _to_op(value: Op | str) -> Op:
    return _v.to_enum(Op, value, "op")


@_v.json_schema({"minItems": 1})
def _non_empty(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not value:
        _fail(attribute, value, "at least one criterion")
    for item in value:
        if not isinstance(item, _CLASSES):
            _fail(attribute, type(item).__name__, "criteria")


def _one_criterion(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, _CLASSES):
        _fail(attribute, type(value).__name__, "a criterion")


@_v.json_schema(lambda: {"enum": sorted(instruments())})
def _instrument_id(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or value not in instruments():
        _fail(attribute, value, "an instrument id among " + ", ".join(sorted(instruments())))


@attrs.frozen(kw_only=True, cache_hash=True)
class AllOf:
    """Holds when every criterion holds (false if one is false, else unknown if one is unknown).

    Examples:
        >>> from microstructure.eligibility import AllOf, HasIndication, Indication
        >>> AllOf(of=(HasIndication(indication=Indication.ADDICTION),)).of[0].indication.value
        'addiction'
    """

    of: tuple[Criterion, ...] = attrs.field(converter=frozen_tuple, validator=_non_empty)
    """The criteria that must all hold."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


@attrs.frozen(kw_only=True, cache_hash=True)
class AnyOf:
    """Holds when one criterion holds (unknown if none holds and one is unknown).

    Examples:
        >>> from microstructure.eligibility import AnyOf, UsesSubstance
        >>> len(AnyOf(of=(UsesSubstance(),)).of)
        1
    """

    of: tuple[Criterion, ...] = attrs.field(converter=frozen_tuple, validator=_non_empty)
    """The criteria one of which must hold."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


@attrs.frozen(kw_only=True, cache_hash=True)
class Not:
    """Holds when ``criterion`` fails; unknown stays unknown.

    Examples:
        >>> from microstructure.eligibility import FollowedElsewhere, Not
        >>> Not(criterion=FollowedElsewhere()).criterion
        FollowedElsewhere(domain=None, label=None, label_fr=None)
    """

    criterion: Criterion = attrs.field(validator=_one_criterion)
    """The criterion that must fail."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


@_v.json_schema({"minimum": 1})
def _check_at_least(instance: AtLeast, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        _fail(attribute, value, "a whole number of criteria, at least 1")
    if value > len(instance.of):
        _fail(attribute, value, f"at most the number of criteria listed ({len(instance.of)})")


@attrs.frozen(kw_only=True, cache_hash=True)
class AtLeast:
    """Holds when at least ``n`` of the criteria hold.

    Examples:
        >>> from microstructure.eligibility import AtLeast, Family, InFamily
        >>> AtLeast(n=1, of=tuple(InFamily(family=f) for f in Family)).n
        1
    """

    of: tuple[Criterion, ...] = attrs.field(converter=frozen_tuple, validator=_non_empty)
    """The criteria counted."""
    n: int = attrs.field(validator=_check_at_least)
    """How many must hold."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


@attrs.frozen(kw_only=True, cache_hash=True)
class HasIndication:
    """Holds when the situation lists ``indication``.

    Examples:
        >>> from microstructure.eligibility import HasIndication
        >>> HasIndication(indication="precarity").indication
        <Indication.PRECARITY: 'precarity'>
    """

    indication: Indication = attrs.field(converter=_to_indication)
    """The indication the situation must list."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


@attrs.frozen(kw_only=True, cache_hash=True)
class UsesSubstance:
    """Holds when the addiction involves ``substance`` (any substance when ``None``).

    Examples:
        >>> from microstructure.eligibility import UsesSubstance
        >>> UsesSubstance(substance="cannabis").substance
        <Substance.CANNABIS: 'cannabis'>
    """

    substance: Substance | None = attrs.field(default=None, converter=_to_substance)
    """The substance, or ``None`` for any."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


@attrs.frozen(kw_only=True, cache_hash=True)
class HasBehaviour:
    """Holds when the situation lists an addiction without substance (``behaviour``, or any).

    Examples:
        >>> from microstructure.eligibility import HasBehaviour
        >>> HasBehaviour().behaviour is None
        True
    """

    behaviour: Behaviour | None = attrs.field(default=None, converter=_to_behaviour)
    """The behaviour, or ``None`` for any addiction without a substance."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


def _situation_code(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not is_situation_code(value):
        _fail(
            attribute,
            value,
            "a situation code of the taxonomy, or a network code starting with 'x-'",
        )


@attrs.frozen(kw_only=True, cache_hash=True)
class HasSituation:
    """Holds when the situation lists the situation ``code``.

    Examples:
        >>> from microstructure.eligibility import HasSituation
        >>> HasSituation(situation="bereavement").situation
        'bereavement'
    """

    situation: str = attrs.field(validator=_situation_code)
    """The situation code the situation must list."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


@attrs.frozen(kw_only=True, cache_hash=True)
class InFamily:
    """Holds when one of the situations listed belongs to ``family`` (somatic, psychiatric…).

    With ``precarity_only``, only the situations marked as precarity count.

    Examples:
        >>> from microstructure.eligibility import InFamily
        >>> InFamily(family="environmental", precarity_only=True).family
        <Family.ENVIRONMENTAL: 'environmental'>
    """

    family: Family = attrs.field(converter=_to_family)
    """The family of the taxonomy."""
    precarity_only: bool = attrs.field(default=False, validator=_v.instance_of(bool))
    """Count only situations marked as precarity."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


def _to_points(value: Points | decimal.Decimal | int | str) -> Points:
    if isinstance(value, Points):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str | decimal.Decimal):
        raise FieldError(value, "a number of points", field="value")
    try:
        points = Points(str(value))
    except decimal.InvalidOperation:
        raise FieldError(value, "a number of points", field="value") from None
    if not points.is_finite():
        raise FieldError(value, "a finite number of points", field="value")
    return points


@attrs.frozen(kw_only=True, cache_hash=True)
class ScoreAtLeast:
    """Holds when the instrument's total is at least ``value``.

    Examples:
        >>> from microstructure.eligibility import ScoreAtLeast
        >>> ScoreAtLeast(instrument="epices", value="30.17").value
        Decimal('30.17')
    """

    instrument: str = attrs.field(validator=_instrument_id)
    """Instrument id."""
    value: Points = attrs.field(converter=_to_points)
    """Lowest total that holds."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


def _check_bands(
    instance: ScoreInBand, attribute: attrs.Attribute[Any], value: tuple[str, ...]
) -> None:
    if not value:
        _fail(attribute, value, "at least one band id")
    known = instruments().get(instance.instrument)
    if known is None:
        return
    try:
        scheme = known.scheme(instance.scheme)
    except LookupError:
        _fail(attribute, instance.scheme, "a band scheme of " + instance.instrument)
    ids = {band.id for band in scheme.bands}
    for band in value:
        if band not in ids:
            _fail(attribute, band, f"band ids of {instance.instrument} ({', '.join(sorted(ids))})")


def _to_tuple(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    if not isinstance(values, tuple | list | frozenset | set):
        raise FieldError(type(values).__name__, "band ids", field="bands")
    return tuple(values)


@attrs.frozen(kw_only=True, cache_hash=True)
class ScoreInBand:
    """Holds when the instrument's band (in ``scheme``, default the French one) is one of ``bands``.

    Examples:
        >>> from microstructure.eligibility import ScoreInBand
        >>> ScoreInBand(instrument="phq-9", bands=("moderate", "severe")).bands
        ('moderate', 'severe')
    """

    instrument: str = attrs.field(validator=_instrument_id)
    """Instrument id."""
    bands: tuple[str, ...] = attrs.field(converter=_to_tuple, validator=_check_bands)
    """Band ids that hold."""
    scheme: str | None = None
    """Band scheme id, or ``None`` for the instrument's default."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


@attrs.frozen(kw_only=True, cache_hash=True)
class ScreenPositive:
    """Holds when the instrument's total reaches its published cut-off (sex-specific for AUDIT-C).

    Examples:
        >>> from microstructure.eligibility import ScreenPositive
        >>> ScreenPositive(instrument="audit-c").instrument
        'audit-c'
    """

    instrument: str = attrs.field(validator=_instrument_id)
    """Instrument id."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


def _check_flag(instance: HasFlag, attribute: attrs.Attribute[Any], value: object) -> None:
    known = instruments().get(instance.instrument)
    if known is not None and (
        not isinstance(value, str) or value not in {r.id for r in known.flags}
    ):
        flags = ", ".join(rule.id for rule in known.flags) or "none"
        _fail(attribute, value, f"a flag of {instance.instrument} ({flags})")


@attrs.frozen(kw_only=True, cache_hash=True)
class HasFlag:
    """Holds when the instrument's answers raise ``flag`` (PHQ-9 ``"suicidal-thoughts"``).

    Examples:
        >>> from microstructure.eligibility import HasFlag
        >>> HasFlag(instrument="phq-9", flag="suicidal-thoughts").flag
        'suicidal-thoughts'
    """

    instrument: str = attrs.field(validator=_instrument_id)
    """Instrument id."""
    flag: str = attrs.field(validator=_check_flag)
    """Flag id raised by an item (``suicidal-thoughts``)."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


def _check_age_bounds(instance: AgeBetween, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AGE:
        _fail(attribute, value, f"an age in whole years from 0 to {MAX_AGE}, or null")
    if attribute.name == "maximum" and instance.minimum is not None and value < instance.minimum:
        _fail(attribute, value, f"a maximum not below the minimum ({instance.minimum})")


@attrs.frozen(kw_only=True, cache_hash=True)
class AgeBetween:
    """Holds when the age is from ``minimum`` to ``maximum`` years, both inclusive (``None``: open).

    With only an age band known, the result is unknown when the band straddles a bound.

    Examples:
        >>> from microstructure.eligibility import AgeBetween
        >>> AgeBetween(minimum=18).maximum is None
        True
    """

    minimum: int | None = attrs.field(default=None, validator=_check_age_bounds)
    """Lowest age accepted, or ``None``."""
    maximum: int | None = attrs.field(default=None, validator=_check_age_bounds)
    """Highest age accepted, or ``None``."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


@attrs.frozen(kw_only=True, cache_hash=True)
class FollowedElsewhere:
    """Holds when another scheme already follows the patient (of ``domain``, or any).

    Examples:
        >>> from microstructure.eligibility import FollowedElsewhere
        >>> FollowedElsewhere(domain="addiction").domain
        <Indication.ADDICTION: 'addiction'>
    """

    domain: Indication | None = attrs.field(default=None, converter=_to_domain)
    """``addiction`` or ``mental-health``, or ``None`` for any scheme."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


class Op(enum.StrEnum):
    """A comparison of a field predicate."""

    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"

    @property
    def symbol(self) -> str:
        """The mathematical symbol, for explanations."""
        return {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}[self.value]


_SITUATION_FIELDS = ("age", "sex")


def _check_field(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not (
        value in _SITUATION_FIELDS or (value.startswith("extra.") and len(value) > len("extra."))
    ):
        _fail(attribute, value, "'age', 'sex' or 'extra.<name>' for a network field")


@attrs.frozen(kw_only=True, cache_hash=True)
class FieldIs:
    """Holds when ``field`` compares to ``value`` with ``op`` (``age``, ``sex`` or ``extra.<name>``).

    Examples:
        >>> from microstructure.eligibility import FieldIs
        >>> FieldIs(field="extra.children", op="ge", value=3).op
        <Op.GE: 'ge'>
    """

    field: str = attrs.field(validator=_check_field)
    """``age``, ``sex`` or ``extra.<name>``."""
    op: Op = attrs.field(converter=_to_op)
    """Comparison operator."""
    value: FieldValue
    """Value compared with."""
    label: str | None = _label_field()
    """English text shown in explanations instead of the generated one."""
    label_fr: str | None = _label_field()
    """French text shown in explanations instead of the generated one."""


#: Any criterion of the algebra.
Criterion: TypeAlias = (
    AllOf
    | AnyOf
    | Not
    | AtLeast
    | HasIndication
    | UsesSubstance
    | HasBehaviour
    | HasSituation
    | InFamily
    | ScoreAtLeast
    | ScoreInBand
    | ScreenPositive
    | HasFlag
    | AgeBetween
    | FollowedElsewhere
    | FieldIs
)

_TAGS: dict[type[Any], str] = {
    AllOf: "all",
    AnyOf: "any",
    Not: "not",
    AtLeast: "at-least",
    HasIndication: "indication",
    UsesSubstance: "substance",
    HasBehaviour: "behaviour",
    HasSituation: "situation",
    InFamily: "family",
    ScoreAtLeast: "score-at-least",
    ScoreInBand: "score-in-band",
    ScreenPositive: "screen-positive",
    HasFlag: "flag",
    AgeBetween: "age-between",
    FollowedElsewhere: "followed-elsewhere",
    FieldIs: "field",
}
_BY_TAG = {tag: cls for cls, tag in _TAGS.items()}
_CLASSES = tuple(_TAGS)


def criterion_type(criterion: Criterion) -> str:
    """The ``"type"`` tag of ``criterion`` in JSON.

    Examples:
        >>> from microstructure.eligibility import AtLeast, UsesSubstance, criterion_type
        >>> criterion_type(AtLeast(n=1, of=(UsesSubstance(),)))
        'at-least'
    """
    tag = _TAGS.get(type(criterion))
    if tag is None:
        raise FieldError(type(criterion).__name__, "a criterion", field="criterion")
    return tag


#: Read by `microstructure.io`: the criterion union, tagged by ``"type"``.
_TAGGED_UNIONS = ((Criterion, "a criterion", _BY_TAG),)
