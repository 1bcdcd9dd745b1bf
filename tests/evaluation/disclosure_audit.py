"""An independent audit of cell suppression by linear programming (scipy), and table shapes.

For every masked cell, `ranges` computes the smallest and the largest value consistent with
what is published: every cell non-negative, the published cells fixed at their values, and
every additive constraint. Written from the definition, independently of the library.
"""

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog

Constraint = tuple[int, Sequence[int]]


def ranges(
    values: Sequence[int], constraints: Sequence[Constraint], masked: Sequence[bool]
) -> dict[int, tuple[float, float]]:
    """``{cell: (min, max)}`` of every masked cell over the values consistent with the rest."""
    size = len(values)
    matrix = np.zeros((len(constraints), size))
    for row, (total, parts) in enumerate(constraints):
        matrix[row, total] += 1
        for part in parts:
            matrix[row, part] -= 1
    rhs = np.zeros(len(constraints))
    bounds = [(0, None) if masked[i] else (values[i], values[i]) for i in range(size)]
    found = {}
    for cell in (i for i in range(size) if masked[i]):
        objective = np.zeros(size)
        objective[cell] = 1
        low = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
        assert low.status == 0, low.message
        top = float("inf") if high.status == 3 else -high.fun  # 3: unbounded
        assert high.status in {0, 3}, high.message
        found[cell] = (low.fun, top)
    return found


def table_with_margins(cells: Sequence[Sequence[int]]) -> tuple[list[int], list[Constraint]]:
    """Values and constraints of a 2-D table with its row, column and grand totals.

    Layout: the ``r × c`` inner cells row by row, then the ``r`` row totals, the ``c``
    column totals and the grand total.
    """
    r, c = len(cells), len(cells[0])
    values = [v for row in cells for v in row]
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(cells[i][j] for i in range(r)) for j in range(c)]
    values += [*row_totals, *column_totals, sum(row_totals)]
    grand = r * c + r + c
    constraints: list[Constraint] = [(r * c + i, [i * c + j for j in range(c)]) for i in range(r)]
    constraints += [(r * c + r + j, [i * c + j for i in range(r)]) for j in range(c)]
    constraints += [
        (grand, [r * c + i for i in range(r)]),
        (grand, [r * c + r + j for j in range(c)]),
    ]
    return values, constraints


def hierarchy(
    leaves: Sequence[Sequence[Sequence[int]]],
) -> tuple[list[int], list[Constraint]]:
    """Values and constraints of nation → networks → microstructures × categories.

    ``leaves[network][microstructure][category]``; each node has one cell per category and
    a total cell; totals add up across categories and up the levels, category by category.
    """
    values: list[int] = []
    constraints: list[Constraint] = []

    def node(children_cells: list[list[int]] | None, counts: Sequence[int] | None) -> list[int]:
        """Append one node's cells (categories then total) and return their indices."""
        if counts is None:
            assert children_cells is not None
            counts = [
                sum(values[child[k]] for child in children_cells)
                for k in range(len(children_cells[0]) - 1)
            ]
        start = len(values)
        values.extend([*counts, sum(counts)])
        cells = list(range(start, len(values)))
        constraints.append((cells[-1], cells[:-1]))
        if children_cells is not None:
            for k, cell in enumerate(cells):
                constraints.append((cell, [child[k] for child in children_cells]))
        return cells

    networks = [node([node(None, counts) for counts in network], None) for network in leaves]
    node(networks, None)
    return values, constraints
