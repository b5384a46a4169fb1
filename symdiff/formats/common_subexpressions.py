"""Common-subexpression form of shared DAGs: ``t0 = ...; t1 = ...; result = ...``.

Hash-consing already made the sharing explicit, so no search is needed: a node is named when
it has two or more parents among the roots (or is itself a root used inside another), and the
bindings come out in dependency order in one linear pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from symdiff.core.nodes import Expr, Num, Sym
from symdiff.core.traverse import free_symbols, postorder


def parent_counts(roots: Sequence[Expr]) -> dict[Expr, int]:
    """How many times each node is used as an argument (plus once per appearance as a root)."""
    counts: dict[Expr, int] = {}
    for node in postorder(*roots):
        for arg in node.args:
            counts[arg] = counts.get(arg, 0) + 1
    for root in roots:
        counts[root] = counts.get(root, 0) + 1
    return counts


def _fresh_names(prefix: str, taken: Iterable[str]) -> Iterator[str]:
    used = set(taken)
    index = 0
    while True:
        name = f"{prefix}{index}"
        index += 1
        if name not in used:
            yield name


def cse(
    exprs: Any, prefix: str = "t", min_size: int = 1
) -> tuple[list[tuple[Sym, Expr]], list[Expr]]:
    """Bindings ``[(t0, e0), ...]`` in dependency order, and the roots rewritten over them.

    Shared non-atomic nodes get a name; ``min_size`` is the smallest number of arguments a shared
    node must have to be named.  Substituting the bindings back in order gives the roots.
    """
    roots = [exprs] if isinstance(exprs, Expr) else list(exprs)
    counts = parent_counts(roots)
    names = _fresh_names(prefix, (s.name for s in free_symbols(*roots)))
    replaced: dict[Expr, Expr] = {}
    bindings: list[tuple[Sym, Expr]] = []
    for node in postorder(*roots):
        args = [replaced[a] for a in node.args]
        rebuilt = (
            node
            if all(a is b for a, b in zip(args, node.args, strict=True))
            else (node.rebuild(args))
        )
        shared = counts.get(node, 0) > 1 and len(node.args) >= min_size
        if shared and not isinstance(node, Sym | Num) and node.args:
            name = Sym(next(names))
            bindings.append((name, rebuilt))
            replaced[node] = name
        else:
            replaced[node] = rebuilt
    return bindings, [replaced[r] for r in roots]


def cse_text(exprs: Any, labels: Sequence[str] | None = None) -> str:
    """The CSE form as text, one binding per line, then ``label = expr`` for each root."""
    bindings, reduced = cse(exprs)
    labels = labels or (["result"] if len(reduced) == 1 else [f"r{i}" for i in range(len(reduced))])
    lines = [f"{name.name} = {value}" for name, value in bindings]
    lines += [f"{label} = {value}" for label, value in zip(labels, reduced, strict=True)]
    return "\n".join(lines)
