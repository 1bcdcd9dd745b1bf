"""The one `cattrs` converter of the library, and its public wrappers.

Strict by design: a string is never turned into a number, a number never into a
string, unknown keys are rejected, and every problem in the input is reported
with its JSON path in one `ValidationError`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, overload

import attrs
import cattrs
import pendulum
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from microstructure.errors import ErrorDetail, FieldError, ValidationError

__all__ = [
    "PERSONAL",
    "configure_converter",
    "dumps",
    "from_data",
    "loads",
    "make_converter",
    "register_hooks",
    "to_data",
]

T = TypeVar("T")

#: Key of attrs field metadata marking personal data: its value never appears in an error.
PERSONAL = "microstructure.personal"


def _type_name(value: object) -> str:
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


# -- strict primitives ---------------------------------------------------------------


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise FieldError(value, f"a string, not {_type_name(value)}")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(value, f"an integer, not {_type_name(value)}")
    return value


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(value, f"a number, not {_type_name(value)}")
    return float(value)


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise FieldError(value, f"true or false, not {_type_name(value)}")
    return value


# -- pendulum ------------------------------------------------------------------------


def _structure_date(value: object, _: type) -> pendulum.Date:
    if not isinstance(value, str):
        raise FieldError(value, "an ISO 8601 date string such as '2026-05-14'")
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError(value, "an ISO 8601 date such as '2026-05-14'") from None
    return pendulum.Date(parsed.year, parsed.month, parsed.day)


def _structure_datetime(value: object, _: type) -> pendulum.DateTime:
    expected = "an ISO 8601 date-time with a UTC offset such as '2026-05-14T09:00:00+02:00'"
    if not isinstance(value, str):
        raise FieldError(value, expected)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FieldError(value, expected) from None
    if parsed.tzinfo is None:
        raise FieldError(value, expected)
    return pendulum.instance(parsed)


def _structure_time(value: object, _: type) -> pendulum.Time:
    expected = "a local time such as '09:00' or '13:30:00'"
    if not isinstance(value, str):
        raise FieldError(value, expected)
    try:
        parsed = dt.time.fromisoformat(value)
    except ValueError:
        raise FieldError(value, expected) from None
    if parsed.tzinfo is not None:
        raise FieldError(value, expected + " without offset")
    return pendulum.Time(parsed.hour, parsed.minute, parsed.second, parsed.microsecond)


def _unstructure_time(value: dt.time) -> str:
    if value.second == 0 and value.microsecond == 0:
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def _structure_duration(value: object, _: type) -> pendulum.Duration:
    expected = "an ISO 8601 duration in days, hours, minutes or seconds such as 'PT45M'"
    if not isinstance(value, str) or not value.startswith("P") or "Y" in value:
        raise FieldError(value, expected)
    if "M" in value.split("T", 1)[0] or "W" in value:
        raise FieldError(value, expected)
    try:
        parsed = pendulum.parse(value)
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        raise FieldError(value, expected) from None
    if not isinstance(parsed, pendulum.Duration):  # pragma: no cover - guarded above
        raise FieldError(value, expected)
    return pendulum.duration(seconds=parsed.total_seconds())


def _unstructure_duration(value: dt.timedelta) -> str:
    total = int(value.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    date_part = f"{days}D" if days else ""
    time_part = "".join(
        f"{number}{unit}"
        for number, unit in ((hours, "H"), (minutes, "M"), (seconds, "S"))
        if number
    )
    if not date_part and not time_part:
        return "PT0S"
    return f"{sign}P{date_part}" + (f"T{time_part}" if time_part else "")


def _structure_timezone(value: object, _: type) -> pendulum.Timezone:
    expected = "an IANA time-zone name such as 'Europe/Paris'"
    if not isinstance(value, str):
        raise FieldError(value, expected)
    try:
        zone = pendulum.timezone(value)
    except (ValueError, KeyError, pendulum.tz.exceptions.InvalidTimezone):
        raise FieldError(value, expected) from None
    if not isinstance(zone, pendulum.Timezone):
        raise FieldError(value, expected)
    return zone


# -- enums and attrs classes ---------------------------------------------------------


@functools.cache
def _enum_values(cl: type[enum.Enum]) -> tuple[tuple[object, ...], str]:
    values = tuple(member.value for member in cl)
    return values, "one of " + ", ".join(repr(v) for v in values)


def _unstructure_enum(member: enum.Enum) -> Any:
    return member.value


def _structure_enum(value: object, cl: type[enum.Enum]) -> enum.Enum:
    values, expected = _enum_values(cl)
    if isinstance(value, bool) or value not in values:
        raise FieldError(value, expected)
    return cl(value)


def _attrs_hook(conv: cattrs.Converter) -> Callable[[type[Any]], Callable[[Any, type], Any]]:
    def factory(cl: type[Any]) -> Callable[[Any, type], Any]:
        base = make_dict_structure_fn(cl, conv, _cattrs_forbid_extra_keys=True)

        def structure(value: object, t: type) -> Any:
            if not isinstance(value, Mapping):
                raise FieldError(value, f"an object ({cl.__name__})")
            try:
                return base(value, t)
            except (ValueError, TypeError) as exc:
                # Raised by a validator in the constructor: keep it, located.
                msg = f"While structuring {cl.__name__}"
                raise ClassValidationError(msg, [exc], cl) from None

        return structure

    return factory


def configure_converter(conv: cattrs.Converter) -> None:
    """Install the library's strict hooks on ``conv``.

    Use it on a converter of your own to structure `microstructure` classes inside
    your own data model, without touching the library's shared converter.
    """
    for primitive, hook in (
        (str, _structure_str),
        (int, _structure_int),
        (float, _structure_float),
        (bool, _structure_bool),
    ):
        conv.register_structure_hook(primitive, hook)
    # `StrEnum` and `IntEnum` subclass `str` and `int`: name them so that their
    # members are looked up by value instead of being passed through as strings.
    for enum_base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        conv.register_structure_hook(enum_base, _structure_enum)
    # pendulum's classes come first: they subclass the stdlib ones.
    conv.register_structure_hook(pendulum.DateTime, _structure_datetime)
    conv.register_structure_hook(pendulum.Date, _structure_date)
    conv.register_structure_hook(pendulum.Time, _structure_time)
    conv.register_structure_hook(pendulum.Duration, _structure_duration)
    conv.register_structure_hook(pendulum.Timezone, _structure_timezone)
    conv.register_unstructure_hook(dt.datetime, lambda v: v.isoformat())
    conv.register_unstructure_hook(dt.date, lambda v: v.isoformat())
    conv.register_unstructure_hook(dt.time, _unstructure_time)
    conv.register_unstructure_hook(dt.timedelta, _unstructure_duration)
    conv.register_unstructure_hook(pendulum.Timezone, lambda v: v.name)
    for enum_base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        conv.register_unstructure_hook(enum_base, _unstructure_enum)
    conv.register_structure_hook_factory(attrs.has, _attrs_hook(conv))
    for installer in _INSTALLERS:
        installer(conv)


def make_converter() -> cattrs.Converter:
    """A new converter configured like the library's own.

    Examples:
        >>> from microstructure.io import make_converter
        >>> import pendulum
        >>> make_converter().unstructure(pendulum.date(2026, 5, 14))
        '2026-05-14'
    """
    conv = cattrs.Converter(
        forbid_extra_keys=True,
        detailed_validation=True,
        unstruct_collection_overrides={
            frozenset: sorted,
            set: sorted,
        },
    )
    configure_converter(conv)
    return conv


_INSTALLERS: list[Callable[[cattrs.Converter], None]] = []


def register_hooks(installer: Callable[[cattrs.Converter], None]) -> None:
    """Add hooks for an area of the library (tagged unions, custom types).

    Called at import of the module that defines the types, so that the shared
    converter knows them before any of them can be structured. Internal use.
    """
    _INSTALLERS.append(installer)
    if _converter.cache_info().currsize:
        installer(_converter())


@functools.cache
def _converter() -> cattrs.Converter:
    return make_converter()


# -- error translation ---------------------------------------------------------------


def _is_personal(cl: type | None, name: str) -> bool:
    if cl is None or not attrs.has(cl):
        return False
    field = attrs.fields_dict(cl).get(name)
    return bool(field is not None and field.metadata.get(PERSONAL))


def _leaf(exc: BaseException, path: str, personal: bool) -> ErrorDetail:  # noqa: FBT001
    if isinstance(exc, KeyError):
        return ErrorDetail(path=path, message="required key is missing")
    if personal:
        return ErrorDetail(path=path, message="invalid value", redacted=True)
    return ErrorDetail(path=path, message=str(exc.args[0]) if exc.args else type(exc).__name__)


def _rerooted(exc: ValidationError, path: str, *, personal: bool) -> list[ErrorDetail]:
    moved = [attrs.evolve(detail, path=path + detail.path[1:]) for detail in exc.errors]
    if personal:
        return [attrs.evolve(detail, value=None, redacted=True) for detail in moved]
    return moved


def _walk(
    exc: BaseException,
    path: str,
    out: list[ErrorDetail],
    *,
    owner: type | None = None,
    personal: bool = False,
) -> None:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without_notes = exc.group_exceptions()
        for sub, note in with_notes:
            if isinstance(note, IterableValidationNote):
                index = note.index
                sub_path = f"{path}[{index}]" if isinstance(index, int) else f"{path}.{index}"
                _walk(sub, sub_path, out, personal=personal)
            else:
                cl = exc.cl if isinstance(exc, ClassValidationError) else None
                name = note.name
                _walk(
                    sub,
                    f"{path}.{name}",
                    out,
                    owner=cl,
                    personal=personal or _is_personal(cl, name),
                )
        for sub in without_notes:
            _walk(sub, path, out, owner=getattr(exc, "cl", owner), personal=personal)
        return
    if isinstance(exc, ValidationError):
        # A `FieldError` from a validator or hook, or a constructor that validates
        # nested data itself: keep its paths, re-rooted where the object was being built.
        out.extend(_rerooted(exc, path, personal=personal))
        return
    if isinstance(exc, ForbiddenExtraKeysError):
        out.extend(
            ErrorDetail(path=f"{path}.{key}", message="unexpected key")
            for key in sorted(exc.extra_fields)
        )
        return
    args: tuple[object, ...] = getattr(exc, "args", ())
    if len(args) >= 2 and isinstance(args[1], attrs.Attribute):  # noqa: PLR2004 - attrs' convention
        # (message, attribute, expected, value), as raised by attrs validators and ours.
        attribute = args[1]
        is_personal = personal or bool(attribute.metadata.get(PERSONAL))
        sub_path = f"{path}.{attribute.name}"
        value = args[3] if len(args) >= 4 else None  # noqa: PLR2004 - attrs' convention
        if is_personal:
            out.append(ErrorDetail(path=sub_path, message="invalid value", redacted=True))
        else:
            out.append(ErrorDetail(path=sub_path, message=str(args[0]), value=value))
        return
    out.append(_leaf(exc, path, personal))


def _translate(exc: BaseException, cl: object) -> ValidationError:
    details: list[ErrorDetail] = []
    _walk(exc, "$", details)
    name = getattr(cl, "__name__", None) or str(cl)
    return ValidationError(details, subject=name)


# -- public API ----------------------------------------------------------------------


def to_data(obj: object) -> Any:
    """Turn a library object into JSON-ready data (dicts, lists, strings, numbers).

    Examples:
        >>> from microstructure.io import to_data
        >>> from microstructure.territory import department
        >>> to_data(department("67"))["timezone"]
        'Europe/Paris'
    """
    return _converter().unstructure(obj)


@overload
def from_data(cl: type[T], data: object) -> T: ...
@overload
def from_data(cl: object, data: object) -> Any: ...
def from_data(cl: Any, data: object) -> Any:
    """Build a library object of type ``cl`` from JSON-ready data, strictly.

    Raises:
        ValidationError: listing every problem in ``data`` with its path.

    Examples:
        >>> from microstructure.io import from_data
        >>> from microstructure.teams import Professional
        >>> from_data(Professional, {"id": "psy-1", "role": "psychologist"}).role
        <Role.PSYCHOLOGIST: 'psychologist'>
    """
    try:
        return _converter().structure(data, cl)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError) as exc:
        raise _translate(exc, cl) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise _translate(exc, cl) from None


def dumps(obj: object, *, indent: int | None = 2) -> str:
    """Serialise a library object to a JSON string (UTF-8 text, keys in field order).

    Examples:
        >>> from microstructure.io import dumps
        >>> from microstructure.teams import Professional, Role
        >>> print(dumps(Professional(id="gp-1", role=Role.GENERAL_PRACTITIONER), indent=None))
        {"id": "gp-1", "role": "gp", "rpps": null, "display_name": null}
    """
    return json.dumps(to_data(obj), ensure_ascii=False, indent=indent)


@overload
def loads(cl: type[T], text: str | bytes) -> T: ...
@overload
def loads(cl: object, text: str | bytes) -> Any: ...
def loads(cl: Any, text: str | bytes) -> Any:
    """Parse JSON text into a library object of type ``cl``.

    Raises:
        ValidationError: if the text is not JSON, or does not match ``cl``.

    Examples:
        >>> from microstructure.io import loads
        >>> from microstructure.territory import Region
        >>> loads(Region, "{not json")
        Traceback (most recent call last):
        ...
        microstructure.errors.ValidationError: invalid Region: 1 problem
          - expected valid JSON: Expecting property name enclosed in double quotes (line 1, column 2) @ $
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        detail = ErrorDetail(path="$", message=f"expected valid JSON: {exc.msg} ({where})")
        raise ValidationError([detail], subject=getattr(cl, "__name__", "data")) from None
    except UnicodeDecodeError:
        detail = ErrorDetail(path="$", message="expected UTF-8 encoded JSON")
        raise ValidationError([detail], subject=getattr(cl, "__name__", "data")) from None
    return from_data(cl, data)
