"""Logarithms split over positive factors, as a second starting point for ``simplify``.

The simplifier is greedy: it keeps a rewrite only where it is cheaper at that node, and
``log(x*y) -> log(x) + log(y)`` never is, though the sum around it may then cancel
(``log(x*y) - log(x)`` is ``log(y)`` for positive ``x``).  With ``assume_positive``, ``simplify``
therefore also simplifies the expression with every such logarithm split (by the rule table's
own positive-only rows, so the split is sound under the assumption) and keeps the cheaper
result.
"""

from __future__ import annotations

from symdiff.core.nodes import Call, Expr
from symdiff.core.traverse import postorder
from symdiff.rewrite.rules import RULES, Facts

#: The rows of the rule table that split a logarithm (valid for positive factors only).
SPLITTING = tuple(rule for rule in RULES if rule.name in ("log-product", "log-power-positive"))
#: Rounds of splitting: each splits every logarithm once more (``log((x*y)**2*z)`` needs 3).
MAX_ROUNDS = 8


def split_logs(expr: Expr, facts: Facts) -> Expr:
    """``expr`` with ``log(u*v)`` split into ``log(u) + log(v)`` and ``log(u**v)`` into
    ``v*log(u)`` wherever the facts allow, to a fixed point (at most ``MAX_ROUNDS`` rounds)."""
    if not facts.positive:
        return expr
    for _ in range(MAX_ROUNDS):
        after = _split_once(expr, facts)
        if after is expr:
            break
        expr = after
    return expr


def _split_once(expr: Expr, facts: Facts) -> Expr:
    memo: dict[Expr, Expr] = {}
    for node in postorder(expr):
        args = [memo[a] for a in node.args]
        if any(new is not old for new, old in zip(args, node.args, strict=True)):
            node_now = node.rebuild(args)
        else:
            node_now = node
        memo[node] = _split(node_now, facts)
    return memo[expr]


def _split(node: Expr, facts: Facts) -> Expr:
    if not (isinstance(node, Call) and node.name == "log"):
        return node
    for rule in SPLITTING:
        for candidate in rule.candidates(node, facts):
            return candidate
    return node
