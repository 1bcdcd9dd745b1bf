"""Secret keys for keyed pseudonyms: loaded, generated, never shown."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import NoReturn

from microstructure.errors import ConfigurationError

__all__ = ["KEY_BYTES", "Key"]

#: Minimum (and generated) key size in bytes: 256 bits, the HMAC-SHA256 block output.
KEY_BYTES = 32
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_FINGERPRINT_LABEL = b"microstructure key fingerprint v1"


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
    def from_file(cls, path: str | os.PathLike[str]) -> Key:
        """A key read from a file: hexadecimal text (as `write` makes) or raw bytes.

        The file holds hexadecimal text when, apart from ASCII white space, it has
        only hexadecimal digits; otherwise its raw bytes are the key.

        Raises:
            ConfigurationError: if the file cannot be read or the key is too short.
        """
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            msg = f"cannot read the key file {os.fspath(path)!r}: {exc.strerror}"
            raise ConfigurationError(msg) from None
        stripped = b"".join(content.split())
        if stripped and all(chr(byte) in _HEX_DIGITS for byte in stripped):
            try:
                return cls.from_hex(stripped.decode("ascii"))
            except ConfigurationError as exc:
                msg = f"key file {os.fspath(path)!r}: {exc}"
                raise ConfigurationError(msg) from None
        try:
            return cls(content)
        except ConfigurationError as exc:
            msg = f"key file {os.fspath(path)!r}: {exc}"
            raise ConfigurationError(msg) from None

    @classmethod
    def from_env(cls, name: str) -> Key:
        """A key given in hexadecimal in the environment variable ``name``.

        Raises:
            ConfigurationError: if the variable is unset, not hexadecimal or too short.
        """
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
