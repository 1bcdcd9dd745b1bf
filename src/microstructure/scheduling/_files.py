"""Reading schedule files, and the bundled example schedule."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from microstructure._data import load_data
from microstructure.io import from_data, load
from microstructure.scheduling._model import NetworkSchedule

__all__ = ["example_schedule", "load_schedule"]


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
