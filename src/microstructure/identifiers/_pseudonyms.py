"""Keyed pseudonyms in two tiers: HMAC-SHA256 with the site key, then the national key."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import NoReturn

from microstructure.errors import ConfigurationError, ErrorDetail, ValidationError
from microstructure.identifiers._identity import Identity
from microstructure.identifiers._keys import Key

__all__ = ["NATIONAL_PREFIX", "SITE_PREFIX", "Pseudonymizer"]

#: Prefix of a site-tier pseudonym of scheme v1.
SITE_PREFIX = "v1s:"
#: Prefix of a national-tier pseudonym of scheme v1.
NATIONAL_PREFIX = "v1n:"
_SITE_RE = re.compile(r"v1s:[0-9a-f]{64}")
_sha256 = hashlib.sha256


def _as_key(value: object, name: str) -> Key:
    if isinstance(value, Key):
        return value
    if isinstance(value, bytes | bytearray):
        return Key(bytes(value))
    msg = f"{name} must be a Key or bytes, got {type(value).__name__}"
    raise ConfigurationError(msg)


class Pseudonymizer:
    """Turns identities into stable, irreversible pseudonyms (scheme v1).

    Site tier: ``HMAC-SHA256(site_key, canonical form as UTF-8)``, written
    ``v1s:`` + 64 lowercase hex digits. With a national key, the national tier is
    ``HMAC-SHA256(national_key, the 32 site-tier bytes)``, written ``v1n:`` + hex.
    Every site whose pseudonyms must link nationally uses the same site key. The
    party that makes the national file may hold only the national key
    (``site_key=None``) and apply `to_national` to the site pseudonyms it receives.

    >>> import pendulum
    >>> from microstructure.identifiers import Identity, Key, Pseudonymizer, Sex
    >>> person = Identity(birth_name="Dupont", first_name="Marie",
    ...                   birth_date=pendulum.date(1980, 1, 31), sex=Sex.FEMALE)
    >>> site = Pseudonymizer(site_key=Key(bytes(32)))
    >>> site.pseudonymize(person)[:12]
    'v1s:...'
    >>> both = Pseudonymizer(site_key=Key(bytes(32)), national_key=Key(bytes([1]) * 32))
    >>> both.pseudonymize(person) == both.to_national(site.pseudonymize(person))
    True
    >>> both
    Pseudonymizer(site_key=Key(fingerprint='e5609392'), national_key=Key(fingerprint='...'))
    """

    __slots__ = ("_national", "_national_secret", "_site", "_site_secret")

    def __init__(
        self, *, site_key: Key | bytes | None, national_key: Key | bytes | None = None
    ) -> None:
        if site_key is None and national_key is None:
            msg = "a Pseudonymizer needs a site key, a national key, or both"
            raise ConfigurationError(msg)
        self._site = None if site_key is None else _as_key(site_key, "site_key")
        self._national = None if national_key is None else _as_key(national_key, "national_key")
        self._site_secret = None if self._site is None else self._site.secret
        self._national_secret = None if self._national is None else self._national.secret

    def __repr__(self) -> str:
        return f"Pseudonymizer(site_key={self._site!r}, national_key={self._national!r})"

    def __reduce__(self) -> NoReturn:
        msg = "a Pseudonymizer cannot be pickled: load its keys in each process"
        raise TypeError(msg)

    @property
    def national(self) -> bool:
        """Whether pseudonyms are of the national tier (a national key was given)."""
        return self._national is not None

    def pseudonymize(self, identity: Identity) -> str:
        """The pseudonym of ``identity``: national tier if a national key was given.

        Raises:
            ValidationError: if ``identity`` is not an `Identity`.
            ConfigurationError: if this pseudonymizer has no site key.
        """
        if type(identity) is not Identity:
            _not_identity(identity)
        if self._site_secret is None:
            msg = "pseudonymize needs a site key; this Pseudonymizer only has the national tier"
            raise ConfigurationError(msg)
        digest = hmac.digest(
            self._site_secret,
            identity._canonical.encode(),  # noqa: SLF001 - computed once at construction
            _sha256,
        )
        if self._national_secret is None:
            return SITE_PREFIX + digest.hex()
        return NATIONAL_PREFIX + hmac.digest(self._national_secret, digest, _sha256).hex()

    def to_national(self, site_pseudonym: str) -> str:
        """Apply the national tier to a site-tier pseudonym, as a trusted third party does.

        Raises:
            ConfigurationError: if this pseudonymizer has no national key.
            ValidationError: if ``site_pseudonym`` is not a v1 site-tier pseudonym.
        """
        if self._national_secret is None:
            msg = "to_national needs a Pseudonymizer with a national key"
            raise ConfigurationError(msg)
        given: object = site_pseudonym
        if not isinstance(given, str) or not _SITE_RE.fullmatch(given):
            expected = (
                f"expected a site-tier pseudonym: {SITE_PREFIX!r} and 64 lowercase hex digits"
            )
            detail = ErrorDetail(path="$", message=expected, redacted=True)
            raise ValidationError([detail], subject="pseudonym")
        digest = bytes.fromhex(site_pseudonym[len(SITE_PREFIX) :])
        return NATIONAL_PREFIX + hmac.digest(self._national_secret, digest, _sha256).hex()


def _not_identity(value: object) -> NoReturn:
    detail = ErrorDetail(path="$", message=f"expected an Identity, got {type(value).__name__}")
    raise ValidationError([detail], subject="identity")
