"""The ``"type"`` tag of each record in JSON, for the tagged-union mechanism of `microstructure.io`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

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

__all__ = ["BY_TAG", "EVENT_TYPES", "TAGS", "TAG_KEY", "check_event", "check_events", "event_type"]

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
#: Every record type, as its ``"type"`` tag in JSON, in pathway order.
EVENT_TYPES: Final[tuple[str, ...]] = tuple(BY_TAG)
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


def check_events(value: object, field: str = "events") -> Iterator[Event]:
    """The care records of the iterable ``value``, each checked; else the located error."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise FieldError(type(value).__name__, "an iterable of care records", field=field)
    return map(check_event, value)


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


#: Read by `microstructure.io`: the one tagged-union mechanism of the library structures
#: `Event` by its ``"type"`` key, writes the key first and leaves out fields equal to
#: their default.
_TAGGED_UNIONS = ((Event, "a record", BY_TAG),)
