"""Sparsity patterns of Jacobians and Hessians, found without differentiating.

Which inputs can an output depend on?  One bottom-up walk over the DAG answers it for every
node at once: a symbol depends on itself, any other node on the union of its arguments' sets
(arguments whose partial is identically 0, like that of ``sign``, are skipped).  Shared nodes
are visited once and sets are shared between a node and its single-argument parents, so the
pattern of a 50,000-state network is a linear walk.

The Hessian pattern is the nonlinear-interaction rule: every node whose adjoint is not
identically 0 adds ``D(u) x D(w)`` for each pair of its arguments ``(u, w)`` whose second
partial is not identically 0 (both factors of a product, the base of a power with itself, the
argument of a nonlinear function with itself).  The pattern is structural: it may keep an
entry that cancels numerically, never misses one that does not.

>>> from symdiff import parse
>>> jacobian_sparsity([parse("x*y"), parse("sin(z)")], "x y z").pairs()
[(0, 0), (0, 1), (1, 2)]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from symdiff.calculus.forward import derivative_wrt
from symdiff.calculus.reverse import variables_of
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ZERO, Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import no_collection
from symdiff.core.vocabulary import FUNCTIONS

Deps = frozenset[int]
_EMPTY: Deps = frozenset()


class Sparsity:
    """Which entries of a ``shape`` matrix may be nonzero: ``(rows[k], cols[k])`` in CSC order
    (column by column, rows ascending in each column), each pair once.

    ``to_scipy()`` is a ``scipy.sparse`` matrix of ones (what ``solve_ivp(jac_sparsity=...)``
    and ``minimize`` take); ``to_lists()`` the dense 0/1 matrix; ``str()`` a picture.
    """

    __slots__ = ("cols", "rows", "shape")

    def __init__(self, shape: tuple[int, int], pairs: Iterable[tuple[int, int]]) -> None:
        m, n = shape
        columns: list[set[int]] = [set() for _ in range(n)]
        for r, c in pairs:
            if not (0 <= r < m and 0 <= c < n):
                raise ValueError(f"entry ({r}, {c}) outside a {m}x{n} matrix")
            columns[c].add(r)
        self.shape = (m, n)
        self.rows = tuple(r for column in columns for r in sorted(column))
        self.cols = tuple(c for c, column in enumerate(columns) for _ in column)

    @property
    def nnz(self) -> int:
        """The number of structurally nonzero entries."""
        return len(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.rows, self.cols, strict=True)

    def pairs(self) -> list[tuple[int, int]]:
        """``[(row, col), ...]`` sorted by row, then column."""
        return sorted(self)

    def __contains__(self, entry: object) -> bool:
        return entry in set(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sparsity):
            return NotImplemented
        return (self.shape, self.rows, self.cols) == (other.shape, other.rows, other.cols)

    def __hash__(self) -> int:
        return hash((self.shape, self.rows, self.cols))

    def indptr(self) -> list[int]:
        """CSC column pointers: the entries of column ``j`` are ``indptr[j]:indptr[j+1]``."""
        pointers = [0] * (self.shape[1] + 1)
        for c in self.cols:
            pointers[c + 1] += 1
        for j in range(self.shape[1]):
            pointers[j + 1] += pointers[j]
        return pointers

    def to_lists(self) -> list[list[int]]:
        """The dense 0/1 matrix as nested lists."""
        dense = [[0] * self.shape[1] for _ in range(self.shape[0])]
        for r, c in self:
            dense[r][c] = 1
        return dense

    def to_scipy(self, format: str = "csc") -> Any:
        """A ``scipy.sparse`` matrix with a 1 at each entry (``format``: csc, csr, coo)."""
        import numpy as np
        import scipy.sparse as sp  # type: ignore[import-untyped]

        ones = np.ones(self.nnz)
        matrix = sp.csc_matrix((ones, list(self.rows), self.indptr()), shape=self.shape)
        return matrix.asformat(format)

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        import numpy as np

        return np.array(self.to_lists(), dtype=dtype or np.int8)

    def __repr__(self) -> str:
        m, n = self.shape
        return f"<Sparsity {m}x{n}, {self.nnz} nonzeros>"

    def __str__(self) -> str:
        """One line per row, ``*`` for a possible nonzero (a summary beyond 60 columns)."""
        if self.shape[1] > 60 or self.shape[0] > 60:
            return repr(self)
        return "\n".join("".join("*" if v else "." for v in row) for row in self.to_lists())


def _placeholders(count: int) -> tuple[Sym, ...]:
    return tuple(Sym(f"_sparsity_arg{i}") for i in range(count))


@cache
def _first_order(name: str) -> tuple[bool, ...]:
    """For each argument of the function ``name``: is its partial not identically 0?"""
    args = _placeholders(FUNCTIONS[name].arity)
    return tuple(rule(*args) is not ZERO for rule in FUNCTIONS[name].partials)


@cache
def _second_order(name: str) -> tuple[tuple[int, int], ...]:
    """Argument pairs ``(i, j)``, ``i <= j``, whose second partial is not identically 0."""
    args = _placeholders(FUNCTIONS[name].arity)
    pairs = []
    for i, rule in enumerate(FUNCTIONS[name].partials):
        first = rule(*args)
        for j in range(i, len(args)):
            if first is not ZERO and derivative_wrt(first, args[j]) is not ZERO:
                pairs.append((i, j))
    return tuple(pairs)


def _live_args(node: Expr) -> Sequence[Expr]:
    """The arguments of ``node`` whose partial is not identically 0."""
    if isinstance(node, Call):
        return [a for a, w in zip(node.args, _first_order(node.name), strict=True) if w]
    if isinstance(node, Pow) and node.base is ZERO:
        return node.args[:1]
    return node.args


def _union(sets: list[Deps]) -> Deps:
    first = _EMPTY
    rest: list[Deps] = []
    for s in sets:
        if not s or s is first:
            continue
        if first:
            rest.append(s)
        else:
            first = s
    return first.union(*rest) if rest else first


def _dependencies(roots: Sequence[Expr], index: dict[Sym, int]) -> dict[Expr, Deps]:
    """``D(node)``: the indices of the variables each node depends on, for every node under
    ``roots`` (one iterative bottom-up walk, each shared node once); keys are in postorder."""
    deps: dict[Expr, Deps] = {}
    stack = list(reversed(roots))
    get = deps.get
    while stack:
        node = stack[-1]
        if node in deps:
            stack.pop()
            continue
        args = node.args
        if not args:
            stack.pop()
            i = index.get(node) if type(node) is Sym else None
            deps[node] = _EMPTY if i is None else frozenset((i,))
            continue
        sets = [get(a) for a in args]
        if None in sets:
            stack.extend(a for a, s in zip(args, sets, strict=True) if s is None)
            continue
        stack.pop()
        if type(node) is Call or (type(node) is Pow and node.args[0] is ZERO):
            sets = [deps[a] for a in _live_args(node)]
        deps[node] = _union(sets)  # type: ignore[arg-type]
    return deps


def _index(variables: Sequence[Sym]) -> dict[Sym, int]:
    index = {v: i for i, v in enumerate(variables)}
    if len(index) != len(variables):
        raise ValueError("a variable is named twice")
    return index


def jacobian_sparsity(fs: Sequence[Expr], vars: Any = None) -> Sparsity:
    """The structural pattern of the Jacobian of ``fs`` by ``vars`` (default: free symbols)."""
    variables = variables_of(vars, *fs)
    with no_collection():
        deps = _dependencies(fs, _index(variables))
    pairs = [(k, j) for k, f in enumerate(fs) for j in deps[f]]
    return Sparsity((len(fs), len(variables)), pairs)


def _nonlinear_pairs(node: Expr) -> Iterable[tuple[Expr, Expr]]:
    """Argument pairs of ``node`` whose second partial is not identically 0."""
    args = node.args
    match node:
        case Add():
            return ()
        case Mul():
            return ((a, b) for i, a in enumerate(args) for b in args[i + 1 :])
        case Pow():
            base, exponent = args
            if isinstance(exponent, Num):
                return () if exponent.value in (0, 1) else ((base, base),)
            return ((base, base), (base, exponent), (exponent, exponent))
        case Call(name):
            return ((args[i], args[j]) for i, j in _second_order(name))
    return ()


def _live_nodes(roots: Sequence[Expr], nodes: list[Expr]) -> list[Expr]:
    """The nodes whose adjoint in ``roots`` is not identically 0 (reached along live edges)."""
    live = set(roots)
    for node in reversed(nodes):
        if node in live:
            live.update(_live_args(node))
    return [node for node in nodes if node in live]


def hessian_sparsity(f: Expr, vars: Any = None) -> Sparsity:
    """The structural pattern of the (symmetric) Hessian of ``f``, both triangles."""
    variables = variables_of(vars, f)
    n = len(variables)
    rows = hessian_rows([f], variables)
    return Sparsity((n, n), ((i, j) for i, cols in rows.items() for j in cols))


def hessian_rows(roots: Sequence[Expr], variables: Sequence[Sym]) -> dict[int, set[int]]:
    """The pattern of the Hessian of the sum of ``roots`` (the union of theirs: a sum is
    linear), as the columns of each row."""
    with no_collection():
        deps = _dependencies(roots, _index(variables))
    nodes = list(deps)
    rows: dict[int, set[int]] = {}
    done: set[tuple[int, int]] = set()
    for node in _live_nodes(roots, nodes):
        for a, b in _nonlinear_pairs(node):
            left, right = deps[a], deps[b]
            if not left or not right or (id(left), id(right)) in done:
                continue
            done.add((id(left), id(right)))
            for i in left:
                rows.setdefault(i, set()).update(right)
            for j in right:
                rows.setdefault(j, set()).update(left)
    return rows
