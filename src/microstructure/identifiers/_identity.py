"""A person's identity and its documented normalisation (scheme v1)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import attrs
import pendulum

from microstructure.errors import ErrorDetail, FieldError, ValidationError
from microstructure.io import PERSONAL
from microstructure.vocabulary import Sex

__all__ = ["Identity", "canonical_form", "normalize_name"]


#: Scheme v1: the sex enters the canonical form as its ISO/IEC 5218 digit. French civil
#: status records only female or male, so ``other`` says, as ``unknown`` does, that the
#: civil-status sex is not known (``0``): the same person recorded ``other`` at one site
#: and ``unknown`` at another still gets one pseudonym.
_CANONICAL_SEX = {Sex.MALE: "1", Sex.FEMALE: "2", Sex.OTHER: "0", Sex.UNKNOWN: "0"}

# Step 4: letters that NFKD does not decompose, after upper-casing.
_LETTERS = {"Œ": "OE", "Æ": "AE", "Ø": "O", "Ł": "L", "Đ": "D"}
# Step 5: apostrophes removed, besides white space and dash punctuation (Pd).
_APOSTROPHES = frozenset("'`\u2018\u2019\u02bc")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# A shortcut for the common case, giving the same result as the full steps: combining
# diacritics (U+0300-U+036F, all of category Mn), the usual separators and the letter
# table applied before upper-casing; used only when the result is ASCII.
_SHORTCUT: dict[int, str | None] = dict.fromkeys(range(0x300, 0x370))
_SHORTCUT.update({ord(ch): None for ch in map(chr, range(128)) if ch.isspace() or ch in "-'`"})
_SHORTCUT.update({ord(ch): None for ch in "\u2010\u2011\u2013\u2014\u2018\u2019\u02bc"})
_SHORTCUT.update({ord(k): v for k, v in _LETTERS.items()})
_SHORTCUT.update({ord(k.lower()): v.lower() for k, v in _LETTERS.items()})
_COMBINING_DIACRITICS = re.compile("[\u0300-\u036f]+")
_NAME_EXPECTED = (
    "a name of Latin letters (accents, Œ and Æ allowed), spaces, hyphens and "
    "apostrophes, with at least one letter"
)


class _NameError(Exception):
    """A name that cannot be normalised (never carries the name)."""


def _without_separators(ascii_text: str) -> str | None:
    result = ascii_text.upper().replace(" ", "").replace("-", "").replace("'", "")
    return result if result.isalpha() else None


def _normalize(text: str) -> str:
    # Shortcuts for common names; each returns only what the full steps give.
    if text.isascii() and (result := _without_separators(text)) is not None:
        return result
    decomposed = unicodedata.normalize("NFKD", text)
    short = _COMBINING_DIACRITICS.sub("", decomposed)
    if not short.isascii():
        short = short.translate(_SHORTCUT)
    if short.isascii() and (result := _without_separators(short)) is not None:
        return result
    return _normalize_fully(decomposed)


def _normalize_fully(decomposed: str) -> str:
    """Steps 2 to 7 of the specification, one character at a time."""
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    out: list[str] = []
    for char in stripped.upper():
        if char in _ASCII_LETTERS:
            out.append(char)
        elif char in _LETTERS:
            out.append(_LETTERS[char])
        elif not (char.isspace() or char in _APOSTROPHES or unicodedata.category(char) == "Pd"):
            raise _NameError
    if not out:
        raise _NameError
    return "".join(out)


def normalize_name(text: str) -> str:
    """Normalise a birth name or given name as the v1 pseudonym scheme specifies.

    NFKD, combining marks removed, upper case, Œ→OE, Æ→AE, Ø→O, Ł→L, Đ→D, then
    white space, hyphens and apostrophes removed; particles are kept. The full rule
    is on the *Anonymity and pseudonyms* page.

    Raises:
        ValidationError: if the text has a character that is not a Latin letter or
            a separator, or no letter at all; the message never repeats the text.

    >>> from microstructure.identifiers import normalize_name
    >>> normalize_name("d’Aubigné"), normalize_name("Œuvray-Lætitia")
    ('DAUBIGNE', 'OEUVRAYLAETITIA')
    """
    given: object = text
    if not isinstance(given, str):
        detail = ErrorDetail(path="$", message="expected a string", redacted=True)
        raise ValidationError([detail], subject="name")
    try:
        return _normalize(text)
    except _NameError:
        detail = ErrorDetail(path="$", message=f"expected {_NAME_EXPECTED}", redacted=True)
        raise ValidationError([detail], subject="name") from None


def _field_error(attribute: attrs.Attribute[Any], expected: str) -> FieldError:
    """A located, redacted error: the value is personal and never kept."""
    return FieldError(None, expected, field=attribute.name, personal=True, subject="Identity")


def _normalized_field(value: object, attribute: attrs.Attribute[Any]) -> str:
    # The first shortcut of `_normalize`, inlined: most names are ASCII letters and spaces,
    # hyphens or apostrophes (a third of the cost of pseudonymising them was the calls).
    if type(value) is str and value.isascii():
        result = value.upper().replace(" ", "").replace("-", "").replace("'", "")
        if result.isalpha():
            return result
    if not isinstance(value, str):
        raise _field_error(attribute, "a string")
    try:
        return _normalize(value)
    except _NameError:
        raise _field_error(attribute, _NAME_EXPECTED) from None


_PERSONAL = {PERSONAL: True}


@attrs.frozen(kw_only=True, repr=False)
class Identity:
    """The identity a keyed pseudonym is computed from; its ``repr`` shows nothing.

    Only ``birth_name`` (*nom de naissance*), ``first_name`` (the first given name
    of civil status; a composite name such as ``Jean-Pierre`` is one given name),
    ``birth_date`` and ``sex`` enter the pseudonym. ``used_name`` (*nom d'usage*) and
    ``other_given_names`` may be kept alongside but never change it. Values never
    appear in a ``repr``, an exception message or a log record.

    Raises:
        ValidationError: naming the field (never its value) when a name cannot be
            normalised or a field has the wrong type.

    >>> import pendulum
    >>> from microstructure.identifiers import Identity, Sex
    >>> person = Identity(birth_name="d'Aubigné", first_name="Élodie-Marie",
    ...                   birth_date=pendulum.date(1985, 3, 7), sex=Sex.FEMALE)
    >>> person
    Identity(<redacted>)
    >>> Identity(birth_name="---", first_name="Élodie", birth_date=pendulum.date(1985, 3, 7),
    ...          sex=Sex.FEMALE)
    Traceback (most recent call last):
    ...
    microstructure.errors.FieldError: invalid Identity: 1 problem
      - expected a name of Latin letters (accents, Œ and Æ allowed), spaces, hyphens and apostrophes, with at least one letter (got <redacted>) @ $.birth_name
    """

    birth_name: str = attrs.field(metadata=_PERSONAL)
    """Nom de naissance; enters the pseudonym."""
    first_name: str = attrs.field(metadata=_PERSONAL)
    """First given name of civil status; enters the pseudonym."""
    birth_date: pendulum.Date = attrs.field(metadata=_PERSONAL)
    """Date of birth; enters the pseudonym."""
    sex: Sex = attrs.field(metadata=_PERSONAL)
    """Sex of civil status; enters the pseudonym."""
    used_name: str | None = attrs.field(default=None, metadata=_PERSONAL)
    """Nom d'usage, kept alongside; never enters the pseudonym."""
    other_given_names: tuple[str, ...] = attrs.field(default=(), metadata=_PERSONAL)
    """Other given names, kept alongside; never enter the pseudonym."""
    _canonical: str = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        birth_name = _normalized_field(self.birth_name, _BIRTH_NAME)
        first_name = _normalized_field(self.first_name, _FIRST_NAME)
        birth_date: object = self.birth_date
        if not isinstance(birth_date, dt.date) or isinstance(birth_date, dt.datetime):
            raise _field_error(_FIELDS.birth_date, "a date")
        sex: object = self.sex
        if not isinstance(sex, Sex):
            raise _field_error(_FIELDS.sex, "a Sex: " + ", ".join(Sex))
        used_name: object = self.used_name
        if used_name is not None and not isinstance(used_name, str):
            raise _field_error(_FIELDS.used_name, "a string or None")
        others: object = self.other_given_names
        if not isinstance(others, tuple) or (
            others and not all(isinstance(name, str) for name in others)
        ):
            raise _field_error(_FIELDS.other_given_names, "a tuple of strings")
        canonical = f"{birth_name}|{first_name}|{birth_date.isoformat()}|{_CANONICAL_SEX[sex]}"
        object.__setattr__(self, "_canonical", canonical)

    def __repr__(self) -> str:
        return "Identity(<redacted>)"

    def __reduce__(self) -> str:
        # Identities are never pickled: pickles end up in caches, queues and logs,
        # with the identity in clear (as `Key`).
        msg = "an Identity cannot be pickled"
        raise TypeError(msg)


_FIELDS = attrs.fields(Identity)
_BIRTH_NAME, _FIRST_NAME = _FIELDS.birth_name, _FIELDS.first_name


def canonical_form(identity: Identity) -> str:
    """The normalised text that is hashed: ``BIRTHNAME|FIRSTNAME|YYYY-MM-DD|S``.

    It is identifying data: use it only to check another implementation against
    the published test vectors.

    >>> import pendulum
    >>> from microstructure.identifiers import Identity, Sex, canonical_form
    >>> canonical_form(Identity(birth_name="d'Aubigné", first_name="Élodie-Marie",
    ...                         birth_date=pendulum.date(1985, 3, 7), sex=Sex.FEMALE))
    'DAUBIGNE|ELODIEMARIE|1985-03-07|2'
    """
    if not isinstance(identity, Identity):
        raise FieldError(type(identity).__name__, "an Identity", field="identity")
    return identity._canonical  # noqa: SLF001 - computed once at construction
