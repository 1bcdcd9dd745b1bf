"""Anonymous patient codes and keyed pseudonyms.

A patient followed by a microstructure may stay anonymous: the team knows them by an
`AnonymousCode`, random symbols plus two check symbols that catch typing errors.
When an identity is given, a `Pseudonymizer` turns it into a stable pseudonym
(HMAC-SHA256 with a site key, then a national key) so that records can be linked
across sites and over time without names.

>>> from microstructure.identifiers import AnonymousCode
>>> code = AnonymousCode.generate()
>>> AnonymousCode.parse(str(code).lower()) == code
True
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.identifiers._codes import AnonymousCode, InvalidCodeError
    from microstructure.identifiers._identity import Identity, canonical_form, normalize_name
    from microstructure.identifiers._keyfiles import create_key_file, key_file_fingerprint
    from microstructure.identifiers._keys import KEY_FORMAT, Key
    from microstructure.identifiers._parse import parse_birth_date, parse_sex
    from microstructure.identifiers._pseudonyms import Pseudonymizer
    from microstructure.vocabulary import Sex

__all__ = [
    "KEY_FORMAT",
    "AnonymousCode",
    "Identity",
    "InvalidCodeError",
    "Key",
    "Pseudonymizer",
    "Sex",
    "canonical_form",
    "create_key_file",
    "key_file_fingerprint",
    "normalize_name",
    "parse_birth_date",
    "parse_sex",
]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.identifiers._codes": (
                "AnonymousCode",
                "InvalidCodeError",
            ),
            "microstructure.identifiers._identity": (
                "Identity",
                "canonical_form",
                "normalize_name",
            ),
            "microstructure.identifiers._keyfiles": (
                "create_key_file",
                "key_file_fingerprint",
            ),
            "microstructure.identifiers._keys": (
                "KEY_FORMAT",
                "Key",
            ),
            "microstructure.identifiers._parse": (
                "parse_birth_date",
                "parse_sex",
            ),
            "microstructure.identifiers._pseudonyms": ("Pseudonymizer",),
            "microstructure.vocabulary": ("Sex",),
        },
    )
