"""High-order derivatives at a point, as numbers: the Leibniz sweep of ``high_order`` on floats.

The ``n``-th derivative as a formula can be huge (``d^30(x**x)``), its value at a point never
is: the same sweep, with the value of every node in place of the node, costs
O(nodes * n**2) float operations (univariate Taylor mode).

>>> round(derivative_at("x**x", {"x": 2}, "x", 30) / 1e20, 6)
6.878445
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from symdiff.calculus.forward import _as_symbol, _check_order, repeated_derivative
from symdiff.calculus.high_order import FLOATS, MAX_TERMS, Plan, sweep
from symdiff.core.nodes import Expr, Sym
from symdiff.numeric.evaluation import evaluate_all


def nth_derivative_value(
    root: Expr, variable: Sym, order: int, point: Mapping[str, float], max_terms: int
) -> float:
    """``d^order root / d variable^order`` at ``point`` without building it."""
    plan = Plan(root, variable, order, max_terms)
    values = evaluate_all([root, *plan.starting_nodes()], point)
    columns = sweep(plan, values, FLOATS, max_terms)
    column = columns.get(root, [values[root]])
    return float(column[order]) if len(column) > order else 0.0


def derivative_at(
    f: Any, point: Mapping[Any, float], wrt: Any, order: int = 1, max_terms: int = 50 * MAX_TERMS
) -> float:
    """The ``order``-th derivative of ``f`` by ``wrt`` at ``point`` as a float, without the
    formula: ``derivative_at("x**x", {"x": 2}, "x", 30)`` is instant.

    A derivative that becomes 0 or repeats (``sin``, ``exp``) is recognised first, so huge
    orders of those are instant too; ``max_terms`` bounds the work otherwise.
    """
    from symdiff.formats.parser import parse_any

    root = parse_any(f)
    variable = _as_symbol(wrt)
    _check_order(order)
    values = {(k.name if isinstance(k, Sym) else str(k)): float(v) for k, v in point.items()}
    known = repeated_derivative(root, variable, order, MAX_TERMS // 10)
    if known is not None:
        return evaluate_all([known], values)[known]
    return nth_derivative_value(root, variable, order, values, max_terms)
