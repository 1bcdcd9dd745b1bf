"""Anonymous codes in detail: what each refusal says, and where it points.

Written against the surviving mutants of `microstructure.identifiers._codes` (mutmut): each
test pins down a message or a position that a plausible slip in that module would change.
"""

import pytest

from microstructure.errors import ConfigurationError, ValidationError
from microstructure.identifiers import AnonymousCode, InvalidCodeError
from microstructure.io import from_data, to_data

CODE = "K3M7QXVG"  # a valid code (published test vector)


def test_a_swap_names_both_positions_and_suggests_the_code():
    """Two neighbours swapped: the message names both 1-based positions and the right code."""
    swapped = CODE[:3] + CODE[4] + CODE[3] + CODE[5:]
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode.parse(swapped)
    assert "characters 4 and 5 look swapped" in str(caught.value)
    assert "did you mean K3M7-QXVG?" in str(caught.value)
    assert caught.value.position == 4
    assert caught.value.suggestion == AnonymousCode(CODE)


def test_a_mistyped_symbol_names_its_position():
    """One wrong symbol: the message names its 1-based position."""
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode.parse(CODE[:2] + "A" + CODE[3:])
    assert "character 3 looks mistyped" in str(caught.value)
    assert caught.value.position == 3


def test_unexplained_check_failure_asks_for_the_code_again():
    """Two unrelated typing errors: no suggestion, and the message says to ask again."""
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode.parse("K3M7-QXXX")
    assert caught.value.suggestion is None
    assert "no single typing error explains it; ask for the code again" in str(caught.value)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            "K3M7-QXVG",
            "expected the compact form, only symbols of 0123456789ACDEFGHJKLMNPQRTUVWXYZ",
        ),
        ("K3M7QXVH", "invalid anonymous code: check symbols do not match"),
        ("K3", "expected 4 to 14 symbols, got 2"),
    ],
)
def test_direct_construction_says_why(bad, message):
    """The strict constructor explains each refusal."""
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode(bad)
    assert message in str(caught.value)


def test_non_text_is_named_by_its_type():
    """Non-text input names its type, never its value."""
    with pytest.raises(InvalidCodeError, match="expected a string, got int"):
        AnonymousCode.parse(12345678)  # type: ignore[arg-type]
    with pytest.raises(InvalidCodeError, match="expected a string, got NoneType"):
        AnonymousCode.encode(None)  # type: ignore[arg-type]


def test_encode_points_at_the_first_bad_symbol():
    """Encode reports the 1-based position of the first symbol outside the alphabet."""
    with pytest.raises(InvalidCodeError) as caught:
        AnonymousCode.encode("0AB0")
    assert caught.value.position == 3
    assert "character 3 ('B')" in str(caught.value)


@pytest.mark.parametrize(
    ("length", "message"),
    [
        ("8", "expected an integer code length, got '8'"),
        (3, "code length 3 is not supported: expected 4 to 14"),
        (15, "code length 15 is not supported: expected 4 to 14"),
    ],
)
def test_unsupported_lengths_are_configuration_errors(length, message):
    """A code length that is not an integer from 4 to 14 is refused with its reason."""
    with pytest.raises(ConfigurationError) as caught:
        AnonymousCode.generate(length=length)
    assert str(caught.value) == message


def test_codes_in_files_are_read_tolerantly_and_written_grouped():
    """Files hold the grouped form; typed spellings are read; non-text is a located error."""
    assert to_data(AnonymousCode(CODE)) == "K3M7-QXVG"
    assert from_data(AnonymousCode, "k3m7 qxvg") == AnonymousCode(CODE)
    with pytest.raises(ValidationError) as caught:
        from_data(AnonymousCode, 42)
    (detail,) = caught.value.errors
    assert (detail.path, detail.value) == ("$", 42)
    assert detail.message == "expected an anonymous code such as 'K3M7-QXVG'"
