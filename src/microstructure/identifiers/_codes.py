"""Anonymous patient codes: random symbols plus two GF(32) check symbols."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs
import cattrs

from microstructure.errors import ConfigurationError, ErrorDetail, FieldError, ValidationError
from microstructure.identifiers import _gf32

__all__ = [
    "ALPHABET",
    "DEFAULT_LENGTH",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "AnonymousCode",
    "InvalidCodeError",
]

#: The 32 code symbols, in the order of their field values 0..31.
ALPHABET = "0123456789ACDEFGHJKLMNPQRTUVWXYZ"
#: Letters outside the alphabet, read as the symbol they are mistaken for.
LOOK_ALIKES = {"B": "8", "I": "1", "O": "0", "S": "5"}
#: Default length of a code: 6 random symbols and 2 check symbols.
DEFAULT_LENGTH = 8
#: Shortest supported length (2 random symbols and 2 check symbols).
MIN_LENGTH = 4
#: Longest length for which every single substitution and adjacent transposition
#: has a unique correction.
MAX_LENGTH = _gf32.MAX_LENGTH
_GROUP = 4
_DEFAULT_ATTEMPTS = 1000

_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
# What a typed character stands for: every symbol in either case, and the look-alikes.
_READ: dict[str, str] = {}
for _symbol in ALPHABET:
    _READ[_symbol] = _symbol
    _READ[_symbol.lower()] = _symbol
for _letter, _symbol in LOOK_ALIKES.items():
    _READ[_letter] = _symbol
    _READ[_letter.lower()] = _symbol


class InvalidCodeError(ValidationError):
    """Text that is not a valid anonymous code: a `ValidationError` with one problem.

    It never corrects silently: when exactly one single substitution or adjacent
    transposition makes the text valid, that code is offered as ``suggestion`` and
    the user confirms it.

    Attributes:
        position: 1-based position, in the text as typed, of the character to blame
            (the first of two swapped characters), or ``None``.
        suggestion: The one valid code within one typing error, or ``None``.

    >>> from microstructure.identifiers import AnonymousCode, InvalidCodeError
    >>> try:
    ...     AnonymousCode.parse("K3M7-QXGV")
    ... except InvalidCodeError as exc:
    ...     print(exc.suggestion)
    K3M7-QXVG
    """

    def __init__(
        self,
        message: str,
        *,
        position: int | None = None,
        suggestion: AnonymousCode | None = None,
        field: str | None = None,
    ) -> None:
        self.position = position
        self.suggestion = suggestion
        self.message = message
        path = "$" if field is None else f"$.{field}"
        super().__init__([ErrorDetail(path=path, message=message)], subject="anonymous code")

    def __str__(self) -> str:
        return self.message


def _group(compact: str) -> str:
    return "-".join(compact[i : i + _GROUP] for i in range(0, len(compact), _GROUP))


def _check_length(length: int) -> None:
    if isinstance(length, bool) or not isinstance(length, int):
        msg = f"expected an integer code length, got {length!r}"
        raise ConfigurationError(msg)
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        msg = f"code length {length} is not supported: expected {MIN_LENGTH} to {MAX_LENGTH}"
        raise ConfigurationError(msg)


def _with_checks(data: list[int]) -> str:
    first, second = _gf32.check_symbols(data)
    return "".join(ALPHABET[v] for v in data) + ALPHABET[first] + ALPHABET[second]


def _validate_value(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not all(ch in _VALUE for ch in value):
        msg = (
            "invalid anonymous code: expected the compact form, only symbols of "
            f"{ALPHABET}; use AnonymousCode.parse() for typed text"
        )
        raise InvalidCodeError(msg, field="value")
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH:
        msg = (
            f"invalid anonymous code: expected {MIN_LENGTH} to {MAX_LENGTH} symbols, "
            f"got {len(value)}"
        )
        raise InvalidCodeError(msg, field="value")
    if _gf32.syndromes([_VALUE[ch] for ch in value]) != (0, 0):
        msg = "invalid anonymous code: check symbols do not match"
        raise InvalidCodeError(msg, field="value")


@attrs.frozen
class AnonymousCode:
    """A patient's anonymous code: random symbols followed by two check symbols.

    ``str(code)`` is the canonical form, grouped by four (``K3M7-QXVG``); ``value``
    is the compact form (``K3M7QXVG``). Draw new codes with `generate`, read typed
    ones with `parse`. Every single substitution, adjacent transposition and pair of
    substitutions is detected; a single substitution or adjacent transposition is
    offered as a correction (see the explanation page for the construction).

    >>> from microstructure.identifiers import AnonymousCode
    >>> code = AnonymousCode.parse("k3m7 qxvg")
    >>> str(code), code.value
    ('K3M7-QXVG', 'K3M7QXVG')
    >>> AnonymousCode.generate().length
    8
    """

    #: The 32 symbols, in the order of their field values 0..31.
    ALPHABET: ClassVar[str] = ALPHABET
    #: Letters outside the alphabet read as the symbol they are mistaken for.
    LOOK_ALIKES: ClassVar[Mapping[str, str]] = MappingProxyType(LOOK_ALIKES)
    #: Default number of symbols (6 random, 2 check symbols).
    DEFAULT_LENGTH: ClassVar[int] = DEFAULT_LENGTH
    #: Shortest supported length.
    MIN_LENGTH: ClassVar[int] = MIN_LENGTH
    #: Longest length with a unique correction of every single error and transposition.
    MAX_LENGTH: ClassVar[int] = MAX_LENGTH

    value: str = attrs.field(validator=_validate_value)
    """Compact form: the symbols without hyphen, check symbols included."""

    def __str__(self) -> str:
        return _group(self.value)

    def __repr__(self) -> str:
        return f"AnonymousCode({str(self)!r})"

    @property
    def length(self) -> int:
        """Number of symbols, check symbols included."""
        return len(self.value)

    @property
    def data(self) -> str:
        """The random symbols, without the two check symbols."""
        return self.value[:-2]

    @classmethod
    def encode(cls, data: str) -> AnonymousCode:
        """The code made of the symbols ``data`` followed by their two check symbols.

        ``data`` must be in canonical symbols (upper case, no separators). Used for
        test vectors and for codes drawn by another random source.

        Raises:
            InvalidCodeError: if ``data`` holds a character outside the alphabet.
            ConfigurationError: if ``len(data) + 2`` is not a supported length.

        >>> from microstructure.identifiers import AnonymousCode
        >>> str(AnonymousCode.encode("000001"))
        '0000-01VP'
        """
        given: object = data
        if not isinstance(given, str):
            msg = f"invalid anonymous code data: expected a string, got {type(given).__name__}"
            raise InvalidCodeError(msg)
        for index, char in enumerate(data, start=1):
            if char not in _VALUE:
                msg = (
                    f"invalid anonymous code data: character {index} ({char!r}) is not "
                    f"one of {ALPHABET}"
                )
                raise InvalidCodeError(msg, position=index)
        _check_length(len(data) + 2)
        return cls(_with_checks([_VALUE[ch] for ch in data]))

    @classmethod
    def generate(
        cls,
        *,
        length: int = DEFAULT_LENGTH,
        exists: Callable[[AnonymousCode], bool] | None = None,
        attempts: int = _DEFAULT_ATTEMPTS,
    ) -> AnonymousCode:
        """Draw a new random code with `secrets`, unused according to ``exists``.

        Args:
            length: Number of symbols, the two check symbols included.
            exists: Tells whether a code is already used in the registry (for
                example ``used.__contains__``); a used code is drawn again.
            attempts: How many draws to try before giving up.

        Raises:
            ConfigurationError: if ``length`` is unsupported, or if no unused code
                was drawn in ``attempts`` draws (the registry is nearly full).

        >>> from microstructure.identifiers import AnonymousCode
        >>> used = {AnonymousCode.parse("K3M7-QXVG")}
        >>> code = AnonymousCode.generate(exists=used.__contains__)
        >>> code in used
        False
        """
        _check_length(length)
        given: object = attempts
        if isinstance(given, bool) or not isinstance(given, int) or given < 1:
            raise FieldError(given, "a number of draws of at least 1", field="attempts")
        if exists is not None and not callable(exists):
            raise FieldError(type(exists).__name__, "a function or None", field="exists")
        data_length = length - 2
        for _ in range(attempts):
            bits = secrets.randbits(5 * data_length)
            data = [(bits >> (5 * i)) & 31 for i in range(data_length)]
            code = cls(_with_checks(data))
            if exists is None or not exists(code):
                return code
        msg = (
            f"no unused anonymous code of length {length} after {attempts} draws: "
            "the registry is nearly full; use longer codes"
        )
        raise ConfigurationError(msg)

    @classmethod
    def parse(cls, text: str, *, length: int = DEFAULT_LENGTH) -> AnonymousCode:
        """Read a code as people type it.

        Case, spaces and hyphens are ignored; ``O``, ``I``, ``B`` and ``S`` (not in the
        alphabet) are read as ``0``, ``1``, ``8`` and ``5``. It never corrects a
        wrong code silently.

        Raises:
            InvalidCodeError: naming the wrong character's position, the wrong
                length, or the check failure, with ``suggestion`` set when exactly
                one substitution or adjacent transposition makes the code valid.

        >>> from microstructure.identifiers import AnonymousCode
        >>> str(AnonymousCode.parse(" k3m7-qxvg "))
        'K3M7-QXVG'
        >>> AnonymousCode.parse("K3M7-QXVH")
        Traceback (most recent call last):
        ...
        microstructure.identifiers.InvalidCodeError: invalid anonymous code: check symbols do not match; did you mean K3M7-QXVG? (character 9 looks mistyped)
        """
        _check_length(length)
        given: object = text
        if not isinstance(given, str):
            msg = f"invalid anonymous code: expected a string, got {type(given).__name__}"
            raise InvalidCodeError(msg)
        symbols: list[str] = []
        positions: list[int] = []
        for position, typed in enumerate(text, start=1):
            for char in unicodedata.normalize("NFKC", typed) if not typed.isascii() else typed:
                symbol = _READ.get(char)
                if symbol is not None:
                    symbols.append(symbol)
                    positions.append(position)
                elif not (char.isspace() or unicodedata.category(char) == "Pd"):
                    msg = (
                        f"invalid anonymous code: character {position} ({char!r}) is not "
                        "a letter, a digit, a space or a hyphen"
                    )
                    raise InvalidCodeError(msg, position=position)
        if len(symbols) != length:
            msg = f"invalid anonymous code: expected {length} symbols, got {len(symbols)}"
            raise InvalidCodeError(msg)
        values = [_VALUE[s] for s in symbols]
        if _gf32.syndromes(values) == (0, 0):
            return cls("".join(symbols))
        raise _check_failure(values, positions)


def _check_failure(values: list[int], positions: list[int]) -> InvalidCodeError:
    found = _gf32.correction(values)
    if found is None:
        msg = (
            "invalid anonymous code: check symbols do not match and no single typing "
            "error explains it; ask for the code again"
        )
        return InvalidCodeError(msg)
    kind, index, corrected = found
    suggestion = AnonymousCode("".join(ALPHABET[v] for v in corrected))
    position = positions[index]
    if kind == "substitution":
        hint = f"character {position} looks mistyped"
    else:
        hint = f"characters {position} and {positions[index + 1]} look swapped"
    msg = f"invalid anonymous code: check symbols do not match; did you mean {suggestion}? ({hint})"
    return InvalidCodeError(msg, position=position, suggestion=suggestion)


def _structure_code(value: object, _: type) -> AnonymousCode:
    # The rule of `AnonymousCode.parse`: the default length, nothing else.
    if not isinstance(value, str):
        raise FieldError(value, "an anonymous code such as 'K3M7-QXVG'")
    return AnonymousCode.parse(value)


def _install(conv: cattrs.Converter) -> None:
    conv.register_structure_hook(AnonymousCode, _structure_code)
    conv.register_unstructure_hook(AnonymousCode, str)


#: Read by `microstructure.io.schema`: the form `AnonymousCode.__str__` writes (reading is
#: more tolerant, and checks the two check symbols, which a schema cannot).
_JSON_SCHEMAS = {
    AnonymousCode: {
        "type": "string",
        "pattern": f"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$",
        "description": "An anonymous code of 8 symbols in two groups of 4, such as 'K3M7-QXVG'.",
    }
}
