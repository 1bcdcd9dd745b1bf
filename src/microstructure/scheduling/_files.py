"""Reading schedule and held-sessions files, and the bundled example schedule."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from microstructure import _validators as _v
from microstructure._data import load_data
from microstructure._frozen import frozen_tuple
from microstructure.errors import ValidationError
from microstructure.io import from_data, load, read_file
from microstructure.scheduling._conformity import HeldSession
from microstructure.scheduling._model import NetworkSchedule

__all__ = ["HeldSessions", "example_schedule", "load_held", "load_schedule"]


def load_schedule(source: str | Path | Mapping[str, Any]) -> NetworkSchedule:
    """Read a schedule file (JSON, ``{"schedules": [...]}``) or a mapping of that shape.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: listing every problem in the file, with its path.

    Examples:
        >>> load_schedule({"schedules": [{"microstructure": "ms-1", "rules": [{"type": "daily"}]}]})
        Traceback (most recent call last):
        ...
        microstructure.errors.ValidationError: invalid NetworkSchedule: 1 problem
          - expected one of 'weekly', 'monthly' (got 'daily') @ $.schedules[0].rules[0].type
    """
    return load(NetworkSchedule, source, what="schedule")


@functools.cache
def example_schedule() -> NetworkSchedule:
    """The schedules of the bundled example network (`microstructure.examples`).

    The file is ``microstructure/data/examples/schedule.json``.

    Examples:
        >>> [s.microstructure for s in example_schedule().schedules]
        ['ms-neudorf', 'ms-hautepierre', 'ms-colmar', 'ms-saint-denis']
    """
    return from_data(NetworkSchedule, load_data("examples/schedule.json"))


@attrs.frozen
class HeldSessions:
    """The sessions actually held: the content of a held-sessions file.

    The file is ``{"format": "microstructure-held-sessions", "version": 1, "sessions":
    [...]}``; `load_held` reads it (and the bare array written before).

    Examples:
        >>> import pendulum
        >>> from microstructure.io import to_data
        >>> from microstructure.programs import Activity
        >>> from microstructure.scheduling import HeldSession, HeldSessions
        >>> held = HeldSessions((HeldSession(microstructure="ms-neudorf", activity=Activity.RCP,
        ...                                  date=pendulum.date(2026, 3, 12)),))
        >>> to_data(held)
        {'format': 'microstructure-held-sessions', 'version': 1, 'sessions': [{'microstructure': 'ms-neudorf', 'activity': 'rcp', 'date': '2026-03-12', 'status': 'held'}]}
    """

    sessions: tuple[HeldSession, ...] = attrs.field(
        converter=frozen_tuple, validator=_v.tuple_of(HeldSession, "held sessions")
    )
    """The sessions held, cancelled or missed, in any order."""


def load_held(source: str | Path | Mapping[str, Any] | list[Any]) -> tuple[HeldSession, ...]:
    """Read a held-sessions file (JSON, ``{"sessions": [...]}``), or data of that shape.

    The bare array of sessions written before the file carried its format (``[{...},
    ...]``) reads too, with the same sessions. Problems are located in the file as it is
    written: ``$.sessions[3].date`` in the object, ``$[3].date`` in a bare array.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: listing every problem in the file, with its path; a newer
            version of the format is refused at ``$.version``.

    Examples:
        >>> from microstructure.scheduling import load_held
        >>> session = {"microstructure": "ms-colmar", "activity": "rcp", "date": "2026-03-02"}
        >>> load_held({"format": "microstructure-held-sessions", "version": 1,
        ...            "sessions": [session]}) == load_held([session])
        True
        >>> load_held([session, {**session, "date": "2026-03-32"}])
        Traceback (most recent call last):
        ...
        microstructure.errors.ValidationError: invalid HeldSessions: 1 problem
          - expected an ISO 8601 date such as '2026-05-14' (got '2026-03-32') @ $[1].date
    """
    data = source if isinstance(source, Mapping | list) else read_file(source, what="held sessions")
    if isinstance(data, list):  # the bare array of the files written before the format
        try:
            sessions: tuple[HeldSession, ...] = from_data(tuple[HeldSession, ...], data)
        except ValidationError as exc:
            raise ValidationError(exc.errors, subject="HeldSessions") from None
        return sessions
    return from_data(HeldSessions, data).sessions


# Resolve annotations before the public package rewrites ``__module__``.
attrs.resolve_types(HeldSessions)
