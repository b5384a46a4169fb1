"""The public face of the reverse sweep: gradients, Jacobians, Hessians, their sparsity
patterns and products with vectors.  Text is parsed here, once (a module apart from
``symdiff.api`` so that a single derivative does not load the sweep: start-up).
"""

from __future__ import annotations

from typing import Any, Literal, overload

from symdiff.calculus import products, reverse, sparsity
from symdiff.calculus import sparse as sparse_module
from symdiff.calculus.reverse import Vector
from symdiff.calculus.sparse import SparseMatrix
from symdiff.calculus.sparsity import Sparsity
from symdiff.core.nodes import Expr
from symdiff.formats.formula_lists import split_formulas
from symdiff.formats.parser import parse_any


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


def hvp(f: Any, vars: Any, vs: Any, *, reuse: bool = True) -> Vector:
    """``H v``: the Hessian of ``f`` by ``vars`` times the vector ``vs`` (expressions or
    names, ``"v1 v2"``), as expressions, without building ``H``; ``reuse=False`` sweeps a
    long sum whole instead of once per shape of its terms (same values)."""
    return products.hvp(parse_any(f), vars, vs, reuse=reuse)


def jvp_expr(fs: Any, vars: Any, vs: Any) -> Vector:
    """``J v`` as expressions, one per output (``symdiff.jvp`` is its value at a point)."""
    return products.jvp_expr(outputs_of(fs), vars, vs)


def vjp_expr(fs: Any, vars: Any, ws: Any) -> Vector:
    """``w^T J`` as expressions, one per variable (``symdiff.vjp`` is its value at a point)."""
    return products.vjp_expr(outputs_of(fs), vars, ws)
