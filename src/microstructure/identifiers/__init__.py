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

from microstructure._publish import publish as _publish
from microstructure.identifiers._codes import AnonymousCode, InvalidCodeError
from microstructure.identifiers._identity import Identity, canonical_form, normalize_name
from microstructure.identifiers._keys import Key
from microstructure.identifiers._parse import parse_birth_date, parse_sex
from microstructure.identifiers._pseudonyms import Pseudonymizer
from microstructure.vocabulary import Sex

__all__ = [
    "AnonymousCode",
    "Identity",
    "InvalidCodeError",
    "Key",
    "Pseudonymizer",
    "Sex",
    "canonical_form",
    "normalize_name",
    "parse_birth_date",
    "parse_sex",
]

_publish(__name__, globals())
