"""Bad totals, instrument ids and deep policies give a `ValidationError`, at once."""

import decimal
import time
from typing import Any

import pytest

from microstructure import io
from microstructure.eligibility import Criterion, Situation, instrument, load_policy, score
from microstructure.errors import MicrostructureError, NotFoundError, ValidationError

BAD_TOTALS = [
    float("nan"),
    float("inf"),
    -float("inf"),
    decimal.Decimal("NaN"),
    decimal.Decimal("sNaN"),
    decimal.Decimal("-Infinity"),
    "text",
    "",
    None,
    [1],
    {"total": 1},
    True,
    12.555,
    "101",
    -1,
    10**5000,
    "1e1000000",
    "1e999999999",
    decimal.Decimal("1e999999999"),
    "9" * 100_000,
]


@pytest.mark.parametrize(
    "total", BAD_TOTALS, ids=[f"{type(t).__name__}-{i}" for i, t in enumerate(BAD_TOTALS)]
)
@pytest.mark.parametrize("instrument_id", ["audit", "epices"])
def test_from_total_refuses_with_a_validation_error_in_well_under_a_second(instrument_id, total):
    """Every total that is not a number in range is refused at once, as a ValidationError."""
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        instrument(instrument_id).from_total(total)
    assert time.monotonic() - started < 1.0
    assert "expected" in str(caught.value)


@pytest.mark.parametrize("total", ["1e1000000", "1e999999999", "1e5000"])
def test_situation_with_a_huge_total_fails_fast_and_readably(total):
    """A 34-byte situation with a huge total is refused at once with a readable message."""
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        io.from_data(Situation, {"scores": {"audit": total, "epices": total}})
    assert time.monotonic() - started < 1.0
    message = str(caught.value)
    assert "InvalidOperation" not in message
    assert "expected an integer from 0 to 40" in message
    assert "expected a number with 2 decimals from 0.00 to 100.00" in message


def test_in_range_totals_still_score():
    """Totals in range, as ints, decimals, floats or numeric strings, still score."""
    assert instrument("audit").from_total(8).total == 8
    assert instrument("audit").from_total("8").total == 8
    assert instrument("epices").from_total(decimal.Decimal("30.17")).positive is True
    assert instrument("epices").from_total(30.17).total == decimal.Decimal("30.17")


@pytest.mark.parametrize("instrument_id", [["audit"], {"a": 1}, None, 3])
def test_score_with_a_non_string_instrument_id_is_a_validation_error(instrument_id):
    """`score` with a list, a dict or None as the instrument id raises ValidationError."""
    with pytest.raises(ValidationError):
        score(instrument_id, [0] * 10)


def test_score_with_an_unknown_instrument_is_not_found():
    """An unknown instrument id is a NotFoundError that lists the known ones."""
    with pytest.raises(NotFoundError, match="audit-c"):
        score("audit-x", [0])


def _nested_not(depth: int) -> dict[str, Any]:
    criterion: dict[str, Any] = {"type": "substance"}
    for _ in range(depth):
        criterion = {"type": "not", "criterion": criterion}
    return criterion


def test_policy_of_300_nested_not_is_a_validation_error():
    """300 nested `not` give a located ValidationError, not a RecursionError."""
    policy = {"program": "equip-addict", "name": "x", "name_fr": "x", "criterion": _nested_not(300)}
    with pytest.raises(ValidationError) as caught:
        load_policy(policy)
    assert "recursion" not in str(caught.value)
    assert caught.value.errors[0].path == "$.criterion"


@pytest.mark.parametrize("depth", [300, 5000])
def test_deep_criterion_is_refused(depth):
    """Structuring a deep criterion raises only MicrostructureError."""
    with pytest.raises(MicrostructureError):
        io.from_data(Criterion, _nested_not(depth))


def test_reasonable_nesting_still_loads():
    """Forty nested `not` still load."""
    assert io.from_data(Criterion, _nested_not(40)) is not None
