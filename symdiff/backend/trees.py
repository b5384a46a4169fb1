"""The lowered-tree vocabulary and the small algebra codegen does on it.

A tree is a tuple; ``tree[0]`` names its kind:

    ("const", float)  ("ratio", p, q)  ("arg", i)  ("temp", k)
    ("sum", ((negative, tree), ...))  ("product", numerators, denominators)  ("neg", tree)
    ("call", name, args)

Trees are kept shallow (see ``lower.MAX_DEPTH``), so the recursive helpers here are safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

Tree = tuple[Any, ...]

ONE_TREE: Tree = ("const", 1.0)


def constant_tree(value: Any) -> Tree:
    """A number as a tree: rationals as exact quotients of doubles when both are exact."""
    if isinstance(value, Fraction):
        p, q = value.numerator, value.denominator
        if abs(p) < 2**53 and q < 2**53 and q & (q - 1):  # a power-of-two q is exact as a float
            tree = ("ratio", abs(p), q)
            return ("neg", tree) if p < 0 else tree
        value = float(value)
    try:
        number = float(value)
    except OverflowError:
        number = float("inf") if value > 0 else float("-inf")
    return ("neg", ("const", -number)) if number < 0 else ("const", number)


def negated(tree: Tree) -> Tree:
    """``-tree``, cancelling a double negation."""
    return tree[1] if tree[0] == "neg" else ("neg", tree)


def depth(tree: Tree, known: dict[int, int] | None = None) -> int:
    """Nesting depth of a tree (atoms are 0); ``known`` caches depths by ``id`` of live trees."""
    if known is not None and id(tree) in known:
        return known[id(tree)]
    match tree[0]:
        case "sum":
            return 1 + max(depth(t, known) for _, t in tree[1])
        case "product":
            return 1 + max((depth(t, known) for t in (*tree[1], *tree[2])), default=0)
        case "neg":
            return depth(tree[1], known)
        case "call":
            return 1 + max((depth(t, known) for t in tree[2]), default=0)
    return 0


def is_atom(tree: Tree) -> bool:
    """Atoms may be repeated freely: arguments, temporaries and constants."""
    return tree[0] in ("arg", "temp", "const", "ratio") or (
        tree[0] == "neg" and tree[1][0] in ("const", "ratio")
    )


def factors_of(tree: Tree) -> tuple[list[Tree], list[Tree]]:
    """Numerator and denominator factors of a term."""
    if tree[0] == "product":
        return list(tree[1]), list(tree[2])
    return [tree], []


def as_term(numerators: list[Tree], denominators: list[Tree]) -> Tree:
    """The term with these factors (a lone factor stays itself; none at all is 1)."""
    if not denominators and len(numerators) <= 1:
        return numerators[0] if numerators else ONE_TREE
    return ("product", tuple(numerators), tuple(denominators))


def common_factors(
    terms: list[tuple[bool, Tree]],
) -> tuple[tuple[Tree, ...], tuple[Tree, ...], list[tuple[bool, Tree]]] | None:
    """Factors shared by every term (``a*b + a*c -> a*(b + c)``): fewer passes over arrays.

    Gradients are full of such sums (the product rule); returns None when nothing is shared.
    """
    if len(terms) < 2:
        return None
    split = [factors_of(tree) for _, tree in terms]
    common_numerators = _multiset(t for t in split[0][0] if t[0] not in ("const", "ratio"))
    common_denominators = _multiset(split[0][1])
    for numerators, denominators in split[1:]:
        if not common_numerators and not common_denominators:
            break
        common_numerators = _meet(common_numerators, numerators)
        common_denominators = _meet(common_denominators, denominators)
    first = _leading_constant(split[0][0])
    same = first is not None and all(_leading_constant(n) == first for n, _ in split[1:])
    constant = first if same else None
    if not common_numerators and not common_denominators and constant is None:
        return None
    rest = []
    for (negative, _), (numerators, denominators) in zip(terms, split, strict=True):
        numerators = without(numerators[1:] if constant else numerators, common_numerators)
        rest.append((negative, as_term(numerators, without(denominators, common_denominators))))
    shared = ([constant] if constant else []) + sorted(_elements(common_numerators), key=repr)
    return tuple(shared), tuple(sorted(_elements(common_denominators), key=repr)), rest


# Multisets of trees as lists of (tree, count).  Trees are nested tuples whose hash Python
# recomputes at every lookup; the lists compare by ``==``, which stops at identical objects,
# and the multisets met here hold a few factors.
Multiset = list[tuple[Tree, int]]


def _multiset(trees: Iterable[Tree]) -> Multiset:
    found: Multiset = []
    for tree in trees:
        for k, (known, count) in enumerate(found):
            if known == tree:
                found[k] = (known, count + 1)
                break
        else:
            found.append((tree, 1))
    return found


def _meet(common: Multiset, factors: list[Tree]) -> Multiset:
    """The multiset ``common`` intersected with the factors of one more term."""
    if not common:
        return common
    met = [(tree, min(count, factors.count(tree))) for tree, count in common]
    return [(tree, count) for tree, count in met if count]


def _elements(multiset: Multiset) -> list[Tree]:
    return [tree for tree, count in multiset for _ in range(count)]


def _leading_constant(numerators: list[Tree]) -> Tree | None:
    return numerators[0] if numerators and numerators[0][0] in ("const", "ratio") else None


def without(factors: list[Tree], removed: Multiset) -> list[Tree]:
    """``factors`` minus the multiset ``removed``, in their order."""
    left = _elements(removed)
    kept = []
    for factor in factors:
        for k, tree in enumerate(left):
            if tree == factor:
                del left[k]
                break
        else:
            kept.append(factor)
    return kept


def constants_first(factors: list[Tree]) -> list[Tree]:
    """Numeric factors multiplied into one leading constant (one array pass, not several)."""
    constants = [t for t in factors if t[0] in ("const", "ratio")]
    if not constants:
        return factors
    rest = [t for t in factors if t[0] not in ("const", "ratio")]
    if len(constants) == 1:
        lead = constants[0]
    else:
        value = 1.0
        for tree in constants:
            value *= tree[1] if tree[0] == "const" else tree[1] / tree[2]
        lead = ("const", value)
    return rest if lead == ONE_TREE and rest else [lead, *rest]


def one_operation(tree: Tree) -> bool:
    """One arithmetic operation on atoms (``x*y``, ``x - 1``, ``1/x``, ``(x)**2``)."""
    match tree[0]:
        case "sum":
            operands = [t for _, t in tree[1]]
        case "product":
            operands = [*tree[1], *tree[2]] if tree[1] else [ONE_TREE, *tree[2]]
        case "call" if tree[1] == "square":
            operands = [*tree[2], ONE_TREE]
        case _:
            return False
    return len(operands) <= 2 and all(is_atom(t) for t in operands)


def temporaries_in(tree: Tree) -> list[int]:
    """Indices of the temporaries a tree reads."""
    found: list[int] = []
    stack = [tree]
    while stack:
        item = stack.pop()
        match item[0]:
            case "temp":
                found.append(item[1])
            case "sum":
                stack.extend(t for _, t in item[1])
            case "product":
                stack.extend((*item[1], *item[2]))
            case "neg":
                stack.append(item[1])
            case "call":
                stack.extend(item[2])
    return found


def operations(tree: Tree) -> int:
    """The arithmetic operations a tree costs as printed code: ``k - 1`` per sum or product of
    ``k`` operands (a subtraction or division is one), one per negation of a whole sum, one per
    call; constants (``ratio`` included, folded by the compiler) and atoms are free."""
    match tree[0]:
        case "sum":
            terms = tree[1]
            leading = 1 if all(negative for negative, _ in terms) else 0
            return len(terms) - 1 + leading + sum(operations(t) for _, t in terms)
        case "product":
            numerators, denominators = tree[1], tree[2]
            count = max(len(numerators), 1) - 1 + len(denominators)
            return count + sum(operations(t) for t in (*numerators, *denominators))
        case "neg":
            return (0 if tree[1][0] in ("const", "ratio") else 1) + operations(tree[1])
        case "call":
            return 1 + sum(operations(t) for t in tree[2])
    return 0
