"""The ``"type"`` tag of each record in JSON: the one place that wires the tagged union.

Kept small on purpose: when `microstructure.io` offers one tagged-union helper for every
union of the library, only this module changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError
from cattrs.gen import make_dict_unstructure_fn

from microstructure.errors import FieldError
from microstructure.records._model import (
    Assessment,
    Consultation,
    Event,
    Exit,
    Inclusion,
    Patient,
    RcpMeeting,
    Referral,
)

__all__ = ["BY_TAG", "TAGS", "TAG_KEY", "check_event", "event_type"]

#: The key that names a record's type in JSON.
TAG_KEY: Final = "type"
#: The tag of each record class.
TAGS: Final[dict[type[Any], str]] = {
    Patient: "patient",
    Referral: "referral",
    Assessment: "assessment",
    Inclusion: "inclusion",
    Consultation: "consultation",
    RcpMeeting: "rcp-meeting",
    Exit: "exit",
}
#: The record class of each tag.
BY_TAG: Final[dict[str, type[Any]]] = {tag: cl for cl, tag in TAGS.items()}
_EXPECTED = "one of " + ", ".join(repr(tag) for tag in BY_TAG)


def check_event(value: object) -> Event:
    """``value`` if it is a care record, else the located error."""
    if type(value) not in TAGS:
        raise FieldError(
            type(value).__name__,
            "a care record (Patient, Referral, Assessment, Inclusion, "
            "Consultation, RcpMeeting or Exit)",
        )
    return value  # type: ignore[return-value]


def event_type(event: Event) -> str:
    """The ``"type"`` tag of ``event`` in JSON.

    Examples:
        >>> import pendulum
        >>> from microstructure.identifiers import AnonymousCode
        >>> from microstructure.records import Exit, event_type
        >>> event_type(Exit(id="x-1", recorded_at=pendulum.datetime(2026, 6, 1, 9),
        ...                 patient=AnonymousCode.parse("K3M7-QXVG"),
        ...                 date=pendulum.date(2026, 6, 1), reason="moved"))
        'exit'
    """
    return TAGS[type(check_event(event))]


def _located(exc: Exception) -> ClassValidationError:
    exc.__notes__ = [AttributeValidationNote(f"Structuring {TAG_KEY}", TAG_KEY, str)]
    return ClassValidationError("While structuring a record", [exc], Patient)


def install(conv: cattrs.Converter) -> None:
    """Structure `Event` by its ``"type"`` key; write the key first for every record class."""

    def structure(value: object, _: object) -> Event:
        if not isinstance(value, Mapping):
            raise FieldError(value, "a record: an object with a 'type' key")
        if TAG_KEY not in value:
            raise _located(KeyError(TAG_KEY))
        tag = value[TAG_KEY]
        cl = BY_TAG.get(tag) if isinstance(tag, str) else None
        if cl is None:
            raise _located(FieldError(tag, _EXPECTED))
        result: Event = conv.structure({k: v for k, v in value.items() if k != TAG_KEY}, cl)
        return result

    def factory(cl: type[Any]) -> Any:
        base = make_dict_unstructure_fn(cl, conv)
        tag = TAGS[cl]
        return lambda obj: {TAG_KEY: tag, **base(obj)}

    conv.register_structure_hook(Event, structure)
    conv.register_unstructure_hook_factory(lambda t: t in TAGS, factory)
    conv.register_unstructure_hook(Event, lambda obj: conv.unstructure(obj, type(obj)))


#: Read by `microstructure.io`, which installs it on every converter it makes.
#: (Not yet the io tagged-union mechanism: that one leaves defaults out when writing,
#: which the records' CSV export does not expect.)
_install = install
