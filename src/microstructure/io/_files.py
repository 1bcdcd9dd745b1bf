"""Reading JSON and TOML files: one place for file errors and located parse errors."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any, TypeVar, overload

from microstructure.errors import ConfigurationError, FieldError
from microstructure.io._convert import from_data, parse_json, parse_toml

__all__ = ["load", "read_file", "write_atomically"]

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


def write_atomically(path: str | Path, write: Callable[[IO[str]], T], *, what: str = "data") -> T:
    """Call ``write`` on a UTF-8 text file that replaces ``path`` only once it is complete.

    ``write`` fills a temporary file next to ``path``; it is flushed to disk, then renamed
    over ``path``, so that a reader never sees half a file. On any error (or Ctrl-C) the
    temporary file is removed and ``path`` is left as it was. Returns what ``write`` returns.

    Raises:
        ConfigurationError: if the file cannot be written (``what`` names it).
        FieldError: if ``path`` is not a path or ``write`` is not callable.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from microstructure.io import write_atomically
        >>> target = Path(tempfile.mkdtemp()) / "out.txt"
        >>> write_atomically(target, lambda out: out.write("done"))
        4
        >>> target.read_text()
        'done'
    """
    given: object = path
    if not isinstance(given, str | os.PathLike) or not str(given):
        raise FieldError(type(given).__name__, "a file path", field="path")
    if not callable(write):
        raise FieldError(type(write).__name__, "a function writing to a text file", field="write")
    import tempfile  # noqa: PLC0415 - loads shutil and random: only when writing a file

    target = Path(path)
    temp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        temp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            result = write(out)
            out.flush()
            os.fsync(out.fileno())
        temp.replace(target)
    except OSError as exc:
        if temp is not None:
            temp.unlink(missing_ok=True)
        msg = f"cannot write {what} file {str(target)!r}: {exc.strerror or type(exc).__name__}"
        raise ConfigurationError(msg) from None
    except BaseException:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise
    return result
