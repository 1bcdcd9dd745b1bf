"""Key files: create one atomically for its owner only, and tell keys apart by fingerprint."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from microstructure.errors import ConfigurationError, FieldError
from microstructure.identifiers._keys import Key, key_file_text

__all__ = ["create_key_file", "key_file_fingerprint"]

_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}


def create_key_file(path: str | os.PathLike[str]) -> Key:
    """Draw a new random key and write it to a new key file readable by its owner only.

    The file holds one JSON object on one line, ``{"format": "microstructure-key",
    "version": 1, "key": "<hex>"}`` (see `KEY_FORMAT`), as `Key.write` makes and
    `Key.from_file` reads. It is written to a private part file in the same directory
    (mode 0600 whatever the umask), flushed, then linked to ``path`` in one step that
    fails if ``path`` exists: a key file is never replaced, and an interrupted run
    leaves no half-written key. Print ``key.fingerprint``, never the key. Messages do
    not repeat the path (a key pasted where its path was expected stays unprinted).

    Returns:
        The new key (its ``repr`` shows only the fingerprint).

    Raises:
        ConfigurationError: if ``path`` exists already or cannot be written.
        FieldError: if ``path`` is not a path.

    Examples:
        >>> import os, tempfile
        >>> from microstructure.identifiers import Key, create_key_file
        >>> path = os.path.join(tempfile.mkdtemp(), "site.key")
        >>> key = create_key_file(path)
        >>> oct(os.stat(path).st_mode & 0o777), Key.from_file(path) == key
        ('0o600', True)
        >>> create_key_file(path)
        Traceback (most recent call last):
        ...
        microstructure.errors.ConfigurationError: cannot create the key file: it exists already (a key file is never replaced)
    """
    if not isinstance(path, str | os.PathLike):
        raise FieldError(type(path).__name__, "a file path", field="path")
    target = Path(path)
    key = Key.generate()
    if target.exists() or target.is_symlink():
        msg = "cannot create the key file: it exists already (a key file is never replaced)"
        raise ConfigurationError(msg)
    try:
        descriptor, part = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = exc.strerror if isinstance(exc, OSError) else "not a usable path"
        msg = f"cannot create the key file: {reason}"
        raise ConfigurationError(msg) from None
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key_file_text(key))
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(part, target)
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            key.write(target)  # exclusive creation, mode 0600, on file systems without links
    except FileExistsError:
        msg = "cannot create the key file: it exists already (a key file is never replaced)"
        raise ConfigurationError(msg) from None
    except OSError as exc:
        msg = f"cannot create the key file: {exc.strerror}"
        raise ConfigurationError(msg) from None
    finally:
        with contextlib.suppress(OSError):
            Path(part).unlink()
    return key


def key_file_fingerprint(path: str | os.PathLike[str]) -> str:
    """The fingerprint of the key in a key file: 8 hex digits that do not reveal it.

    Two sites compare fingerprints to check that they hold the same key, or that a
    rotated key is indeed new.

    Raises:
        ConfigurationError: if the file cannot be read or holds no valid key.

    Examples:
        >>> import os, tempfile
        >>> from microstructure.identifiers import create_key_file, key_file_fingerprint
        >>> path = os.path.join(tempfile.mkdtemp(), "site.key")
        >>> key = create_key_file(path)
        >>> key_file_fingerprint(path) == key.fingerprint
        True
        >>> len(key_file_fingerprint(path))
        8
    """
    return Key.from_file(path).fingerprint
