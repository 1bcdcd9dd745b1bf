"""Arithmetic in GF(32) and the two-check-symbol code of anonymous codes.

The field is GF(2)[x] / (x^5 + x^2 + 1). An element is an integer 0..31 whose bit
``k`` is the coefficient of ``x^k``; ``α = x`` (the integer 2) is primitive.

A word ``c_0 … c_{n-1}`` (``n`` ≤ `MAX_LENGTH`) is valid when both syndromes vanish::

    S1 = Σ c_j · α^j   = 0
    S2 = Σ c_j · α^2j  = 0

This is a shortened narrow-sense Reed–Solomon code with minimum distance 3: every
error touching one or two positions changes the syndromes. An adjacent transposition
of ``c_i, c_{i+1}`` adds ``d = c_i + c_{i+1}`` at both positions; its syndromes are
those of a single error at the virtual locator ``α^(i+18)`` (since ``1 + α = α^18``),
which is never the locator of a real position when ``n`` ≤ 14: so single
substitutions and adjacent transpositions have pairwise distinct syndromes and each
can be corrected unambiguously.
"""

from __future__ import annotations

__all__ = [
    "MAX_LENGTH",
    "check_symbols",
    "correction",
    "syndromes",
]

_POLYNOMIAL = 0b100101  # x^5 + x^2 + 1
_ORDER = 31

_EXP = [0] * (2 * _ORDER)
_LOG = [0] * 32
_value = 1
for _power in range(_ORDER):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0b100000:
        _value ^= _POLYNOMIAL
for _power in range(_ORDER, 2 * _ORDER):
    _EXP[_power] = _EXP[_power - _ORDER]

#: log_α(1 + α): the shift of the virtual locator of an adjacent transposition.
_TRANSPOSITION_SHIFT = _LOG[1 ^ 2]  # 18

#: Longest code for which single substitutions and adjacent transpositions are
#: both uniquely correctable (positions 0..n-1 and shifts 18..18+n-2 are disjoint).
MAX_LENGTH = min(_TRANSPOSITION_SHIFT, _ORDER + 1 - _TRANSPOSITION_SHIFT)


def _mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _div(a: int, b: int) -> int:
    if a == 0:
        return 0
    return _EXP[(_LOG[a] - _LOG[b]) % _ORDER]


def _power_of_alpha(exponent: int) -> int:
    return _EXP[exponent % _ORDER]


def syndromes(symbols: list[int]) -> tuple[int, int]:
    """The two syndromes ``(S1, S2)`` of a word of field elements."""
    s1 = 0
    s2 = 0
    for position, value in enumerate(symbols):
        if value:
            log = _LOG[value]
            s1 ^= _EXP[(log + position) % _ORDER]
            s2 ^= _EXP[(log + 2 * position) % _ORDER]
    return s1, s2


def check_symbols(data: list[int]) -> tuple[int, int]:
    """The two check symbols that make ``data + [p, q]`` a valid word."""
    s1, s2 = syndromes(data)
    p = len(data)
    q = p + 1
    # Solve c_p·α^p + c_q·α^q = S1 and c_p·α^2p + c_q·α^2q = S2 (Cramer; char 2).
    a_p, a_q = _power_of_alpha(p), _power_of_alpha(q)
    a_2p, a_2q = _power_of_alpha(2 * p), _power_of_alpha(2 * q)
    determinant = _mul(a_p, a_2q) ^ _mul(a_q, a_2p)
    c_p = _div(_mul(s1, a_2q) ^ _mul(s2, a_q), determinant)
    c_q = _div(_mul(s1, a_2p) ^ _mul(s2, a_p), determinant)
    return c_p, c_q


def correction(symbols: list[int]) -> tuple[str, int, list[int]] | None:
    """The one single substitution or adjacent transposition that makes ``symbols`` valid.

    Returns ``("substitution", position, corrected)``, ``("transposition", position,
    corrected)`` (the symbols at ``position`` and ``position + 1`` swapped) or ``None``
    when no such correction exists (then at least two symbols are wrong).
    """
    s1, s2 = syndromes(symbols)
    if s1 == 0 or s2 == 0:
        return None
    locator = (_LOG[s2] - _LOG[s1]) % _ORDER  # S2 / S1 = α^locator
    magnitude = _div(_mul(s1, s1), s2)  # S1² / S2
    length = len(symbols)
    if locator < length:
        corrected = list(symbols)
        corrected[locator] ^= magnitude
        return ("substitution", locator, corrected)
    position = (locator - _TRANSPOSITION_SHIFT) % _ORDER
    if position < length - 1 and symbols[position] ^ symbols[position + 1] == magnitude:
        corrected = list(symbols)
        corrected[position], corrected[position + 1] = symbols[position + 1], symbols[position]
        return ("transposition", position, corrected)
    return None
