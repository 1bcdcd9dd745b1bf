"""Access to the data files shipped inside the package (``microstructure/data``)."""

from __future__ import annotations

import functools
import json
import tomllib
from importlib import resources
from importlib.resources import abc as _resources_abc
from typing import Any

from microstructure.errors import ConfigurationError

__all__ = ["list_data", "load_data"]


def _data_root() -> _resources_abc.Traversable:
    return resources.files("microstructure").joinpath("data")


@functools.cache
def load_data(name: str) -> Any:
    """Parse a shipped TOML or JSON file, such as ``"programs/equip_addict.toml"``.

    The result is cached and must be treated as read-only.
    """
    resource = _data_root()
    for part in name.split("/"):
        resource = resource.joinpath(part)
    try:
        text = resource.read_text(encoding="utf-8")
        if name.endswith(".toml"):
            return tomllib.loads(text)
        return json.loads(text)
    except (OSError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        msg = f"shipped data file {name!r} cannot be read: {exc}"
        raise ConfigurationError(msg) from exc


def list_data(folder: str) -> tuple[str, ...]:
    """Names (relative to ``data/``) of the shipped files in ``folder``, sorted."""
    root = _data_root()
    for part in folder.split("/"):
        root = root.joinpath(part)
    return tuple(
        sorted(
            f"{folder}/{entry.name}"
            for entry in root.iterdir()
            if entry.is_file() and entry.name.endswith((".toml", ".json"))
        )
    )
