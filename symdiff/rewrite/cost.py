"""The cost model of the simplifier: operations as a reader (and SymPy's ``count_ops``) counts them.

The cost of an expression is the number of operators in its printed form, counted on the tree
(a repeated subexpression is paid each time it is written out): ``x**2 + 1`` costs 2, ``-x/y``
costs 2 (a negation and a division), ``sqrt(x)`` costs 2 (SymPy counts ``x**(1/2)`` as a power
and a division).  Ties are broken by the tree size, so the order is total and deterministic.
"""

from __future__ import annotations

from fractions import Fraction

from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow
from symdiff.core.traverse import postorder_missing

#: Functions whose evaluation (or reading) is dearer than one operation.
FUNCTION_WEIGHT: dict[str, int] = {"pi": 0}


def _number_ops(value: object) -> int:
    """Ops of a standalone number: ``-3`` is a negation, ``2/3`` a division."""
    return int(value < 0) + int(type(value) is Fraction)  # type: ignore[operator]


def _is_inverse(node: Expr) -> bool:
    """A factor printed in a denominator: ``b**(-k)`` with a numeric ``k > 0``."""
    return (
        isinstance(node, Pow)
        and isinstance(node.exp, Num)
        and not isinstance(node.exp.value, float)
        and node.exp.value < 0
    )


def _power_ops(node: Pow, base_ops: int, exp_ops: int) -> int:
    exponent = node.exp
    if isinstance(exponent, Num):
        value = exponent.value
        if value == -1 and type(value) is int:
            return 1 + base_ops  # 1/b
        if type(value) is Fraction:
            return 2 + base_ops + int(value < 0)  # sqrt(b): POW + DIV, 1/sqrt(b) adds NEG
        return 1 + base_ops + int(value < 0)  # b**2, b**(-2)
    return 1 + base_ops + exp_ops


def _inverse_ops(node: Pow, base_ops: int) -> int:
    """Ops of ``b**k`` when ``b**(-k)`` sits in a denominator."""
    k = -node.exp.value  # type: ignore[attr-defined]
    if k == 1 and type(k) is int:
        return base_ops
    return base_ops + 1 + int(type(k) is Fraction)


def _product_ops(node: Mul, costs: dict[Expr, int]) -> int:
    numerator, denominator, ops = 0, 0, 0
    for factor in node.args:
        if isinstance(factor, Num):
            value = factor.value
            ops += int(value < 0)
            magnitude = abs(value)
            if type(magnitude) is Fraction:
                denominator += 1
                numerator += int(magnitude.numerator != 1)
            elif magnitude != 1:
                numerator += 1
        elif _is_inverse(factor):
            denominator += 1
            ops += _inverse_ops(factor, costs[factor.args[0]])  # type: ignore[arg-type]
        else:
            numerator += 1
            ops += costs[factor]
    ops += max(numerator - 1, 0) + max(denominator - 1, 0) + int(denominator > 0)
    return ops


def _is_negative_term(term: Expr) -> bool:
    if isinstance(term, Num):
        return term.value < 0
    return isinstance(term, Mul) and isinstance(term.args[0], Num) and term.args[0].value < 0


def _sum_ops(node: Add, costs: dict[Expr, int]) -> int:
    negatives = sum(_is_negative_term(t) for t in node.args)
    ops = len(node.args) - 1 + sum(costs[t] for t in node.args)
    # ``a - b`` is one SUB, not an ADD and a NEG; a sum of negatives keeps one leading NEG
    return ops - negatives + int(negatives == len(node.args))


def node_ops(node: Expr, costs: dict[Expr, int]) -> int:
    """Ops of ``node`` given the ops of its children in ``costs``."""
    match node:
        case Num(value):
            return _number_ops(value)
        case Add():
            return _sum_ops(node, costs)
        case Mul():
            return _product_ops(node, costs)
        case Pow(base, exponent):
            return _power_ops(node, costs[base], costs[exponent])
        case Call(name, args):
            return FUNCTION_WEIGHT.get(name, 1) + sum(costs[a] for a in args)
    return 0


class CostModel:
    """Memoised costs ``(ops, tree size)`` of nodes; one instance per simplification."""

    def __init__(self) -> None:
        self.ops: dict[Expr, int] = {}
        self.size: dict[Expr, int] = {}

    def __call__(self, root: Expr) -> tuple[int, int]:
        """``(operations, tree size)`` of ``root``: compare with ``<``."""
        ops, size = self.ops, self.size
        for node in postorder_missing(root, ops):
            ops[node] = node_ops(node, ops)
            size[node] = 1 + sum(size[a] for a in node.args)
        return self.ops[root], self.size[root]


def cost(expr: Expr) -> tuple[int, int]:
    """``(operations, tree size)`` of ``expr``; the simplifier never returns a costlier form."""
    return CostModel()(expr)


def count_ops(expr: Expr) -> int:
    """Number of operations of ``expr`` as printed (close to SymPy's ``count_ops``)."""
    return cost(expr)[0]
