"""Derivatives that reuse structure: one sweep per shape, renamed for every repeat.

A model that repeats one formula over many indices (the terms of an extended Rosenbrock sum,
the rows of a stencil's Jacobian) is differentiated once per *shape* (``symdiff.core.shapes``):
a template with slot symbols is swept, and each repeat gets the template's derivatives with
its own symbols put in by ``rename``.  An injective renaming commutes with differentiation and
with canonical construction, so the nodes are the ones the per-root sweeps build (the tests
compare them entry by entry).  Roots without a shape, or whose shape occurs once, take the
per-root path.
"""

from __future__ import annotations

from collections.abc import Sequence

from symdiff.calculus.reverse import adjoints, finish, multiply_out, sweep
from symdiff.calculus.sparsity import hessian_rows
from symdiff.core.constructors import add
from symdiff.core.nary import Add
from symdiff.core.nodes import ZERO, Expr, Num, Sym
from symdiff.core.shapes import Shape, Shapes, Template, rename, slots
from symdiff.core.traverse import postorder

#: Fewest terms of a sum worth grouping (below this the plain sweep is as cheap).
MIN_TERMS = 8


def is_long_sum(f: Expr) -> bool:
    """Whether ``Terms`` is worth building for ``f``."""
    return type(f) is Add and len(f.args) >= MIN_TERMS


class Terms:
    """The terms of a long sum ``f`` grouped by shape, for its gradient and Hessian pattern.

    A term is grouped only when it shares no node but symbols and numbers with the other
    terms (else its nodes' adjoints would gather from several terms); each group's template
    is swept once and its results renamed into every member's.
    """

    def __init__(self, f: Expr, variables: Sequence[Sym]) -> None:
        self.variables = tuple(variables)
        self.wanted = wanted = set(variables)
        terms = f.args
        order = postorder(f)
        tangled = _entangled(f, order)
        self.shapes = shapes = Shapes()
        groups: dict[tuple[object, ...], list[tuple[int, Shape]]] = {}
        for i, shape in enumerate(shapes.of_all(terms, order)):
            if i in tangled:
                continue
            if shape is not None:
                mask = tuple(s in wanted for s in shape.symbols)
                groups.setdefault((shape.key, mask), []).append((i, shape))
        grouped = [members for members in groups.values() if len(members) > 1]
        taken = {i for members in grouped for i, _ in members}
        self.direct = [t for i, t in enumerate(terms) if i not in taken]
        #: per group: the template, the positions of its slots that are variables, and each
        #: member's symbols
        self.groups: list[tuple[Expr, list[int], list[tuple[Sym, ...]]]] = []
        for members in grouped:
            first = members[0][1]
            holes = slots(len(first.symbols))
            template = rename([terms[members[0][0]]], dict(zip(first.symbols, holes, strict=True)))
            active = [k for k, s in enumerate(first.symbols) if s in wanted]
            self.groups.append((template[0], active, [shape.symbols for _, shape in members]))

    def adjoints(self) -> dict[Sym, Expr]:
        """``adjoints(f, variables)``: the same nodes."""
        parts = sweep(self.direct, self.wanted)
        for template, active, members in self.groups:
            holes = slots(len(members[0]))
            found = sweep([template], {holes[k] for k in active})
            targets = [hole for hole, items in found.items() for _ in items]
            exprs = Template([multiply_out(i) for items in found.values() for i in items], holes)
            where = [holes.index(hole) for hole in targets]
            for symbols in members:
                for k, expr in zip(where, exprs.instance(symbols), strict=True):
                    parts.setdefault(symbols[k], []).append(expr)
        return finish(parts)

    def hessian_rows(self) -> dict[int, set[int]]:
        """``hessian_rows([f], variables)``: each row's columns of the Hessian pattern."""
        index = {v: i for i, v in enumerate(self.variables)}
        rows = hessian_rows(self.direct, self.variables) if self.direct else {}
        for template, active, members in self.groups:
            holes = slots(len(members[0]))
            found = hessian_rows([template], [holes[k] for k in active])
            pairs = [(active[i], active[j]) for i, cols in found.items() for j in cols]
            for symbols in members:
                for a, b in pairs:
                    rows.setdefault(index[symbols[a]], set()).add(index[symbols[b]])
        return rows

    def hessian(self) -> dict[tuple[int, int], Expr] | None:
        """The nonzero upper-triangle entries ``(r, c): H[r, c]`` (``r <= c``), or None when
        some terms are not grouped (then the caller sweeps the gradient's rows).

        Each group's template Hessian is built once, both orientations of every pair
        (``d(d f/d a)/d b`` and ``d(d f/d b)/d a``), and renamed into every member; entry
        ``(r, c)`` takes the orientation the row sweep takes (``d(d f/d x_r)/d x_c``) and sums
        the members' parts, so neither the gradient nor its rows' shapes are needed."""
        if self.direct:
            return None
        index = {v: i for i, v in enumerate(self.variables)}
        parts: dict[tuple[int, int], list[Expr]] = {}
        for template, active, members in self.groups:
            holes = slots(len(members[0]))
            wrt = [holes[k] for k in active]
            gradient = adjoints(template, wrt)
            pairs: list[tuple[int, int]] = []
            entries: list[Expr] = []
            for a in active:
                if holes[a] not in gradient:
                    continue
                row = adjoints(gradient[holes[a]], wrt)
                for b in active:
                    entry = row.get(holes[b], ZERO)
                    if entry is not ZERO:
                        pairs.append((a, b))
                        entries.append(entry)
            renamed = Template(entries, holes)
            for symbols in members:
                for (a, b), entry in zip(pairs, renamed.instance(symbols), strict=True):
                    r, c = index[symbols[a]], index[symbols[b]]
                    if r <= c:
                        parts.setdefault((r, c), []).append(entry)
        table = {}
        for key, found in parts.items():
            entry = found[0] if len(found) == 1 else add(*found)
            if entry is not ZERO:
                table[key] = entry
        return table


def term_adjoints(f: Expr, variables: Sequence[Sym]) -> dict[Sym, Expr]:
    """``adjoints(f, variables)``, with the terms of a long sum ``f`` grouped by shape."""
    return Terms(f, variables).adjoints() if is_long_sum(f) else adjoints(f, variables)


def _entangled(f: Expr, order: list[Expr] | None = None) -> set[int]:
    """Indices of the terms of ``f`` that share a node other than a symbol or number.

    One pass parents first: each node takes the term it was reached from; a node reached
    from two terms marks both (and every term reaching its descendants)."""
    owner: dict[Expr, int] = {term: i for i, term in enumerate(f.args)}
    tangled: set[int] = set()
    for node in reversed(postorder(f) if order is None else order):
        mine = owner.get(node)
        if mine is None:
            continue
        for child in node.args:
            if not child.args:
                continue  # symbols and numbers may be shared freely
            theirs = owner.get(child)
            if theirs is None:
                owner[child] = mine
            elif theirs != mine:
                tangled.update(i for i in (mine, theirs) if i >= 0)
                owner[child] = -1
    return tangled


def row_adjoints(
    rows: Sequence[tuple[Expr, Sequence[Sym]]], shapes: Shapes | None = None
) -> list[dict[Sym, Expr]]:
    """``adjoints(row, columns)`` for each ``(row, columns)``, one sweep per shape (``shapes``:
    the shapes known already, such as those of the terms the rows were built from)."""
    shapes = Shapes() if shapes is None else shapes
    groups: dict[tuple[int, tuple[int, ...]], list[tuple[int, Shape]]] = {}
    results: list[dict[Sym, Expr] | None] = [None] * len(rows)
    for r, (row, columns) in enumerate(rows):
        shape = shapes.of(row) if not isinstance(row, Num | Sym) else None
        if shape is not None:
            where = {s: k for k, s in enumerate(shape.symbols)}
            if all(c in where for c in columns):
                key = (shape.key, tuple(sorted(where[c] for c in columns)))
                groups.setdefault(key, []).append((r, shape))
                continue
        results[r] = adjoints(row, columns)
    for (_, positions), members in groups.items():
        if len(members) == 1:
            r = members[0][0]
            results[r] = adjoints(*rows[r])
            continue
        first = members[0][1]
        holes = slots(len(first.symbols))
        template = rename([rows[members[0][0]][0]], dict(zip(first.symbols, holes, strict=True)))
        wrt = [holes[k] for k in positions]
        table = adjoints(template[0], wrt)
        entries = Template([table.get(h, ZERO) for h in wrt], holes)
        for r, shape in members:
            symbols = shape.symbols
            results[r] = {
                symbols[k]: e
                for k, e in zip(positions, entries.instance(symbols), strict=True)
                if e is not ZERO
            }
    return [{} if t is None else t for t in results]
