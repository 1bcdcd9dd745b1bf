"""Reading the sex and birth date of an identity as spreadsheets spell them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

import pendulum

from microstructure.errors import FieldError
from microstructure.vocabulary import Sex

__all__ = ["parse_birth_date", "parse_sex"]

# How a sex may be written in an input file (case-insensitive, surrounding spaces
# ignored): ISO/IEC 5218 digits, INSEE letters, English and French words.
_SEX_SPELLINGS: Mapping[str, Sex] = MappingProxyType(
    {
        **dict.fromkeys(("1", "m", "h", "male", "homme", "masculin"), Sex.MALE),
        **dict.fromkeys(("2", "f", "female", "femme", "feminin", "féminin"), Sex.FEMALE),
        **dict.fromkeys(("other", "autre"), Sex.OTHER),
        **dict.fromkeys(
            ("0", "9", "i", "u", "x", "unknown", "inconnu", "indetermine", "indéterminé"),
            Sex.UNKNOWN,
        ),
    }
)
_SEX_EXPECTED = (
    "a sex: 1/M/H/male/homme, 2/F/female/femme, other/autre, or 0/9/I/U/X/unknown/inconnu"
)

# The accepted birth date formats: ISO (``YYYY-MM-DD``) and day first (``DD/MM/YYYY``),
# with ASCII digits only (no sign, underscore, full-width or other script's digits).
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_DAY_FIRST = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", re.ASCII)
_DATE_EXPECTED = "a birth date as YYYY-MM-DD or DD/MM/YYYY"


def parse_sex(text: str) -> Sex:
    """The `Sex` written as ``text``, as spreadsheets spell it (any case, spaces ignored).

    Male: ``1``, ``M``, ``H``, ``male``, ``homme``, ``masculin``; female: ``2``, ``F``,
    ``female``, ``femme``, ``feminin``, ``féminin``; other: ``other``, ``autre``; unknown:
    ``0``, ``9``, ``I``, ``U``, ``X``, ``unknown``, ``inconnu``, ``indetermine``,
    ``indéterminé`` (ISO/IEC 5218 digits, INSEE letters, English and French words).
    ``other`` and ``unknown`` give the same pseudonym.

    Raises:
        FieldError: if ``text`` is none of them (the value is shown: it is a code).

    Examples:
        >>> from microstructure.identifiers import parse_sex
        >>> parse_sex(" F "), parse_sex("homme"), parse_sex("9")
        (<Sex.FEMALE: 'female'>, <Sex.MALE: 'male'>, <Sex.UNKNOWN: 'unknown'>)
    """
    given: object = text
    sex = _SEX_SPELLINGS.get(given.strip().lower()) if isinstance(given, str) else None
    if sex is None:
        raise FieldError(text, _SEX_EXPECTED, field="sex")
    return sex


def parse_birth_date(text: str) -> pendulum.Date:
    """The birth date written as ``YYYY-MM-DD`` or day first as ``DD/MM/YYYY``.

    Only ASCII digits are accepted; surrounding spaces are ignored.

    Raises:
        FieldError: if ``text`` is in neither format or is not a real date; the
            value is personal and never shown.

    Examples:
        >>> from microstructure.identifiers import parse_birth_date
        >>> parse_birth_date("07/03/1985"), parse_birth_date("1985-03-07")
        (Date(1985, 3, 7), Date(1985, 3, 7))
        >>> parse_birth_date("07/03/+985")
        Traceback (most recent call last):
        ...
        microstructure.errors.FieldError: invalid value: 1 problem
          - expected a birth date as YYYY-MM-DD or DD/MM/YYYY (got <redacted>) @ $.birth_date
    """
    given: object = text
    stripped = given.strip() if isinstance(given, str) else ""
    if match := _ISO.fullmatch(stripped):
        year, month, day = map(int, match.groups())
    elif match := _DAY_FIRST.fullmatch(stripped):
        day, month, year = map(int, match.groups())
    else:
        raise FieldError(text, _DATE_EXPECTED, field="birth_date", personal=True)
    try:
        return pendulum.Date(year, month, day)
    except ValueError:
        raise FieldError(text, _DATE_EXPECTED, field="birth_date", personal=True) from None
