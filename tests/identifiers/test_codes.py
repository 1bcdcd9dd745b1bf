"""Anonymous codes: check symbols, error detection and correction, tolerant parsing.

The reference arithmetic below is written independently of the library (bitwise
polynomial multiplication instead of log tables) so that the library is compared with
the published definition, not with itself.
"""

import itertools
from collections.abc import Iterable, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microstructure.errors import ConfigurationError, MicrostructureError, ValidationError
from microstructure.identifiers import AnonymousCode, InvalidCodeError
from microstructure.io import from_data, to_data

ALPHABET = "0123456789ACDEFGHJKLMNPQRTUVWXYZ"


def gf_mul(a: int, b: int) -> int:
    """Multiply in GF(2)[x]/(x^5 + x^2 + 1), bit by bit."""
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= 0b100101
    return product


def alpha_power(exponent: int) -> int:
    value = 1
    for _ in range(exponent):
        value = gf_mul(value, 2)
    return value


ALPHA = [alpha_power(i) for i in range(31)]
# MUL[a][b] = a·b, tabulated from the bitwise product.
MUL = [[gf_mul(a, b) for b in range(32)] for a in range(32)]


def reference_syndromes(values: Iterable[int]) -> tuple[int, int]:
    """(Σ c_j α^j, Σ c_j α^2j) computed from the definition."""
    s1 = s2 = 0
    for j, value in enumerate(values):
        s1 ^= MUL[value][ALPHA[j % 31]]
        s2 ^= MUL[value][ALPHA[2 * j % 31]]
    return s1, s2


def reference_valid(text: str) -> bool:
    return reference_syndromes([ALPHABET.index(ch) for ch in text]) == (0, 0)


# Published test vectors: data symbols -> code (also in docs/reference/test-vectors.md).
CODE_VECTORS = [
    ("000000", "0000-0000"),
    ("000001", "0000-01VP"),
    ("K3M7QX", "K3M7-QXVG"),
    ("ZZZZZZ", "ZZZZ-ZZAP"),
    ("123456", "1234-56GY"),
    ("ACDEFGHJ", "ACDE-FGHJ-G0"),
    ("7Q", "7Q4J"),
]

codes = st.builds(AnonymousCode.encode, st.text(alphabet=ALPHABET, min_size=6, max_size=6))
codes_any_length = st.integers(2, 12).flatmap(
    lambda k: st.builds(AnonymousCode.encode, st.text(alphabet=ALPHABET, min_size=k, max_size=k))
)


def test_alpha_is_primitive_in_the_reference_field():
    """α = x has order 31 modulo x^5 + x^2 + 1, so the field and the locators are right."""
    assert alpha_power(31) == 1
    assert len({alpha_power(i) for i in range(31)}) == 31


def test_hand_computed_vector():
    """For data 000001, S1 = α^5 and S2 = α^10 give the check symbols V and P."""
    # Hand computation: the checks c6, c7 solve c6·α^6 + c7·α^7 = α^5 and
    # c6·α^12 + c7·α^14 = α^10; the solution is c6 = 27 ('V'), c7 = 22 ('P').
    c6, c7 = 27, 22
    assert gf_mul(c6, alpha_power(6)) ^ gf_mul(c7, alpha_power(7)) == alpha_power(5)
    assert gf_mul(c6, alpha_power(12)) ^ gf_mul(c7, alpha_power(14)) == alpha_power(10)
    assert str(AnonymousCode.encode("000001")) == "0000-01VP"


@pytest.mark.parametrize(("data", "expected"), CODE_VECTORS)
def test_code_vectors(data, expected):
    """Each published vector is valid by the reference definition and produced by encode."""
    assert reference_valid(expected.replace("-", ""))
    assert str(AnonymousCode.encode(data)) == expected


@given(codes_any_length)
def test_generated_codes_satisfy_the_reference_equations(code):
    """Every encoded code satisfies both check equations of the definition."""
    assert reference_valid(code.value)


def test_generate_draws_valid_distinct_codes():
    """Drawn codes are valid, of the requested length, and not all the same."""
    drawn = [AnonymousCode.generate() for _ in range(200)]
    assert all(reference_valid(code.value) for code in drawn)
    assert {code.length for code in drawn} == {8}
    assert len(set(drawn)) > 190
    assert AnonymousCode.generate(length=12).length == 12


def test_generate_retries_a_code_that_exists():
    """A code the registry already holds is drawn again."""
    seen = []

    def exists(code):
        seen.append(code)
        return len(seen) < 4

    code = AnonymousCode.generate(exists=exists)
    assert len(seen) == 4
    assert code == seen[-1]


def test_generate_gives_up_on_a_full_registry():
    """When every draw exists, a ConfigurationError says the registry is nearly full."""
    with pytest.raises(ConfigurationError, match="nearly full"):
        AnonymousCode.generate(length=4, exists=lambda _: True, attempts=5)


@pytest.mark.parametrize("length", [3, 15, 8.0, True])
def test_unsupported_lengths_are_refused(length):
    """Lengths outside 4..14 (and non-integers) are a ConfigurationError."""
    with pytest.raises(ConfigurationError):
        AnonymousCode.generate(length=length)


# -- exhaustive proofs over error patterns ------------------------------------------
# The code is linear: c + e is valid for a valid c exactly when e is valid. So an
# error pattern is detected for every code when its syndromes are not (0, 0), and a
# correction is unique for every code when the syndromes of the correctable patterns
# are pairwise distinct.


def _pattern(length: int, changes: Iterable[tuple[int, int]]) -> list[int]:
    values = [0] * length
    for position, value in changes:
        values[position] ^= value
    return values


@pytest.mark.parametrize("length", range(4, 15))
def test_every_single_and_double_substitution_is_detected(length):
    """No pattern of one or two nonzero errors has zero syndromes (all lengths 4-14)."""
    for position, value in itertools.product(range(length), range(1, 32)):
        assert reference_syndromes(_pattern(length, [(position, value)])) != (0, 0)
    # Syndromes add up, so a double error has zero syndromes exactly when the
    # syndromes of its two single errors are equal.
    single = {
        (i, a): reference_syndromes(_pattern(length, [(i, a)]))
        for i, a in itertools.product(range(length), range(1, 32))
    }
    for (i, j), (a, b) in itertools.product(
        itertools.combinations(range(length), 2), itertools.product(range(1, 32), repeat=2)
    ):
        assert single[i, a] != single[j, b]
    # And directly from the definition, for the default length.
    if length == 8:
        for (i, j), (a, b) in itertools.product(
            itertools.combinations(range(8), 2), itertools.product(range(1, 32), repeat=2)
        ):
            assert reference_syndromes(_pattern(8, [(i, a), (j, b)])) != (0, 0)


@pytest.mark.parametrize("length", range(4, 15))
def test_single_substitutions_and_transpositions_have_distinct_syndromes(length):
    """Each correctable error has its own syndromes, so its correction is unique."""
    syndromes: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
    for position, value in itertools.product(range(length), range(1, 32)):
        syndromes.setdefault(reference_syndromes(_pattern(length, [(position, value)])), []).append(
            ("substitution", position, value)
        )
    for position, value in itertools.product(range(length - 1), range(1, 32)):
        pattern = _pattern(length, [(position, value), (position + 1, value)])
        syndromes.setdefault(reference_syndromes(pattern), []).append(
            ("transposition", position, value)
        )
    assert all(len(causes) == 1 for causes in syndromes.values())
    assert len(syndromes) == 31 * (2 * length - 1)


def test_length_15_would_lose_unique_correction():
    """At length 15 a transposition looks like a substitution: why 14 is the maximum."""
    # Swapping positions 13 and 14 has the virtual locator α^(13+18) = α^0: position 0.
    single = reference_syndromes(_pattern(15, [(0, 1)]))
    swapped = reference_syndromes(_pattern(15, [(13, 1), (14, 1)]))
    assert single == swapped


# -- through the public API ------------------------------------------------------


def _variants_by_substitution(text: str) -> Iterator[tuple[int, str]]:
    for position in range(len(text)):
        for symbol in ALPHABET:
            if symbol != text[position]:
                yield position, text[:position] + symbol + text[position + 1 :]


def test_every_single_substitution_of_a_code_is_corrected_exhaustively():
    """All 248 single substitutions of a code are rejected with the code as suggestion."""
    code = AnonymousCode.parse("K3M7-QXVG")
    for _, typed in _variants_by_substitution(code.value):
        with pytest.raises(InvalidCodeError) as caught:
            AnonymousCode.parse(typed)
        assert caught.value.suggestion == code


def test_every_double_substitution_of_a_code_is_detected_exhaustively():
    """All 26,908 double substitutions of a code are rejected (never accepted silently)."""
    code = "K3M7QXVG"
    for i, j in itertools.combinations(range(8), 2):
        for a, b in itertools.product(ALPHABET.replace(code[i], ""), ALPHABET.replace(code[j], "")):
            typed = code[:i] + a + code[i + 1 : j] + b + code[j + 1 :]
            assert not reference_valid(typed)
            with pytest.raises(InvalidCodeError):
                AnonymousCode.parse(typed)


@given(codes, st.data())
def test_random_single_substitution_is_detected_and_corrected(code, data):
    """A random single substitution is rejected, suggesting the original code."""
    position = data.draw(st.integers(0, 7))
    symbol = data.draw(st.sampled_from(ALPHABET.replace(code.value[position], "")))
    typed = code.value[:position] + symbol + code.value[position + 1 :]
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode.parse(typed)
    assert caught.value.suggestion == code
    assert caught.value.position == position + 1


@given(codes, st.integers(0, 6))
def test_random_adjacent_transposition_is_detected_and_corrected(code, position):
    """Swapping two different adjacent symbols is rejected, suggesting the original code."""
    text = code.value
    if text[position] == text[position + 1]:
        return
    typed = text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode.parse(typed)
    assert caught.value.suggestion == code
    assert "swapped" in str(caught.value)


@given(codes, st.data())
def test_random_double_substitution_is_detected(code, data):
    """Two random substitutions are always rejected."""
    i, j = data.draw(st.lists(st.integers(0, 7), min_size=2, max_size=2, unique=True))
    chars = list(code.value)
    chars[i] = data.draw(st.sampled_from(ALPHABET.replace(chars[i], "")))
    chars[j] = data.draw(st.sampled_from(ALPHABET.replace(chars[j], "")))
    with pytest.raises(InvalidCodeError):
        AnonymousCode.parse("".join(chars))


@given(st.text(alphabet=ALPHABET, min_size=8, max_size=8))
def test_suggestion_matches_a_brute_force_search(text):
    """The suggestion is the one valid word within one substitution or transposition, if unique."""
    candidates = {typed for _, typed in _variants_by_substitution(text) if reference_valid(typed)}
    for i in range(7):
        swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if swapped != text and reference_valid(swapped):
            candidates.add(swapped)
    if reference_valid(text):
        assert AnonymousCode.parse(text).value == text
        return
    assert len(candidates) <= 1
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode.parse(text)
    suggestion = caught.value.suggestion
    assert (suggestion.value if suggestion else None) == (candidates.pop() if candidates else None)


# -- tolerant parsing ----------------------------------------------------------------

LOOK_ALIKES = {"0": "Oo", "1": "Ii", "8": "Bb", "5": "Ss"}


@st.composite
def spellings(draw, code):
    """Ways a person may type ``code``: case, spaces, hyphens, look-alike letters."""
    out = [draw(st.sampled_from(["", " ", "  "]))]
    for symbol in code.value:
        choices = [symbol, symbol.lower(), *LOOK_ALIKES.get(symbol, "")]
        out.append(draw(st.sampled_from(choices)))
        out.append(draw(st.sampled_from(["", "", "-", " ", " - ", "\u2013", "\u00a0"])))
    return "".join(out)


@given(codes.flatmap(lambda code: st.tuples(st.just(code), spellings(code))))
def test_every_accepted_spelling_parses_back_to_the_code(pair):
    """Any mix of case, separators and look-alikes reads as the same code."""
    code, typed = pair
    assert AnonymousCode.parse(typed) == code


@given(codes_any_length)
def test_canonical_form_round_trips(code):
    """The canonical form parses back to the same code at every length."""
    assert AnonymousCode.parse(str(code), length=code.length) == code
    assert str(code).replace("-", "") == code.value


@pytest.mark.parametrize(
    ("data", "expected"), [("7Q", "7Q4J"), ("123456", "1234-56GY"), ("ACDEFGHJ", "ACDE-FGHJ-G0")]
)
def test_grouping_by_four(data, expected):
    """The canonical form groups symbols by four from the left."""
    assert str(AnonymousCode.encode(data)) == expected


def test_full_width_characters_are_read():
    """Full-width letters and digits typed on some keyboards are read as ASCII."""
    assert str(AnonymousCode.parse("ｋ３ｍ７－ｑｘｖｇ")) == "K3M7-QXVG"


@pytest.mark.parametrize(
    ("typed", "position"), [("K3M7-QX!G", 8), ("K3M7_QXVG", 5), ("é3M7QXVG", 1)]
)
def test_a_bad_character_is_named_by_position(typed, position):
    """A character that is not a symbol or a separator is reported with its position."""
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode.parse(typed)
    assert caught.value.position == position
    assert f"character {position} " in str(caught.value)
    assert caught.value.suggestion is None


@pytest.mark.parametrize("typed", ["K3M7-QXV", "K3M7-QXVGG", ""])
def test_a_wrong_length_is_reported(typed):
    """Too few or too many symbols is reported with both counts."""
    with pytest.raises(InvalidCodeError, match=r"expected 8 symbols, got \d+"):
        AnonymousCode.parse(typed)


def test_no_suggestion_when_no_single_error_explains_it():
    """A word with two errors and no single-error neighbour gets no suggestion."""
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode.parse("K3M7-QX01")
    assert caught.value.suggestion is None
    assert "ask for the code again" in str(caught.value)


def test_invalid_code_error_is_a_microstructure_error_and_a_value_error():
    """InvalidCodeError can be caught as MicrostructureError or ValueError."""
    with pytest.raises(MicrostructureError):
        AnonymousCode.parse("nope")
    with pytest.raises(ValueError, match="invalid anonymous code"):
        AnonymousCode.parse("nope")


def test_direct_construction_is_strict():
    """The constructor takes only the compact canonical form, never corrects."""
    assert AnonymousCode("K3M7QXVG").value == "K3M7QXVG"
    for bad in ["K3M7-QXVG", "k3m7qxvg", "K3M7QXVH", "K3", 42]:
        with pytest.raises(InvalidCodeError):
            AnonymousCode(bad)  # type: ignore[arg-type]  # 42 on purpose


def test_encode_refuses_non_symbols():
    """Encode names the first character outside the alphabet."""
    with pytest.raises(InvalidCodeError, match="character 2"):
        AnonymousCode.encode("AB")
    with pytest.raises(InvalidCodeError):
        AnonymousCode.encode(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidCodeError):
        AnonymousCode.parse(12345678)  # type: ignore[arg-type]


def test_data_and_repr():
    """Data is the random part; repr shows the canonical form."""
    code = AnonymousCode.parse("K3M7-QXVG")
    assert code.data == "K3M7QX"
    assert repr(code) == "AnonymousCode('K3M7-QXVG')"


def test_converter_round_trip():
    """Codes convert to their canonical string and back through microstructure.io."""
    code = AnonymousCode.parse("K3M7-QXVG")
    assert to_data(code) == "K3M7-QXVG"
    assert from_data(AnonymousCode, "K3M7-QXVG") == code
    assert from_data(AnonymousCode, "k3m7 qxvg") == code


def test_converter_follows_the_length_rule_of_parse():
    """from_data reads a code as parse does: the default length only, so a 9-symbol code is refused."""
    with pytest.raises(ValidationError, match="expected 8 symbols, got 9"):
        AnonymousCode.parse("K3M7QXVG0")
    with pytest.raises(ValidationError, match="expected 8 symbols, got 9") as caught:
        from_data(AnonymousCode, "K3M7QXVG0")
    assert caught.value.errors[0].path == "$"
    with pytest.raises(ValidationError, match="expected 8 symbols, got 10"):
        from_data(AnonymousCode, "ACDE-FGHJ-G0")
    assert AnonymousCode.parse("ACDE-FGHJ-G0", length=10).length == 10


def test_invalid_code_error_is_in_the_tree():
    """InvalidCodeError is a ValidationError with one detail, and keeps position and suggestion."""
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode.parse("K3M7-QXGV")
    error = caught.value
    assert isinstance(error, ValidationError)
    assert error.suggestion == AnonymousCode.parse("K3M7-QXVG")
    assert error.position is not None
    assert len(error.errors) == 1
    assert str(error).startswith("invalid anonymous code: check symbols do not match")


def test_converter_reports_a_bad_code():
    """A bad code in data is a ValidationError with the suggestion in its message."""
    with pytest.raises(ValidationError, match="did you mean K3M7-QXVG"):
        from_data(AnonymousCode, "K3M7-QXVH")
    with pytest.raises(ValidationError, match="anonymous code"):
        from_data(AnonymousCode, 12)
