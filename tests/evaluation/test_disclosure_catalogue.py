"""Disclosure of a whole-catalogue table: every level, by sex and by age band, counts shared."""

import numpy as np
import pytest
from hypothesis import settings
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from microstructure.evaluation import Database, Level, Mask, compute, disclose, indicators
from microstructure.evaluation._disclosure import _masks, _Problem
from microstructure.examples import example_national
from microstructure.records import write_records
from microstructure.synthetic import generate

THOROUGH = settings().max_examples >= 1_000  # the "thorough" hypothesis profile


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """The whole catalogue for 2026 at every level, by sex and by age band, on 300 patients."""
    path = tmp_path_factory.mktemp("records") / "records.jsonl"
    write_records(path, generate(patients=300, seed=5))
    teams = example_national()
    with Database(teams) as db:
        db.add_records(path)
        table = compute(
            db, periods=["2026"], levels=list(Level), breakdowns=[None, "sex", "age-band"]
        )
    return table, teams


def test_a_whole_catalogue_table_masks_every_small_count(catalogue):
    """Thousands of linked cells: every protected count below 11 is masked, the rest unchanged."""
    table, teams = catalogue
    assert len(table.cells) > 5_000
    disclosed = disclose(table, teams=teams)
    protected = {item.id for item in indicators().values() if item.disclosure}
    masked = 0
    for before, after in zip(table.cells, disclosed.cells, strict=True):
        if after.mask is None:
            assert after == before
            if before.indicator in protected:
                assert not 0 < (before.count or 0) < 11
                assert not 0 < (before.denominator_count or 0) < 11
        else:
            masked += 1
            assert after.count is None
            if after.mask is Mask.PRIMARY:
                assert 0 < before.count < 11
    assert masked > 1_000


def test_a_whole_catalogue_table_is_deterministic(catalogue):
    """The same large table gives the same masks twice."""
    table, teams = catalogue
    problem = _Problem(table, teams)
    assert _masks(problem, 11) == _masks(_Problem(table, teams), 11)


@pytest.mark.skipif(not THOROUGH, reason="about 2 LPs per masked count: thorough profile only")
def test_a_whole_catalogue_table_passes_the_audit(catalogue):
    """The LP audit over every count of the table: no masked count exact or confined below 11."""
    table, teams = catalogue
    problem = _Problem(table, teams)
    masks = _masks(problem, 11)
    size = len(problem.values)
    matrix = lil_matrix((len(problem.constraints), size))
    for row, (total, parts) in enumerate(problem.constraints):
        matrix[row, total] += 1
        for part in parts:
            matrix[row, part] -= 1
    matrix = matrix.tocsr()
    rhs = np.zeros(len(problem.constraints))
    bounds = [
        (0, None) if m is not None else (v, v) for v, m in zip(problem.values, masks, strict=True)
    ]
    for cell in (i for i, m in enumerate(masks) if m is not None):
        objective = np.zeros(size)
        objective[cell] = 1
        low = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
        assert low.status == 0
        assert high.status in {0, 3}
        top = float("inf") if high.status == 3 else -high.fun
        assert top - low.fun > 1e-6, f"{cell} is determined"
        if masks[cell] is Mask.PRIMARY:
            assert top >= 11 - 1e-6, f"primary {cell} = {problem.values[cell]} is at most {top}"
