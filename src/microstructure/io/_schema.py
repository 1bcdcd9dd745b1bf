"""JSON Schema (draft 2020-12) of any type the converter reads, built from the same rules.

Nothing here is written per class. The schema of a type follows what the converter does
with it: an attrs class is an object of its ``init`` fields with no other key (the
converter forbids extra keys), the fields without a default are required; an enum is
its values; a tuple, list or set is an array and a mapping an object; ``X | None``
accepts ``null``; a tagged union (``_TAGGED_UNIONS`` of the hook modules) is a
``oneOf`` whose members carry their ``"type"`` tag as a ``const``. Types with a hook of
their own (dates, durations, amounts, anonymous codes…) take the fragment their module
lists in ``_JSON_SCHEMAS`` beside its ``_install``; validators add the keywords they
declare (`microstructure._validators.json_schema`: the id pattern, minimums…).

What a JSON Schema cannot say (a Luhn check digit, a date on or after another field,
a code that the taxonomy knows) stays checked by the library only: a document that
the schema accepts may still be refused by `microstructure.io.from_data`, with the
path of the problem; a document the library writes always validates.
"""

from __future__ import annotations

import ast
import copy
import enum
import functools
import importlib
import inspect
import itertools
import sys
import textwrap
import types
import typing
from collections import abc
from collections.abc import Mapping
from typing import Any, Final

import attrs

from microstructure.errors import FieldError
from microstructure.io._convert import (
    _HOOK_MODULES,
    _TAG,
    _converter,
    _is_optional,
    _subject,
)
from microstructure.io._formats import Format, document_format, document_of

__all__ = ["DIALECT", "schema"]

#: The JSON Schema dialect of every schema the library writes.
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
_ID_PREFIX: Final = "urn:microstructure:schema:"

#: ISO 8601 forms the library writes, as JSON Schema patterns (ECMA-262 regular expressions).
DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TIME_PATTERN: Final = r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?$"
DATETIME_PATTERN: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})$"
)
DURATION_PATTERN: Final = (
    r"^P(?=[0-9T])([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?$"
)

_SCALARS: Final[dict[Any, dict[str, Any]]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    type(None): {"type": "null"},
    typing.Any: {},
    object: {},
}


def _pendulum_schemas() -> dict[Any, dict[str, Any]]:
    import pendulum  # noqa: PLC0415 - the converter has imported it already

    return {
        pendulum.Date: {
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            "description": "An ISO 8601 date such as '2026-05-14'.",
        },
        pendulum.DateTime: {
            "type": "string",
            "format": "date-time",
            "pattern": DATETIME_PATTERN,
            "description": "An ISO 8601 date-time with a UTC offset such as '2026-05-14T09:00:00+02:00'.",
        },
        pendulum.Time: {
            "type": "string",
            "pattern": TIME_PATTERN,
            "description": "A local wall-clock time such as '09:00' or '13:30:00', without offset.",
        },
        pendulum.Duration: {
            "type": "string",
            "format": "duration",
            "pattern": DURATION_PATTERN,
            "description": "An ISO 8601 duration in days, hours, minutes or seconds such as 'PT45M'.",
        },
        pendulum.Timezone: {
            "type": "string",
            "minLength": 1,
            "description": "An IANA time-zone name such as 'Europe/Paris'.",
        },
    }


class _Context:
    """What the hook modules declare, gathered once: type fragments and tagged unions."""

    def __init__(self) -> None:
        _converter()  # imports every hook module and publishes their classes
        self.types: dict[Any, dict[str, Any]] = {**_SCALARS, **_pendulum_schemas()}
        self.unions: dict[Any, tuple[str, dict[str, type[Any]]]] = {}
        for name in _HOOK_MODULES:
            module = importlib.import_module(name)
            self.types.update(getattr(module, "_JSON_SCHEMAS", {}))
            for union, noun, tags in getattr(module, "_TAGGED_UNIONS", ()):
                self.unions[union] = (noun, dict(tags))
        self.tag_of: dict[type[Any], str] = {
            cl: tag for _, tags in self.unions.values() for tag, cl in tags.items()
        }


@functools.cache
def _context() -> _Context:
    return _Context()


class _Builder:
    def __init__(self, context: _Context) -> None:
        self.context = context
        self.defs: dict[str, dict[str, Any]] = {}

    # -- any type ----------------------------------------------------------------------

    def of(self, t: Any) -> dict[str, Any]:  # noqa: PLR0911 - one return per kind of type
        known = self._known(t)
        if known is not None:
            return copy.deepcopy(known)
        if _hashable(t) and t in self.context.unions:
            return self._tagged_union(t)
        origin = typing.get_origin(t)
        args = typing.get_args(t)
        if origin in {typing.Union, types.UnionType} and _is_optional(t):
            # The converter builds ``X | None`` only; other unions are tagged or have a hook.
            inner = next(arg for arg in args if arg is not type(None))
            return {"anyOf": [self.of(inner), {"type": "null"}]}
        if isinstance(t, type) and issubclass(t, enum.Enum):
            return self._enum(t)
        if isinstance(t, type) and attrs.has(t):
            return self._ref(t, tagged=False)
        if origin in {dict, abc.Mapping, abc.MutableMapping}:
            value = self.of(args[1]) if args else {}
            return {"type": "object", "additionalProperties": value}
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):  # noqa: PLR2004
            return {
                "type": "array",
                "prefixItems": [self.of(arg) for arg in args],
                "items": False,
                "minItems": len(args),
            }
        if origin in {tuple, list, frozenset, set, abc.Sequence, abc.Set, abc.MutableSequence}:
            return {"type": "array", "items": self.of(args[0]) if args else {}}
        raise FieldError(_subject(t), "a type the library can build", field="cl")

    def _known(self, t: Any) -> dict[str, Any] | None:
        try:
            return self.context.types.get(t)
        except TypeError:  # an unhashable annotation
            return None

    # -- enums ---------------------------------------------------------------------------

    def _enum(self, cl: type[enum.Enum]) -> dict[str, Any]:
        name = cl.__name__
        if name not in self.defs:
            values = [member.value for member in cl]
            kinds = {type(v) for v in values}
            fragment: dict[str, Any] = {"title": name}
            if _summary(cl):
                fragment["description"] = _summary(cl)
            if kinds == {str}:
                fragment["type"] = "string"
            fragment["enum"] = values
            self.defs[name] = fragment
        return {"$ref": f"#/$defs/{name}"}

    # -- attrs classes and tagged unions -------------------------------------------------

    def _ref(self, cl: type[Any], *, tagged: bool) -> dict[str, Any]:
        name = cl.__name__ if tagged or cl not in self.context.tag_of else f"{cl.__name__}Fields"
        if name not in self.defs:
            self.defs[name] = {}  # reserved: a class may contain itself
            self.defs[name] = self._class(cl, self.context.tag_of[cl] if tagged else None)
        return {"$ref": f"#/$defs/{name}"}

    def _class(self, cl: type[Any], tag: str | None) -> dict[str, Any]:
        _resolve(cl)
        docs = _field_docs(cl)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if tag is not None:
            properties[_TAG] = {"const": tag}
            required.append(_TAG)
        for field in attrs.fields(cl):
            if not field.init:
                continue
            prop = self.of(field.type)
            _merge(prop, _validator_keywords(field.validator))
            if field.name in docs:
                prop = _described(prop, docs[field.name])
            if field.default is attrs.NOTHING:
                required.append(field.name)
            else:
                default = _default(field)
                if default is not _NO_DEFAULT:
                    prop["default"] = default
            properties[field.name] = prop
        fragment: dict[str, Any] = {"title": cl.__name__}
        summary = _summary(cl)
        if summary:
            fragment["description"] = summary
        fragment |= {"type": "object", "properties": properties}
        if required:
            fragment["required"] = required
        fragment["additionalProperties"] = False
        return fragment

    def _tagged_union(self, union: Any) -> dict[str, Any]:
        noun, tags = self.context.unions[union]
        name = noun.split()[-1].capitalize()
        if name not in self.defs:
            self.defs[name] = {}
            members = [self._ref(cl, tagged=True) for cl in tags.values()]
            self.defs[name] = {
                "title": name,
                "description": f"{noun.capitalize()}: an object whose {_TAG!r} names its kind.",
                "type": "object",
                "required": [_TAG],
                "properties": {_TAG: {"enum": list(tags)}},
                "oneOf": members,
            }
        return {"$ref": f"#/$defs/{name}"}


_NO_DEFAULT = object()


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _default(field: attrs.Attribute[Any]) -> Any:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return _NO_DEFAULT
        default = default.factory()
    try:
        return _converter().unstructure(default)
    except (TypeError, ValueError):  # pragma: no cover - every default of the library is data
        return _NO_DEFAULT


def _described(prop: dict[str, Any], doc: str) -> dict[str, Any]:
    if "$ref" in prop and "description" not in prop:
        return {"description": doc, **prop}
    if "description" in prop:
        return {**prop, "description": doc + " " + prop["description"]}
    return {"description": doc, **prop}


def _validator_keywords(validator: Any) -> dict[str, Any]:
    """The JSON Schema keywords that the validators of a field declare."""
    if validator is None:
        return {}
    found: dict[str, Any] = {}
    parts = getattr(validator, "_validators", None)
    for part in parts if parts is not None else (validator,):
        declared = getattr(part, "__json_schema__", None)
        if callable(declared):
            declared = declared()
        if declared:
            _merge(found, copy.deepcopy(dict(declared)))
    return found


def _merge(target: dict[str, Any], keywords: Mapping[str, Any]) -> None:
    """Add ``keywords`` to ``target``; into its non-null branch when it accepts ``null``."""
    if not keywords:
        return
    branches = target.get("anyOf")
    if branches is not None:
        for branch in branches:
            if branch != {"type": "null"}:
                _merge(branch, keywords)
        return
    for key, value in keywords.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _resolve(cl: type[Any]) -> None:
    if not getattr(cl, "__attrs_types_resolved__", False):
        attrs.resolve_types(cl, globalns=vars(_defining_module(cl)))


def _defining_module(cl: type[Any]) -> types.ModuleType:
    """The (private) module that defines ``cl``, whatever public path it shows."""
    public = sys.modules.get(cl.__module__)
    for name, module in tuple(sys.modules.items()):
        if (
            name.startswith(cl.__module__ + ".")
            and getattr(module, cl.__qualname__, None) is cl
            and "_" in name.rsplit(".", 1)[-1][:1]
        ):
            return module
    return public if public is not None else sys.modules[__name__]


def _summary(obj: object) -> str:
    """The first paragraph of a docstring, on one line, without reST/Markdown markup."""
    doc = inspect.getdoc(obj) or ""
    if isinstance(obj, type) and issubclass(obj, enum.Enum) and doc == inspect.getdoc(enum.Enum):
        return ""
    first = doc.split("\n\n", 1)[0]
    return " ".join(first.split()).replace("``", "'").replace("`", "")


@functools.cache
def _module_tree(filename: str) -> ast.Module | None:
    try:
        with open(filename, encoding="utf-8") as source:  # noqa: PTH123 - a module's own file
            return ast.parse(source.read())
    except (OSError, SyntaxError):  # pragma: no cover - the library ships its sources
        return None


def _field_docs(cl: type[Any]) -> dict[str, str]:
    """The docstrings written under the fields of ``cl`` in its source (attribute docstrings)."""
    filename = getattr(_defining_module(cl), "__file__", None)
    tree = _module_tree(filename) if filename else None
    if tree is None:
        return {}
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == cl.__name__:
            body = node.body
            for before, after in itertools.pairwise(body):
                if (
                    isinstance(before, ast.AnnAssign)
                    and isinstance(before.target, ast.Name)
                    and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                ):
                    text = textwrap.dedent(after.value.value).strip()
                    found[before.target.id] = " ".join(text.split()).replace("``", "'")
            break
    return found


def schema(cl: object) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of what `from_data` accepts for ``cl``.

    ``cl`` is any type the converter builds: a document class (`document_types` lists
    them), a tagged union such as `microstructure.records.Event`, or a collection such
    as ``list[Professional]``. The schema is generated from the attrs classes and the
    converter's own rules each time, so it follows them; the same schemas ship in the
    package as ``microstructure/schemas/*.json``.

    Raises:
        ValidationError: if ``cl`` is not a type the library can build.

    Examples:
        >>> from microstructure.io import schema
        >>> from microstructure.teams import Professional
        >>> s = schema(Professional)
        >>> s["$defs"]["Professional"]["required"], s["$defs"]["Professional"]["additionalProperties"]
        (['id', 'role'], False)
        >>> s["$defs"]["Professional"]["properties"]["id"]["pattern"]
        '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'
    """
    document = document_of(cl)
    name, what = document if document is not None else (_subject(cl), None)
    if isinstance(cl, Format):
        return _header_schema(cl, name, what)
    builder = _Builder(_context())
    root = builder.of(cl)
    result: dict[str, Any] = {"$schema": DIALECT, "$id": f"{_ID_PREFIX}{name}", "title": name}
    if what is not None:
        result["description"] = what[:1].upper() + what[1:] + "."
    fmt = document_format(cl)
    if fmt is not None and "$ref" in root:
        # The file itself carries its format and version; the same class nested in
        # another document (a network in a national file) does not.
        root = copy.deepcopy(builder.defs[root["$ref"].rsplit("/", 1)[1]])
        root.pop("title", None)
        root.pop("description", None)
        root["properties"] = {**_envelope(fmt), **root["properties"]}
    result |= root
    if builder.defs:
        result["$defs"] = dict(sorted(builder.defs.items()))
    return result


def _envelope(fmt: Format) -> dict[str, Any]:
    return {
        "format": {
            "const": fmt.name,
            "description": "The name of this file format; optional, for files written before it was added.",
        },
        "version": {
            "type": "integer",
            "minimum": 1,
            "maximum": fmt.version,
            "description": f"The version of the format; optional ({fmt.version}, the current one, when absent).",
        },
    }


def _header_schema(fmt: Format, name: str, what: str | None) -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "$id": f"{_ID_PREFIX}{name}",
        "title": name,
        "description": (what or "a header line")[:1].upper() + (what or "a header line")[1:] + ".",
        "type": "object",
        "properties": {"format": {"const": fmt.name}, "version": {"const": fmt.version}},
        "required": ["format", "version"],
        "additionalProperties": False,
    }
