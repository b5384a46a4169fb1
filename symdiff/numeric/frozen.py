"""The kink convention for finite differences: each selection frozen to the branch it takes.

A difference quotient across a kink averages the slopes of both sides (central differences give
``relu'(0) = 1/2``) or blows up across a jump (``floor``).  symdiff's convention (README,
"Kinks") is the derivative of the branch each selection takes *at the point*: ``max(a, b)`` is
``a`` where ``a >= b``, ``relu(u)`` is ``0`` where ``u <= 0``, ``clip(u, lo, hi)`` is ``u`` on
``[lo, hi]``, ``where`` is its branch, and ``heaviside``, ``floor``, ``ceil`` and ``sign`` are
constants.  ``frozen(root, point)`` is ``root`` with every selection replaced that way, so the
numeric method differentiates exactly what symbolic, forward and reverse modes differentiate;
away from a kink nothing changes within the step.  (``abs`` keeps its value: central
differences of ``abs`` at 0 already give ``sign(0) = 0``.)
"""

from __future__ import annotations

from collections.abc import Mapping

from symdiff.core.conditions import SELECTING
from symdiff.core.nodes import ZERO, Call, Expr, Num
from symdiff.core.traverse import fold_once, postorder
from symdiff.numeric.evaluation import evaluate_all

#: Selections whose value is frozen to a constant (their derivative is 0 almost everywhere).
CONSTANT = frozenset({"heaviside", "floor", "ceil", "sign"})


def has_selections(root: Expr) -> bool:
    """Whether ``root`` contains a selecting function (else ``frozen`` is ``root`` itself)."""
    return any(
        isinstance(n, Call) and (n.name in SELECTING or n.name == "sign") for n in postorder(root)
    )


def frozen(root: Expr, point: Mapping[str, float]) -> Expr:
    """``root`` with each selection replaced by the branch it takes at ``point``."""
    if not has_selections(root):
        return root
    values = evaluate_all([root], point)

    def visit(node: Expr, args: list[Expr]) -> Expr:
        if not isinstance(node, Call):
            return node.rebuild(args) if node.args else node
        name = node.name
        v = [values.get(a, 0.0) for a in node.args]
        if name in CONSTANT:
            return Num(values[node])
        if name == "where":
            return args[1] if v[0] != 0 else args[2]
        if name == "max":
            return args[0] if v[0] >= v[1] else args[1]
        if name == "min":
            return args[0] if v[0] <= v[1] else args[1]
        if name == "relu":
            return args[0] if v[0] > 0 else ZERO
        if name == "clip":
            return args[1] if v[0] < v[1] else args[2] if v[0] > v[2] else args[0]
        return node.rebuild(args)

    return fold_once(root, visit)
