"""The one `cattrs` converter of the library, and its public wrappers.

Strict by design: a string is never turned into a number, a number never into a
string, unknown keys are rejected, and every problem in the input is reported
with its JSON path in one `ValidationError`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import importlib
import json
import sys
import types
import typing
from collections import abc
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar, overload

import attrs
import cattrs
import pendulum
from cattrs.cols import homogenous_tuple_structure_factory, list_structure_factory
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
    StructureHandlerNotFoundError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from microstructure._publish import bind_loaded_modules
from microstructure.errors import ErrorDetail, FieldError, ValidationError
from microstructure.io._formats import read_envelope, with_envelope
from microstructure.io._indent import dumps_indented

__all__ = [
    "PERSONAL",
    "configure_converter",
    "dumps",
    "from_data",
    "loads",
    "make_converter",
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


def _unstructure_enum(member: enum.Enum) -> Any:
    return member.value


_MISSING = object()
_ENUM_TABLES: dict[type[enum.Enum], tuple[dict[object, enum.Enum], str]] = {}


def _enum_table(cl: type[enum.Enum]) -> tuple[dict[object, enum.Enum], str]:
    members = {member.value: member for member in cl}
    table = _ENUM_TABLES[cl] = (members, "one of " + ", ".join(repr(v) for v in members))
    return table


def _structure_enum(value: object, cl: type[enum.Enum]) -> enum.Enum:
    """Look a member up by value in a table built once per enum class."""
    members, expected = _ENUM_TABLES.get(cl) or _enum_table(cl)
    if value.__class__ is not bool:
        try:
            member = members.get(value, _MISSING)
        except TypeError:  # unhashable: an array or an object
            member = _MISSING
        if member is not _MISSING:
            return member  # type: ignore[return-value]
    raise FieldError(value, expected)


def _is_optional(t: object) -> bool:
    args = typing.get_args(t)
    return (
        typing.get_origin(t) in (typing.Union, types.UnionType)
        and len(args) == 2  # noqa: PLR2004 - one type and None
        and type(None) in args
    )


def _optional_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """``X | None``: the hook of ``X`` found once, instead of at every value."""

    def factory(t: Any) -> Callable[[Any, Any], Any]:
        inner = next(arg for arg in typing.get_args(t) if arg is not type(None))
        hook = conv.get_structure_hook(inner)

        def structure(value: object, _: object) -> Any:
            return None if value is None else hook(value, inner)

        return structure

    return factory


def _attrs_hook(conv: cattrs.Converter) -> Callable[[type[Any]], Callable[[Any, type], Any]]:
    def factory(cl: type[Any]) -> Callable[[Any, type], Any]:
        base = make_dict_structure_fn(cl, conv, _cattrs_forbid_extra_keys=True)

        def structure(value: object, t: type) -> Any:
            if value.__class__ is not dict and not isinstance(value, Mapping):
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
    if not isinstance(conv, cattrs.Converter):
        raise FieldError(type(conv).__name__, "a cattrs.Converter", field="conv")
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
    conv.register_structure_hook_factory(_is_optional, _optional_hook(conv))
    _install_strict_collections(conv)
    _install_area_hooks(conv)


def make_converter() -> cattrs.Converter:
    """A new converter configured like the library's own, whatever was imported before.

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


# -- hooks of the library's areas -----------------------------------------------------
#
# No registry that imports fill in: the converter asks each module that defines hooks
# for them, importing it first, so that a converter is complete whatever was imported
# before. A module may define ``_install(conv)`` for its own hooks and
# ``_TAGGED_UNIONS``, triples ``(union, noun, {tag: class})``, for the one
# tagged-union mechanism below. Modules are named by string so that `io` stays below
# the areas in the layers. Order matters: a module's hooks may use those before it.

_HOOK_MODULES = (
    "microstructure.errors._errors",
    "microstructure.identifiers._codes",
    "microstructure.programs._model",
    "microstructure.eligibility._instruments",
    "microstructure.eligibility._situation",
    "microstructure.eligibility._criteria",
    "microstructure.scheduling._model",
    "microstructure.records._tags",
)


def _install_area_hooks(conv: cattrs.Converter) -> None:
    for name in _HOOK_MODULES:
        module = importlib.import_module(name)
        install = getattr(module, "_install", None)
        if install is not None:
            install(conv)
        for union, noun, tags in getattr(module, "_TAGGED_UNIONS", ()):
            _configure_tagged_union(conv, union, noun, tags)
    bind_loaded_modules()  # the classes of the modules just imported show their public path


#: The key naming the member of a tagged union in JSON, for every union of the library.
_TAG = "type"


def _configure_tagged_union(
    conv: cattrs.Converter, union: Any, noun: str, tags: Mapping[str, type[Any]]
) -> None:
    """One mechanism for every union of record types: ``{"type": tag, ...fields}``.

    Reading: a missing tag is reported at ``$.type`` as a missing key, an unknown one
    at ``$.type`` with the known tags, and a value nested more than `_MAX_NESTING`
    objects and lists deep where it starts. Writing: the tag comes first, and fields
    equal to their default are left out.
    """
    by_class = {cl: tag for tag, cl in tags.items()}
    expected = "one of " + ", ".join(repr(tag) for tag in tags)
    first = next(iter(tags.values()))

    def located(exc: Exception) -> ClassValidationError:
        exc.__notes__ = [AttributeValidationNote(f"Structuring {_TAG}", _TAG, str)]
        return ClassValidationError(f"While structuring {union}", [exc], first)

    def structure(value: object, _: object) -> Any:
        if not isinstance(value, Mapping):
            raise FieldError(value, f"{noun}: an object with a {_TAG!r} key")
        if _nested_deeper(value, _MAX_NESTING):
            shown = "…"  # the nested value itself would not fit in a message
            raise FieldError(shown, f"{noun} nested at most {_MAX_NESTING} objects and lists deep")
        if _TAG not in value:
            raise located(KeyError(_TAG))
        tag = value[_TAG]
        cl = tags.get(tag) if isinstance(tag, str) else None
        if cl is None:
            raise located(FieldError(tag, expected))
        return conv.structure({k: v for k, v in value.items() if k != _TAG}, cl)

    def unstructure_factory(cl: type[Any]) -> Callable[[Any], dict[str, Any]]:
        base = make_dict_unstructure_fn(cl, conv, _cattrs_omit_if_default=True)
        tag = by_class[cl]
        return lambda obj: {_TAG: tag, **base(obj)}

    conv.register_structure_hook(union, structure)
    conv.register_unstructure_hook_factory(lambda t: t in by_class, unstructure_factory)
    conv.register_unstructure_hook(union, lambda obj: conv.unstructure(obj, type(obj)))


#: Deepest nesting of objects and lists a tagged record may have: far more than a readable
#: policy or schedule needs, and well within Python's recursion limit while structuring.
_MAX_NESTING = 100


def _nested_deeper(value: object, limit: int) -> bool:
    """Whether ``value`` nests objects and lists more than ``limit`` levels (no recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    deepest: dict[int, int] = {}  # Python data may share objects: walk each once per depth
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if deepest.get(id(item), 0) >= depth:
            continue
        deepest[id(item)] = depth
        if isinstance(item, Mapping):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list | tuple):
            stack.extend((child, depth + 1) for child in item)
    return False


# -- strict collections ----------------------------------------------------------------
#
# cattrs walks any iterable: a string would be read character by character and an
# object as its keys. Here only a JSON array is a collection, and only an object a
# mapping.

_LISTS = {list, abc.Sequence, abc.MutableSequence}
_SETS = {frozenset, set, abc.Set, abc.MutableSet}
_MAPPINGS = {dict, abc.Mapping, abc.MutableMapping}


def _is_collection(t: Any) -> bool:
    origin = typing.get_origin(t)
    return origin is tuple or origin in _LISTS or origin in _SETS or origin in _MAPPINGS


def _install_strict_collections(conv: cattrs.Converter) -> None:
    def factory(t: Any) -> Callable[[Any, Any], Any]:
        origin = typing.get_origin(t)
        args = typing.get_args(t)
        if origin in _MAPPINGS:
            mapping_base = conv.gen_structure_mapping(t)

            def structure_mapping(value: object, _: object) -> Any:
                if not isinstance(value, Mapping):
                    raise FieldError(value, f"an object, not {_type_name(value)}")
                return mapping_base(value, t)

            return structure_mapping
        target: Any = t
        convert: Callable[[Any], Any] = _same
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):  # noqa: PLR2004
            base = conv.gen_structure_hetero_tuple(t)
        elif origin is tuple:
            base = homogenous_tuple_structure_factory(t, conv)
        else:
            target = list[args[0]] if args else list  # type: ignore[valid-type]
            base = list_structure_factory(target, conv)
            if origin in _SETS:
                convert = set if origin in {set, abc.MutableSet} else frozenset

        def structure(value: object, _: object) -> Any:
            if not isinstance(value, list | tuple):
                raise FieldError(value, f"an array, not {_type_name(value)}")
            return convert(base(value, target))

        return structure

    conv.register_structure_hook_factory(_is_collection, factory)


def _same(value: Any) -> Any:
    return value


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
    first = exc.args[0] if exc.args else None
    if not isinstance(first, str) or not first:
        return ErrorDetail(path=path, message=f"invalid value ({type(exc).__name__})")
    return ErrorDetail(
        path=path, message=first if len(first) <= _LONGEST else first[:_LONGEST] + "…"
    )


_LONGEST = 200


def _rerooted(exc: ValidationError, path: str, *, personal: bool) -> list[ErrorDetail]:
    moved = [attrs.evolve(detail, path=path + detail.path[1:]) for detail in exc.errors]
    if personal and not isinstance(exc, FieldError):
        # Other errors may tell the value in their message (a code's suggestion).
        return [
            attrs.evolve(detail, message="invalid value", value=None, redacted=True)
            for detail in moved
        ]
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
    if isinstance(exc, RecursionError):
        raise exc  # reported once, for the whole input, by `from_data`
    out.append(_leaf(exc, path, personal))


def _translate(exc: BaseException, cl: object) -> ValidationError:
    details: list[ErrorDetail] = []
    _walk(exc, "$", details)
    return ValidationError(details, subject=_subject(cl))


# -- public API ----------------------------------------------------------------------


def to_data(obj: object) -> Any:
    """Turn a library object into JSON-ready data (dicts, lists, strings, numbers).

    Examples:
        >>> from microstructure.io import to_data
        >>> from microstructure.territory import department
        >>> to_data(department("67"))["timezone"]
        'Europe/Paris'
    """
    data = _converter().unstructure(obj)
    if isinstance(data, dict) and attrs.has(type(obj)):
        return with_envelope(type(obj), data)
    return data


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
    if isinstance(data, Mapping) and ("format" in data or "version" in data):
        data = read_envelope(cl, data, _subject(cl))
    try:
        try:
            return _converter().structure(data, cl)
        except StructureHandlerNotFoundError:
            raise FieldError(_subject(cl), "a type the library can build", field="cl") from None
        except _STRUCTURE_ERRORS as exc:
            raise _translate(exc, cl) from None
    except RecursionError:
        raise _too_deep(cl) from None


# What structuring may raise on bad data: cattrs' groups, and what hooks and
# constructors raise on a value they cannot take (int(), Decimal, date arithmetic).
_STRUCTURE_ERRORS = (
    ClassValidationError,
    IterableValidationError,
    ForbiddenExtraKeysError,
    ValueError,
    TypeError,
    KeyError,
    ArithmeticError,
)


def _subject(cl: object) -> str:
    name = getattr(cl, "__name__", None)
    if isinstance(name, str):
        return name
    return "data" if typing.get_origin(cl) in {typing.Union, types.UnionType} else str(cl)


def _too_deep(cl: object) -> ValidationError:
    subject = cl if isinstance(cl, str) else _subject(cl)
    detail = ErrorDetail(path="$", message="expected less deeply nested data")
    return ValidationError([detail], subject=subject)


def dumps(obj: object, *, indent: int | None = 2) -> str:
    """Serialise a library object to a JSON string (UTF-8 text, keys in field order).

    Examples:
        >>> from microstructure.io import dumps
        >>> from microstructure.teams import Professional, Role
        >>> print(dumps(Professional(id="gp-1", role=Role.GENERAL_PRACTITIONER), indent=None))
        {"id": "gp-1", "role": "gp", "rpps": null, "display_name": null}
    """
    given: object = indent
    if given is not None and (isinstance(given, bool) or not isinstance(given, int)):
        raise FieldError(given, "a number of spaces from 0 to 16, or None", field="indent")
    if given is not None and not 0 <= given <= _MAX_INDENT:
        raise FieldError(given, "a number of spaces from 0 to 16, or None", field="indent")
    try:
        data = to_data(obj)
        if indent is None:
            return json.dumps(data, ensure_ascii=False, allow_nan=False)
        # The same text as json.dumps with this indent, written mostly by the C encoder.
        return dumps_indented(data, indent)
    except (TypeError, ValueError):
        expected = (
            "a library object or JSON-ready data (finite numbers, integers of at most 4300 digits)"
        )
        raise FieldError(type(obj).__name__, expected, field="obj") from None
    except RecursionError:
        raise _too_deep(_subject(type(obj))) from None


_MAX_INDENT = 16


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
    if not isinstance(text, str | bytes):
        raise FieldError(type(text).__name__, "JSON text (str or bytes)", field="text")
    return from_data(cl, parse_json(text, subject=_subject(cl)))


# -- parsing text: the one place for JSON and TOML syntax errors ------------------------


def parse_json(text: str | bytes, *, subject: str) -> Any:
    """JSON text to data; any syntax problem is a `ValidationError` about ``subject``.

    Rejects what `json.loads` lets through: duplicate keys (reported at their path),
    ``NaN`` and ``Infinity``. Nesting too deep and integers over Python's 4,300-digit
    limit are `ValidationError` too.
    """
    duplicates: list[tuple[dict[str, Any], str]] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    duplicates.append((result, key))
                seen.add(key)
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        msg = f"expected valid JSON: {exc.msg} ({where})"
        raise _syntax(msg, subject) from None
    except UnicodeDecodeError:
        msg = "expected UTF-8 encoded JSON"
        raise _syntax(msg, subject) from None
    except RecursionError:
        raise _too_deep(subject) from None
    except ValueError as exc:  # an integer over Python's digit limit, NaN, Infinity
        msg = f"expected valid JSON: {_number_problem(exc)}"
        raise _syntax(msg, subject) from None
    if duplicates:
        details = [
            ErrorDetail(path=f"{_path_of(data, obj)}.{key}", message="duplicate key")
            for obj, key in duplicates
        ]
        raise ValidationError(details, subject=subject)
    return data


def parse_toml(text: str, *, subject: str) -> Any:
    """TOML text to data; any syntax problem is a `ValidationError` about ``subject``."""
    import tomllib  # noqa: PLC0415 - only for TOML files

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"expected valid TOML: {exc}"
        raise _syntax(msg, subject) from None
    except RecursionError:
        raise _too_deep(subject) from None
    except ValueError as exc:  # an integer over Python's digit limit
        msg = f"expected valid TOML: {_number_problem(exc)}"
        raise _syntax(msg, subject) from None


def _no_constant(name: str) -> NoReturn:
    msg = f"{name} is not a number in JSON"
    raise ValueError(msg)


def _number_problem(exc: ValueError) -> str:
    text = str(exc)
    if "digits" in text:
        return f"integers of at most {sys.get_int_max_str_digits()} digits"
    return text


def _syntax(message: str, subject: str) -> ValidationError:
    return ValidationError([ErrorDetail(path="$", message=message)], subject=subject)


def _path_of(data: object, target: object) -> str:
    """The JSONPath of the object ``target`` inside ``data`` (found by identity)."""
    stack: list[tuple[object, str]] = [(data, "$")]
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if isinstance(node, dict):
            stack.extend((value, f"{path}.{key}") for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, f"{path}[{index}]") for index, value in enumerate(node))
    return "$"  # pragma: no cover - the target is always inside the data
