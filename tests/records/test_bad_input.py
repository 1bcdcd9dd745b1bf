"""Every public entry point of records raises only MicrostructureError on bad input."""

import pytest
from tests.records import helpers as h

from microstructure.errors import MicrostructureError
from microstructure.examples import example_national
from microstructure.records import (
    CareFile,
    dumps_records,
    event_type,
    import_csv,
    iter_records,
    loads_records,
    merge,
    parse_line,
    read_records,
    validate,
    validate_file,
    write_records,
)
from microstructure.synthetic import generate

TEAMS = example_national()
GARBAGE = [None, 3, "text", b"bytes", [1, 2], {"type": "exit"}, object()]


@pytest.mark.parametrize("garbage", GARBAGE)
@pytest.mark.parametrize(
    "call",
    [
        CareFile,
        lambda g: CareFile(TEAMS, [g]),
        lambda g: CareFile(TEAMS).add(g),
        lambda g: CareFile(TEAMS).extend(g),
        lambda g: validate([g], TEAMS),
        lambda g: validate(h.pathway(), g),
        lambda g: validate_file(g, TEAMS),
        read_records,
        lambda g: list(iter_records(g)),
        lambda g: loads_records(g if isinstance(g, str) else "x"),
        lambda g: dumps_records([g]),
        lambda g: write_records(g if not isinstance(g, str) else "/nonexistent/x", h.pathway()),
        lambda g: merge([g]),
        event_type,
        import_csv,
        lambda g: list(generate(patients=1, seed=1, teams=3 if g is None else g)),  # type: ignore[arg-type]  # wrong on purpose
        lambda g: list(generate(patients=1, seed=1, schedule=3 if g is None else g)),  # type: ignore[arg-type]  # wrong on purpose
        lambda g: list(generate(patients=str(g), seed=1)),  # type: ignore[arg-type]  # wrong on purpose
    ],
)
def test_garbage_raises_only_library_errors(call, garbage):
    """Bad arguments raise MicrostructureError, nothing else."""
    with pytest.raises(MicrostructureError):
        call(garbage)


@pytest.mark.parametrize("garbage", GARBAGE)
def test_parse_line_never_raises(garbage):
    """Any line, even of the wrong type, gives an event or a LineError."""
    assert parse_line(garbage, 2) is not None
