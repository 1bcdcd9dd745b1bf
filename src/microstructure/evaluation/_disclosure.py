"""Statistical disclosure control: primary and secondary cell suppression.

`suppress` works on any set of additive constraints (a total equals the sum of its parts);
`disclose` derives those constraints from a `Table` of indicator cells and masks it.

The algorithm, deterministic (same input, same masks):

1. Primary: every count with ``0 < n < threshold`` (and zero too with ``mask_zero``).
2. Secondary, until stable, each step masking the smallest non-zero published cells first
   (ties by index):

   a. in every constraint, a masked cell is never alone;
   b. in a constraint holding a primary cell, the masked cells sum to at least the threshold;
   c. exact check by rational Gaussian elimination of the constraints restricted to the
      masked cells: no masked cell may be determined (a row of the reduced echelon form
      with a single non-zero entry); where one is, mask more in its constraints;
   d. exact check by a rational simplex: the largest value of every primary cell
      consistent with what is published (non-negative cells, published cells fixed, all
      constraints) reaches the threshold; where it does not, mask more around it.

Zero cells are never masked as secondary cells: a masked zero could be pinned at zero by
non-negativity, and masking it protects nothing. With every masked cell non-zero, the
true values lie inside the set of values consistent with the publication, so a cell that
is not determined linearly has a range of positive width (the linear-programming audit of
the tests checks this independently).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs

from microstructure.errors import ErrorDetail, FieldError, ValidationError
from microstructure.evaluation._compute import Cell, Table
from microstructure.evaluation._model import Dimension, Indicator, Level, Mask, Measure
from microstructure.teams import NationalCoordination, Network

__all__ = ["disclose", "suppress"]


Constraint = tuple[int, Sequence[int]]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked(
    values: object, constraints: object, threshold: object, mask_zero: object
) -> tuple[list[int], list[tuple[int, ...]]]:
    """The validated values and constraints (as rows: total first), or a located error."""
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 1:
        raise FieldError(threshold, "an integer of at least 1", field="threshold")
    if not isinstance(mask_zero, bool):
        raise FieldError(mask_zero, "true or false", field="mask_zero")
    if not isinstance(values, Sequence) or isinstance(values, str | bytes):
        raise FieldError(type(values).__name__, "a sequence of counts", field="values")
    if not isinstance(constraints, Sequence) or isinstance(constraints, str | bytes):
        raise FieldError(
            type(constraints).__name__, "a sequence of (total, parts)", field="constraints"
        )
    errors = [
        ErrorDetail(f"$.values[{i}]", "expected a count: an integer of at least 0", value)
        for i, value in enumerate(values)
        if not _is_int(value) or value < 0
    ]
    if errors:
        raise ValidationError(errors, subject="values")
    counts = list(values)
    size = len(counts)
    rows: list[tuple[int, ...]] = []
    for k, constraint in enumerate(constraints):
        row = _checked_constraint(constraint, k, size, errors)
        if row is None:
            continue
        total = counts[row[0]]
        parts = sum(counts[i] for i in row[1:])
        if total != parts:
            errors.append(
                ErrorDetail(
                    f"$.constraints[{k}]",
                    f"expected a total equal to the sum of its parts ({parts})",
                    total,
                )
            )
        rows.append(row)
    if errors:
        raise ValidationError(errors, subject="constraints")
    return counts, rows


def _checked_constraint(
    constraint: object, k: int, size: int, errors: list[ErrorDetail]
) -> tuple[int, ...] | None:
    """One constraint as (total, *parts), or None after adding its errors to ``errors``."""
    path = f"$.constraints[{k}]"
    if (
        not isinstance(constraint, Sequence)
        or isinstance(constraint, str | bytes)
        or len(constraint) != 2  # noqa: PLR2004 - a pair
        or not isinstance(constraint[1], Sequence)
        or isinstance(constraint[1], str | bytes)
    ):
        errors.append(ErrorDetail(path, "expected a pair (total index, part indices)", None))
        return None
    total, parts = constraint[0], constraint[1]
    found = len(errors)
    if not _is_int(total) or not 0 <= total < size:
        errors.append(ErrorDetail(f"{path}[0]", f"expected an index from 0 to {size - 1}", total))
    if not parts:
        errors.append(ErrorDetail(f"{path}[1]", "expected at least one part", None))
    seen: set[int] = set()
    for j, part in enumerate(parts):
        if not _is_int(part) or not 0 <= part < size:
            errors.append(
                ErrorDetail(f"{path}[1][{j}]", f"expected an index from 0 to {size - 1}", part)
            )
        elif part == total or part in seen:
            errors.append(
                ErrorDetail(
                    f"{path}[1][{j}]", "expected an index not already in the constraint", part
                )
            )
        else:
            seen.add(part)
    if len(errors) > found:
        return None
    return (total, *parts)


_EXACT_LIMIT = 120
"""Largest component (masked cells) whose unwitnessed primaries go to the exact simplex.

In a larger one, a primary cell that no cheap feasible point takes to the threshold is
treated as confined: more cells are masked around it, which is always safe, and far
cheaper than the simplex on hundreds of linked cells.
"""


class _Suppression:
    """The state of one suppression: values, constraints as rows, masks so far."""

    def __init__(
        self, values: list[int], rows: list[tuple[int, ...]], threshold: int, *, mask_zero: bool
    ) -> None:
        self.values = values
        self.rows = rows
        self.threshold = threshold
        self.rows_of: list[list[int]] = [[] for _ in values]
        for r, row in enumerate(rows):
            for i in row:
                self.rows_of[i].append(r)
        self.masks: list[Mask | None] = [
            Mask.PRIMARY if (0 < v < threshold or (mask_zero and v == 0)) else None for v in values
        ]
        self._echelons: dict[tuple[int, ...], dict[int, Line]] = {}
        self._confined: dict[tuple[int, ...], list[int]] = {}

    def _candidate(self, cells: Sequence[int]) -> int | None:
        """The smallest non-zero published cell among ``cells`` (ties: lowest index)."""
        best: tuple[int, int] | None = None
        for i in cells:
            if self.masks[i] is None and self.values[i] > 0:
                key = (self.values[i], i)
                if best is None or key < best:
                    best = key
        return None if best is None else best[1]

    def _mask(self, i: int | None) -> bool:
        if i is None:
            return False
        self.masks[i] = Mask.SECONDARY
        return True

    def _around(self, cell: int) -> int | None:
        """The cell to mask to protect ``cell``: in its constraints, else in its component."""
        near = [i for r in self.rows_of[cell] for i in self.rows[r]]
        found = self._candidate(near)
        if found is None:
            component = self._component(cell)
            found = self._candidate([i for r in component[1] for i in self.rows[r]])
        return found

    def _component(self, cell: int) -> tuple[list[int], list[int]]:
        """Masked cells and rows connected to ``cell`` through rows and masked cells."""
        cells, rows, stack = {cell}, set(), [cell]
        while stack:
            for r in self.rows_of[stack.pop()]:
                if r in rows:
                    continue
                rows.add(r)
                for i in self.rows[r]:
                    if self.masks[i] is not None and i not in cells:
                        cells.add(i)
                        stack.append(i)
        return sorted(cells), sorted(rows)

    def components(self) -> list[tuple[list[int], list[int]]]:
        """Every connected component of masked cells, with the rows touching it."""
        done: set[int] = set()
        found: list[tuple[list[int], list[int]]] = []
        for i, mask in enumerate(self.masks):
            if mask is not None and i not in done:
                component = self._component(i)
                done.update(component[0])
                found.append(component)
        return found

    def local_rules(self) -> bool:
        """Apply rules a and b to every constraint once; whether a cell was masked."""
        changed = False
        for row in self.rows:
            masked = [i for i in row if self.masks[i] is not None]
            if not masked:
                continue
            if len(masked) == 1:
                changed |= self._mask(self._candidate(row))
                continue
            if not any(self.masks[i] is Mask.PRIMARY for i in masked):
                continue
            # When the total is published, the masked parts share a known sum: a primary
            # part can reach the threshold only if that sum does.
            total = sum(self.values[i] for i in masked)
            while total < self.threshold:
                extra = self._candidate(row)
                if extra is None:
                    break
                self._mask(extra)
                total += self.values[extra]
                changed = True
        return changed

    def _pivots(self, cells: list[int], rows: list[int]) -> dict[int, Line]:
        """The echelon form of a component, computed once (a component is its cells)."""
        key = tuple(cells)
        found = self._echelons.get(key)
        if found is None:
            found = self._echelons[key] = _echelon(cells, [self.rows[r] for r in rows])
        return found

    def determined(self) -> list[int]:
        """Masked cells whose value follows exactly from the published cells (rule c)."""
        found: list[int] = []
        for cells, rows in self.components():
            pivots = self._pivots(cells, rows)
            found.extend(cells[j] for j, line in pivots.items() if len(line) == 1)
        return sorted(found)

    def confined(self) -> list[int]:
        """Primary cells whose largest consistent value is below the threshold (rule d).

        A component unchanged since the last pass keeps its answer. In a component, a
        simplex from the true values settles most primary cells or proves them confined
        (`_reached`); a cell it leaves open goes to the exact simplex of `_Program` in a
        small component, and counts as confined (more is masked around it) in a large one.
        """
        found: list[int] = []
        for cells, rows in self.components():
            primaries = [i for i in cells if self.masks[i] is Mask.PRIMARY]
            if not primaries:
                continue
            key = tuple(cells)
            known = self._confined.get(key)
            if known is None:
                pivots = self._pivots(cells, rows)
                settled, proven = _reached(cells, pivots, self.values, primaries, self.threshold)
                rest = [i for i in primaries if i not in settled and i not in proven]
                if rest and len(cells) <= _EXACT_LIMIT:
                    program = _Program(cells, [self.rows[r] for r in rows], self.values)
                    rest = program.confined(rest, self.threshold)
                known = self._confined[key] = sorted(proven.union(rest))
            found.extend(known)
        return sorted(found)

    def run(self) -> tuple[Mask | None, ...]:
        while True:
            if self.local_rules():
                continue
            if any([self._mask(self._around(i)) for i in self.determined()]):  # noqa: C419 - mask for each
                continue
            if any([self._mask(self._around(i)) for i in self.confined()]):  # noqa: C419 - mask for each
                continue
            return tuple(self.masks)


Number = int | Fraction
"""An exact coefficient: an int while the arithmetic stays integral (the usual case)."""
Line = dict[int, Number]
"""A sparse row of a matrix: column -> non-zero coefficient."""


def _divide(a: Number, b: Number) -> Number:
    """``a / b`` exactly, staying an int when ``b`` is ±1."""
    if b == 1:
        return a
    if b == -1:
        return -a
    return Fraction(a) / b


def _add(line: Line, j: int, amount: Number) -> None:
    value = line.get(j, 0) + amount
    if value:
        line[j] = value
    else:
        line.pop(j, None)


def _subtract(line: Line, factor: Number, source: Line) -> None:
    """``line -= factor * source`` on sparse rows, dropping the zeros (the hot loop)."""
    get, pop = line.get, line.pop
    for k, a in source.items():
        value = get(k, 0) - factor * a
        if value:
            line[k] = value
        else:
            pop(k, None)


def _determined(cells: list[int], rows: list[tuple[int, ...]]) -> list[int]:
    """Cells of ``cells`` fixed by ``rows`` (total − parts = known) restricted to them.

    Reduced row echelon form over the rationals; a cell is determined exactly when a row of
    it has a single non-zero entry, in that cell's column.
    """
    pivots = _echelon(cells, rows)
    return sorted(cells[j] for j, line in pivots.items() if len(line) == 1)


def _echelon(cells: list[int], rows: list[tuple[int, ...]]) -> dict[int, Line]:
    """The reduced row echelon form of ``rows`` restricted to ``cells``: pivot -> its row."""
    column = {cell: j for j, cell in enumerate(cells)}
    pivots: dict[int, Line] = {}  # pivot column -> its normalised row
    for constraint in rows:
        line: Line = {}
        for position, cell in enumerate(constraint):
            j = column.get(cell)
            if j is not None:
                _add(line, j, 1 if position == 0 else -1)
        for j, pivot_line in pivots.items():  # reduce by the earlier pivots
            factor = line.get(j)
            if factor:
                _subtract(line, factor, pivot_line)
        if not line:
            continue
        j = min(line)
        scale = line[j]
        line = {k: _divide(a, scale) for k, a in line.items()}
        for other in pivots.values():  # keep the echelon form reduced
            factor = other.get(j)
            if factor:
                _subtract(other, factor, line)
        pivots[j] = line
    return pivots


def _kernel(pivots: Mapping[int, Line]) -> dict[int, Line]:
    """A basis of the moves that keep every constraint: one per free column, from the RREF.

    Raising free column ``f`` by one changes each pivot column ``j`` by ``-line_j[f]``.
    """
    kernel: dict[int, Line] = {}
    for j, line in pivots.items():
        for f, a in line.items():
            if f != j:
                kernel.setdefault(f, {f: 1})[j] = -a
    return kernel


IntLine = dict[int, int]
"""A sparse integer vector: column -> non-zero coefficient."""


def _integral(line: Line) -> IntLine:
    """``line`` scaled by a positive factor to coprime integers (the same direction)."""
    scale = math.lcm(*(a.denominator for a in line.values()))
    found = {j: int(a * scale) for j, a in line.items()}
    divisor = math.gcd(*found.values())
    return {j: a // divisor for j, a in found.items()}


def _reached(  # noqa: C901 - one simplex, told in order
    cells: list[int],
    pivots: Mapping[int, Line],
    values: Sequence[int],
    primaries: list[int],
    limit: int,
) -> tuple[set[int], set[int]]:
    """Primary cells that reach ``limit``, and those proven unable to, by a simplex from the truth.

    The true values are consistent with the publication, so they are a feasible starting
    point and no phase 1 is needed. The moves are the kernel of the echelon form (each keeps
    every constraint): free at first, then, each time a move is stopped by a cell falling
    to zero, that cell's own rise (an exact simplex pivot on a dictionary of moves). For each
    primary cell, the move that raises it most is taken until it reaches the limit (settled,
    with every other primary the point takes there), no move raises it (proven confined: its
    largest value is below the limit), or `_PIVOTS` pivots are spent (neither).

    All in integers: a move is a direction, kept as coprime integers; the point is integer
    numerators over one common denominator.
    """
    kernel = {f: _integral(move) for f, move in _kernel(pivots).items()}
    column = {cell: j for j, cell in enumerate(cells)}
    targets = [column[cell] for cell in primaries]
    settled: set[int] = set()
    confined: set[int] = set()
    for target in targets:
        if target in settled:
            continue
        point = [values[cell] for cell in cells]
        denominator = 1
        # label < 0: the free move of column -1 - label; label >= 0: the rise of that cell.
        moves: dict[int, IntLine] = {-1 - f: dict(move) for f, move in kernel.items()}
        for _ in range(_PIVOTS):
            found = _entering(moves, point, target)
            if found is None:
                confined.add(target)
                break
            label, sign, room, rate, leaving = found
            move = moves.pop(label)
            if leaving is None:  # unbounded: the cell can grow without limit
                settled.add(target)
                break
            # point += sign * (room / (denominator * rate)) * move, over a new denominator
            point = [x * rate for x in point]
            for j, a in move.items():
                point[j] += sign * room * a
            denominator *= rate
            divisor = math.gcd(denominator, *point)
            if divisor > 1:
                point = [x // divisor for x in point]
                denominator //= divisor
            rise = move if move[leaving] > 0 else {j: -a for j, a in move.items()}
            top = rise[leaving]
            for key, other in moves.items():
                factor = other.get(leaving)
                if factor:
                    moves[key] = _combined(other, top, factor, rise)
            moves[leaving] = rise
            settled.update(j for j in targets if point[j] >= limit * denominator)
            if target in settled:
                break
    return {cells[j] for j in settled}, {cells[j] for j in confined}


def _combined(other: IntLine, top: int, factor: int, rise: IntLine) -> IntLine:
    """``top * other - factor * rise`` (``top > 0``), zeros dropped, made coprime."""
    line = {j: top * a for j, a in other.items()}
    for j, a in rise.items():
        value = line.get(j, 0) - factor * a
        if value:
            line[j] = value
        else:
            line.pop(j, None)
    divisor = math.gcd(*line.values())
    if divisor > 1:
        line = {j: a // divisor for j, a in line.items()}
    return line


_PIVOTS = 200
"""Pivots spent on one primary cell before `_reached` gives up (then: masked around)."""


def _entering(
    moves: Mapping[int, IntLine], point: Sequence[int], target: int
) -> tuple[int, int, int, int, int | None] | None:
    """The move raising ``target`` most: (label, sign, room, rate, leaving cell), or None.

    A free move goes either way; a cell's rise only up. The step, ``room / rate`` times the
    point's denominator, is the largest keeping every cell non-negative (``leaving`` falls
    to zero; None: no cell does). Ties keep the first move and the lowest leaving column.
    When every improving move is blocked at once (a degenerate vertex), the first is taken.
    """
    best: tuple[int, int, int, int, int, int | None] | None = None  # gain as (num, den)
    for label, move in moves.items():
        a = move.get(target)
        if not a or (label >= 0 and a < 0):
            continue
        sign = 1 if a > 0 else -1
        room, rate, leaving = 0, 0, None
        for j, b in move.items():
            c = -b * sign
            if c > 0 and (
                leaving is None
                or point[j] * rate < room * c
                or (point[j] * rate == room * c and j < leaving)
            ):
                room, rate, leaving = point[j], c, j
        if leaving is None:
            return label, sign, 0, 1, None
        gain = room * a * sign
        if best is None or gain * best[1] > best[0] * rate:
            best = (gain, rate, label, sign, room, leaving)
    if best is None:
        return None
    _, rate, label, sign, room, leaving = best
    return label, sign, room, rate, leaving


class _Tableau:
    """A sparse simplex tableau over exact rationals: rows ``Σ a·x = rhs``, a basis, costs.

    The problems are network-like (each cell is in a few constraints), so rows are sparse
    dictionaries; Bland's rule (lowest index enters, ties leave by lowest basic index)
    guarantees termination.
    """

    def __init__(self, lines: list[Line], rhs: list[Number], basis: list[int]) -> None:
        self.lines = lines
        self.rhs = rhs
        self.basis = basis
        self.cost: Line = {}
        self.value: Number = 0

    def objective(self, weights: Line) -> None:
        """Maximise ``Σ weights·x``: reduced costs ``c_B·B⁻¹A − c`` and the current value."""
        cost: Line = {j: -w for j, w in weights.items()}
        value: Number = 0
        for i, b in enumerate(self.basis):
            w = weights.get(b)
            if w:
                _subtract(cost, -w, self.lines[i])
                value += w * self.rhs[i]
        self.cost = cost
        self.value = value

    def pivot(self, i: int, j: int) -> None:
        scale = self.lines[i][j]
        line = {k: _divide(a, scale) for k, a in self.lines[i].items()}
        rhs = _divide(self.rhs[i], scale)
        self.lines[i], self.rhs[i] = line, rhs
        for k, other in enumerate(self.lines):
            factor = other.get(j)
            if factor and k != i:
                _subtract(other, factor, line)
                self.rhs[k] -= factor * rhs
        factor = self.cost.get(j)
        if factor:
            _subtract(self.cost, factor, line)
            self.value -= factor * rhs
        self.basis[i] = j

    def maximise(self, columns: int, limit: Number | None = None) -> Number | None:
        """The largest value of the objective, or ``None`` when it is unbounded.

        With a ``limit``, stops at the first value found that reaches it, and does not even
        pivot along an edge whose far end reaches it (the tableau stays where it was).
        """
        while limit is None or self.value < limit:
            entering = min((j for j, a in self.cost.items() if a < 0 and j < columns), default=None)
            if entering is None:
                return self.value
            best: tuple[Number, int, int] | None = None
            for i, line in enumerate(self.lines):
                a = line.get(entering)
                if a is not None and a > 0:
                    key = (_divide(self.rhs[i], a), self.basis[i], i)
                    if best is None or key < best:
                        best = key
            if best is None:
                return None
            reached = self.value - self.cost[entering] * best[0]
            if limit is not None and reached >= limit:
                return reached
            self.pivot(best[2], entering)
        return self.value


class _Program:
    """The values consistent with a publication, restricted to one component.

    Variables are the masked cells (non-negative); each row reads
    ``total − Σ parts = 0`` with the published cells moved to the right-hand side. A
    basic feasible solution is found once (phase 1 of the simplex method, exact rational
    arithmetic), then primary cells are maximised in turn (phase 2), each from the vertex
    the previous one reached; a vertex where a primary cell already reaches the threshold
    settles it without pivoting.
    """

    def __init__(self, cells: list[int], rows: list[tuple[int, ...]], values: list[int]) -> None:
        self.column = {cell: j for j, cell in enumerate(cells)}
        self.n = n = len(cells)
        lines, rhs = self._rows(rows, values)
        # Phase 1: an artificial variable per row (columns n, n + 1, …), their sum minimised.
        m = len(lines)
        for i, line in enumerate(lines):
            line[n + i] = 1
        tableau = _Tableau(lines, rhs, list(range(n, n + m)))
        tableau.objective(dict.fromkeys(range(n, n + m), -1))
        tableau.maximise(n + m)
        if tableau.value != 0:  # pragma: no cover - the true values are a solution
            msg = "the constraints restricted to the masked cells have no solution"
            raise AssertionError(msg)
        # Drive the artificials left in the basis (at zero) out, or drop their redundant rows.
        keep = []
        tableau.cost = {}
        for i in range(m):
            if tableau.basis[i] >= n:
                j = min((j for j in tableau.lines[i] if j < n), default=None)
                if j is None:
                    continue
                tableau.pivot(i, j)
            keep.append(i)
        self.tableau = _Tableau(
            [{j: a for j, a in tableau.lines[i].items() if j < n} for i in keep],
            [tableau.rhs[i] for i in keep],
            [tableau.basis[i] for i in keep],
        )

    def _rows(
        self, rows: list[tuple[int, ...]], values: list[int]
    ) -> tuple[list[Line], list[Number]]:
        """The rows restricted to the masked cells, right-hand sides made non-negative."""
        lines: list[Line] = []
        rhs: list[Number] = []
        for row in rows:
            line: Line = {}
            known = 0
            for position, cell in enumerate(row):
                sign = 1 if position == 0 else -1
                j = self.column.get(cell)
                if j is None:
                    known -= sign * values[cell]
                else:
                    _add(line, j, sign)
            if not line:
                continue
            if known < 0:
                line, known = {j: -a for j, a in line.items()}, -known
            lines.append(line)
            rhs.append(known)
        return lines, rhs

    def reaches(self, cell: int, limit: int) -> bool:
        """Whether ``cell`` can take a value of at least ``limit`` (phase 2, stops early)."""
        tableau = self.tableau
        tableau.objective({self.column[cell]: 1})
        reached = tableau.maximise(self.n, limit)
        return reached is None or reached >= limit

    def confined(self, cells: list[int], limit: int) -> list[int]:
        """The cells of ``cells`` that cannot reach ``limit``."""
        found = []
        settled: set[int] = set()
        for cell in cells:
            if cell in settled:
                continue
            if not self.reaches(cell, limit):
                found.append(cell)
            vertex = dict(zip(self.tableau.basis, self.tableau.rhs, strict=True))
            settled.update(other for other in cells if vertex.get(self.column[other], 0) >= limit)
        return found


def suppress(
    values: Sequence[int],
    constraints: Sequence[Constraint],
    *,
    threshold: int = 11,
    mask_zero: bool = False,
) -> tuple[Mask | None, ...]:
    """Which cells to mask so that no small count can be read or recovered.

    Args:
        values: The counts, each an integer of at least 0.
        constraints: Additive relations ``(total, parts)`` between cells, by index:
            ``values[total] == sum(values[i] for i in parts)``. A cell may be in several
            constraints (hierarchies, multi-dimensional tables with margins).
        threshold: Counts ``0 < n < threshold`` are masked (primary suppression).
        mask_zero: Whether zero counts are masked too (they are published by default).

    Returns:
        One entry per value: `Mask.PRIMARY`, `Mask.SECONDARY` or ``None`` (published).

    Raises:
        FieldError: ``threshold`` is not an integer of at least 1.
        ValidationError: A value is not a count, an index is out of range, or a total is
            not the sum of its parts; each problem at its path (``$.values[2]``).

    Examples:
        A total of 40 split into 3, 17 and 20: the 3 is masked, and the 17 with it, since
        otherwise 40 − 17 − 20 gives the 3 back:

        >>> from microstructure.evaluation import suppress
        >>> [str(m) if m else "-" for m in suppress([40, 3, 17, 20], [(0, [1, 2, 3])])]
        ['-', 'primary', 'secondary', '-']
    """
    counts, rows = _checked(values, constraints, threshold, mask_zero)
    return _Suppression(counts, rows, threshold, mask_zero=mask_zero).run()


# -- disclose ---------------------------------------------------------------------------

_NATION = "FR"

Fact = tuple[str, str, str]
"""One filter behind a count: ``(dimension or column, operator, value)``."""


@attrs.frozen
class _Key:
    """What a protected count counts: the same key in two cells is the same number."""

    population: str
    facts: frozenset[Fact]
    column: str | None
    period: str
    level: Level
    unit: str

    def without(self, fact: Fact) -> _Key:
        return attrs.evolve(self, facts=self.facts - {fact})

    def at(self, level: Level, unit: str) -> _Key:
        return attrs.evolve(self, level=level, unit=unit)


_SINGLE = {d.column: d for d in Dimension if not d.multivalued and d is not Dimension.AGE_BAND}


def _facts(measure: Measure, cell: Cell, item: Indicator, *, split: bool) -> frozenset[Fact]:
    """The filters of ``measure`` in ``cell``: its conditions, the breakdown, the ``by``.

    An equality on the column of a single-valued dimension is the same filter as that
    dimension's category (``sex = female`` counts what the ``female`` category of a sex
    breakdown counts), so both are written as the category.
    """
    facts: set[Fact] = set()
    for condition in measure.where:
        dimension = _SINGLE.get(condition.column)
        if dimension is not None and condition.operator.value == "eq":
            facts.add((dimension.value, "category", str(condition.value)))
        else:
            facts.add((condition.column, condition.operator.value, repr(condition.value)))
    if cell.breakdown is not None and cell.category is not None:
        facts.add((cell.breakdown.value, "category", cell.category))
    if split and item.by is not None and cell.by is not None:
        facts.add((item.by.value, "category", cell.by))
    return frozenset(facts)


def _key(measure: Measure, cell: Cell, item: Indicator, *, split: bool) -> _Key:
    column = None if measure.aggregate.value == "count" else measure.column
    return _Key(
        measure.population.value,
        _facts(measure, cell, item, split=split),
        column,
        cell.period,
        cell.level,
        cell.unit,
    )


def _ancestors(
    teams: Network | NationalCoordination | None, table: Table
) -> Mapping[tuple[Level, str], Mapping[Level, str]]:
    """Each unit's unit at every level above it, from the team file (or the table alone)."""
    found: dict[tuple[Level, str], dict[Level, str]] = {}
    if teams is not None:
        networks = teams.networks if isinstance(teams, NationalCoordination) else (teams,)
        for network in networks:
            above = {Level.NETWORK: network.id, Level.REGION: network.region, Level.NATION: _NATION}
            for microstructure in network.microstructures:
                found.setdefault((Level.MICROSTRUCTURE, microstructure.id), above)
            found.setdefault(
                (Level.NETWORK, network.id), {Level.REGION: network.region, Level.NATION: _NATION}
            )
            found.setdefault((Level.REGION, network.region), {Level.NATION: _NATION})
        return found
    units: dict[Level, set[str]] = {}
    for cell in table.cells:
        units.setdefault(cell.level, set()).add(cell.unit)
    for level, names in units.items():
        for name in names:
            found[(level, name)] = {
                upper: next(iter(units[upper]))
                for upper in units
                if _RANK[upper] > _RANK[level] and len(units[upper]) == 1
            }
    return found


_RANK = {level: rank for rank, level in enumerate(Level)}


class _Problem:
    """The protected counts of a table as cells of `suppress`, and their constraints."""

    def __init__(self, table: Table, teams: Network | NationalCoordination | None) -> None:
        self.index: dict[_Key, int] = {}
        self.keys: list[_Key] = []
        self.values: list[int] = []
        self.protected: list[bool] = []
        self.cells: list[tuple[int | None, int | None]] = []
        items = {item.id: item for item in table.indicators}
        for cell in table.cells:
            item = items.get(cell.indicator)
            if item is None:
                raise FieldError(
                    cell.indicator, "an indicator of the table's indicators", field="cells"
                )
            numerator = self._variable(
                _key(item.numerator, cell, item, split=True), cell.count, item
            )
            denominator = None
            if item.denominator is not None and cell.denominator_count is not None:
                key = _key(item.denominator, cell, item, split=item.splits_denominator())
                denominator = self._variable(key, cell.denominator_count, item)
            self.cells.append((numerator, denominator))
        self.constraints = self._categories() + self._levels(table, teams)

    def _variable(self, key: _Key, value: int | None, item: Indicator) -> int | None:
        if value is None:
            return None
        found = self.index.get(key)
        if found is not None and self.values[found] != value:  # pragma: no cover - defensive
            found = None  # not the same number after all: keep them apart
            key = attrs.evolve(key, facts=key.facts | {("cell", "at", str(len(self.keys)))})
        if found is None:
            found = self.index[key] = len(self.keys)
            self.keys.append(key)
            self.values.append(value)
            self.protected.append(False)
        self.protected[found] |= item.disclosure
        return found

    def _holds(self, total: int, parts: Sequence[int]) -> bool:
        return bool(parts) and self.values[total] == sum(self.values[i] for i in parts)

    def _categories(self) -> list[tuple[int, list[int]]]:
        """Categories of a single-valued dimension add up to their total."""
        groups: dict[tuple[_Key, str], list[int]] = {}
        for i, key in enumerate(self.keys):
            for fact in key.facts:
                name, operator, _ = fact
                if operator == "category" and not Dimension(name).multivalued:
                    groups.setdefault((key.without(fact), name), []).append(i)
        found = []
        # Ordered by first part, then by dimension: a total order, so that the constraints
        # (and the masks) never depend on the iteration order of a frozenset of facts.
        for (total_key, _), parts in sorted(groups.items(), key=lambda g: (min(g[1]), g[0][1])):
            total = self.index.get(total_key)
            if total is not None and self._holds(total, parts):
                found.append((total, sorted(parts)))
        return found

    def _levels(
        self, table: Table, teams: Network | NationalCoordination | None
    ) -> list[tuple[int, list[int]]]:
        """Units of a level add up to their unit at the next level present above."""
        ancestors = _ancestors(teams, table)
        present = sorted({key.level for key in self.keys}, key=_RANK.__getitem__)
        found: list[tuple[int, list[int]]] = []
        for lower, upper in itertools.pairwise(present):
            groups: dict[_Key, list[int]] = {}
            for i, key in enumerate(self.keys):
                if key.level is not lower:
                    continue
                unit = ancestors.get((lower, key.unit), {}).get(upper)
                if unit is None:
                    if teams is None:
                        expected = f"the team file (teams=), to find the {upper.value} of each {lower.value}"
                        raise FieldError(None, expected, field="teams")
                    expected = f"a team file that holds the {lower.value} {key.unit!r}"
                    raise FieldError(type(teams).__name__, expected, field="teams")
                groups.setdefault(key.at(upper, unit), []).append(i)
            for total_key, parts in groups.items():
                total = self.index.get(total_key)
                if total is not None and self._holds(total, parts):
                    found.append((total, parts))
        return sorted(found)


def disclose(
    table: Table,
    *,
    threshold: int = 11,
    teams: Network | NationalCoordination | None = None,
) -> Table:
    """The table safe to publish: small counts masked, and what would give them back.

    The protected counts are the ``count`` and ``denominator_count`` of the indicators
    with ``disclosure = true``. A count is one number wherever it appears (the active
    file is also the denominator of several shares), and the table's structure gives
    the constraints of `suppress`: the categories of a single-valued breakdown or ``by``
    add up to their total, and the units of a level to their unit at the level above
    (from ``teams``). Masked cells keep their place, with ``mask`` set and ``None`` for
    ``count``, ``numerator``, ``denominator``, ``denominator_count`` and ``value``; a
    ratio, mean or median whose count or denominator count is masked is `Mask.DERIVED`.

    Args:
        table: Computed cells (`compute`).
        threshold: Counts ``0 < n < threshold`` are masked.
        teams: The team file the table was computed from; needed when the table has two
            levels below the nation with several units at the upper one.

    Returns:
        A new `Table`: the same cells, masked where needed.

    Raises:
        FieldError: ``table`` is not a `Table`, ``threshold`` not an integer of at least
            1, or ``teams`` is missing while needed.

    Examples:
        >>> from microstructure.evaluation import Cell, Level, Table, disclose, indicator
        >>> from microstructure.evaluation import ReportingPeriod
        >>> cells = [Cell(indicator="active-file", period="2026", level=Level.MICROSTRUCTURE,
        ...               unit=unit, numerator=float(n), value=float(n), count=n)
        ...          for unit, n in (("ms-a", 4), ("ms-b", 30), ("ms-c", 25))]
        >>> cells.append(Cell(indicator="active-file", period="2026", level=Level.NETWORK,
        ...                   unit="rms", numerator=59.0, value=59.0, count=59))
        >>> table = Table(cells=cells, indicators=[indicator("active-file")],
        ...               periods=[ReportingPeriod.year(2026)],
        ...               levels=[Level.MICROSTRUCTURE, Level.NETWORK])
        >>> [(c.unit, c.count, c.mask and str(c.mask)) for c in disclose(table).cells]
        [('ms-a', None, 'primary'), ('ms-b', 30, None), ('ms-c', None, 'secondary'), ('rms', 59, None)]
    """
    if not isinstance(table, Table):
        raise FieldError(type(table).__name__, "a Table (from compute)", field="table")
    if not _is_int(threshold) or threshold < 1:
        raise FieldError(threshold, "an integer of at least 1", field="threshold")
    if teams is not None and not isinstance(teams, Network | NationalCoordination):
        raise FieldError(type(teams).__name__, "a Network or a NationalCoordination", field="teams")
    problem = _Problem(table, teams)
    masks = _masks(problem, threshold)
    items = {item.id: item for item in table.indicators}
    cells = []
    for cell, (numerator, denominator) in zip(table.cells, problem.cells, strict=True):
        own = None if numerator is None else masks[numerator]
        other = None if denominator is None else masks[denominator]
        if own is not None and items[cell.indicator].disclosure:
            mask = own
        elif own is not None or other is not None:
            mask = Mask.DERIVED
        else:
            cells.append(cell)
            continue
        cells.append(
            attrs.evolve(
                cell,
                count=None,
                numerator=None,
                denominator=None,
                denominator_count=None,
                value=None,
                mask=mask,
            )
        )
    return attrs.evolve(table, cells=tuple(cells))


def _masks(problem: _Problem, threshold: int) -> list[Mask | None]:
    """`suppress` over the protected counts and every count related to them."""
    # Protection spreads along the constraints: a count related to a protected one could
    # give it back, so it is treated as protected too.
    parent = list(range(len(problem.values)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for total, parts in problem.constraints:
        for part in parts:
            parent[root(part)] = root(total)
    protected_roots = {root(i) for i, flag in enumerate(problem.protected) if flag}
    chosen = [i for i in range(len(problem.values)) if root(i) in protected_roots]
    position = {i: k for k, i in enumerate(chosen)}
    constraints = [
        (position[total], [position[part] for part in parts])
        for total, parts in problem.constraints
        if total in position
    ]
    found = suppress([problem.values[i] for i in chosen], constraints, threshold=threshold)
    masks: list[Mask | None] = [None] * len(problem.values)
    for i, mask in zip(chosen, found, strict=True):
        masks[i] = mask
    return masks
