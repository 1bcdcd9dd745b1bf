"""Reading JSON and TOML files: one place for file errors and located parse errors."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal, TypeVar, overload

from microstructure.errors import ConfigurationError, FieldError
from microstructure.io._convert import from_data, parse_json, parse_toml

__all__ = ["atomic_file", "load", "read_file", "write_atomically"]

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


@overload
def atomic_file(
    path: str | Path, *, what: str = ..., private: bool = ..., binary: Literal[False] = ...
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def atomic_file(
    path: str | Path, *, what: str = ..., private: bool = ..., binary: Literal[True]
) -> contextlib.AbstractContextManager[IO[bytes]]: ...
@overload
def atomic_file(
    path: str | Path, *, what: str = ..., private: bool = ..., binary: bool
) -> contextlib.AbstractContextManager[IO[Any]]: ...
def atomic_file(
    path: str | Path, *, what: str = "data", private: bool = True, binary: bool = False
) -> contextlib.AbstractContextManager[IO[Any]]:
    r"""A new file that replaces ``path`` only once it is complete: the one atomic writer.

    The ``with`` block writes a hidden part file ``.NAME.XXXXXXXX.part`` next to
    ``path``; when the block ends, the file is flushed to disk and renamed over ``path``
    (``os.replace``: a symbolic link at ``path`` is replaced, never followed), so that a
    reader never sees half a file. On any error, Ctrl-C or SIGTERM, the part file is
    removed and ``path`` is left as it was; only SIGKILL or a power cut can leave a part
    file behind, which is then safe to delete. ``private`` makes the file readable by its
    owner only (0600, for patient-derived data); otherwise it gets 0666 less the umask.
    Text is UTF-8 with line ends written as given; ``binary`` gives a bytes file.

    Raises:
        ConfigurationError: if the file cannot be written (``what`` names it); nothing
            is written.
        FieldError: if ``path`` is not a path.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from microstructure.io import atomic_file
        >>> target = Path(tempfile.mkdtemp()) / "out.txt"
        >>> with atomic_file(target, what="output") as out:
        ...     _ = out.write("done")
        ...     target.exists()
        False
        >>> target.read_text(), oct(target.stat().st_mode & 0o777)
        ('done', '0o600')
    """
    given: object = path
    if not isinstance(given, str | os.PathLike) or not str(given):
        raise FieldError(type(given).__name__, "a file path", field="path")
    return _atomic_file(Path(path), what=what, private=private, binary=binary)


@contextlib.contextmanager
def _atomic_file(target: Path, *, what: str, private: bool, binary: bool) -> Iterator[IO[Any]]:
    import secrets  # noqa: PLC0415 - only when writing a file

    def failed(exc: OSError, after: str = "") -> ConfigurationError:
        reason = exc.strerror or type(exc).__name__
        return ConfigurationError(f"cannot write {what} file {str(target)!r}: {reason}{after}")

    # The part file's name is chosen before it is created, so that a signal arriving at
    # any moment after its creation still finds it to remove.
    part = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
    # Only a failed creation leaves nothing of ours to remove; a signal between the
    # creation and the next line must still remove the file.
    not_created = False
    try:
        try:
            descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            not_created = True
            raise failed(exc) from None
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(descriptor, 0o666 & ~umask)
        file: IO[Any] = (
            os.fdopen(descriptor, "wb")
            if binary
            else os.fdopen(descriptor, "w", encoding="utf-8", newline="")
        )
        with file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        part.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        raise failed(exc, "; nothing was written") from None
    except BaseException:
        if not not_created:
            with contextlib.suppress(OSError):
                part.unlink()
        raise


def write_atomically(path: str | Path, write: Callable[[IO[str]], T], *, what: str = "data") -> T:
    """Call ``write`` on a UTF-8 text file that replaces ``path`` only once it is complete.

    ``write`` fills the part file of `atomic_file` (readable by its owner only), which
    replaces ``path`` once ``write`` has returned. On any error (or Ctrl-C) ``path`` is
    left as it was. Returns what ``write`` returns.

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
    if not callable(write):
        raise FieldError(type(write).__name__, "a function writing to a text file", field="write")
    with atomic_file(path, what=what) as out:
        return write(out)
