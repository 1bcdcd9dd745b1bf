"""Secret keys for keyed pseudonyms: loaded, generated, never shown."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path
from typing import NoReturn

from microstructure.errors import ConfigurationError, FieldError

__all__ = ["KEY_BYTES", "Key"]

#: Minimum (and generated) key size in bytes: 256 bits, the HMAC-SHA256 block output.
KEY_BYTES = 32
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_FINGERPRINT_LABEL = b"microstructure key fingerprint v1"
_MAX_FILE_BYTES = 4096  # a key file is small; do not read a whole disk image


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
        """A key read from a key file: hexadecimal text, as `write` makes.

        A key file holds one key in one encoding: at least 64 hexadecimal digits
        (32 bytes; an even number), with white space around them ignored. Anything
        else (raw bytes, a passphrase, a short key) is refused. As ssh does for its
        private keys, a file that other users may read or write (mode bits ``0o077``)
        is refused unless ``allow_shared`` is true; make it private with ``chmod 600``.

        Messages never show the path nor the content: a key typed where its path was
        expected would otherwise be printed back.

        Raises:
            ConfigurationError: if the file cannot be read, is shared, or does not hold
                a key in that encoding.
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
        stripped = content.strip()
        if (
            len(content) > _MAX_FILE_BYTES
            or not stripped
            or not all(chr(byte) in _HEX_DIGITS for byte in stripped)
            or len(stripped) % 2
            or len(stripped) < 2 * KEY_BYTES
        ):
            msg = (
                f"expected a key file holding at least {2 * KEY_BYTES} hexadecimal digits "
                "(as Key.write makes); generate one with Key.generate()"
            )
            raise ConfigurationError(msg)
        return cls(bytes.fromhex(stripped.decode("ascii")))

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
        """Write the key as hexadecimal text to a new file readable by its owner only.

        Raises:
            ConfigurationError: if the file exists already or cannot be written.
        """
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            msg = f"cannot create the key file {os.fspath(path)!r}: {exc.strerror}"
            raise ConfigurationError(msg) from None
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(self._secret.hex() + "\n")
