"""Secret keys for keyed pseudonyms: loaded, generated, never shown."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any, Final, NoReturn

from microstructure.errors import ConfigurationError, FieldError
from microstructure.io import Format

__all__ = ["KEY_BYTES", "KEY_FORMAT", "Key", "key_file_text"]

#: Minimum (and generated) key size in bytes: 256 bits, the HMAC-SHA256 block output.
KEY_BYTES = 32
KEY_FORMAT: Final = Format("microstructure-key", 1)
"""The format name and version that key files carry, and the newest version read.

`Key.write` and `create_key_file` write ``{"format": "microstructure-key",
"version": 1, "key": "<hex>"}`` on one line; `Key.from_file` also reads bare
hexadecimal text (older key files, ``openssl rand -hex 32``). A key file holds a secret
read by this library only: no JSON Schema is shipped for it.
"""
_KEY_MEMBERS: Final = ("format", "version", "key")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_FINGERPRINT_LABEL = b"microstructure key fingerprint v1"
_MAX_FILE_BYTES = 4096  # a key file is small; do not read a whole disk image
_UNREADABLE: Final = (
    f"expected a key file holding at least {2 * KEY_BYTES} hexadecimal digits, bare or as "
    f"the 'key' of a {KEY_FORMAT.name!r} JSON object (as Key.write makes); "
    "generate one with Key.generate()"
)


def key_file_text(key: Key) -> str:
    """The content of a key file holding ``key``: one JSON object on one line.

    >>> from microstructure.identifiers import Key
    >>> print(key_file_text(Key(bytes(32))), end="")
    {"format": "microstructure-key", "version": 1, "key": "0000...0000"}
    """
    envelope = {"format": KEY_FORMAT.name, "version": KEY_FORMAT.version}
    return json.dumps({**envelope, "key": key.secret.hex()}) + "\n"


class _Members(list[tuple[str, Any]]):
    """The members of a JSON object in order, duplicates kept (``object_pairs_hook``)."""


def _is_hex_key(text: object) -> bool:
    """Whether ``text`` is at least 64 hexadecimal digits, an even number, nothing else."""
    return (
        isinstance(text, str)
        and len(text) >= 2 * KEY_BYTES
        and not len(text) % 2
        and set(text) <= _HEX_DIGITS
    )


def _key_of_object(text: str) -> str:
    """The hexadecimal key of a key file's JSON object, checked; messages never echo values.

    ``format`` and ``version`` may be missing (meaning the current ones), as in every
    document of the library; this release reads version 1, the first and only one.
    """
    try:
        members = json.loads(text, object_pairs_hook=_Members)
    except (ValueError, RecursionError):
        members = None
    if not isinstance(members, _Members):
        msg = f"cannot read the key file: not one JSON object; {_UNREADABLE}"
        raise ConfigurationError(msg)
    data = dict(members)
    problems: list[str] = []
    unknown = len([name for name, _ in members if name not in _KEY_MEMBERS])
    if unknown:  # the names are not shown: a key pasted as a name would be printed
        problems.append(
            f"$: expected only the keys 'format', 'version' and 'key', got {unknown} other(s)"
        )
    problems += [
        f"$.{name}: duplicate key"
        for name in _KEY_MEMBERS
        if [found for found, _ in members].count(name) > 1
    ]
    if data.get("format", KEY_FORMAT.name) != KEY_FORMAT.name:
        problems.append(f"$.format: expected {KEY_FORMAT.name!r}")
    version = data.get("version", KEY_FORMAT.version)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append("$.version: expected a format version: an integer of at least 1")
    elif version > KEY_FORMAT.version:
        problems.append(
            f"$.version: expected version {KEY_FORMAT.version} at most: the file was written "
            f"for a newer version of {KEY_FORMAT.name!r}; read it with a newer release of "
            "microstructure"
        )
    if "key" not in data:
        problems.append("$.key: required key is missing")
    elif not _is_hex_key(data["key"]):
        problems.append(
            f"$.key: expected at least {2 * KEY_BYTES} hexadecimal digits (an even number)"
        )
    if problems:
        msg = "cannot read the key file: " + "; ".join(problems)
        raise ConfigurationError(msg)
    found: str = data["key"]
    return found


class Key:
    """A secret key of at least 32 random bytes; its ``repr`` shows only a fingerprint.

    The fingerprint (8 hex digits of a keyed hash) lets two people check that they
    loaded the same key without showing it. Load keys with `from_hex`, `from_file`
    or `from_env`, or draw one with `generate`; the bytes themselves are only
    handed to `hmac` and written by `write`.

    >>> from microstructure.identifiers import Key
    >>> key = Key(bytes(range(32)))
    >>> key
    Key(fingerprint='...')
    >>> Key(b"too short")
    Traceback (most recent call last):
    ...
    microstructure.errors.ConfigurationError: a key needs at least 32 bytes, got 9: generate one with Key.generate()
    """

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        given: object = secret
        if not isinstance(given, bytes | bytearray | memoryview):
            msg = f"a key is made of bytes, got {type(given).__name__}"
            raise ConfigurationError(msg)
        secret = bytes(given)
        if len(secret) < KEY_BYTES:
            msg = (
                f"a key needs at least {KEY_BYTES} bytes, got {len(secret)}: "
                "generate one with Key.generate()"
            )
            raise ConfigurationError(msg)
        self._secret = secret

    def __repr__(self) -> str:
        return f"Key(fingerprint={self.fingerprint!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Key):
            return NotImplemented
        return hmac.compare_digest(self._secret, other._secret)

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __reduce__(self) -> NoReturn:
        # Keys are never pickled (pickles end up in caches, queues and logs).
        msg = "a Key cannot be pickled"
        raise TypeError(msg)

    @property
    def fingerprint(self) -> str:
        """A short public identifier of the key: 8 hex digits of HMAC-SHA256(key, label).

        >>> from microstructure.identifiers import Key
        >>> Key(bytes(32)).fingerprint
        'e5609392'
        """
        return hmac.digest(self._secret, _FINGERPRINT_LABEL, hashlib.sha256)[:4].hex()

    @property
    def secret(self) -> bytes:
        """The key's bytes, for handing to `hmac`; never log or print them."""
        return self._secret

    @classmethod
    def generate(cls) -> Key:
        """A new random key of 32 bytes drawn with `secrets`.

        >>> from microstructure.identifiers import Key
        >>> Key.generate() == Key.generate()
        False
        """
        return cls(secrets.token_bytes(KEY_BYTES))

    @classmethod
    def from_hex(cls, text: str) -> Key:
        """A key written as hexadecimal digits (spaces and line breaks ignored).

        Raises:
            ConfigurationError: if the text is not hexadecimal or too short; the
                message never repeats the text.

        >>> from microstructure.identifiers import Key
        >>> Key.from_hex("00" * 32) == Key(bytes(32))
        True
        """
        given: object = text
        if not isinstance(given, str):
            msg = f"a hexadecimal key is text, got {type(given).__name__}"
            raise ConfigurationError(msg)
        compact = "".join(text.split())
        if not compact or not set(compact) <= _HEX_DIGITS or len(compact) % 2:
            msg = "expected a key as an even number of hexadecimal digits"
            raise ConfigurationError(msg)
        return cls(bytes.fromhex(compact))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, allow_shared: bool = False) -> Key:
        """A key read from a key file, as `write` makes it or as bare hexadecimal text.

        A key file holds one key: the JSON object `write` makes,
        ``{"format": "microstructure-key", "version": 1, "key": "<hex>"}`` (see
        `KEY_FORMAT`), or bare hexadecimal text (key files written before they carried
        their format, keys made with ``openssl rand -hex 32``). The key is at
        least 64 hexadecimal digits (32 bytes; an even number); white space around the
        object or the digits is ignored. Anything else (raw bytes, a passphrase, a
        short key, an object with other keys, another format name, a version that
        this release does not read) is refused. As ssh does for its private keys, a
        file that other users may read or write (mode bits ``0o077``) is refused
        unless ``allow_shared`` is true; make it private with ``chmod 600``.

        Messages never show the path nor any of the content (not even a wrong format
        name or version): a key typed where its path was expected, or pasted in the
        wrong place of the object, would otherwise be printed back.

        Raises:
            ConfigurationError: if the file cannot be read, is shared, or does not hold
                a key in one of those forms.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> from microstructure.identifiers import Key
            >>> folder = Path(tempfile.mkdtemp())
            >>> Key(bytes(32)).write(folder / "site.key")
            >>> Key.from_file(folder / "site.key") == Key(bytes(32))
            True
            >>> bare = folder / "openssl.key"  # as `openssl rand -hex 32 > openssl.key` makes
            >>> _ = bare.write_text("00" * 32 + " ")
            >>> bare.chmod(0o600)
            >>> Key.from_file(bare) == Key(bytes(32))
            True
            >>> newer = folder / "newer.key"
            >>> _ = newer.write_text('{"format": "microstructure-key", "version": 2, "key": ""}')
            >>> newer.chmod(0o600)
            >>> Key.from_file(newer)
            Traceback (most recent call last):
            ...
            microstructure.errors.ConfigurationError: cannot read the key file: $.version: expected version 1 at most: the file was written for a newer version of 'microstructure-key'; read it with a newer release of microstructure; $.key: expected at least 64 hexadecimal digits (an even number)
        """
        given: object = path
        if not isinstance(given, str | os.PathLike):
            # The type only: a key typed where its path was expected is never shown.
            raise FieldError(type(given).__name__, "a file path", field="path")
        try:
            with Path(path).open("rb") as file:
                mode = os.fstat(file.fileno()).st_mode
                content = file.read(_MAX_FILE_BYTES + 1)
        except OSError as exc:
            msg = f"cannot read the key file: {exc.strerror}"
            raise ConfigurationError(msg) from None
        if not stat.S_ISREG(mode):
            msg = "cannot read the key file: not a regular file"
            raise ConfigurationError(msg)
        if os.name == "posix" and mode & 0o077 and not allow_shared:
            msg = (
                f"the key file is accessible to other users (mode {stat.S_IMODE(mode):04o}): "
                "make it private with chmod 600"
            )
            raise ConfigurationError(msg)
        if len(content) > _MAX_FILE_BYTES:
            raise ConfigurationError(_UNREADABLE)
        try:
            text = content.decode("utf-8").strip()
        except UnicodeDecodeError:  # its message would show a byte of the file
            raise ConfigurationError(_UNREADABLE) from None
        if text.startswith("{"):
            text = _key_of_object(text)
        elif not _is_hex_key(text):
            raise ConfigurationError(_UNREADABLE)
        return cls(bytes.fromhex(text))

    @classmethod
    def from_env(cls, name: str) -> Key:
        """A key given in hexadecimal in the environment variable ``name``.

        Raises:
            ConfigurationError: if the variable is unset, not hexadecimal or too short.
        """
        given: object = name
        if not isinstance(given, str) or not given or "=" in given or "\0" in given:
            raise FieldError(type(given).__name__, "an environment variable name", field="name")
        text = os.environ.get(name)
        if text is None:
            msg = f"the environment variable {name!r} holding a key is not set"
            raise ConfigurationError(msg)
        try:
            return cls.from_hex(text)
        except ConfigurationError as exc:
            msg = f"environment variable {name!r}: {exc}"
            raise ConfigurationError(msg) from None

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the key to a new key file readable by its owner only.

        The file holds one JSON object on one line (`key_file_text`),
        ``{"format": "microstructure-key", "version": 1, "key": "<hex>"}``, which
        `from_file` reads.

        Raises:
            ConfigurationError: if the file exists already or cannot be written.
        """
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            msg = f"cannot create the key file {os.fspath(path)!r}: {exc.strerror}"
            raise ConfigurationError(msg) from None
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key_file_text(self))
