"""Candidate rewrites through ``cos(u)**2 = 1 - sin(u)**2`` (and ``sin`` for ``cos``): a sum
of products of powers of ``sin(u)`` and ``cos(u)`` is rewritten with the even powers of one of
them replaced, expanded, and factored, so ``3*sin(x)**2*cos(x)**3 - 2*sin(x)**4*cos(x)``
becomes ``sin(x)**2*cos(x)*(3 - 5*sin(x)**2)`` (the identity holds for every real ``u``)."""

from __future__ import annotations

from collections.abc import Iterator

from symdiff.core.constructors import add, mul, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, Call, Expr, Num, Pow
from symdiff.core.vocabulary import call
from symdiff.rewrite import algebra
from symdiff.rewrite.cost import cost

#: The other function of each pair (``f**2 = 1 - g**2``).
PARTNER = {"sin": "cos", "cos": "sin"}


def _powers(term: Expr) -> Iterator[tuple[Expr, Call, int]]:
    """``(factor, f(u), n)`` for each factor of ``term`` that is ``sin(u)**n``/``cos(u)**n``."""
    for factor in term.args if isinstance(term, Mul) else (term,):
        base, n = (factor.base, factor.exp) if isinstance(factor, Pow) else (factor, ONE)
        if (
            isinstance(base, Call)
            and base.name in PARTNER
            and isinstance(n, Num)
            and type(n.value) is int
            and n.value > 0
        ):
            yield factor, base, n.value


def _replaced(term: Expr, name: str, argument: Expr) -> Expr:
    """``term`` with each ``name(argument)**n`` (``n >= 2``) written as
    ``name(argument)**(n % 2)*(1 - other(argument)**2)**(n // 2)``."""
    other = call(PARTNER[name], argument)
    factors = list(term.args) if isinstance(term, Mul) else [term]
    for factor, base, n in list(_powers(term)):
        if base.name == name and base.args[0] is argument and n >= 2:
            factors.remove(factor)
            factors += [power(base, n % 2), power(add(1, mul(-1, power(other, 2))), n // 2)]
    return mul(*factors)


def trig_square_candidates(node: Expr) -> Iterator[Expr]:
    """For a sum with powers of both ``sin(u)`` and ``cos(u)``: the even powers of one
    replaced through ``sin**2 + cos**2 = 1``, expanded, then factored; only forms that are
    strictly cheaper (so the rule cannot cycle between the two replacements)."""
    if not isinstance(node, Add):
        return
    seen: dict[tuple[str, Expr], int] = {}
    for term in node.args:
        for _, base, n in _powers(term):
            key = (base.name, base.args[0])
            seen[key] = max(seen.get(key, 0), n)
    for (name, argument), highest in sorted(seen.items(), key=lambda item: item[0][0]):
        if highest < 2 or (PARTNER[name], argument) not in seen:
            continue
        expanded = algebra.expand_fully(add(*(_replaced(t, name, argument) for t in node.args)))
        if expanded is None or expanded is node:
            continue
        for candidate in (expanded, *algebra.factor_candidates(expanded)):
            if cost(candidate) < cost(node):  # strictly: the rule never moves sideways
                yield candidate
