"""Cell suppression (`suppress`): hand-worked tables and a linear-programming audit."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.evaluation import disclosure_audit as audit

from microstructure.errors import FieldError, ValidationError
from microstructure.evaluation import Mask, suppress
from microstructure.evaluation._disclosure import _Suppression

P, S = Mask.PRIMARY, Mask.SECONDARY


def assert_protected(values, constraints, masks, threshold=11):
    """The audit: no masked cell is exact, no primary cell is confined below the threshold."""
    masked = [m is not None for m in masks]
    for cell, (low, high) in audit.ranges(values, constraints, masked).items():
        assert high - low > 1e-6, f"cell {cell} = {values[cell]} is determined"
        assert low <= values[cell] <= high + 1e-6
        if masks[cell] is P:
            assert high >= threshold - 1e-6, f"primary cell {cell} is at most {high}"


def test_a_small_part_and_the_next_smallest_are_masked():
    """A part below 11 is primary and the smallest other part is masked with it."""
    assert suppress([40, 3, 17, 20], [(0, [1, 2, 3])]) == (None, P, S, None)


def test_two_by_two_table_with_margins_masks_the_whole_inner_table():
    """In a 2×2 table with published margins, one small cell forces the other three."""
    values, constraints = audit.table_with_margins([[3, 20], [25, 30]])
    masks = suppress(values, constraints)
    assert masks == (P, S, S, S, None, None, None, None, None)
    assert_protected(values, constraints, masks)


def test_two_by_two_table_with_a_primary_total_masks_the_other_row():
    """When a row total is itself small, the masks extend to the row below and its total."""
    values, constraints = audit.table_with_margins([[3, 4], [25, 30]])
    masks = suppress(values, constraints)
    # 3, 4 and their total 7 are primary; 25 and 30 hide them in the columns, and the
    # second row's total hides the first row's in the grand total.
    assert masks[:5] == (P, P, S, S, P)
    assert masks[5] is S
    assert_protected(values, constraints, masks)


def test_zero_cells_are_published_unless_asked():
    """Zero is not a small count to protect by default; ``mask_zero`` masks it."""
    values, constraints = audit.table_with_margins([[0, 20], [25, 30]])
    assert suppress(values, constraints) == (None,) * 9
    masks = suppress(values, constraints, mask_zero=True)
    assert masks[0] is P
    assert masks[1:4] == (S, S, S)


def test_the_threshold_is_configurable():
    """With a threshold of 5, counts from 5 up are published."""
    assert suppress([40, 3, 17, 20], [(0, [1, 2, 3])], threshold=5) == (None, P, S, None)
    assert suppress([40, 5, 15, 20], [(0, [1, 2, 3])], threshold=5) == (None,) * 4
    assert suppress([40, 5, 15, 20], [(0, [1, 2, 3])], threshold=6) == (None, P, S, None)


def test_hierarchy_microstructure_network_nation():
    """A small microstructure is hidden by its sibling; a small network by the other network."""
    # nation 0 = networks 1 + 2; network 1 = microstructures 3 + 4; network 2 = 5 + 6.
    constraints = [(0, [1, 2]), (1, [3, 4]), (2, [5, 6])]
    assert suppress([100, 60, 40, 5, 55, 18, 22], constraints) == (
        None,
        None,
        None,
        P,
        S,
        None,
        None,
    )
    # Network 1 has one microstructure of 4 patients: masking the network needs the other
    # network masked too (else 100 − 96), which in turn needs one of its microstructures.
    constraints = [(0, [1, 2]), (1, [3]), (2, [4, 5])]
    values = [100, 4, 96, 4, 40, 56]
    masks = suppress(values, constraints)
    assert masks == (None, P, S, P, S, None)
    assert_protected(values, constraints, masks)


def bridged_table():
    """A 4×4 table whose small cells form two rectangles joined by one bridge cell."""
    return audit.table_with_margins(
        [
            [3, 12, 90, 90],
            [14, 4, 6, 90],
            [90, 90, 5, 13],
            [90, 90, 12, 2],
        ]
    )


def test_a_bridge_between_two_cycles_is_found_by_elimination():
    """The rules per constraint leave the bridge determined; the exact check catches it."""
    values, constraints = bridged_table()
    rows = [(total, *parts) for total, parts in constraints]
    state = _Suppression(values, rows, 11, mask_zero=False)
    while state.local_rules():
        pass
    bridge = 1 * 4 + 2  # row 1, column 2: the 6
    assert state.determined() == [bridge]
    masked = [m is not None for m in state.masks]
    low, high = audit.ranges(values, constraints, masked)[bridge]
    assert low == pytest.approx(high)  # scipy agrees: it is exact
    masks = suppress(values, constraints)
    assert masks[bridge] is P
    assert_protected(values, constraints, masks)


def test_a_primary_cell_confined_below_the_threshold_gets_more_masks():
    """A cycle through a tiny cell caps the primary cell: the simplex check widens it."""
    # Six masked cells forming one cycle (0,0)+ (0,1)- (1,1)+ (1,2)- (2,2)+ (2,0)-: the 3 at
    # (0,0) can grow only by the 1 at (1,2), although every row and column sums above 11.
    values, constraints = audit.table_with_margins([[3, 20, 90], [90, 20, 1], [20, 90, 20]])
    rows = [(total, *parts) for total, parts in constraints]
    state = _Suppression(values, rows, 11, mask_zero=False)
    for cell in (1, 4, 5, 6, 8):
        state.masks[cell] = S
    assert state.local_rules() is False
    assert state.determined() == []
    assert state.confined() == [0]
    masked = [m is not None for m in state.masks]
    assert audit.ranges(values, constraints, masked)[0][1] == pytest.approx(4)
    assert_protected(values, constraints, suppress(values, constraints))


SMALL_OR_LARGE = st.one_of(st.integers(0, 12), st.integers(0, 60))


@given(
    st.integers(1, 5).flatmap(
        lambda c: st.lists(st.lists(SMALL_OR_LARGE, min_size=c, max_size=c), min_size=1, max_size=5)
    ),
    st.sampled_from([3, 5, 11]),
)
def test_random_tables_with_margins_pass_the_audit(cells, threshold):
    """On random 2-D tables with margins, the LP audit finds every masked cell protected."""
    values, constraints = audit.table_with_margins(cells)
    masks = suppress(values, constraints, threshold=threshold)
    for value, mask in zip(values, masks, strict=True):
        assert (mask is P) == (0 < value < threshold)
        assert value > 0 or mask is None
    assert_protected(values, constraints, masks, threshold)


@given(
    st.integers(1, 3).flatmap(
        lambda k: st.lists(
            st.lists(st.lists(SMALL_OR_LARGE, min_size=k, max_size=k), min_size=1, max_size=4),
            min_size=1,
            max_size=3,
        )
    ),
)
def test_random_hierarchies_pass_the_audit(leaves):
    """On random nation → network → microstructure × category tables, the audit passes."""
    values, constraints = audit.hierarchy(leaves)
    masks = suppress(values, constraints)
    for value, mask in zip(values, masks, strict=True):
        assert (mask is P) == (0 < value < 11)
        assert value > 0 or mask is None
    assert_protected(values, constraints, masks)


@given(st.lists(st.lists(SMALL_OR_LARGE, min_size=3, max_size=3), min_size=2, max_size=4))
def test_suppression_is_deterministic(cells):
    """The same table gives the same masks, whatever was computed before."""
    values, constraints = audit.table_with_margins(cells)
    assert suppress(values, constraints) == suppress(list(values), list(constraints))


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"threshold": 0}, "$.threshold"),
        ({"threshold": True}, "$.threshold"),
        ({"threshold": 2.5}, "$.threshold"),
        ({"mask_zero": 1}, "$.mask_zero"),
        ({"values": [3, -1, 2]}, "$.values[1]"),
        ({"values": [3, True, 2]}, "$.values[1]"),
        ({"values": [3, 1.0, 2]}, "$.values[1]"),
        ({"values": "312"}, "$.values"),
        ({"constraints": [(0, [1, 3])]}, "$.constraints[0][1][1]"),
        ({"constraints": [(-1, [1, 2])]}, "$.constraints[0][0]"),
        ({"constraints": [(0, [1, 1])]}, "$.constraints[0][1][1]"),
        ({"constraints": [(0, [0, 1])]}, "$.constraints[0][1][0]"),
        ({"constraints": [(0, [])]}, "$.constraints[0][1]"),
        ({"constraints": [(0, [1])]}, "$.constraints[0]"),
        ({"constraints": [0]}, "$.constraints[0]"),
        ({"constraints": 5}, "$.constraints"),
    ],
)
def test_bad_arguments_are_located(arguments, path):
    """Each bad argument is a ValidationError at its path."""
    given_arguments = {"values": [5, 3, 2], "constraints": [(0, [1, 2])], **arguments}
    values = given_arguments.pop("values")
    constraints = given_arguments.pop("constraints")
    with pytest.raises(ValidationError) as caught:
        suppress(values, constraints, **given_arguments)
    assert [error.path for error in caught.value.errors] == [path]


def test_threshold_error_is_a_field_error():
    """A bad threshold is the one-detail FieldError naming what was expected."""
    with pytest.raises(FieldError, match="an integer of at least 1"):
        suppress([1], [], threshold=-3)


def test_a_table_without_constraints_masks_only_primaries():
    """Without constraints, only the small counts are masked: nothing relates the cells."""
    assert suppress([0, 1, 10, 11, 500], []) == (None, P, P, None, None)


ODD: list[object] = [
    None,
    1,
    -1,
    1.5,
    float("nan"),
    "",
    "x",
    [],
    [None],
    [-5],
    [[1]],
    (2,),
    {},
    True,
    b"1",
]
ODD_CALLS = {
    "values": lambda v: suppress(v, []),
    "constraints": lambda v: suppress([5, 3, 2], v),
    "constraint": lambda v: suppress([5, 3, 2], [v]),
    "parts": lambda v: suppress([5, 3, 2], [(0, v)]),
    "total": lambda v: suppress([5, 3, 2], [(v, [1, 2])]),
    "threshold": lambda v: suppress([5, 3, 2], [], threshold=v),
    "mask_zero": lambda v: suppress([5, 3, 2], [], mask_zero=v),
}


@pytest.mark.parametrize("call", sorted(ODD_CALLS))
def test_wrong_arguments_raise_only_validation_errors(call):
    """Every odd argument gives a located ValidationError (or a valid result), never a bare error."""
    paths: list[str] = []
    for value in ODD:
        try:
            ODD_CALLS[call](value)
        except ValidationError as exc:
            paths.extend(error.path for error in exc.errors)
    assert paths
    assert all(path.startswith("$.") for path in paths)
