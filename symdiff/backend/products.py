"""Sharing parts of n-ary nodes: ``a*b*c`` and ``a*b*d`` compute ``a*b`` once, and ``u + v + 3``
beside ``u + v`` adds 3 to it (``shifted_sums``).

Hash-consing already shares equal nodes, but not *parts* of n-ary products, and gradients are
full of products that overlap (the product and chain rules multiply the same factors into many
terms).  The greedy pairwise method (as in SymPy's ``opt_cse`` of Mul arguments): repeatedly
take the pair of factors that occurs in most products, make it a node of its own, and replace
it in every product that holds both.  It is bounded so that big DAGs stay linear.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import combinations

from symdiff.core.nary import Add, Mul, ordered
from symdiff.core.nodes import Expr, Num

#: Products with more factors than this are left alone (the pair count grows quadratically).
MAX_FACTORS = 12
#: At most this many pairs are extracted (each one is a new statement that saves passes).
MAX_ROUNDS = 256
#: Skip the search when the products hold more pairs than this in total.
MAX_PAIRS = 20_000


def _pairs(factors: Iterable[Expr]) -> Iterable[tuple[Expr, Expr]]:
    return combinations(ordered(factors), 2)


def share_products(
    products: Sequence[Expr], children: Callable[[Expr], tuple[Expr, ...]]
) -> dict[Expr, tuple[Expr, ...]]:
    """New factor tuples for the products that gave up a shared pair to a new ``Mul`` node."""
    factors = {p: list(children(p)) for p in products if 3 <= len(children(p)) <= MAX_FACTORS}
    existing = {tuple(children(p)) for p in products if len(children(p)) == 2}
    if sum(len(f) * (len(f) - 1) // 2 for f in factors.values()) > MAX_PAIRS:
        return {}
    changed: dict[Expr, tuple[Expr, ...]] = {}
    for _ in range(MAX_ROUNDS):
        counts: Counter[tuple[Expr, Expr]] = Counter()
        for held in factors.values():
            counts.update(_pairs(held))
        for pair in counts:
            if pair in existing:  # the pair is already a node: sharing it is free
                counts[pair] += 1
        if not counts:
            break
        # most frequent first; ties broken by the factors' canonical order (deterministic)
        best = min(counts, key=lambda pair: (-counts[pair], pair[0]._key, pair[1]._key))
        if counts[best] < 2:
            break
        shared = Mul._raw(best)
        existing.add(best)
        for product, held in list(factors.items()):
            if best[0] in held and best[1] in held:
                held = [f for f in held if f is not best[0] and f is not best[1]] + [shared]
                changed[product] = tuple(held)
                if len(held) >= 3:
                    factors[product] = held
                else:
                    del factors[product]
    return changed


def shifted_sums(nodes: list[Expr]) -> dict[Expr, tuple[Expr, ...]]:
    """``c + u + v + ...`` read as ``(u + v + ...) + c`` where the sum ``u + v + ...`` is itself
    a node of the graph: a traced loop's ``z + i`` next to ``z`` (canonical sums flatten both)
    would otherwise compute ``z``'s terms twice and make each of them shared."""
    present = set(nodes)
    shifted: dict[Expr, tuple[Expr, ...]] = {}
    for node in nodes:
        if type(node) is Add and type(node.args[0]) is Num and len(node.args) >= 3:
            rest = Add._raw(node.args[1:])
            if rest in present:
                shifted[node] = (rest, node.args[0])
    return shifted
