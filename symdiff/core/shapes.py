"""Shapes: an expression's structure with its symbols as numbered slots, for structure reuse.

Models repeat one formula over many indices (``100*(x[i+1] - x[i]**2)**2`` for every ``i``).
``Shapes.of(root)`` gives the root's *shape*: a hashable key of its DAG with every symbol a
slot (numbered by first occurrence in a deterministic walk; numbers and function names kept),
and the symbols that fill the slots.  Two roots with equal keys are the same formula up to an
injective renaming of symbols and the order of the arguments of sums and products: work done
once on a template (a derivative, generated code) serves every root of the shape, through
``rename``.  The arguments of sums and products are walked in the order of their *anonymous*
shapes (which do not depend on names), so that ``a*u[i-1] + a*u[i+1]`` has one shape
whatever the names; a root of more than ``cap`` symbols has no shape (None): callers fall back
to per-root work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from symdiff.core.nary import Add, Mul, ordered
from symdiff.core.nodes import Call, Expr, Pow, Sym
from symdiff.core.traverse import postorder, postorder_missing

#: Most distinct symbols in one shape (bigger roots, such as the entries of a long loop's
#: gradient, get none and fall back to per-root work).
CAP = 48
_SYMBOL = 0  # the shape id of every symbol


class Shape(tuple[int, tuple[Sym, ...]]):
    """A root's shape ``(key, symbols)``: equal keys, same formula; slot ``k`` holds
    ``symbols[k]``."""

    __slots__ = ()

    @property
    def key(self) -> int:
        return self[0]

    @property
    def symbols(self) -> tuple[Sym, ...]:
        return self[1]


class Shapes:
    """Shapes of many roots, each node's remembered (roots share nodes).

    A node's shape is built from its arguments': ``(head, (shape, links) per argument)``,
    where ``links`` place the argument's slots among the node's, and the arguments of sums
    and products come in the order of their shapes (stable): an id from that tuple, interned.
    """

    def __init__(self, cap: int = CAP) -> None:
        self.cap = cap
        self._memo: dict[Expr, tuple[int, tuple[Sym, ...]] | None] = {}
        self._ids: dict[tuple[Any, ...], int] = {(Sym,): _SYMBOL}

    def of(self, root: Expr) -> Shape | None:
        """The shape of ``root``, or None when it holds more than ``cap`` symbols."""
        memo = self._memo
        found = memo.get(root, memo)
        if found is memo:
            self._walk(root)
            found = memo[root]
        return None if found is None else Shape(found)  # type: ignore[arg-type]

    def of_all(self, roots: Sequence[Expr], parent_order: Sequence[Expr] | None = None
               ) -> list[Shape | None]:  # fmt: skip
        """``[self.of(r) for r in roots]``, in one walk over all of them (many small roots,
        such as the terms of a long sum, cost one traversal instead of one each).
        ``parent_order``: the postorder of the node whose arguments ``roots`` are, when the
        caller has it (its last node, the parent itself, is not walked)."""
        memo = self._memo
        if parent_order is not None:
            order = parent_order[:-1]
        else:
            order = postorder(*(r for r in roots if r not in memo))
        self._walk_nodes([n for n in order if n not in memo])
        found = [memo[r] for r in roots]
        return [None if f is None else Shape(f) for f in found]

    def _walk(self, root: Expr) -> None:
        self._walk_nodes(postorder_missing(root, self._memo))

    def _walk_nodes(self, nodes: list[Expr]) -> None:
        """Shapes of ``nodes``, a postorder whose other nodes' shapes are known."""
        memo, ids, cap = self._memo, self._ids, self.cap
        for node in nodes:
            kind = type(node)
            if kind is Sym:
                memo[node] = (_SYMBOL, (node,))  # type: ignore[assignment]
                continue
            args = node.args
            if not args:
                memo[node] = (ids.setdefault((node,), len(ids)), ())
                continue
            if len(args) == 1:  # a call of one argument: its slots in their own order
                kid = memo[args[0]]
                if kid is None:
                    memo[node] = None
                    continue
                key, symbols = kid
                links = _links(len(symbols))
                token1 = (node.name if kind is Call else kind, key, links)  # type: ignore[attr-defined]
                memo[node] = (ids.setdefault(token1, len(ids)), symbols)
                continue
            kids = [memo[a] for a in args]
            if None in kids:
                memo[node] = None
                continue
            if kind is Add or kind is Mul:
                kids.sort(key=_first)  # type: ignore[arg-type]
            where: dict[Sym, int] = {}
            put = where.setdefault
            token: list[Any] = [node.name if kind is Call else kind]  # type: ignore[attr-defined]
            for key, symbols in kids:  # type: ignore[misc]
                token.append(key)
                count = len(symbols)
                if count == 1:
                    token.append(put(symbols[0], len(where)))
                elif not count:
                    token.append(())
                else:
                    token.append(tuple([put(s, len(where)) for s in symbols]))
            if len(where) > cap:
                memo[node] = None
                continue
            memo[node] = (ids.setdefault(tuple(token), len(ids)), tuple(where))


_first = itemgetter(0)
_LINKS: dict[int, Any] = {0: (), 1: 0}


def _links(count: int) -> Any:
    """The links of an only argument's ``count`` slots: as the general walk writes them."""
    found = _LINKS.get(count)
    if found is None:
        found = _LINKS[count] = tuple(range(count))
    return found


def slots(count: int) -> tuple[Sym, ...]:
    """The symbols of a template's slots (any names do: ``rename`` replaces all at once)."""
    return tuple(Sym(f"_slot{k}") for k in range(count))


def rename(roots: Sequence[Expr], mapping: Mapping[Sym, Sym]) -> list[Expr]:
    """``roots`` with symbols replaced at once by ``mapping``, which must be injective.

    An injective renaming keeps a canonical expression canonical except for the order of the
    arguments of sums and products (sorted by digest, which depends on names), so each node is
    rebuilt with the raw constructors after one sort: the nodes the constructors would build,
    without their collecting and folding.
    """
    holes = tuple(mapping)
    return Template(roots, holes).instance([mapping[h] for h in holes])


class Template:
    """Expressions over slot symbols, ready to be renamed many times (``rename`` precompiled:
    one step per node that holds a slot, nothing walked per instance)."""

    def __init__(self, roots: Sequence[Expr], holes: Sequence[Sym]) -> None:
        place: dict[Expr, int] = {h: k for k, h in enumerate(holes)}
        constants: list[Expr] = []
        steps: list[tuple[Any, str, tuple[_Index, ...]]] = []
        later: list[Expr] = []
        for node in postorder(*roots):
            if node in place:
                continue
            if not node.args or all(a not in place for a in node.args):
                later.append(node)  # no slot beneath: itself in every instance
                continue
            name = node.name if isinstance(node, Call) else ""
            steps.append((type(node), name, tuple(_index(a, place) for a in node.args)))
            place[node] = -len(steps)  # fixed below, once the constants are counted
        # value list of an instance: slots, then constants, then one per step
        count = len(holes)
        fixed: dict[Expr, int] = {}
        for node in later:
            if node not in fixed:
                fixed[node] = count + len(constants)
                constants.append(node)
        offset = count + len(constants)
        self._steps = [
            (kind, name, tuple(_resolve(i, fixed, offset) for i in kids))
            for kind, name, kids in steps
        ]
        self._constants = constants
        self._outputs = [_resolve(_index(r, place), fixed, offset) for r in roots]

    def instance(self, symbols: Sequence[Expr]) -> list[Expr]:
        """The roots with slot ``k`` renamed to ``symbols[k]`` (distinct symbols)."""
        values: list[Expr] = [*symbols, *self._constants]
        push = values.append
        for kind, name, kids in self._steps:
            args = tuple([values[i] for i in kids])
            if kind is Add or kind is Mul:
                push(kind._raw(ordered(args)))
            elif kind is Pow:
                push(Pow._raw(*args))
            else:
                push(Call._raw(name, args))
        return [values[i] for i in self._outputs]


# An argument's place while a template is built: a slot (k >= 0), a step (-1, -2, ...), or a
# constant (recorded in ``later``, resolved by identity).
_Index = int | Expr


def _index(node: Expr, place: dict[Expr, int]) -> _Index:
    found = place.get(node)
    return node if found is None else found


def _resolve(index: _Index, fixed: dict[Expr, int], offset: int) -> int:
    if isinstance(index, Expr):
        return fixed[index]
    return index if index >= 0 else offset + (-index - 1)
