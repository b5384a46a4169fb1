"""Simplifier rows for ``where`` and the selecting functions (``rules.RULES`` lists them).

- ``branch-product``: ``where(c, 1, 0)*u -> where(c, u, 0)`` (a factor moves into the branches
  when one branch is a number, as in the derivatives of ``max``, ``relu``, ``clip``);
- ``branch-sum``: ``where(c, a, b) + where(c, d, e) -> where(c, a + d, b + e)``;
- ``merge-branches``: ``where(c, a, where(d, a, b)) -> where(c or d, a, b)``;
- ``readable-selection``: ``where(a >= b, a, b) -> max(a, b)``, ``where(u > 0, u, 0) -> relu(u)``
  and their ``min`` and mirrored forms, which are the same values *and* the same derivatives at
  a tie under symdiff's kink convention (``symdiff.core.conditions``).

Like ``exp(log(x)) -> x``, moving a factor into the branches makes the result defined where the
dropped branch was not (``where(x > 0, 1, 0)*log(x)`` at ``x = -1``): ``where`` is exactly the
function that should not care about the branch it does not take.
"""

from __future__ import annotations

from collections.abc import Iterable

from symdiff.core.constructors import add, mul
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ZERO, Call, Expr, Num
from symdiff.core.vocabulary import call


def _is_where(node: Expr) -> bool:
    return isinstance(node, Call) and node.name == "where"


def product_candidates(node: Expr) -> Iterable[Expr]:
    """``where(c, p, q) * rest -> where(c, p*rest, q*rest)`` when ``p`` or ``q`` is a number."""
    if not isinstance(node, Mul):
        return
    for i, factor in enumerate(node.args):
        if _is_where(factor) and (
            isinstance(factor.args[1], Num) or isinstance(factor.args[2], Num)
        ):
            rest = mul(*node.args[:i], *node.args[i + 1 :])
            c, p, q = factor.args
            yield call("where", c, mul(p, rest), mul(q, rest))
            return


def sum_candidates(node: Expr) -> Iterable[Expr]:
    """Two ``where`` terms over one condition become one."""
    if not isinstance(node, Add):
        return
    seen: dict[Expr, int] = {}
    for i, term in enumerate(node.args):
        if not _is_where(term):
            continue
        j = seen.setdefault(term.args[0], i)
        if j == i:
            continue
        other = node.args[j]
        merged = call("where", term.args[0], add(other.args[1], term.args[1]),
                      add(other.args[2], term.args[2]))  # fmt: skip
        rest = [t for k, t in enumerate(node.args) if k not in (i, j)]
        yield add(merged, *rest)
        return


def merge_candidates(node: Expr) -> Iterable[Expr]:
    """``where(c, a, where(d, a, b)) -> where(c or d, a, b)``."""
    if _is_where(node):
        c, a, b = node.args
        if _is_where(b) and b.args[1] is a:
            yield call("where", call("or", c, b.args[0]), a, b.args[2])


#: ``where(cmp(a, b), a, b)``: the selecting function with the same value and derivative.
_SELECTIONS = {"ge": ("max", False), "gt": ("max", True), "le": ("min", False), "lt": ("min", True)}


def readable_candidates(node: Expr) -> Iterable[Expr]:
    """``where(a >= b, a, b) -> max(a, b)``, ``where(a > b, a, b) -> max(b, a)`` (a tie picks
    ``b`` in both), the ``min`` forms, and ``where(u > 0, u, 0) -> relu(u)``."""
    if not _is_where(node):
        return
    c, a, b = node.args
    if not (isinstance(c, Call) and c.name in _SELECTIONS):
        return
    left, right = c.args
    if c.name == "gt" and left is a and right is ZERO and b is ZERO:
        yield call("relu", a)
        return
    name, mirrored = _SELECTIONS[c.name]
    if left is a and right is b:
        yield call(name, b, a) if mirrored else call(name, a, b)
