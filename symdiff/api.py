"""The public face: text is parsed here, once; the layers below take expressions.

Options that compose layers are composed here too (``diff(..., simplify=True)`` runs the
simplifier on the derivative).  ``Expr.diff`` is this ``diff`` (registered by ``symdiff``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, overload

from symdiff.calculus import forward, products, reverse, sparsity
from symdiff.calculus import sparse as sparse_module
from symdiff.calculus.reverse import Vector
from symdiff.calculus.sparse import SparseMatrix
from symdiff.calculus.sparsity import Sparsity
from symdiff.core.nodes import Expr
from symdiff.formats.formula_lists import split_formulas
from symdiff.formats.parser import parse_any
from symdiff.rewrite import engine


def diff(
    expr: Any, *variables: Any, simplify: bool | str = False, max_terms: int = forward.MAX_TERMS
) -> Expr:
    """Derivative of ``expr`` with respect to each of ``variables`` in turn.

    ``diff(f, "x")``, ``diff(f, x, y)`` (mixed partial), ``diff(f, ("x", 3))`` (third order).
    With no variable, ``expr`` must have exactly one free symbol.  ``simplify=True`` runs
    ``symdiff.simplify`` on the result (``simplify="compact"``: with ``goal="compact"``).
    High orders reuse the lower ones and stop at a
    derivative that is 0 (``diff("x**5", ("x", 10**8))`` is instant); a result that would need
    more than about ``max_terms`` terms raises ``DerivativeTooLargeError``, which says what to
    do instead (``symdiff.derivative_at`` gives its value at a point).
    """
    result = forward.diff(parse_any(expr), *variables, max_terms=max_terms)
    if not simplify:
        return result
    return engine.simplify(result, goal=simplify if isinstance(simplify, str) else "readable")


derivative = diff


def simplify(
    expr: Any,
    *,
    assume_positive: Iterable[str] = (),
    budget: int | None = None,
    goal: str = "readable",
) -> Expr:
    """A smaller equivalent of ``expr`` (sound on the real domain), for people by default.

    ``assume_positive=("x", "y")`` (or ``"x y"``) also allows rewrites valid only for positive
    symbols, e.g. ``sqrt(x**2) -> x`` and ``log(x*y) -> log(x) + log(y)``.  ``budget`` caps the
    rule attempts (default proportional to the size of ``expr``).

    ``goal="readable"`` (the default) is the textbook face: expanded polynomials
    (``5*x**4 + 4*x**3 + 1``), squared bases with a positive leading term (``(x - 1)**2``).
    ``goal="compact"`` is the form with the fewest operations (Horner nesting), never costlier
    than ``expr``: what code generation and the size benchmarks use.

    >>> str(simplify("sin(x)**2 + cos(x)**2"))
    '1'
    """
    return engine.simplify(
        parse_any(expr), assume_positive=assume_positive, budget=budget, goal=goal
    )


def gradient(f: Any, vars: Any = None) -> Vector:
    """``(df/dv for v in vars)`` as one shared DAG; ``vars`` defaults to the free symbols.

    ``gradient("x*y + sin(x)", "x y")`` -> ``(y + cos(x), x)``.
    """
    if isinstance(f, tuple | list):
        raise TypeError("gradient takes one expression; for several, use jacobian(fs, vars)")
    return reverse.gradient(parse_any(f), vars)


def grad_of(f: Any, wrt: Any) -> tuple[Expr, ...]:
    """The adjoint ``d f / d w`` of each sub-expression ``w`` of ``wrt`` that was built on the
    way to ``f`` (``b = p*n; c = b*t``: ``grad_of(c, [b])`` is ``(t,)``), also where flattening
    absorbed it into a larger sum or product.  ``wrt`` is one expression or a sequence.

    This is ``b.grad`` of micrograd: the derivative along every use of ``b`` in ``f``, the
    inputs not computed from ``b`` held fixed.  At a point: ``reverse_sweep(...).adjoint_of``.
    """
    nodes = [wrt] if isinstance(wrt, Expr | str) else list(wrt)
    return reverse.grad_of(parse_any(f), [parse_any(node) for node in nodes])


def adjoint_of(f: Any, node: Any) -> Expr:
    """``d f / d node`` for one sub-expression ``node`` of ``f`` (see ``grad_of``)."""
    return grad_of(f, [node])[0]


def outputs_of(fs: Any) -> list[Expr]:
    """A list of expressions from a sequence, one expression, or ``"x*y, x + y**2"``."""
    if isinstance(fs, str):
        fs = split_formulas(fs)
    elif isinstance(fs, Expr):
        fs = [fs]
    return [parse_any(f) for f in fs]


@overload
def jacobian(
    fs: Any, vars: Any = None, *, sparse: Literal[False] = False
) -> tuple[Vector, ...]: ...
@overload
def jacobian(fs: Any, vars: Any = None, *, sparse: Literal[True]) -> SparseMatrix: ...
def jacobian(fs: Any, vars: Any = None, *, sparse: bool = False) -> Any:
    """Rows ``gradient(f_k, vars)``; ``vars`` defaults to the free symbols of all ``fs``.

    ``fs`` is a sequence of expressions or a comma-separated string ``"x*y, x + y**2"``.
    ``sparse=True`` returns a ``SparseMatrix``: only the nonzeros, found from the dependency
    pattern first (``J.rows``, ``J.cols``, ``J.entries`` in CSC order; ``J.pattern`` is
    ``solve_ivp``'s ``jac_sparsity``; ``J.to_dense()`` is the dense answer).
    """
    outputs = outputs_of(fs)
    if sparse:
        return sparse_module.sparse_jacobian(outputs, vars)
    return reverse.jacobian(outputs, vars)


@overload
def hessian(f: Any, vars: Any = None, *, sparse: Literal[False] = False) -> tuple[Vector, ...]: ...
@overload
def hessian(f: Any, vars: Any = None, *, sparse: Literal[True]) -> SparseMatrix: ...
def hessian(f: Any, vars: Any = None, *, sparse: bool = False) -> Any:
    """The symmetric matrix of second derivatives; each distinct entry is built once.

    Row ``i`` of the upper triangle is one reverse sweep over ``df/dv_i`` with respect to
    ``v_i, v_{i+1}, ...``; the lower triangle is the same nodes, mirrored.  ``sparse=True``
    returns a symmetric ``SparseMatrix`` storing the upper-triangle nonzeros once.
    """
    if sparse:
        return sparse_module.sparse_hessian(parse_any(f), vars)
    return reverse.hessian(parse_any(f), vars)


def jacobian_sparsity(fs: Any, vars: Any = None) -> Sparsity:
    """Which Jacobian entries may be nonzero, by dependency propagation (no derivative built)."""
    return sparsity.jacobian_sparsity(outputs_of(fs), vars)


def hessian_sparsity(f: Any, vars: Any = None) -> Sparsity:
    """Which Hessian entries may be nonzero (both triangles), without differentiating."""
    return sparsity.hessian_sparsity(parse_any(f), vars)


def hvp(f: Any, vars: Any, vs: Any) -> Vector:
    """``H v``: the Hessian of ``f`` by ``vars`` times the vector ``vs`` (expressions or
    names, ``"v1 v2"``), as expressions, without building ``H``."""
    return products.hvp(parse_any(f), vars, vs)


def jvp_expr(fs: Any, vars: Any, vs: Any) -> Vector:
    """``J v`` as expressions, one per output (``symdiff.jvp`` is its value at a point)."""
    return products.jvp_expr(outputs_of(fs), vars, vs)


def vjp_expr(fs: Any, vars: Any, ws: Any) -> Vector:
    """``w^T J`` as expressions, one per variable (``symdiff.vjp`` is its value at a point)."""
    return products.vjp_expr(outputs_of(fs), vars, ws)
