"""The document types of the library, and the format name and version of each file kind.

A document is what a file holds: a team file, a program, a policy, a schedule… Each
kind that the library writes as one JSON object carries, first, its format name and
version (``{"format": "microstructure-network", "version": 1, ...}``). Reading accepts
files without them (written before they were added), migrates an older version, and
refuses a newer one with the version needed. The records JSON Lines file carries the same
two keys in its header line.

The classes are named by module and attribute, as the converter names its hook modules,
so that `microstructure.io` stays below the areas in the layers.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from microstructure.errors import ErrorDetail, ValidationError

__all__ = [
    "Format",
    "document_format",
    "document_of",
    "document_types",
    "read_envelope",
    "with_envelope",
]


@attrs.frozen
class Format:
    """A file format: its stable ``name`` and the ``version`` this library writes.

    Examples:
        >>> from microstructure.io import document_format
        >>> from microstructure.teams import Network
        >>> document_format(Network)
        Format(name='microstructure-network', version=1)
    """

    name: str
    """Stable name written in the file's ``format`` key."""
    version: int
    """Version written in the file's ``version`` key; older ones are migrated on reading."""


@attrs.frozen
class _Document:
    name: str
    module: str
    attribute: str
    what: str
    format: str | None = None
    version: int = 1
    #: How to bring data of version ``v`` to ``v + 1``, by ``v`` (none yet: every format is at 1).
    migrations: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = attrs.field(factory=dict)


#: Every public document type, by the name `microstructure schema` takes, in reading order.
_DOCUMENTS: Final = (
    _Document("national", "microstructure.teams", "NationalCoordination", "the national coordination with every regional network (a team file)", "microstructure-national"),
    _Document("network", "microstructure.teams", "Network", "a regional network with its microstructures (a team file)", "microstructure-network"),
    _Document("microstructure", "microstructure.teams", "Microstructure", "one microstructure (a team file)", "microstructure-team"),
    _Document("program", "microstructure.programs", "Program", "a care program (a network's own definition)", "microstructure-program"),
    _Document("policy", "microstructure.eligibility", "Policy", "an eligibility policy: a program's criterion", "microstructure-policy"),
    _Document("criterion", "microstructure.eligibility", "Criterion", "an eligibility criterion, tagged by its 'type'"),
    _Document("situation", "microstructure.eligibility", "Situation", "what the eligibility rules know about a patient"),
    _Document("decisions", "microstructure.eligibility", "DecisionFile", "the eligibility decisions on a situations file, one row per situation (what eligibility --format json writes)", "microstructure-decisions"),
    _Document("schedule", "microstructure.scheduling", "NetworkSchedule", "the planned sessions of microstructures (a schedule file)", "microstructure-schedule"),
    _Document("held-sessions", "microstructure.scheduling", "HeldSessions", "the sessions held (a held-sessions file)", "microstructure-held-sessions"),
    _Document("record", "microstructure.records", "Event", "one care record, a line of a records JSON Lines file"),
    _Document("records-header", "microstructure.records", "FORMAT", "the first line of a records JSON Lines file"),
    _Document("indicator", "microstructure.evaluation", "Indicator", "an indicator definition"),
    _Document("report", "microstructure.evaluation", "Report", "a computed report: its cells, masked where counts are small (a report JSON file)", "microstructure-report"),
    _Document("indicators", "microstructure.evaluation._catalogue", "_IndicatorFile", "a network's own indicators with their sources (an indicator file)", "microstructure-indicators"),
    _Document("findings", "microstructure.errors", "FindingsReport", "what checking a file found: its findings, or why it cannot be read (check, records validate)", "microstructure-findings"),
)  # fmt: skip


def _resolve(document: _Document) -> Any:
    found = getattr(importlib.import_module(document.module), document.attribute)
    if document.name == "records-header":
        records = importlib.import_module(document.module)
        return Format(found, records.VERSION)
    return found


def document_types() -> dict[str, Any]:
    """Every public document type by name: what `schema` and ``microstructure schema`` take.

    Each value is a type `from_data` builds (a class or a tagged union such as
    `microstructure.records.Event`), except ``records-header``, the `Format` of the
    records JSON Lines header line.

    Examples:
        >>> from microstructure.io import document_types
        >>> list(document_types())[:4]
        ['national', 'network', 'microstructure', 'program']
        >>> document_types()["network"]
        <class 'microstructure.teams.Network'>
    """
    return {document.name: _resolve(document) for document in _DOCUMENTS}


@functools.cache
def _by_type() -> dict[Any, _Document]:
    return {_resolve(document): document for document in _DOCUMENTS}


def document_of(cl: object) -> tuple[str, str] | None:
    """The name and description of the document type ``cl``, or ``None``."""
    try:
        found = _by_type().get(cl)
    except TypeError:  # an unhashable type expression
        return None
    return None if found is None else (found.name, found.what)


@functools.cache
def _formats() -> dict[tuple[str, str], tuple[Format, _Document]]:
    # By module and name, so that finding the format of a class imports nothing.
    return {
        (document.module, document.attribute): (Format(document.format, document.version), document)
        for document in _DOCUMENTS
        if document.format is not None
    }


def _format_of(cl: object) -> tuple[Format, _Document] | None:
    key = (getattr(cl, "__module__", None), getattr(cl, "__qualname__", None))
    if not isinstance(key[0], str) or not isinstance(key[1], str):
        return None
    return _formats().get(key)  # type: ignore[arg-type]


def document_format(cl: object) -> Format | None:
    """The `Format` that files of type ``cl`` carry, or ``None`` for a type without one.

    Examples:
        >>> from microstructure.io import document_format
        >>> from microstructure.teams import Professional
        >>> document_format(Professional) is None
        True
    """
    found = _format_of(cl)
    return None if found is None else found[0]


def with_envelope(cl: type[Any], data: Any) -> Any:
    """``data`` with the format name and version of ``cl`` first, if it has a format."""
    found = _format_of(cl)
    if found is None or not isinstance(data, dict):
        return data
    fmt = found[0]
    return {"format": fmt.name, "version": fmt.version, **data}


def read_envelope(cl: Any, data: Any, subject: str) -> Any:
    """``data`` without its format name and version, migrated to the current version.

    A missing ``format`` or ``version`` is the current one (files written before they
    were added). Another format name, a version that is not a positive integer, an older
    version without a migration or a newer version is a `ValidationError` at that key.
    """
    found = _format_of(cl)
    if found is None or not isinstance(data, Mapping) or not ({"format", "version"} & set(data)):
        return data
    fmt, document = found
    errors: list[ErrorDetail] = []
    name = data.get("format", fmt.name)
    if name != fmt.name:
        errors.append(ErrorDetail("$.format", f"expected {fmt.name!r}", name))
    version = data.get("version", fmt.version)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        errors.append(
            ErrorDetail("$.version", "expected a format version: an integer of at least 1", version)
        )
    elif version > fmt.version:
        message = (
            f"expected version {fmt.version} at most: the file was written for a newer "
            f"version of {fmt.name!r}; read it with a newer release of microstructure"
        )
        errors.append(ErrorDetail("$.version", message, version))
    if errors:
        raise ValidationError(errors, subject=subject)
    body = {key: value for key, value in data.items() if key not in {"format", "version"}}
    for step in range(version, fmt.version):
        migrate = document.migrations.get(step)
        if migrate is None:
            message = (
                f"expected version {fmt.version}: version {step} of {fmt.name!r} cannot be "
                f"read by this release; read it with a release that reads version {step}"
            )
            raise ValidationError([ErrorDetail("$.version", message, version)], subject=subject)
        body = migrate(body)
    return body
