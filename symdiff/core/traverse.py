"""Iterative walks over expression DAGs: each node visited once, no recursion limits."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import attrgetter

from symdiff.core.constructors import as_expr
from symdiff.core.nodes import Expr, Sym
from symdiff.core.typing_lite import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from typing import Any

T = TypeVar("T")


def postorder(*roots: Expr) -> list[Expr]:
    """All nodes reachable from ``roots``, children before parents, each node once.

    ``postorder_by`` over ``node.args``, written for nodes: they hash by identity, so the set
    holds them directly (no ``id`` calls), and atoms are finished without a second visit.
    """
    out: list[Expr] = []
    seen: set[Expr] = set()
    stack: list[tuple[Expr, bool]] = [(root, False) for root in reversed(roots)]
    push, pop, mark, emit = stack.append, stack.pop, seen.add, out.append
    while stack:
        node, expanded = pop()
        if expanded:
            emit(node)
            continue
        if node in seen:
            continue
        mark(node)
        args = node.args
        if not args:
            emit(node)
            continue
        push((node, True))
        stack.extend([(a, False) for a in reversed(args) if a not in seen])
    return out


def postorder_missing(root: Expr, known: Mapping[Expr, object]) -> list[Expr]:
    """Postorder of the nodes under ``root`` that are not keys of ``known`` (nor below one)."""
    out: list[Expr] = []
    seen: set[int] = set()
    stack: list[tuple[Expr, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            out.append(node)
        elif id(node) not in seen and node not in known:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((a, False) for a in reversed(node.args))
    return out


def postorder_by(roots: Iterable[Expr], children: Callable[[Expr], Sequence[Expr]]) -> list[Expr]:
    """``postorder`` over the edges ``children(node)`` instead of ``node.args`` (a lowered
    graph, the rules of a derivative plan), visiting children in their given order."""
    out: list[Expr] = []
    seen: set[Expr] = set()  # nodes hash by identity
    stack: list[tuple[Expr, bool]] = [(root, False) for root in reversed(tuple(roots))]
    push, pop, mark, emit = stack.append, stack.pop, seen.add, out.append
    while stack:
        node, expanded = pop()
        if expanded:
            emit(node)
            continue
        if node in seen:
            continue
        mark(node)
        edges = children(node)
        if not edges:
            emit(node)
            continue
        push((node, True))
        stack.extend([(a, False) for a in reversed(edges) if a not in seen])
    return out


_ARGS: Callable[[Expr], Sequence[Expr]] = attrgetter("args")


def fold(
    root: Expr,
    visit: Callable[[Expr, list[T]], T],
    memo: dict[Expr, T] | None = None,
) -> T:
    """``memo[node] = visit(node, [memo[a] for a in node.args])`` over the DAG, bottom-up."""
    memo = {} if memo is None else memo
    for node in postorder(root):
        if node not in memo:
            memo[node] = visit(node, [memo[a] for a in node.args])
    return memo[root]


def fold_once(
    root: Expr, visit: Callable[[Expr, list[T]], T], order: list[Expr] | None = None
) -> T:
    """``fold`` that forgets each result after its last parent used it (O(width) memory).

    Use it when results are big (printed text) and only the root's is wanted.  ``order`` is
    ``postorder(root)`` when the caller has it already.
    """
    if order is None:
        order = postorder(root)
    uses_left: dict[Expr, int] = {}
    for node in order:
        for arg in node.args:
            uses_left[arg] = uses_left.get(arg, 0) + 1
    memo: dict[Expr, T] = {}
    for node in order:
        args = [memo[a] for a in node.args]
        for arg in node.args:
            uses_left[arg] -= 1
            if not uses_left[arg]:
                del memo[arg]
        memo[node] = visit(node, args)
    return memo[root]


def substitute(root: Expr, mapping: Mapping[Any, Any]) -> Expr:
    """Replace subexpressions (symbols given by name or node) and re-canonicalise."""
    replace: dict[Expr, Expr] = {}
    for key, value in mapping.items():
        replace[Sym(key) if isinstance(key, str) else as_expr(key)] = as_expr(value)

    def visit(node: Expr, args: list[Expr]) -> Expr:
        if node in replace:
            return replace[node]
        if all(a is b for a, b in zip(args, node.args, strict=True)):
            return node
        return node.rebuild(args)

    return fold(root, visit)


def free_symbols(*roots: Expr) -> tuple[Sym, ...]:
    """The symbols occurring in ``roots``, sorted by name."""
    found = {node for node in postorder(*roots) if isinstance(node, Sym)}
    return tuple(sorted(found, key=lambda s: s.name))


def dag_size(*roots: Expr) -> int:
    """Number of distinct nodes (the size of the shared DAG)."""
    return len(postorder(*roots))


def tree_size(root: Expr) -> int:
    """Number of nodes of the expression written out as a tree (may be astronomically big)."""
    return fold(root, lambda node, sizes: 1 + sum(sizes))


def depends_on(
    roots: Iterable[Expr], variables: Iterable[Sym], order: list[Expr] | None = None
) -> set[Expr]:
    """The nodes under ``roots`` that contain any of ``variables`` (``order``: their
    ``postorder``, when the caller has it already)."""
    wanted = set(variables)
    result: set[Expr] = set()
    add = result.add
    for node in postorder(*roots) if order is None else order:
        if node in wanted:
            add(node)
            continue
        for a in node.args:
            if a in result:
                add(node)
                break
    return result


@contextmanager
def no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector during work that allocates many acyclic objects.

    Nodes are immutable and made after their arguments, so they never form cycles: the
    collector's passes over a growing DAG (a full one rescans every node, up to 1 s on a
    50,000-state model) find nothing.  Nested uses are fine: only the outermost re-enables.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collection_paused(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` run under ``no_collection`` (for derivative sweeps over large DAGs)."""

    @functools.wraps(function)
    def paused(*args: Any, **kwargs: Any) -> T:
        with no_collection():
            return function(*args, **kwargs)

    return paused
