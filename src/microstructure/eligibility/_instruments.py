"""Screening instruments as data, and `score`."""

from __future__ import annotations

import decimal
import enum
import functools
from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs
import cattrs

from microstructure import _validators as _v
from microstructure._data import find_by_id, list_data, load_shipped
from microstructure._frozen import frozen_tuple, read_only
from microstructure._validators import identifier as _identifier
from microstructure.errors import (
    ConfigurationError,
    ErrorDetail,
    FieldError,
    NotFoundError,
    ValidationError,
)
from microstructure.vocabulary import Sex

__all__ = [
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
]

#: One answer: the points printed on the form (an ``int``) or ``True``/``False`` (yes/no).
Answer = int | bool


class Points(decimal.Decimal):
    """An exact number of points: an integer or a decimal such as ``30.17``.

    In data files, write an integer, or a decimal as a string (``"30.17"``) or a number.
    Arithmetic is exact, so EPICES gives 0.00 and 100.00 at its extremes, not 99.99999.

    Examples:
        >>> from microstructure.eligibility import Points
        >>> Points("75.14") + Points("-11.83")
        Decimal('63.31')
    """

    __slots__ = ()


def _structure_points(value: object, _: type) -> Points:
    expected = "a number of points: an integer, a number or a decimal string such as '30.17'"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FieldError(value, expected)
    text = repr(value) if isinstance(value, float) else str(value)
    try:
        points = Points(text)
    except decimal.InvalidOperation:
        raise FieldError(value, expected) from None
    if not points.is_finite():
        raise FieldError(value, expected)
    return points


def _unstructure_points(value: decimal.Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _structure_answer(value: object, _: type) -> Answer:
    if not isinstance(value, int):
        raise FieldError(value, "the points of an answer (an integer) or true/false")
    return value


def _install(conv: cattrs.Converter) -> None:
    conv.register_structure_hook(Answer, _structure_answer)
    conv.register_structure_hook(Points, _structure_points)
    conv.register_unstructure_hook(Points, _unstructure_points)


#: Read by `microstructure.io.schema`: what the hooks above accept.
_JSON_SCHEMAS = {
    Answer: {
        "type": ["integer", "boolean"],
        "description": "The points of an answer (an integer) or true/false.",
    },
    Points: {
        "anyOf": [
            {"type": "number"},
            {"type": "string", "pattern": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"},
        ],
        "description": "A number of points: an integer, a number or a decimal string such as '30.17'.",
    },
}


_ZERO = Points(0)


class AnswerKind(enum.StrEnum):
    """How answers are given: the points printed on the form, or yes/no booleans."""

    POINTS = "points"
    YES_NO = "yes-no"


@attrs.frozen(kw_only=True)
class AnswerOption:
    """One answer an item accepts: what is passed (``answer``) and the points it gives."""

    answer: Answer
    """What a form sends for this option."""
    points: Points
    """Points the option adds to the total."""
    label: str
    """English text of the option."""
    label_fr: str
    """French text of the option."""


@attrs.frozen(kw_only=True)
class Item:
    """One question of an instrument, with its answer options."""

    id: str = attrs.field(validator=_identifier)
    """Item id (``q1``…)."""
    label: str
    """English question."""
    label_fr: str
    """French question."""
    options: tuple[AnswerOption, ...] = attrs.field(converter=frozen_tuple)
    """The answers a form offers."""


@attrs.frozen(kw_only=True)
class Band:
    """A band of totals from ``low`` to ``high`` (inclusive), for one sex or both."""

    id: str = attrs.field(validator=_identifier)
    """Band id (``mild``…)."""
    low: Points
    """Lowest total in the band."""
    high: Points
    """Highest total in the band."""
    label: str
    """English label."""
    label_fr: str
    """French label."""
    sex: Sex | None = None
    """Sex the band applies to, or ``None`` for both."""

    def contains(self, total: decimal.Decimal | int) -> bool:
        """Whether ``total`` lies in the band."""
        return self.low <= total <= self.high


@attrs.frozen(kw_only=True)
class BandScheme:
    """A named set of bands, with its sources (instruments may offer competing schemes)."""

    id: str = attrs.field(validator=_identifier)
    """Scheme id."""
    name: str
    """English name."""
    name_fr: str
    """French name."""
    bands: tuple[Band, ...] = attrs.field(converter=frozen_tuple)
    """The bands, from the lowest total."""
    sources: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    """Where the cut-offs come from."""


@attrs.frozen(kw_only=True)
class Cutoff:
    """The published threshold of a positive screen, for one sex or both."""

    at_least: Points
    """Lowest positive total."""
    sex: Sex | None = None
    """Sex the cut-off applies to, or ``None`` for both."""


@attrs.frozen(kw_only=True)
class FlagRule:
    """A flag raised when any of ``items`` scores at least ``at_least`` points."""

    id: str = attrs.field(validator=_identifier)
    """Flag id."""
    items: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    """Items that can raise the flag."""
    at_least: Points
    """Lowest answer points that raise it."""
    label: str
    """English label."""
    label_fr: str
    """French label."""
    source: str
    """Where the rule comes from."""


@attrs.frozen(kw_only=True)
class Score:
    """The result of scoring one instrument.

    Attributes:
        instrument: The instrument id.
        total: The total, an ``int`` (or a ``Decimal`` with 2 places for EPICES).
        band: The band id in ``scheme``, or ``None`` when it depends on a sex not given.
        scheme: The band scheme used.
        positive: Whether the total reaches the published cut-off (``None``: depends on
            a sex not given).
        flags: Ids of the flags raised by single items (PHQ-9 ``"suicidal-thoughts"``).
        from_answers: ``False`` when only the total was known: flags cannot be judged.
    """

    instrument: str
    """Instrument id."""
    total: int | decimal.Decimal
    """The total score."""
    band: str | None
    """Band id of the total, if the scheme has bands."""
    scheme: str
    """Band scheme used."""
    positive: bool | None
    """Whether the screen is positive, if the instrument has a cut-off."""
    flags: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    """Flags raised by single items."""
    from_answers: bool = True
    """Whether it was computed from answers (not given as a total)."""


_SEX_VALUES = "one of " + ", ".join(repr(s.value) for s in Sex) + " or None"


@attrs.frozen(kw_only=True)
class Instrument:
    """A screening instrument defined as data: items, options, bands, cut-offs and flags.

    Examples:
        >>> from microstructure.eligibility import instrument
        >>> audit = instrument("audit")
        >>> len(audit.items), audit.minimum, audit.maximum
        (10, 0, 40)
        >>> [o.answer for o in audit.items[8].options]
        [0, 2, 4]
    """

    id: str = attrs.field(validator=_identifier)
    """Instrument id (``audit-c``, ``phq-9``…)."""
    name: str
    """English name."""
    name_fr: str
    """French name."""
    period: str
    """Period the questions ask about, in English."""
    period_fr: str
    """Period the questions ask about, in French."""
    answer_kind: AnswerKind
    """Whether answers are points or yes/no."""
    items: tuple[Item, ...] = attrs.field(
        converter=frozen_tuple, validator=_v.tuple_of(Item, "items")
    )
    """The questions, in order."""
    schemes: tuple[BandScheme, ...] = attrs.field(converter=frozen_tuple)
    """Band schemes for the total."""
    default_scheme: str
    """Id of the scheme used when none is named."""
    positive: tuple[Cutoff, ...] = attrs.field(converter=frozen_tuple)
    """Cut-offs of a positive screen."""
    flags: tuple[FlagRule, ...] = attrs.field(default=(), converter=frozen_tuple)
    """Alerts raised by single items."""
    intercept: Points = _ZERO
    """Constant added to the total (EPICES), if any."""
    decimals: int = 0
    """Decimals of the total."""
    sources: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    """Publications the instrument is taken from."""
    _tables: tuple[Mapping[tuple[type, Answer], decimal.Decimal], ...] = attrs.field(
        converter=frozen_tuple, init=False, repr=False, eq=False
    )
    _item_index: Mapping[str, int] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        tables = tuple(
            read_only(
                {(type(option.answer), option.answer): option.points for option in item.options}
            )
            for item in self.items
        )
        object.__setattr__(self, "_tables", tables)
        index = read_only({item.id: i for i, item in enumerate(self.items)})
        object.__setattr__(self, "_item_index", index)

    @property
    def minimum(self) -> int | decimal.Decimal:
        """The lowest possible total."""
        low = self.intercept + sum(min(o.points for o in item.options) for item in self.items)
        return self._rounded(low)

    @property
    def maximum(self) -> int | decimal.Decimal:
        """The highest possible total."""
        high = self.intercept + sum(max(o.points for o in item.options) for item in self.items)
        return self._rounded(high)

    def scheme(self, scheme_id: str | None = None) -> BandScheme:
        """The band scheme ``scheme_id`` (the default scheme when ``None``).

        Raises:
            NotFoundError: if the instrument has no such scheme.
            ValidationError: if ``scheme_id`` is not a string.
        """
        wanted = scheme_id or self.default_scheme
        if not isinstance(cast("object", wanted), str):
            detail = ErrorDetail("$", "expected a band scheme id (a string)", _shown(wanted))
            raise ValidationError([detail], subject=f"{self.id} band scheme")
        for candidate in self.schemes:
            if candidate.id == wanted:
                return candidate
        expected = "one of " + ", ".join(repr(s.id) for s in self.schemes)
        raise NotFoundError(kind=f"{self.id} band scheme", code=wanted, expected=expected)

    def band(
        self, total: decimal.Decimal | int, sex: Sex | None = None, scheme: str | None = None
    ) -> Band | None:
        """The band of ``total``; ``None`` when the band depends on a sex not given.

        Examples:
            >>> from microstructure.eligibility import Sex, instrument
            >>> audit_c = instrument("audit-c")
            >>> audit_c.band(3, Sex.FEMALE).id, audit_c.band(3, Sex.MALE).id, audit_c.band(3)
            ('positive', 'negative', None)
        """
        value = _as_decimal(total)
        if value is None:
            detail = ErrorDetail("$", "expected a number", _shown(total))
            raise ValidationError([detail], subject=f"{self.id} total")
        found: Band | None = None
        for candidate in self.scheme(scheme).bands:
            if not candidate.contains(value):
                continue
            if (
                candidate.sex is not None
                and sex in (Sex.FEMALE, Sex.MALE)
                and candidate.sex is not sex
            ):
                continue
            if found is not None and found.id != candidate.id:
                return None
            found = candidate
        return found

    def is_positive(self, total: decimal.Decimal | int, sex: Sex | None = None) -> bool | None:
        """Whether ``total`` reaches the published cut-off; ``None`` if it depends on the sex."""
        known = sex in (Sex.FEMALE, Sex.MALE)
        results = {
            total >= cutoff.at_least
            for cutoff in self.positive
            if cutoff.sex is None or not known or cutoff.sex is sex
        }
        return results.pop() if len(results) == 1 else None

    def _rounded(self, total: decimal.Decimal) -> int | decimal.Decimal:
        if self.decimals == 0:
            return int(total)
        return total.quantize(decimal.Decimal(1).scaleb(-self.decimals), decimal.ROUND_HALF_EVEN)

    def _quick_points(self, answers: object) -> list[decimal.Decimal] | None:
        """Points of a list or tuple with one valid answer per item; else ``None``."""
        tables = self._tables
        if (answers.__class__ is not tuple and answers.__class__ is not list) or len(
            cast("Sequence[object]", answers)
        ) != len(tables):
            return None
        try:
            found = [
                table.get((value.__class__, value))  # type: ignore[arg-type]
                for table, value in zip(tables, cast("Sequence[object]", answers), strict=True)
            ]
        except TypeError:  # an unhashable answer: reported by `_points`
            return None
        return None if None in found else cast("list[decimal.Decimal]", found)

    def _points(self, answers: Sequence[Answer] | Mapping[str, Answer]) -> list[decimal.Decimal]:
        """Points of each item, in order; raises a `ValidationError` naming every bad item."""
        errors: list[ErrorDetail] = []
        count = len(self.items)
        values: list[tuple[str, object]]
        if isinstance(answers, Mapping):
            values = []
            for item in self.items:
                if item.id in answers:
                    values.append((f"$.{item.id}", answers[item.id]))
                else:
                    errors.append(
                        ErrorDetail(f"$.{item.id}", f"required answer to item {item.id} is missing")
                    )
                    values.append(("", None))
            errors.extend(
                ErrorDetail(f"$.{key}", f"unknown item: expected items q1 to q{count} of {self.id}")
                for key in answers
                if key not in self._item_index
            )
        elif not isinstance(answers, str | bytes) and isinstance(answers, Sequence):
            values = [(f"$[{i}]", value) for i, value in enumerate(answers[:count])]
            errors.extend(
                ErrorDetail(f"$[{i}]", f"required answer to item {self.items[i].id} is missing")
                for i in range(len(answers), count)
            )
            errors.extend(
                ErrorDetail(f"$[{i}]", f"unexpected answer: {self.id} has {count} items")
                for i in range(count, len(answers))
            )
        else:
            detail = ErrorDetail(
                "$", f"expected a sequence of {count} answers or a mapping of item ids"
            )
            raise ValidationError([detail], subject=f"{self.id} answers")
        points: list[decimal.Decimal] = []
        for item, table, (path, value) in zip(self.items, self._tables, values, strict=False):
            if not path:
                continue
            try:
                found = table.get((type(value), value))  # type: ignore[arg-type]
            except TypeError:  # unhashable: a list or a dict
                found = None
            if found is None:
                shown = ", ".join(repr(o.answer) for o in item.options)
                errors.append(
                    ErrorDetail(
                        path, f"expected one of {shown} for item {item.id} ({item.label})", value
                    )
                )
                continue
            points.append(found)
        if errors:
            raise ValidationError(errors, subject=f"{self.id} answers")
        return points

    def score(
        self,
        answers: Sequence[Answer] | Mapping[str, Answer],
        *,
        sex: Sex | str | None = None,
        scheme: str | None = None,
    ) -> Score:
        """Score ``answers`` (see `score`)."""
        sex_code = _sex(sex)
        points = self._quick_points(answers)
        if points is None:
            points = self._points(answers)
        total = self._rounded(self.intercept + sum(points, decimal.Decimal(0)))
        flags = tuple(
            rule.id
            for rule in self.flags
            if any(points[self._item_index[item]] >= rule.at_least for item in rule.items)
        )
        band = self.band(total, sex_code, scheme)
        return Score(
            instrument=self.id,
            total=total,
            band=None if band is None else band.id,
            scheme=scheme or self.default_scheme,
            positive=self.is_positive(total, sex_code),
            flags=flags,
        )

    def from_total(
        self,
        total: decimal.Decimal | float | str,
        *,
        sex: Sex | str | None = None,
        scheme: str | None = None,
    ) -> Score:
        """A `Score` from a total alone (flags unknown, ``from_answers`` false).

        ``total`` is an integer, a decimal, a float or a numeric string.

        Raises:
            ValidationError: if the total is not a finite number, or is outside the
                instrument's range or precision (checked before any conversion, so a
                total such as ``"1e999999999"`` is refused at once).
        """
        sex_code = _sex(sex)
        value = _as_decimal(total)
        # The range is checked before any rounding or conversion, which could take
        # minutes for a total such as 1e999999999.
        in_range = value is not None and self.minimum <= value <= self.maximum
        rounded = self._rounded(value) if value is not None and in_range else None
        if value is None or rounded is None or rounded != value:
            places = (
                "an integer" if self.decimals == 0 else f"a number with {self.decimals} decimals"
            )
            detail = ErrorDetail(
                "$", f"expected {places} from {self.minimum} to {self.maximum}", _shown(total)
            )
            raise ValidationError([detail], subject=f"{self.id} total")
        band = self.band(rounded, sex_code, scheme)
        return Score(
            instrument=self.id,
            total=rounded,
            band=None if band is None else band.id,
            scheme=scheme or self.default_scheme,
            positive=self.is_positive(rounded, sex_code),
            flags=(),
            from_answers=False,
        )


#: Totals written with more characters than this are out of every instrument's range.
_MAX_TOTAL_CHARS = 40


def _as_decimal(total: object) -> decimal.Decimal | None:
    """``total`` as a finite decimal, or ``None`` if it is not a number."""
    if isinstance(total, bool):
        return None
    if isinstance(total, int):
        return decimal.Decimal(total) if abs(total) < 10**_MAX_TOTAL_CHARS else None
    if isinstance(total, float):
        total = repr(total)
    if isinstance(total, str) and len(total) <= _MAX_TOTAL_CHARS:
        try:
            total = decimal.Decimal(total.strip())
        except decimal.InvalidOperation:
            return None
    if isinstance(total, decimal.Decimal) and total.is_finite():
        return total
    return None


def _shown(value: object) -> object:
    """A total as an error message shows it: short, and never converted at length."""
    if isinstance(value, decimal.Decimal):
        if value.is_finite() and -(10**9) < value < 10**9 and value == value.to_integral_value():
            return int(value)
        return str(value)
    if isinstance(value, int) and abs(value) >= 10**_MAX_TOTAL_CHARS:
        return f"an integer of more than {_MAX_TOTAL_CHARS} digits"
    if isinstance(value, str) and len(value) > _MAX_TOTAL_CHARS:
        return f"a text of {len(value)} characters"
    if isinstance(value, int | float | str):
        return value
    return f"<{type(value).__name__}>"


def _sex(sex: Sex | str | None) -> Sex | None:
    if sex is None or isinstance(sex, Sex):
        return sex
    try:
        return Sex(sex)
    except ValueError:
        raise ValidationError(
            [ErrorDetail("$.sex", f"expected {_SEX_VALUES}", _shown(sex))], subject="sex"
        ) from None


def _resolve_option_sets(raw: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(raw)
    sets = data.pop("option_sets", {})
    items = []
    for item in data.get("items", []):
        if isinstance(item, Mapping) and isinstance(item.get("options"), str):
            item = {**item, "options": sets[item["options"]]}  # noqa: PLW2901
        items.append(item)
    data["items"] = items
    return data


def _check_instrument(inst: Instrument, name: str) -> None:
    problems: list[str] = []
    low, high = inst.minimum, inst.maximum
    scheme_ids = [s.id for s in inst.schemes]
    if inst.default_scheme not in scheme_ids:
        problems.append(f"default_scheme {inst.default_scheme!r} is not one of {scheme_ids}")
    for band_scheme in inst.schemes:
        for sex in (Sex.FEMALE, Sex.MALE):
            bands = sorted(
                (b for b in band_scheme.bands if b.sex in (None, sex)), key=lambda b: b.low
            )
            step = decimal.Decimal(1).scaleb(-inst.decimals)
            expected_low: decimal.Decimal | int = low
            for band in bands:
                if band.low != expected_low:
                    problems.append(
                        f"scheme {band_scheme.id!r} ({sex}): band {band.id!r} starts at {band.low}, not {expected_low}"
                    )
                expected_low = band.high + step
            if bands and bands[-1].high != high:
                problems.append(
                    f"scheme {band_scheme.id!r} ({sex}) ends at {bands[-1].high}, not {high}"
                )
    for rule in inst.flags:
        problems.extend(
            f"flag {rule.id!r} names unknown item {item!r}"
            for item in rule.items
            if item not in inst._item_index  # noqa: SLF001
        )
    if problems:
        msg = f"shipped instrument file {name!r} is inconsistent: " + "; ".join(problems)
        raise ConfigurationError(msg)


@functools.cache
def _shipped() -> dict[str, Instrument]:
    found: dict[str, Instrument] = {}
    for name in list_data("instruments"):
        loaded = load_shipped(Instrument, name, prepare=_resolve_option_sets)
        _check_instrument(loaded, name)
        found[loaded.id] = loaded
    return found


def instruments() -> dict[str, Instrument]:
    """Every shipped instrument by id.

    Examples:
        >>> from microstructure.eligibility import instruments
        >>> sorted(instruments())
        ['audit', 'audit-c', 'cast', 'dast-10', 'deta', 'epices', 'ftnd', 'gad-7', 'hsi', 'phq-9']
    """
    return dict(_shipped())


def instrument(instrument_id: str) -> Instrument:
    """The shipped instrument ``instrument_id`` (lowercase, such as ``"phq-9"``).

    Raises:
        NotFoundError: if no instrument has that id.
        ValidationError: if ``instrument_id`` is not a string.

    Examples:
        >>> from microstructure.eligibility import instrument
        >>> instrument("epices").maximum
        Decimal('100.00')
    """
    return find_by_id(_shipped(), instrument_id, kind="instrument", id_name="instrument id")


def score(
    instrument_id: str,
    answers: Sequence[Answer] | Mapping[str, Answer],
    *,
    sex: Sex | str | None = None,
    scheme: str | None = None,
) -> Score:
    """Score the answers to a screening instrument: total, band and flags.

    ``answers`` lists, in item order, the points printed on the published form for each
    chosen answer, or ``True``/``False`` for yes/no instruments (EPICES, DETA, DAST-10);
    a mapping from item id (``"q1"``…) to answer is accepted too. ``sex`` (``"female"``/``"male"``)
    selects sex-specific thresholds (AUDIT-C); ``scheme`` a band scheme other than the
    default (French) one.

    Raises:
        NotFoundError: if the instrument or the scheme is unknown.
        ValidationError: naming every missing, unknown or out-of-range item; never a
            wrong total.

    Examples:
        >>> from microstructure.eligibility import score
        >>> result = score("phq-9", [1, 1, 2, 1, 0, 1, 1, 0, 1])
        >>> result.total, result.band, result.flags
        (8, 'mild', ('suicidal-thoughts',))
        >>> score("audit", [1, 0, 0, 0, 0, 0, 0, 0, 3, 0])
        Traceback (most recent call last):
        ...
        microstructure.errors.ValidationError: invalid audit answers: 1 problem
          - expected one of 0, 2, 4 for item q9 (...) (got 3) @ $[8]
    """
    return instrument(instrument_id).score(answers, sex=sex, scheme=scheme)
