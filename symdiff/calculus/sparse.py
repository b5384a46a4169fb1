"""Sparse Jacobians and Hessians: the pattern first, then only its entries.

``sparse_jacobian(fs, vars)`` finds the pattern by dependency propagation
(``symdiff.calculus.sparsity``), then runs one reverse sweep per output over only the
variables in its row, so a 10,000-state model costs O(nonzeros), not O(states**2).
``sparse_hessian(f, vars)`` sweeps the gradient once, then each gradient entry by the
variables of its upper-triangle row: each distinct second derivative is built once.

Rows (and the terms of a long sum ``f``) that repeat one formula are swept once per shape and
renamed for the others (``symdiff.calculus.reuse``; ``reuse=False`` sweeps each): the same
nodes, with the work per shape rather than per row.

Entries that come out as the symbolic 0 (a structural entry that cancelled) are dropped, so
``matrix.sparsity`` can be a subset of ``jacobian_sparsity``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from symdiff.calculus.reuse import Terms, is_long_sum, row_adjoints
from symdiff.calculus.reverse import Vector, adjoints, variables_of
from symdiff.calculus.sparsity import Sparsity, hessian_sparsity, jacobian_sparsity
from symdiff.core.hooks import HOOKS
from symdiff.core.nodes import ZERO, Expr, Sym
from symdiff.core.traverse import no_collection


class SparseMatrix:
    """A matrix of expressions stored by its nonzeros, in CSC order.

    ``rows``, ``cols`` and ``entries`` are parallel tuples (column by column, rows ascending);
    ``shape`` is ``(outputs, variables)``; ``variables`` the symbols of the columns.  A
    symmetric matrix (a Hessian) stores only its upper triangle (``row <= col``), each
    distinct entry once; ``full()`` gives both triangles.  ``matrix[i, j]`` is an entry (0
    off the pattern), ``to_dense()`` the rows as ``Vector``s, ``pattern`` the full structure
    as a ``scipy.sparse`` CSC matrix of ones (needs SciPy), ``sparsity`` the same without SciPy.
    """

    def __init__(
        self,
        shape: tuple[int, int],
        items: Sequence[tuple[int, int, Expr]],
        variables: Sequence[Sym],
        symmetric: bool = False,
    ) -> None:
        ordered = sorted(items, key=lambda item: (item[1], item[0]))
        self.shape = shape
        self.variables = tuple(variables)
        self.symmetric = symmetric
        self.rows = tuple(r for r, _, _ in ordered)
        self.cols = tuple(c for _, c, _ in ordered)
        self.entries = tuple(e for _, _, e in ordered)
        self._table = {(r, c): e for r, c, e in ordered}

    @property
    def nnz(self) -> int:
        """The number of stored entries (the upper triangle of a symmetric matrix)."""
        return len(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[tuple[int, int, Expr]]:
        return zip(self.rows, self.cols, self.entries, strict=True)

    def __getitem__(self, key: tuple[int, int]) -> Expr:
        i, j = key
        if self.symmetric and i > j:
            i, j = j, i
        if not (0 <= i < self.shape[0] and 0 <= j < self.shape[1]):
            raise IndexError(f"entry {key} outside a {self.shape[0]}x{self.shape[1]} matrix")
        return self._table.get((i, j), ZERO)

    def full(self) -> tuple[tuple[int, ...], tuple[int, ...], tuple[Expr, ...]]:
        """``(rows, cols, entries)`` of every nonzero in CSC order (mirrored if symmetric)."""
        if not self.symmetric:
            return self.rows, self.cols, self.entries
        items = [*self, *((c, r, e) for r, c, e in self if r != c)]
        items.sort(key=lambda item: (item[1], item[0]))
        return (
            tuple(r for r, _, _ in items),
            tuple(c for _, c, _ in items),
            tuple(e for _, _, e in items),
        )

    @property
    def sparsity(self) -> Sparsity:
        """The structure of every stored nonzero (both triangles if symmetric)."""
        rows, cols, _ = self.full()
        return Sparsity(self.shape, zip(rows, cols, strict=True))

    @property
    def pattern(self) -> Any:
        """The structure as a ``scipy.sparse`` CSC matrix of ones (``solve_ivp``'s
        ``jac_sparsity``); needs SciPy (``sparsity`` is the same without it)."""
        return self.sparsity.to_scipy("csc")

    def to_dense(self) -> tuple[Vector, ...]:
        """The rows as ``Vector``s, zeros filled in (the shape of ``symdiff.jacobian``)."""
        m, n = self.shape
        dense: list[list[Expr]] = [[ZERO] * n for _ in range(m)]
        for r, c, e in zip(*self.full(), strict=True):
            dense[r][c] = e
        return tuple(Vector(row, self.variables) for row in dense)

    def __repr__(self) -> str:
        kind = "symmetric " if self.symmetric else ""
        return f"<SparseMatrix {kind}{self.shape[0]}x{self.shape[1]}, {self.nnz} nonzeros>"

    def __str__(self) -> str:
        """One line per stored nonzero, ``[row, col] (d/dvar) = entry``, row by row."""
        lines = [repr(self)]
        for r, c, e in sorted(self):
            by = f"d/d{self.variables[c].name}"
            if self.symmetric:
                by = f"d/d{self.variables[r].name} {by}"
            lines.append(f"  [{r}, {c}] ({by}) = {e}")
        return "\n".join(lines)

    def to_latex(self) -> str:
        """The nonzeros as an aligned list ``J_{r,c} &= entry`` (LaTeX, one per line)."""
        name = "H" if self.symmetric else "J"
        lines = [f"{name}_{{{r},{c}}} &= {HOOKS.to_latex(e)}" for r, c, e in sorted(self)]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def _repr_latex_(self) -> str:
        return f"$$ {self.to_latex()} $$"


def sparse_jacobian(fs: Sequence[Expr], vars: Any = None, *, reuse: bool = True) -> SparseMatrix:
    """The Jacobian of ``fs`` by ``vars`` (default: all free symbols) as a ``SparseMatrix``.

    With ``reuse`` (the default) rows of one shape are differentiated once
    (``symdiff.calculus.reuse``); ``reuse=False`` sweeps every row: the same nodes."""
    with no_collection():  # the pattern, the sweeps and the matrix: acyclic objects only
        variables = variables_of(vars, *fs)
        pattern = jacobian_sparsity(fs, variables)
        by_row: list[list[int]] = [[] for _ in fs]
        for r, c in pattern:
            by_row[r].append(c)
        items: list[tuple[int, int, Expr]] = []
        rows = [(f, [variables[c] for c in cols]) for f, cols in zip(fs, by_row, strict=True)]
        tables = row_adjoints(rows) if reuse else [adjoints(*row) for row in rows]
        for r, (table, cols) in enumerate(zip(tables, by_row, strict=True)):
            for c in cols:
                entry = table.get(variables[c], ZERO)
                if entry is not ZERO:
                    items.append((r, c, entry))
        return SparseMatrix((len(fs), len(variables)), items, variables)


def sparse_hessian(f: Expr, vars: Any = None, *, reuse: bool = True) -> SparseMatrix:
    """The Hessian of ``f`` as a symmetric ``SparseMatrix`` (upper triangle stored); ``reuse``
    as in ``sparse_jacobian`` (also for the terms of a long sum in the gradient sweep)."""
    with no_collection():  # the pattern, the sweeps and the matrix: acyclic objects only
        variables = variables_of(vars, f)
        n = len(variables)
        terms = Terms(f, variables) if reuse and is_long_sum(f) else None
        entries = None if terms is None else terms.hessian()
        if entries is not None:  # from the terms' templates: no gradient rows swept
            ordered_items = [(r, c, e) for (r, c), e in sorted(entries.items())]
            return SparseMatrix((n, n), ordered_items, variables, symmetric=True)
        upper: list[list[int]] = [[] for _ in variables]
        if terms is None:
            for r, c in hessian_sparsity(f, variables):
                if r <= c:
                    upper[r].append(c)
        else:  # the same pattern, from the terms' templates
            for r, cols in terms.hessian_rows().items():
                upper[r] = sorted(c for c in cols if c >= r)
        items: list[tuple[int, int, Expr]] = []
        wrt = [variables[r] for r, cols in enumerate(upper) if cols]
        gradient = adjoints(f, wrt) if terms is None else terms.adjoints()
        kept = [r for r, cols in enumerate(upper) if cols and variables[r] in gradient]
        rows = [(gradient[variables[r]], [variables[c] for c in upper[r]]) for r in kept]
        known = None if terms is None else terms.shapes
        tables = row_adjoints(rows, known) if reuse else [adjoints(*row) for row in rows]
        for r, table in zip(kept, tables, strict=True):
            for c in upper[r]:
                entry = table.get(variables[c], ZERO)
                if entry is not ZERO:
                    items.append((r, c, entry))
        return SparseMatrix((n, n), items, variables, symmetric=True)
