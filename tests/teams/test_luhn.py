"""The RPPS check digit: the fast Luhn test agrees with the textbook loop."""

from hypothesis import given
from hypothesis import strategies as st

from microstructure.teams._model import _luhn_ok


def _textbook(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_fast_luhn_agrees_with_the_textbook_loop(digits):
    """Every string of digits gets the textbook answer."""
    assert _luhn_ok(digits) == _textbook(digits)


def test_known_rpps_numbers():
    """A valid example RPPS passes; changing its last digit fails."""
    assert _luhn_ok("10999900078")
    assert not _luhn_ok("10999900079")
