"""The shipped indicator catalogue, age bands and improvement thresholds, and a network's own."""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from microstructure import _validators as _v
from microstructure._data import find_by_id, load_shipped, merge_overrides
from microstructure._frozen import frozen_tuple, read_only
from microstructure._validators import identifier as _identifier
from microstructure.errors import ErrorDetail, ValidationError
from microstructure.evaluation._model import AgeBand, Indicator
from microstructure.io import load

__all__ = [
    "ImprovementThreshold",
    "age_bands",
    "improvement_thresholds",
    "indicator",
    "indicators",
    "load_indicators",
]


def _sources(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _v.tuple_of(str, "strings")(_, attribute, value)


@attrs.frozen
class _IndicatorFile:
    """A file of indicators: ``indicators = [...]`` and the ``sources`` they follow."""

    indicators: tuple[Indicator, ...] = attrs.field(
        converter=frozen_tuple, validator=_v.tuple_of(Indicator, "Indicator")
    )
    sources: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple, validator=_sources)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        errors = []
        for index, item in enumerate(self.indicators):
            if item.id in seen:
                message = "expected an id used once in the file"
                errors.append(ErrorDetail(f"$.indicators[{index}].id", message, item.id))
            seen.add(item.id)
        if errors:
            raise ValidationError(errors, subject="indicators")


@attrs.frozen
class _AgeBandFile:
    bands: tuple[AgeBand, ...] = attrs.field(
        converter=frozen_tuple, validator=_v.tuple_of(AgeBand, "AgeBand")
    )

    def __attrs_post_init__(self) -> None:
        expected_min = 0
        for index, band in enumerate(self.bands):
            last = index == len(self.bands) - 1
            if band.min != expected_min or (band.max is None) != last:
                message = f"expected a band from {expected_min}, open only if it is the last"
                detail = ErrorDetail(f"$.bands[{index}]", message, band.label)
                raise ValidationError([detail], subject="age bands")
            expected_min = (band.max or 0) + 1


def _points(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1000:  # noqa: PLR2004
        _v.fail(attribute, value, "a positive number of points")


@attrs.frozen(kw_only=True)
class ImprovementThreshold:
    """The minimal improvement of an instrument's score counted as meaningful.

    An assessment pair improved when ``baseline − follow_up ≥ points`` (lower scores
    are better on every shipped instrument). ``published`` tells a published minimal
    clinically important difference from a configurable default of the library.

    Examples:
        >>> from microstructure.evaluation import improvement_thresholds
        >>> phq9 = improvement_thresholds()["phq-9"]
        >>> phq9.points, phq9.published
        (5.0, True)
        >>> improvement_thresholds()["audit-c"].published
        False
    """

    instrument: str = attrs.field(validator=_identifier)
    """The instrument id (``phq-9``)."""
    points: float = attrs.field(validator=_points)
    """The minimal decrease of the score, in points."""
    published: bool = attrs.field(validator=_v.instance_of(bool))
    """Whether ``points`` is a published minimal clinically important difference."""
    note: str = attrs.field(default="", validator=_v.instance_of(str))
    """How the threshold was set."""
    sources: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple, validator=_sources)
    """Where it comes from, by title."""


@attrs.frozen
class _ThresholdFile:
    thresholds: tuple[ImprovementThreshold, ...] = attrs.field(
        converter=frozen_tuple, validator=_v.tuple_of(ImprovementThreshold, "ImprovementThreshold")
    )


@functools.cache
def _shipped() -> Mapping[str, Indicator]:
    loaded = load_shipped(_IndicatorFile, "evaluation/indicators.toml")
    return read_only({item.id: item for item in loaded.indicators})


def indicators(
    *, overrides: Iterable[Indicator] | Mapping[str, Indicator] = ()
) -> Mapping[str, Indicator]:
    """Every indicator by id, in catalogue order: the shipped ones, ``overrides`` merged over them.

    ``overrides`` are a network's own indicators (see `load_indicators`): each replaces
    the shipped indicator with the same id, or adds one. The mapping is read-only.

    Raises:
        ValidationError: if an override is not an `Indicator`.

    Examples:
        >>> from microstructure.evaluation import indicators
        >>> catalogue = indicators()
        >>> list(catalogue)[:3]
        ['active-file', 'new-inclusions', 'exits']
        >>> catalogue["rcp-held"].disclosure
        False
    """
    if overrides == ():
        return _shipped()
    merged = merge_overrides(_shipped(), overrides, Indicator, lambda i: i.id, "indicator")
    return types.MappingProxyType(merged)


def indicator(
    indicator_id: str, *, overrides: Iterable[Indicator] | Mapping[str, Indicator] = ()
) -> Indicator:
    """The indicator ``indicator_id``, from the shipped catalogue with ``overrides`` merged.

    Raises:
        NotFoundError: if no indicator has that id (the message lists them).
        ValidationError: if ``indicator_id`` is not a string, or an override not an `Indicator`.

    Examples:
        >>> from microstructure.evaluation import indicator
        >>> indicator("sex-ratio").title.fr
        'Sex-ratio'
        >>> indicator("file-active")
        Traceback (most recent call last):
        ...
        microstructure.errors.NotFoundError: unknown indicator 'file-active': expected one of 'active-file', ...
    """
    table = indicators(overrides=overrides)
    return find_by_id(table, indicator_id, kind="indicator", id_name="indicator id")


def load_indicators(source: str | Path | Mapping[str, Any]) -> tuple[Indicator, ...]:
    """A network's own indicators, from a TOML/JSON file (or data) ``{"indicators": [...]}``.

    Pass them as ``overrides=`` to `indicators`, or directly to `compute`. Every problem is
    reported with its path, such as ``$.indicators[3].numerator.where[0].column``.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: if an indicator is invalid (unknown key, population, column,
            operator or dimension; an id used twice).

    Examples:
        >>> from microstructure.evaluation import load_indicators
        >>> mine = load_indicators({"indicators": [{
        ...     "id": "video-consultations",
        ...     "title": {"en": "Video consultations", "fr": "Téléconsultations"},
        ...     "description": {"en": "Held by video.", "fr": "Honorées en vidéo."},
        ...     "unit": "count",
        ...     "numerator": {"population": "consultations", "where": [
        ...         {"column": "mode", "operator": "eq", "value": "video"},
        ...         {"column": "status", "operator": "eq", "value": "held"}]},
        ... }]})
        >>> mine[0].numerator.where[0].value
        'video'
    """
    try:
        return load(_IndicatorFile, source, what="indicators").indicators
    except ValidationError as exc:
        if exc.subject in {"_IndicatorFile", "indicators"}:
            raise ValidationError(exc.errors, subject="indicators") from None
        raise


@functools.cache
def _age_bands() -> tuple[AgeBand, ...]:
    return load_shipped(_AgeBandFile, "evaluation/age_bands.toml").bands


def age_bands() -> tuple[AgeBand, ...]:
    """The shipped age bands of the ``age-band`` breakdown, youngest first.

    Examples:
        >>> from microstructure.evaluation import age_bands
        >>> age_bands()[-1].label, age_bands()[-1].max
        ('65+', None)
    """
    return _age_bands()


@functools.cache
def _thresholds() -> Mapping[str, ImprovementThreshold]:
    loaded = load_shipped(_ThresholdFile, "evaluation/improvement.toml")
    return read_only({item.instrument: item for item in loaded.thresholds})


def improvement_thresholds() -> Mapping[str, ImprovementThreshold]:
    """The shipped minimal improvements by instrument id (read-only), with their sources.

    Instruments not listed have no threshold: their score changes are not counted as
    improved or not.

    Examples:
        >>> from microstructure.evaluation import improvement_thresholds
        >>> sorted(improvement_thresholds())
        ['audit-c', 'gad-7', 'phq-9']
    """
    return _thresholds()
