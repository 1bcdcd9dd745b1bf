"""A patient's situation, as the eligibility rules see it: codes and numbers, no identity."""

from __future__ import annotations

import contextlib
import decimal
import enum
import functools
import re
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

import attrs
import cattrs

from microstructure._frozen import frozen_mapping, read_only
from microstructure._validators import is_identifier
from microstructure.eligibility._instruments import Answer, Points, Score, instruments
from microstructure.eligibility._taxonomy import (
    Behaviour,
    FollowUp,
    Indication,
    Substance,
    is_situation_code,
    taxonomy,
)
from microstructure.errors import ErrorDetail, FieldError, ValidationError
from microstructure.io import PERSONAL
from microstructure.vocabulary import Sex

__all__ = ["MAX_AGE", "FieldValue", "Situation"]

#: A network field's value: a number, a boolean or a short code (never free text).
FieldValue = int | bool | str

E = TypeVar("E", bound=enum.Enum)

_FIELD_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_AGE_BAND_RE = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|\+)$")
#: The oldest age a situation or a criterion accepts, in whole years.
MAX_AGE = 130
#: Totals written with more characters than this are out of every instrument's range.
_MAX_TOTAL_CHARS = 40


def _enum_set(cls: type[E], values: Iterable[E | str] | None) -> frozenset[Any] | None:
    if values is None:
        return None
    if values.__class__ not in _PLAIN_COLLECTIONS:
        if isinstance(values, str):  # a bare string is one code, not its characters
            values = [values]
        elif not _is_collection(values):
            return cast("frozenset[Any] | None", values)  # reported by the validator
    # Unknown codes are kept as they are, for the validator to report with their path.
    lookup = cls._value2member_map_
    try:
        return frozenset([lookup.get(v, v) if isinstance(v, str) else v for v in values])
    except TypeError:  # an unhashable item: reported by the validator
        return cast("frozenset[Any] | None", values)


_PLAIN_COLLECTIONS = frozenset({set, frozenset, list, tuple})


def _is_collection(values: object) -> bool:
    """Whether ``values`` is a list, tuple or set (a mapping or a number is not)."""
    return isinstance(values, list | tuple | set | frozenset)


def _indications(values: Iterable[Indication | str] | None) -> frozenset[Indication] | None:
    return _enum_set(Indication, values)


def _substances(values: Iterable[Substance | str] | None) -> frozenset[Substance] | None:
    return _enum_set(Substance, values)


def _behaviours(values: Iterable[Behaviour | str] | None) -> frozenset[Behaviour] | None:
    return _enum_set(Behaviour, values)


def _follow_ups(values: Iterable[FollowUp | str] | None) -> frozenset[FollowUp] | None:
    return _enum_set(FollowUp, values)


def _sex(value: Sex | str | None) -> Any:
    if isinstance(value, str) and value in Sex._value2member_map_:
        return Sex(value)
    return value  # anything else is reported by the validator


#: The read-only empty mapping every situation without answers, totals or fields shares.
_EMPTY: Mapping[str, Any] = types.MappingProxyType({})


def _answers(value: Mapping[str, Iterable[Answer]]) -> Mapping[str, tuple[Answer, ...]]:
    given = cast("object", value)
    if given.__class__ is not dict and not isinstance(given, Mapping):
        return given  # type: ignore[return-value] # reported by the field checks
    if not value:
        return _EMPTY
    copy: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list | tuple) else v for k, v in value.items()
    }
    return types.MappingProxyType(copy)


def _points(value: Mapping[str, Points | int | float | str]) -> Mapping[str, Points]:
    given = cast("object", value)
    if given.__class__ is not dict and not isinstance(given, Mapping):
        return given  # type: ignore[return-value] # reported by the field checks
    if not value:
        return _EMPTY
    out: dict[str, Any] = {}
    for key, item in value.items():
        out[key] = item  # anything that is not a number is reported when scoring
        if not isinstance(item, bool) and isinstance(item, int | float | str | decimal.Decimal):
            out[key] = _to_points(item)
    return read_only(out)


def _to_points(item: float | str | decimal.Decimal) -> object:
    """The exact number of points of a total, or ``item`` itself if it is not a number."""
    if isinstance(item, str) and len(item) > _MAX_TOTAL_CHARS:
        return item  # far outside any instrument's range; reported when scoring
    with contextlib.suppress(decimal.InvalidOperation):
        return Points(repr(item) if isinstance(item, float) else str(item))
    return item


def _fields(value: Mapping[str, FieldValue]) -> Mapping[str, FieldValue]:
    if value.__class__ is dict and not value:
        return _EMPTY
    return cast("Mapping[str, FieldValue]", frozen_mapping(value))


def _bad_mapping(what: str) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            return f"expected an object mapping instrument ids to {what}"
        return None

    return check


def _bad_enum_set(cls: type[enum.Enum]) -> Callable[[object], str | None]:
    allowed = ", ".join(repr(m.value) for m in cls)

    def check(value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, frozenset) or not all(isinstance(v, cls) for v in value):
            return f"expected codes among {allowed}"
        return None

    return check


def _codes(values: Iterable[str] | None) -> frozenset[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    if not _is_collection(values):
        return cast("frozenset[str] | None", values)  # reported by the validator
    try:
        return frozenset(values)
    except TypeError:  # an unhashable item: reported by the validator
        return cast("frozenset[str] | None", values)


def _bad_situations(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, frozenset) or not all(
        isinstance(code, str) and is_situation_code(code) for code in value
    ):
        return "expected situation codes of the taxonomy, or network codes starting with 'x-'"
    return None


def _bad_code(value: object) -> str | None:
    if value is not None and not is_identifier(value):
        return "expected an opaque code of 1 to 64 letters, digits, '.', '_', ':' or '-'"
    return None


def _bad_age(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AGE:
        return f"expected an age in whole years from 0 to {MAX_AGE}"
    return None


def _parse_age_band(text: str) -> tuple[int, int] | None:
    match = _AGE_BAND_RE.match(text)
    if match is None:
        return None
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) is not None else MAX_AGE
    return (low, high) if low <= high <= MAX_AGE else None


def _bad_age_band(value: object) -> str | None:
    if value is not None and (not isinstance(value, str) or _parse_age_band(value) is None):
        return "expected an age band such as '18-24' or '65+'"
    return None


def _bad_sex(value: object) -> str | None:
    if value is not None and not isinstance(value, Sex):
        return "expected one of " + ", ".join(repr(s.value) for s in Sex)
    return None


def _bad_extra(value: object) -> str | None:
    if not isinstance(value, Mapping):
        return "expected an object of network fields"
    for key, item in value.items():
        if not isinstance(key, str) or not _FIELD_RE.match(key):
            return "expected field names of 1 to 32 lowercase letters, digits, '_' or '-'"
        if isinstance(item, str) and not is_identifier(item):
            return f"expected a number, a boolean or a code (no spaces) for field {key!r}"
        if not isinstance(item, int | str):
            return f"expected a number, a boolean or a code for field {key!r}"
    return None


# Field checks, run together so that every problem is reported at once. Values of the
# fields marked True may be free text typed by mistake: they are never echoed.
_CHECKS: tuple[tuple[str, Callable[[object], str | None], bool], ...] = (
    ("code", _bad_code, True),
    ("age", _bad_age, False),
    ("age_band", _bad_age_band, False),
    ("sex", _bad_sex, False),
    ("indications", _bad_enum_set(Indication), False),
    ("substances", _bad_enum_set(Substance), False),
    ("behaviours", _bad_enum_set(Behaviour), False),
    ("situations", _bad_situations, True),
    ("followed_by", _bad_enum_set(FollowUp), False),
    ("answers", _bad_mapping("lists of answers"), False),
    ("scores", _bad_mapping("totals"), False),
    ("extra", _bad_extra, True),
)


def _shown(value: object) -> object:
    if isinstance(value, frozenset):
        return sorted(str(v) for v in value)
    return value


@functools.cache
def _shipped_situation_codes() -> frozenset[str]:
    return frozenset(taxonomy().situations)


_INDICATIONS = frozenset(Indication)
_SUBSTANCES = frozenset(Substance)
_BEHAVIOURS = frozenset(Behaviour)
_FOLLOW_UPS = frozenset(FollowUp)


def _plainly_valid(situation: Situation) -> bool:
    """Whether every field passes `_CHECKS`, judged by cheap exact-type tests.

    ``True`` only when the checks certainly pass (so nothing is weakened); ``False`` when
    a value is unusual or wrong, and `_check_fields` then runs the full checks. The enum
    sets hold members only here: their converters turn every known code into its member.
    """
    s = situation
    return (
        (s.code is None or is_identifier(s.code))
        and (s.age is None or (s.age.__class__ is int and 0 <= s.age <= MAX_AGE))
        and s.age_band is None
        and (s.sex is None or s.sex.__class__ is Sex)
        and (s.indications is None or (s.indications.__class__ is frozenset and s.indications <= _INDICATIONS))
        and (s.substances is None or (s.substances.__class__ is frozenset and s.substances <= _SUBSTANCES))
        and (s.behaviours is None or (s.behaviours.__class__ is frozenset and s.behaviours <= _BEHAVIOURS))
        and (s.situations is None or (s.situations.__class__ is frozenset and s.situations <= _shipped_situation_codes()))
        and (s.followed_by is None or (s.followed_by.__class__ is frozenset and s.followed_by <= _FOLLOW_UPS))
        and s.answers.__class__ is types.MappingProxyType
        and all(key.__class__ is str for key in s.answers)
        and s.scores.__class__ is types.MappingProxyType
        and all(key.__class__ is str for key in s.scores)
        and s.extra is _EMPTY
    )  # fmt: skip


def _check_fields(situation: Situation) -> list[ErrorDetail]:
    return [] if _plainly_valid(situation) else _full_checks(situation)


def _full_checks(situation: Situation) -> list[ErrorDetail]:
    errors = []
    for name, check, personal in _CHECKS:
        value = getattr(situation, name)
        message = check(value)
        if message is not None:
            errors.append(
                ErrorDetail(
                    f"$.{name}",
                    message,
                    None if personal else _shown(value),
                    redacted=personal,
                )
            )
    return errors


@attrs.frozen(kw_only=True, repr=False, eq=True, hash=False)
class Situation:
    """What the eligibility rules know about a patient: codes and numbers, never identity.

    Every field is optional: ``None`` means *not known yet*, which makes the criteria that
    need it *unknown* (a decision to review) rather than false. An empty set means
    *known to be none*. No name, birth date or free text can be stored: ``code`` is an
    opaque anonymous code, ``extra`` holds numbers, booleans or short codes only.

    ``answers`` maps an instrument id to its answers (see `score`); ``scores`` maps an
    instrument id to a total when only the total is known. Both are checked and scored
    when the situation is built. A situation cannot change once built: its sets are
    frozensets and its mappings read-only copies, so its scores never go stale.

    Examples:
        >>> from microstructure.eligibility import Situation
        >>> s = Situation(code="K7PQ-2M", age=42, sex="female", indications={"addiction"},
        ...               substances={"alcohol"}, answers={"audit-c": [2, 1, 1]})
        >>> s
        <Situation K7PQ-2M: age, sex, indications, substances, answers>
        >>> s.score("audit-c").band
        'positive'
    """

    code: str | None = attrs.field(default=None, metadata={PERSONAL: True})
    """The patient's anonymous code; never a name."""
    age: int | None = None
    """Age in years."""
    age_band: str | None = None
    """Age band (``35-44``, ``65+``…) when the age is not kept."""
    sex: Sex | None = attrs.field(default=None, converter=_sex)
    """``f``, ``m`` or ``x``; used by sex-specific thresholds."""
    indications: frozenset[Indication] | None = attrs.field(default=None, converter=_indications)
    """Addiction, precarity, mental health; ``None`` when not known."""
    substances: frozenset[Substance] | None = attrs.field(default=None, converter=_substances)
    """Substances of an addiction; ``None`` when not known."""
    behaviours: frozenset[Behaviour] | None = attrs.field(default=None, converter=_behaviours)
    """Addictions without a substance; ``None`` when not known."""
    situations: frozenset[str] | None = attrs.field(
        default=None, converter=_codes, metadata={PERSONAL: True}
    )
    """Situation codes of the taxonomy or ``x-…`` codes; ``None`` when not known."""
    followed_by: frozenset[FollowUp] | None = attrs.field(default=None, converter=_follow_ups)
    """Schemes already following the patient; ``None`` when not known."""
    answers: Mapping[str, tuple[Answer, ...]] = attrs.field(factory=dict, converter=_answers)
    """Screening answers by instrument id, in item order."""
    scores: Mapping[str, Points] = attrs.field(factory=dict, converter=_points)
    """Totals by instrument id, when the answers are not kept."""
    extra: Mapping[str, FieldValue] = attrs.field(
        factory=dict, converter=_fields, metadata={PERSONAL: True}
    )
    """The network's own fields: numbers, booleans or codes."""
    _results: Mapping[str, Score] = attrs.field(init=False, eq=False)
    _age_range: tuple[int, int] | None = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        errors = _check_fields(self)
        results = _score_all(self, errors)
        if errors:
            raise ValidationError(errors, subject="Situation")
        object.__setattr__(self, "_results", read_only(results))
        if self.age is not None:
            age_range: tuple[int, int] | None = (self.age, self.age)
        elif self.age_band is not None:
            age_range = _parse_age_band(self.age_band)
        else:
            age_range = None
        object.__setattr__(self, "_age_range", age_range)

    def __repr__(self) -> str:
        known = [
            field.name
            for field in attrs.fields(Situation)
            if field.init and field.name != "code" and getattr(self, field.name) not in (None, {})
        ]
        who = self.code if self.code is not None else "(no code)"
        return f"<Situation {who}: {', '.join(known) or 'nothing known'}>"

    def score(self, instrument_id: str) -> Score | None:
        """The score of ``instrument_id`` from its answers or total, if known."""
        return self._results.get(instrument_id)

    @property
    def age_range(self) -> tuple[int, int] | None:
        """The known age as an inclusive range (one year wide when the age is known)."""
        return self._age_range


def _score_answers(
    situation: Situation, results: dict[str, Score], errors: list[ErrorDetail]
) -> None:
    table = instruments()
    answers = cast("object", situation.answers)
    if answers.__class__ is not types.MappingProxyType and not isinstance(answers, Mapping):
        return
    if not situation.answers:
        return
    for instrument_id, answers in situation.answers.items():
        found = table.get(instrument_id)
        if found is None:
            errors.append(ErrorDetail(f"$.answers.{instrument_id}", _unknown_instrument()))
            continue
        try:
            results[instrument_id] = found.score(answers, sex=situation.sex)
        except ValidationError as exc:
            errors.extend(
                attrs.evolve(d, path=f"$.answers.{instrument_id}{d.path[1:]}") for d in exc.errors
            )


def _score_totals(
    situation: Situation, results: dict[str, Score], errors: list[ErrorDetail]
) -> None:
    table = instruments()
    scores = cast("object", situation.scores)
    if scores.__class__ is not types.MappingProxyType and not isinstance(scores, Mapping):
        return
    if not situation.scores:
        return
    for instrument_id, total in situation.scores.items():
        found = table.get(instrument_id)
        path = f"$.scores.{instrument_id}"
        if found is None:
            errors.append(ErrorDetail(path, _unknown_instrument()))
            continue
        if not isinstance(cast("object", total), decimal.Decimal):
            errors.append(ErrorDetail(path, "expected a number", total))
            continue
        try:
            from_total = found.from_total(total, sex=situation.sex)
        except ValidationError as exc:
            errors.extend(attrs.evolve(d, path=path) for d in exc.errors)
            continue
        scored = results.get(instrument_id)
        if scored is None:
            results[instrument_id] = from_total
        elif scored.total != from_total.total:
            errors.append(
                ErrorDetail(
                    path, f"expected the total of the answers given ({scored.total})", total
                )
            )


def _unknown_instrument() -> str:
    return "expected an instrument id among " + ", ".join(repr(k) for k in sorted(instruments()))


def _score_all(situation: Situation, errors: list[ErrorDetail]) -> dict[str, Score]:
    results: dict[str, Score] = {}
    if not any(e.path == "$.sex" for e in errors):
        _score_answers(situation, results, errors)
        _score_totals(situation, results, errors)
    return results


def _structure_field_value(value: object, _: type) -> FieldValue:
    if not isinstance(value, int | str):
        raise FieldError(value, "a number, a boolean or a code")
    return value


def _install(conv: cattrs.Converter) -> None:
    conv.register_structure_hook(FieldValue, _structure_field_value)


#: Read by `microstructure.io.schema`: what ``_structure_field_value`` accepts.
_JSON_SCHEMAS = {FieldValue: {"type": ["integer", "boolean", "string"]}}
