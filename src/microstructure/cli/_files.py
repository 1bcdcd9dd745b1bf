"""Files of the command line: one sentence for unreadable inputs, one safe writer.

Every command reads its inputs through `check_input` (or a library reader giving
the same sentence) and writes its outputs through `safe_output`, which

- refuses to write over an input or key file, also through a symbolic link to one;
- refuses a target that exists and is not a regular file (a directory, ``/dev/full``);
- writes through `microstructure.io.atomic_file`, the one atomic writer of the library:
  a hidden part file ``.NAME.XXXXXXXX.part`` in the target's directory, flushed to disk
  and renamed over the target (``os.replace``): a symbolic link at the target is
  replaced, never followed; a failed, interrupted (Ctrl-C, SIGTERM) or full-disk run
  removes the part file and leaves the target untouched;
- creates outputs holding patient-derived data readable by their owner only (0600).

A run killed by SIGKILL (or a power cut) cannot clean up: it may leave the part file
next to the target, which is then safe to delete.
"""

from __future__ import annotations

import contextlib
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal, overload

import attrs

from microstructure.errors import ConfigurationError, ValidationError

__all__ = [
    "DELIMITERS",
    "check_input",
    "json_spelled",
    "safe_output",
    "same_file",
    "with_file_name",
]


#: The ``--delimiter`` choices of the commands reading CSV; ``auto`` guesses it from the
#: header line with `microstructure.io.guess_delimiter`.
DELIMITERS = {"auto": None, "comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def check_input(path: str, *, what: str) -> Path:
    """The path of a readable regular file, or the one sentence for an unreadable input.

    The sentence is ``cannot read WHAT file 'PATH': REASON``, as `microstructure.io`
    says it.
    """
    file = Path(path)
    try:
        with file.open("rb"):
            pass
    except OSError as exc:
        msg = f"cannot read {what} file {path!r}: {_reason(exc)}"
        raise ConfigurationError(msg) from None
    if not file.is_file():
        msg = f"cannot read {what} file {path!r}: not a regular file"
        raise ConfigurationError(msg)
    return file


def with_file_name(exc: ValidationError, path: str, what: str) -> ValidationError:
    """The same problems, under a subject naming the file (``invalid team file 'x.json'``)."""
    if path in exc.subject:
        return exc
    return ValidationError(exc.errors, subject=f"{what} file {path!r}")


class _JsonSpelling:
    """A value shown as JSON spells it (``true``, ``false``, ``null``)."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return self._text


def json_spelled(exc: ValidationError) -> ValidationError:
    """The same problems, with booleans shown as ``true``/``false`` as in the JSON input."""
    if not any(isinstance(d.value, bool) for d in exc.errors):
        return exc
    details = [
        attrs.evolve(d, value=_JsonSpelling("true" if d.value else "false"))
        if isinstance(d.value, bool)
        else d
        for d in exc.errors
    ]
    return ValidationError(details, subject=exc.subject)


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file, following symbolic links."""
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and a.samefile(b)
    except (OSError, RuntimeError):  # a loop of links, or a race with deletion
        return False


def _check_target(target: Path, path: str, protected: Iterable[str | None]) -> None:
    for other in protected:
        if other is not None and same_file(Path(other), target):
            msg = f"refusing to overwrite {path!r}: it is an input or a key of this command"
            raise ConfigurationError(msg)
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        msg = f"cannot write {path!r}: {_reason(exc)}"
        raise ConfigurationError(msg) from None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        reason = "it is a directory" if stat.S_ISDIR(mode) else "not a regular file"
        msg = f"cannot write {path!r}: {reason}"
        raise ConfigurationError(msg)
    if not target.parent.is_dir():
        msg = f"cannot write {path!r}: no such directory"
        raise ConfigurationError(msg)


@overload
def safe_output(
    path: str,
    *,
    protected: Iterable[str | None],
    private: bool,
    mode: Literal["w"] = ...,
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def safe_output(
    path: str,
    *,
    protected: Iterable[str | None],
    private: bool,
    mode: Literal["wb"],
) -> contextlib.AbstractContextManager[IO[bytes]]: ...
def safe_output(
    path: str,
    *,
    protected: Iterable[str | None],
    private: bool,
    mode: Literal["w", "wb"] = "w",
) -> contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]:
    r"""Write ``path`` atomically through a part file (see the module docstring).

    ``protected`` lists the command's inputs and keys; ``private`` makes the file 0600
    (otherwise 0666 less the umask). Text is UTF-8 with ``\n`` line ends kept as given.

    Raises:
        ConfigurationError: if the target is refused or cannot be written; nothing is
            left behind.
    """
    return _safe_output(path, protected=protected, private=private, mode=mode)


@contextlib.contextmanager
def _safe_output(
    path: str, *, protected: Iterable[str | None], private: bool, mode: str
) -> Iterator[IO[Any]]:
    from microstructure.io import atomic_file  # noqa: PLC0415

    target = Path(path)
    _check_target(target, path, protected)
    with atomic_file(target, what="output", private=private, binary=mode == "wb") as file:
        yield file
