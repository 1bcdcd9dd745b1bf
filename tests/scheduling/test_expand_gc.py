"""`expand` pauses the garbage collector while it builds, and gives its state back."""

import gc

import pendulum

from microstructure.examples import example_national
from microstructure.scheduling import example_schedule, expand

_MAY = (pendulum.date(2026, 5, 1), pendulum.date(2026, 5, 31))


def test_collector_state_is_given_back() -> None:
    """Enabled before, enabled after; disabled before, still disabled; same sessions."""
    assert gc.isenabled()
    with_collector = expand(example_schedule(), example_national(), *_MAY)
    assert gc.isenabled()
    gc.disable()
    try:
        without_collector = expand(example_schedule(), example_national(), *_MAY)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert with_collector == without_collector
    assert with_collector
