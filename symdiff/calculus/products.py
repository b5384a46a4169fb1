"""Jacobian-vector, vector-Jacobian and Hessian-vector products as expressions.

``jvp_expr(fs, xs, vs)`` is ``J v``, built by one symbolic *tangent* sweep: each node's
tangent is the chain rule over its arguments' tangents (the local partials of
``symdiff.calculus.partials``), so it costs a small constant times ``fs``, however many
variables.  ``vjp_expr(fs, xs, ws)`` is ``w^T J``, one reverse sweep of ``sum(w_k f_k)``.
``hvp(f, xs, vs)`` is ``H v`` by reverse-over-forward: the gradient of the directional
derivative ``grad(f) . v`` (one tangent sweep, then one reverse sweep), never forming ``H``.
With sharing, ``f`` and ``H v`` together take O(ops(f)) operations: 2.5x on sums of
separable terms (Rosenbrock), up to ~9x where canonical n-ary products are differentiated
twice (``log(sum(sin(x_i)*cos(x_j)))``); forward-over-reverse measured no better.

(``symdiff.jvp`` and ``symdiff.vjp`` are the same products evaluated at a point, by AD.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from symdiff.calculus.partials import chain_rule
from symdiff.calculus.reuse import Terms, is_long_sum
from symdiff.calculus.reverse import Vector, adjoints, variables_of
from symdiff.core.constructors import add, as_expr, mul
from symdiff.core.nodes import ZERO, Expr, Num, Sym
from symdiff.core.shapes import Template, slots
from symdiff.core.traverse import collection_paused, free_symbols, postorder, substitute


def _vector(values: Any, length: int, what: str) -> list[Expr]:
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    items = [Sym(v) if isinstance(v, str) else as_expr(v) for v in values]
    if len(items) != length:
        raise ValueError(f"{what} has {len(items)} entries, expected {length}")
    return items


def _held_constant(
    values: list[Expr], variables: Sequence[Sym], *roots: Expr
) -> tuple[list[Expr], dict[Sym, Expr]]:
    """``values`` with a fresh symbol in place of each entry that is not a plain symbol
    outside ``variables`` (so a sweep does not differentiate it), and the map back."""
    taken = {s.name for s in free_symbols(*roots, *values)}
    variable_set = set(variables)  # a list would make this loop quadratic in the variables
    held: list[Expr] = []
    back: dict[Sym, Expr] = {}
    for i, value in enumerate(values):
        if isinstance(value, Num) or (isinstance(value, Sym) and value not in variable_set):
            held.append(value)
            continue
        name, k = f"_held{i}", 0
        while name in taken:
            k, name = k + 1, f"_held{i}_{k + 1}"
        symbol = Sym(name)
        held.append(symbol)
        back[symbol] = value
    return held, back


def _restore(entries: list[Expr], back: dict[Sym, Expr]) -> list[Expr]:
    return [substitute(e, back) for e in entries] if back else entries


@collection_paused
def tangents(roots: Sequence[Expr], direction: dict[Sym, Expr]) -> list[Expr]:
    """The directional derivative of each root along ``direction`` (symbol -> tangent)."""
    tangent: dict[Expr, Expr] = {}
    for node in postorder(*roots):
        if not node.args:
            tangent[node] = direction.get(node, ZERO)  # type: ignore[call-overload]
            continue
        dargs = [tangent[a] for a in node.args]
        tangent[node] = ZERO if all(d is ZERO for d in dargs) else chain_rule(node, dargs)
    return [tangent[root] for root in roots]


def jvp_expr(fs: Sequence[Expr], vars: Any, vs: Any) -> Vector:
    """``J v``: ``sum_j d f_k / d x_j * v_j`` for each output ``f_k``, as one shared DAG.

    ``vs`` are expressions or names (``"v1 v2"``), one per variable.
    """
    variables = variables_of(vars, *fs)
    direction = dict(zip(variables, _vector(vs, len(variables), "vs"), strict=True))
    outputs = [Sym(f"f{k}") for k in range(len(fs))]
    return Vector(tangents(fs, direction), outputs)


def vjp_expr(fs: Sequence[Expr], vars: Any, ws: Any) -> Vector:
    """``w^T J``: ``sum_k w_k * d f_k / d x_j`` for each variable ``x_j`` (one reverse sweep)."""
    variables = variables_of(vars, *fs)
    weights, back = _held_constant(_vector(ws, len(fs), "ws"), variables, *fs)
    table = adjoints(add(*(mul(w, f) for w, f in zip(weights, fs, strict=True))), variables)
    return Vector(_restore([table.get(v, ZERO) for v in variables], back), variables)


@collection_paused
def hvp(f: Expr, vars: Any, vs: Any, *, reuse: bool = True) -> Vector:
    """``H v``, the Hessian of ``f`` times ``vs``: the gradient of ``grad(f) . v`` (no
    Hessian built).  With ``reuse``, a long sum whose directions are distinct symbols (as
    ``compile_objective``'s ``hessp`` gives) is swept once per shape of its terms."""
    variables = variables_of(vars, f)
    held, back = _held_constant(_vector(vs, len(variables), "vs"), variables, f)
    direction = dict(zip(variables, held, strict=True))
    distinct = len(set(held)) == len(held) and all(type(h) is Sym for h in held)
    if reuse and distinct and is_long_sum(f):
        table = _term_hvp(Terms(f, variables), direction)
    else:
        (slope,) = tangents([f], direction)
        table = adjoints(slope, variables)
    return Vector(_restore([table.get(v, ZERO) for v in variables], back), variables)


def _term_hvp(terms: Terms, direction: dict[Sym, Expr]) -> dict[Sym, Expr]:
    """``H v`` of a long sum, term by term: each group's template gets direction slots, is
    swept once, and its entries are renamed into every member (directions: distinct
    symbols, none a variable, so the renaming is injective)."""
    parts: dict[Sym, list[Expr]] = {}
    if terms.direct:
        direct = add(*terms.direct)
        (slope,) = tangents([direct], direction)
        for v, e in adjoints(slope, terms.variables).items():
            parts.setdefault(v, []).append(e)
    for template, active, members in terms.groups:
        holes = slots(len(members[0]) + len(active))
        places, pointing = holes[: len(members[0])], holes[len(members[0]) :]
        (slope,) = tangents(
            [template], {places[k]: d for k, d in zip(active, pointing, strict=True)}
        )
        found = adjoints(slope, [places[k] for k in active])
        wrt = [k for k in active if places[k] in found]
        renamed = Template([found[places[k]] for k in wrt], holes)
        for symbols in members:
            values = [*symbols, *(direction[symbols[k]] for k in active)]
            for k, entry in zip(wrt, renamed.instance(values), strict=True):
                parts.setdefault(symbols[k], []).append(entry)
    return {v: got[0] if len(got) == 1 else add(*got) for v, got in parts.items()}
