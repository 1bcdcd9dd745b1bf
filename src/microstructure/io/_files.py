"""Reading JSON and TOML files: one place for file errors and located parse errors."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar, overload

from microstructure.errors import ConfigurationError, FieldError
from microstructure.io._convert import from_data, parse_json, parse_toml

__all__ = ["load", "read_file"]

T = TypeVar("T")


def read_file(path: str | Path, *, what: str = "data") -> Any:
    """Read a JSON (or, by its ``.toml`` suffix, TOML) file into JSON-ready data.

    Raises:
        ConfigurationError: if the file cannot be read or is not UTF-8 text.
        ValidationError: if it is not valid JSON or TOML (path ``$``, with line and column).

    Examples:
        >>> from microstructure.io import read_file
        >>> read_file("/nonexistent/network.json", what="network")
        Traceback (most recent call last):
        ...
        microstructure.errors.ConfigurationError: cannot read network file '/nonexistent/network.json': No such file or directory
    """
    if not isinstance(path, str | os.PathLike):
        raise FieldError(type(path).__name__, "a file path", field="path")
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = (
            exc.strerror
            if isinstance(exc, OSError)
            else "not UTF-8 text"
            if isinstance(exc, UnicodeDecodeError)
            else "not a usable path"
        )
        msg = f"cannot read {what} file {str(file)!r}: {reason}"
        raise ConfigurationError(msg) from None
    if file.suffix.lower() == ".toml":
        return parse_toml(text, subject=str(file))
    return parse_json(text, subject=str(file))


@overload
def load(cl: type[T], source: str | Path | Mapping[str, Any], *, what: str = ...) -> T: ...
@overload
def load(cl: object, source: str | Path | Mapping[str, Any], *, what: str = ...) -> Any: ...
def load(cl: Any, source: str | Path | Mapping[str, Any], *, what: str = "data") -> Any:
    """Build a ``cl`` from a JSON/TOML file path, or from already-read JSON-ready data.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: listing every problem with its path.

    Examples:
        >>> from microstructure.io import load
        >>> from microstructure.teams import Professional
        >>> load(Professional, {"id": "ts-1", "role": "social-worker"}).role.label_fr
        'travailleur social'
    """
    data = source if isinstance(source, Mapping) else read_file(source, what=what)
    return from_data(cl, data)
