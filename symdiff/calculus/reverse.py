"""Gradients, Jacobians and Hessians by one symbolic reverse sweep over the expression DAG.

The sweep is autograd's ``backward_pass`` done symbolically: walk the nodes of ``f`` parents
first, give each node the sum of the contributions its parents sent it (its *adjoint*), and send
each child ``adjoint * d node / d child``.  Every node is visited once and the partials are local,
so the gradient is one shared DAG a small constant times the size of ``f`` (the cheap gradient
principle), whatever the number of variables.

>>> from symdiff import parse
>>> [str(g) for g in gradient(parse("x**2*y + y"))]
['2*x*y', 'x**2 + 1']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from symdiff.calculus.forward import _as_symbol
from symdiff.calculus.occurrences import replace_occurrences
from symdiff.calculus.partials import local_partials
from symdiff.core.constructors import add, mul
from symdiff.core.errors import SymdiffError
from symdiff.core.hooks import HOOKS
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, ZERO, Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import collection_paused, free_symbols, postorder, substitute

#: Functions whose derivative is zero everywhere: the sweep never looks beneath them.
_NO_GRADIENT = frozenset({"stop_gradient"})


class Vector(tuple[Expr, ...]):
    """A tuple of expressions that share one DAG, with the variables they belong to.

    ``vector.variables[i]`` is the symbol of entry ``i``; ``vector.as_dict()`` maps names to
    entries.
    """

    variables: tuple[Sym, ...]

    def __new__(cls, entries: Iterable[Expr], variables: Iterable[Sym]) -> Vector:
        vector = super().__new__(cls, entries)
        vector.variables = tuple(variables)
        return vector

    def as_dict(self) -> dict[str, Expr]:
        """``{"x": df/dx, ...}`` in variable order."""
        return {v.name: e for v, e in zip(self.variables, self, strict=True)}

    def __repr__(self) -> str:
        entries = ", ".join(f"{v.name}: {e}" for v, e in zip(self.variables, self, strict=True))
        return f"Vector({entries})"

    def _repr_latex_(self) -> str:
        """A column (``pmatrix``) for Jupyter."""
        rows = " \\\\ ".join(HOOKS.to_latex(e) for e in self)
        return f"$\\displaystyle \\begin{{pmatrix}} {rows} \\end{{pmatrix}}$"


class Matrix(tuple[Vector, ...]):
    """The rows of a Jacobian or Hessian (each a ``Vector``), displayed as a matrix."""

    def __repr__(self) -> str:
        rows = ",\n ".join("[" + ", ".join(str(e) for e in row) + "]" for row in self)
        variables = ", ".join(v.name for v in self[0].variables) if self else ""
        return f"Matrix([{rows}], variables=({variables}))"

    def _repr_latex_(self) -> str:
        """A ``pmatrix`` for Jupyter."""
        rows = " \\\\ ".join(" & ".join(HOOKS.to_latex(e) for e in row) for row in self)
        return f"$\\displaystyle \\begin{{pmatrix}} {rows} \\end{{pmatrix}}$"


def variables_of(vars: Any, *roots: Expr) -> tuple[Sym, ...]:
    """The symbols named by ``vars`` ("x y", "x, y", names or symbols), or the free symbols."""
    if vars is None:
        return free_symbols(*roots)
    if isinstance(vars, str):
        vars = vars.replace(",", " ").split()
    elif isinstance(vars, Sym):
        vars = [vars]
    return tuple(_as_symbol(v) for v in vars)


def _active(nodes: list[Expr], wanted: set[Sym]) -> set[Expr]:
    """Nodes through which some wanted symbol can reach the root (stop_gradient blocks it)."""
    active: set[Expr] = set()
    for node in nodes:
        if node in wanted:
            active.add(node)
        elif isinstance(node, Call) and node.name in _NO_GRADIENT:
            continue
        elif not active.isdisjoint(node.args):
            active.add(node)
    return active


def _local_partials(node: Expr, active: set[Expr]) -> Iterable[tuple[Expr, Expr]]:
    """``(child, d node / d child)`` for each active argument (``atan2(x, x)`` gives x twice)."""
    wanted = [child in active for child in node.args]
    for child, partial, w in zip(node.args, local_partials(node, wanted), wanted, strict=True):
        if w:
            yield child, partial


# A contribution not yet multiplied out is a pair ``(factor, rest)``: ``factor * rest``, where
# ``rest`` is an expression or another pair (a plain tuple: no expression is one, and it is
# cheaper to make than a named tuple).
#
# A canonical product is flat, so multiplying an adjoint that is already a product by one more
# partial copies all its factors; along a chain of single-parent nodes (``sin(sin(...))``) that
# would cost O(depth**2).  Chains of pending factors are multiplied out once, where
# contributions meet (a sum) or at a variable.
Contribution = Expr | tuple[Expr, "Contribution"]


def multiply_out(item: Contribution) -> Expr:
    if type(item) is not tuple:
        return item  # type: ignore[return-value]
    factors: list[Expr] = []
    while type(item) is tuple:
        factor, item = item
        factors.append(factor)
    if item is ONE:  # the seed: a factor 1 changes no product
        return factors[0] if len(factors) == 1 else mul(*factors)
    return mul(item, *factors)


@collection_paused
def adjoints(f: Expr, variables: Iterable[Sym], seed: Expr = ONE) -> dict[Sym, Expr]:
    """``d f / d v`` for each of ``variables`` that ``f`` depends on, by one reverse sweep.

    Each node's adjoint is the n-ary sum of the contributions its parents sent it; a child gets
    ``adjoint * d node / d child``, and a contribution whose partial is the symbolic zero is
    never built.
    """
    return finish(sweep([f], set(variables), seed))


def finish(parts: dict[Sym, list[Contribution]]) -> dict[Sym, Expr]:
    """Each variable's adjoint from the contributions ``sweep`` collected for it."""
    result: dict[Sym, Expr] = {}
    for symbol, found in parts.items():
        adjoint = found[0] if len(found) == 1 else add(*map(multiply_out, found))
        if adjoint is not ZERO:
            result[symbol] = multiply_out(adjoint)
    return result


def sweep(
    roots: Sequence[Expr], wanted: set[Sym], seed: Expr = ONE
) -> dict[Sym, list[Contribution]]:
    """The contributions that reach each wanted symbol in one reverse sweep from ``roots``
    (distinct; each seeded with ``seed``): the sweep of ``adjoints`` before the last sums."""
    nodes = postorder(*roots)
    active = _active(nodes, wanted)
    contributions: dict[Expr, list[Contribution]] = {r: [seed] for r in roots if r in active}
    result: dict[Sym, list[Contribution]] = {}
    for node in reversed(nodes):
        parts = contributions.pop(node, None) if node in active else None
        if not parts:
            continue
        if node in wanted:
            result[node] = parts
            continue
        adjoint = parts[0] if len(parts) == 1 else add(*map(multiply_out, parts))
        if adjoint is ZERO:
            continue
        if type(node) is Add:  # every partial of a sum is 1: the adjoint itself goes on
            for child in node.args:
                if child in active:
                    found = contributions.get(child)
                    if found is None:
                        contributions[child] = [adjoint]
                    else:
                        found.append(adjoint)
            continue
        for child, partial in _local_partials(node, active):
            if partial is not ZERO:
                contribution = adjoint if partial is ONE else (partial, adjoint)
                contributions.setdefault(child, []).append(contribution)
    return result


def gradient(f: Expr, vars: Any = None) -> Vector:
    """``(df/dv for v in vars)`` as one shared DAG; ``vars`` defaults to the free symbols.

    ``gradient(x*y + sin(x), "x y")`` -> ``(y + cos(x), x)``.
    """
    variables = variables_of(vars, f)
    table = adjoints(f, variables)
    return Vector((table.get(v, ZERO) for v in variables), variables)


def jacobian(fs: Sequence[Expr], vars: Any = None) -> Matrix:
    """Rows ``gradient(f_k, vars)``; ``vars`` defaults to the free symbols of all ``fs``."""
    variables = variables_of(vars, *fs)
    return Matrix(gradient(f, variables) for f in fs)


def hessian(f: Expr, vars: Any = None) -> Matrix:
    """The symmetric matrix of second derivatives; each distinct entry is built once.

    Row ``i`` of the upper triangle is one reverse sweep over ``df/dv_i`` with respect to
    ``v_i, v_{i+1}, ...``; the lower triangle is the same nodes, mirrored.
    """
    variables = variables_of(vars, f)
    first = gradient(f, variables)
    n = len(variables)
    matrix: list[list[Expr]] = [[ZERO] * n for _ in range(n)]
    for i, g in enumerate(first):
        table = adjoints(g, variables[i:])
        for j in range(i, n):
            matrix[i][j] = matrix[j][i] = table.get(variables[j], ZERO)
    return Matrix(Vector(row, variables) for row in matrix)


def fresh_symbol(*roots: Expr, stem: str = "adjoint") -> Sym:
    """A symbol that occurs in none of ``roots`` (``adjoint``, ``adjoint_1``, ...)."""
    taken = {s.name for s in free_symbols(*roots)}
    name, index = stem, 0
    while name in taken:
        index += 1
        name = f"{stem}_{index}"
    return Sym(name)


def with_symbol_for(f: Expr, node: Expr, symbol: Sym | None = None) -> tuple[Expr, Sym]:
    """``f`` with a fresh symbol in place of every occurrence of the sub-expression ``node``.

    Occurrences absorbed by flattening count (``b = p*n; c = b*t`` holds ``b``, see
    ``symdiff.calculus.occurrences``); a ``node`` that does not occur in ``f`` is an error, not
    a silent 0.
    """
    symbol = fresh_symbol(f, node) if symbol is None else symbol
    replaced, found = replace_occurrences(f, node, symbol)
    if not found:
        raise SymdiffError(
            f"{_short(node)} does not occur in {_short(f)}: if f does not use it its adjoint "
            "is 0; if f was built from it, the constructors rewrote it (exp(u)**2 is exp(2*u))"
        )
    return replaced, symbol


def grad_of(f: Expr, nodes: Iterable[Expr]) -> tuple[Expr, ...]:
    """The adjoint ``d f / d w`` of each sub-expression ``w`` of ``nodes``, as expressions.

    ``nodes`` are expressions built on the way to ``f``, not only symbols: with
    ``b = p*n; c = b*t``, ``grad_of(c, [b, p])`` is ``(t, n*t)``.  Like ``b.grad`` in
    micrograd, it is the derivative along every use of ``b`` in ``f``, with the inputs that
    are not computed from ``b`` held fixed.  Each is ``f`` differentiated by a fresh symbol put
    in place of ``w`` (also where flattening absorbed ``w`` into a larger sum or product), then
    ``w`` put back.
    """
    result = []
    for node in nodes:
        replaced, symbol = with_symbol_for(f, node)
        derivative = adjoints(replaced, [symbol]).get(symbol, ZERO)
        result.append(substitute(derivative, {symbol: node}))
    return tuple(result)


def _short(node: Expr, limit: int = 60) -> str:
    text = str(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def count_operations(*roots: Expr) -> int:
    """Binary operations needed to evaluate ``roots`` with sharing (each DAG node once).

    An n-ary sum or product counts ``n - 1``, a power or function call counts 1; symbols and
    numbers are free.  This is the size of the CSE form, the measure of the cheap gradient.
    """
    total = 0
    for node in postorder(*roots):
        match node:
            case Add() | Mul():
                total += len(node.args) - 1
            case Pow() | Call():
                total += 1
            case Num() | Sym():
                pass
    return total
