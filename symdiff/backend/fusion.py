"""Program passes for the array targets: fewer whole-array passes and allocations.

Lowering shares DAG nodes, but different nodes can lower to the same tree (the gradient's
``2*y - 2*x**2`` and the value's ``y - x**2`` both print ``y - x*x`` once the factor 2 is taken
out).  For arrays every repeated operation is one more pass and one more 8 MB allocation, so

- ``hoist_repeated`` computes a repeated subtree of two or more operations once;
- ``share_exp`` computes ``softplus(u)`` and ``sigmoid(u)`` of the same ``u`` from one
  ``e = exp(min(u, 709))`` (``exp709``: fast also far below -708) and ``w = 1 + e``:
  ``sigmoid = e/w`` and ``softplus = max(u, log1p(e))`` (``softplus_from``: NumPy's
  ``log1p`` with its argument kept off the slow path of tiny numbers, the ``max`` only where
  some ``u`` passed the clamp).  Both are accurate to a few ulp
  everywhere and never overflow (``e/w`` is 1 for ``e = exp(709)``; ``w`` is finite and at
  least 1).

Trees are shallow (``lower.MAX_DEPTH``), so the recursive tree helpers here are safe.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from symdiff.backend.program import Program
from symdiff.backend.trees import Tree, is_atom, one_operation

#: Programs longer than this are left alone (each hoist rescans the program).
MAX_STATEMENTS = 2000
#: Most subtrees hoisted into statements of their own.
MAX_HOISTS = 64


def children(tree: Tree) -> list[Tree]:
    """The direct subtrees of ``tree``."""
    match tree[0]:
        case "sum":
            return [t for _, t in tree[1]]
        case "product":
            return [*tree[1], *tree[2]]
        case "neg":
            return [tree[1]]
        case "call":
            return list(tree[2])
    return []


def mapped(tree: Tree, change: Callable[[Tree], Tree | None]) -> Tree:
    """``tree`` with every subtree for which ``change`` gives a tree replaced by it."""
    replaced = change(tree)
    if replaced is not None:
        return replaced
    match tree[0]:
        case "sum":
            return ("sum", tuple((n, mapped(t, change)) for n, t in tree[1]))
        case "product":
            top = tuple(mapped(t, change) for t in tree[1])
            return ("product", top, tuple(mapped(t, change) for t in tree[2]))
        case "neg":
            return ("neg", mapped(tree[1], change))
        case "call":
            return ("call", tree[1], tuple(mapped(t, change) for t in tree[2]))
    return tree


def size(tree: Tree) -> int:
    """Number of nodes of ``tree``."""
    return 1 + sum(size(t) for t in children(tree))


def worth_storing(tree: Tree) -> bool:
    """Two or more operations (one operation on atoms is cheaper to recompute than to store)."""
    inner = tree[1] if tree[0] == "neg" else tree
    return not is_atom(inner) and not one_operation(inner)


def _insert(trees: list[Tree], position: int, new: Tree, statements: int) -> tuple[list, int]:
    """Statement trees and output trees with ``new`` inserted as temporary ``position``."""

    def shift(tree: Tree) -> Tree | None:
        if tree[0] == "temp" and tree[1] >= position:
            return ("temp", tree[1] + 1)
        return None

    moved = [mapped(t, shift) for t in trees]
    moved.insert(position, new)
    return moved, statements + 1


def _program(program: Program, trees: list[Tree], statements: int) -> Program:
    return Program(
        program.arity,
        tuple(enumerate(trees[:statements])),
        tuple(trees[statements:]),
        program.output_symbols,
    )


def _replacing(old: Tree, new: Tree) -> Callable[[Tree], Tree | None]:
    """A ``mapped`` change putting ``new`` where ``old`` is."""

    def change(tree: Tree) -> Tree | None:
        return new if tree == old else None

    return change


def hoist_repeated(program: Program) -> Program:
    """Each subtree of two or more operations that occurs twice or more is computed once."""
    statements = len(program.statements)
    if statements > MAX_STATEMENTS:
        return program
    trees = [tree for _, tree in program.statements] + list(program.outputs)
    for _ in range(MAX_HOISTS):
        counts: Counter[Tree] = Counter()
        first: dict[Tree, int] = {}
        for position, tree in enumerate(trees):
            stack = [tree]
            while stack:
                item = stack.pop()
                if worth_storing(item):
                    counts[item] += 1
                    first.setdefault(item, position)
                stack.extend(children(item))
        repeated = [t for t, n in counts.items() if n > 1]
        if not repeated:
            break
        chosen = max(repeated, key=lambda t: (size(t), -first[t]))
        position = min(first[chosen], statements)
        if position == statements or trees[position] != chosen:  # else already stored there
            trees, statements = _insert(trees, position, chosen, statements)
        change = _replacing(chosen, ("temp", position))
        trees = [t if i == position else mapped(t, change) for i, t in enumerate(trees)]
    return _program(program, trees, statements)


#: Most (softplus, sigmoid) pairs fused in one program.
MAX_PAIRS = 8


def share_exp(program: Program) -> Program:
    """``softplus(u)`` and ``sigmoid(u)`` of one atomic ``u`` computed from one ``exp`` (for
    each such ``u``: BCE with logits has both ``x`` and ``-x``)."""
    for _ in range(MAX_PAIRS):
        fused = _share_one_exp(program)
        if fused is None:
            break
        program = fused
    return program


def _share_one_exp(program: Program) -> Program | None:
    """``share_exp`` for the first ``u`` with both calls, or None if there is none."""
    statements = len(program.statements)
    trees = [tree for _, tree in program.statements] + list(program.outputs)
    found: dict[str, dict[Tree, int]] = {"softplus": {}, "sigmoid": {}}
    for position, tree in enumerate(trees):
        stack = [tree]
        while stack:
            item = stack.pop()
            if item[0] == "call" and item[1] in found and is_atom(item[2][0]):
                found[item[1]].setdefault(item[2][0], position)
            stack.extend(children(item))
    for u in [u for u in found["softplus"] if u in found["sigmoid"]]:
        position = min(found["softplus"][u], found["sigmoid"][u], statements)
        trees, statements = _insert(trees, position, exp_clamped(u), statements)
        e = ("temp", position)
        u_now = ("temp", u[1] + 1) if u[0] == "temp" and u[1] >= position else u
        trees, statements = _insert(
            trees, position + 1, ("sum", ((False, e), (False, ("const", 1.0)))), statements
        )
        w = ("temp", position + 1)
        u_now = ("temp", u_now[1] + 1) if u_now[0] == "temp" and u_now[1] >= position + 1 else u_now

        def fused(tree: Tree, u: Tree = u_now, e: Tree = e, w: Tree = w) -> Tree | None:
            if tree[0] == "call" and tree[2] == (u,):
                if tree[1] == "softplus":
                    return ("call", "softplus_from", (u, e))
                if tree[1] == "sigmoid":
                    return ("product", (e,), (w,))
            return None

        trees = [
            t if i in (position, position + 1) else mapped(t, fused) for i, t in enumerate(trees)
        ]
        return _program(program, trees, statements)  # one pair at a time: simple bookkeeping
    return None


def exp_clamped(u: Tree) -> Tree:
    """``exp(min(u, 709))``: finite for every ``u``, exact below the clamp (fast also where
    ``u`` is far below -708, see the numpy target's ``_exp709``)."""
    return ("call", "exp709", (u,))
