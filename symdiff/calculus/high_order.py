"""Higher derivatives that reuse the lower ones: Leibniz's rule over the expression DAG.

Differentiating ``n`` times in a row re-differentiates each result as a new expression, and the
product rule doubles the work at every order (the DAG of ``d^n(x**x)`` grows about 1.9x per
order).  Here the ``k``-th derivative ``D(v, k)`` of every node ``v`` is kept, and each node's
is built from the lower ones of a few nodes (univariate Taylor propagation, written out):

* a sum:             ``D(a + b, k) = D(a, k) + D(b, k)``
* a product:         ``D(a*R, k) = sum_i C(k, i) D(a, i) D(R, k - i)``  (``R``: the other factors)
* anything else has ``v' = sum_j g_j * c_j'`` with partials ``g_j`` that are themselves nodes
  (``sin(u)' = cos(u)*u'``, ``(u**c)' = c*u**(c - 1)*u'``, ``(u**w)' = u**w * (w*log(u))'``),
  so ``D(v, k) = sum_j sum_i C(k - 1, i) D(g_j, i) D(c_j, k - i)``.

The partials are those of ``symdiff.calculus.partials`` (exactly those of ``diff``), so the result
is defined wherever the repeated first derivatives are.  The cost is O(nodes * n**2) instead of
exponential in ``n``; a derivative that becomes 0 stops the sweep.  ``terms`` bounds the work:
past it, ``DerivativeTooLargeError`` says so instead of running for minutes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from math import comb

from symdiff.calculus.partials import MAX_TERMS as MAX_TERMS
from symdiff.calculus.partials import partial_factors
from symdiff.core.constructors import add, mul
from symdiff.core.errors import SymdiffError
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, ZERO, Call, Expr, Pow, Sym
from symdiff.core.traverse import postorder_by
from symdiff.core.typing_lite import TYPE_CHECKING, NamedTuple
from symdiff.core.vocabulary import call

if TYPE_CHECKING:
    from typing import Any


class DerivativeTooLargeError(SymdiffError):
    """A derivative would exceed the size budget; the message says what to do instead."""


class _Rule(NamedTuple):
    """How ``D(v, k)`` is built: ``kind`` is "sum", "product" or "chain".

    ``same`` are the nodes whose ``D(·, k)`` (same order) it uses; for a chain, ``pairs`` are
    ``(g_j, c_j)``, where ``D(g_j, i)`` is only needed for ``i < k``.
    """

    kind: str
    same: tuple[Expr, ...]
    pairs: tuple[tuple[Expr, Expr], ...] = ()
    constant: Expr = ONE


class Plan:
    """The nodes a derivative of order ``order`` needs, the rule of each, and their order."""

    def __init__(self, root: Expr, variable: Sym, order: int, max_terms: int) -> None:
        self.root = root
        self.variable = variable
        self.depends: dict[Expr, bool] = {}
        self.rules: dict[Expr, _Rule] = {}
        self.need: dict[Expr, int] = {}
        self._demand(root, order, max_terms)
        self.order = self._topological()

    def depends_on(self, node: Expr) -> bool:
        """Whether ``node`` contains the variable (memoised, iterative)."""
        known = self.depends
        if node in known:
            return known[node]
        stack = [node]
        while stack:
            top = stack[-1]
            missing = [a for a in top.args if a not in known]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            known[top] = top is self.variable or any(known[a] for a in top.args)
        return known[node]

    def _rule(self, node: Expr) -> _Rule:
        args = node.args
        live = [a for a in args if self.depends_on(a)]
        match node:
            case Add():
                return _Rule("sum", tuple(live))
            case Mul():
                constant = mul(*(a for a in args if not self.depends_on(a)))
                if len(live) == 1:
                    return _Rule("product", (live[0],), constant=constant)
                return _Rule("product", (live[0], mul(*live[1:])), constant=constant)
            case Pow(base, exponent) if self.depends_on(base) and self.depends_on(exponent):
                exponent_log = mul(exponent, call("log", base))  # (u**w)' = u**w * (w*log u)'
                return _Rule("chain", (exponent_log,), ((node, exponent_log),))
            case Pow() | Call():  # v' = sum_j g_j * c_j' with the shared partials g_j
                wanted = [self.depends_on(a) for a in args]
                pairs = []
                for factors, child in zip(partial_factors(node, wanted), args, strict=True):
                    g = None if factors is None else mul(*factors)
                    if g is not None and g is not ZERO:
                        pairs.append((g, child))
                return _Rule("chain", tuple(c for _, c in pairs), tuple(pairs))
        raise TypeError(f"no derivative rule for {type(node).__name__}")

    def _demand(self, root: Expr, order: int, max_terms: int) -> None:
        """``need[v]``: the highest order of ``v`` needed, propagated to a fixpoint.

        Every (node, order) pair costs at least one term, so their count is checked against
        ``max_terms`` here, before any work (``diff(atan(x), ("x", 10**8))`` fails at once).
        """
        need = self.need
        pairs = 0
        queue = [(root, order)]
        while queue:
            node, wanted = queue.pop()
            if need.get(node, 0) >= wanted or not self.depends_on(node):
                continue
            pairs += wanted - need.get(node, 0)
            if pairs > max_terms:
                self.need[root] = order
                raise DerivativeTooLargeError(_too_large(self, 0, max_terms))
            need[node] = wanted
            if isinstance(node, Sym):
                continue
            rule = self.rules.get(node)
            if rule is None:
                rule = self.rules[node] = self._rule(node)
            queue.extend((child, wanted) for child in rule.same)
            if wanted > 1:
                queue.extend((g, wanted - 1) for g, _ in rule.pairs)

    def starting_nodes(self) -> list[Expr]:
        """Every node whose value (0th derivative) a sweep reads."""
        rules = self.rules.values()
        return [*self.order, *(r.constant for r in rules), *(g for r in rules for g, _ in r.pairs)]

    def _topological(self) -> list[Expr]:
        """The needed nodes, each after the nodes whose same-order derivatives it uses."""

        def same(node: Expr) -> tuple[Expr, ...]:  # visited in rule order
            rule = self.rules.get(node)
            return () if rule is None else tuple(reversed(rule.same))

        return postorder_by(self.need, same)


def _too_large(plan: Plan, reached: int, terms: int) -> str:
    name, order = plan.variable.name, plan.need.get(plan.root, 0)
    text = str(plan.root)
    short = text if len(text) <= 60 else text[:57] + "..."
    where = f"at order {reached}" if reached else "before the first order"
    return (
        f"the derivative of order {order} of {short} by {name} needs more "
        f"than {terms:,} terms ({where}); ask for a lower order, evaluate it at a point "
        f"(symdiff.derivative_at(f, point, {name!r}, {order})), or allow more work "
        "(diff(..., max_terms=N))"
    )


class Arithmetic(NamedTuple):
    """The operations of one sweep: on expressions (``diff``) or on floats (``derivative_at``)."""

    one: Any
    zero: Any
    is_zero: Callable[[Any], bool]
    times: Callable[..., Any]  # times(integer, *factors)
    total: Callable[[list[Any]], Any]


EXPRESSIONS = Arithmetic(ONE, ZERO, lambda v: v is ZERO, mul, lambda terms: add(*terms))
FLOATS = Arithmetic(1.0, 0.0, lambda v: v == 0.0, lambda c, *fs: c * math.prod(fs), math.fsum)


def nth_derivative(root: Expr, variable: Sym, order: int, max_terms: int = MAX_TERMS) -> Expr:
    """``d^order root / d variable^order`` by Leibniz's rule over the DAG (no simplification).

    Stops as soon as a derivative of the root is 0 (all higher ones are then 0 too).
    """
    plan = Plan(root, variable, order, max_terms)
    columns = sweep(plan, _Itself(), EXPRESSIONS, max_terms)
    column = columns.get(root, [root])
    return column[order] if len(column) > order else ZERO


class _Itself(dict[Expr, Expr]):
    """``{node: node}`` for every node: the 0th derivative on expressions."""

    def __missing__(self, node: Expr) -> Expr:
        return node


def sweep(
    plan: Plan, start: Mapping[Expr, Any], ops: Arithmetic, max_terms: int
) -> dict[Expr, list[Any]]:
    """``columns[v] = [D(v, 0), D(v, 1), …]`` up to ``need[v]``, one order at a time."""
    variable = plan.variable
    columns: dict[Expr, list[Any]] = {node: [start[node]] for node in plan.order}
    built = 0

    def at(node: Expr, k: int) -> Any:
        if node is variable:
            return start[node] if k == 0 else ops.one if k == 1 else ops.zero
        column = columns.get(node)
        if column is None:  # independent of the variable
            return start[node] if k == 0 else ops.zero
        return column[k] if len(column) > k else ops.zero

    root = plan.root
    for k in range(1, plan.need.get(root, 0) + 1):
        for node in plan.order:
            if plan.need[node] >= k and node is not variable:
                terms = _level(plan.rules[node], k, at, ops)
                built += len(terms)
                columns[node].append(ops.total(terms))
        if ops is EXPRESSIONS and at(root, k) is ZERO:
            break
        if built > max_terms:
            raise DerivativeTooLargeError(_too_large(plan, k, max_terms))
    return columns


def _level(rule: _Rule, k: int, at: Callable[[Expr, int], Any], ops: Arithmetic) -> list[Any]:
    """The terms of ``D(v, k)`` from lower orders (``at(node, i)`` is ``D(node, i)``)."""
    zero = ops.is_zero
    if rule.kind == "sum":
        return [t for c in rule.same if not zero(t := at(c, k))]
    if len(rule.same) == 1 and rule.kind == "product":
        single = at(rule.same[0], k)
        return [] if zero(single) else [ops.times(1, at(rule.constant, 0), single)]
    terms: list[Any] = []
    if rule.kind == "product":
        first, rest = rule.same
        constant = at(rule.constant, 0)
        for i in range(k + 1):
            a, b = at(first, i), at(rest, k - i)
            if not zero(a) and not zero(b):
                terms.append(ops.times(comb(k, i), constant, a, b))
        return terms
    for g, child in rule.pairs:
        for i in range(k):
            dg, dc = at(g, i), at(child, k - i)
            if not zero(dg) and not zero(dc):
                terms.append(ops.times(comb(k - 1, i), dg, dc))
    return terms
