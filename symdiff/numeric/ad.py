"""Automatic differentiation at a point: forward mode (dual numbers) and reverse mode (adjoints).

Both walk the expression DAG itself, each shared node once, with the numeric local partials
of ``symdiff.numeric.point_partials``. Forward mode carries a (value, tangent) pair through one
pass and gives one directional derivative (``jvp``); reverse mode stores every value in one
pass, then accumulates adjoints from the output back to the inputs in a second pass and gives every
partial at once (``vjp``, ``grad_at``)::

    >>> grad_at("x**2*y + y + 2", {"x": 3, "y": 4})
    {'x': 24.0, 'y': 10.0}

Nodes that do not depend on the chosen variables carry a symbolic zero: their partials are
never computed (JAX's symbolic zero, the same one ``diff`` uses), which also keeps ``x**2``
defined at negative ``x``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from symdiff.calculus.reverse import fresh_symbol, with_symbol_for
from symdiff.core.errors import SymdiffError
from symdiff.core.nodes import Expr, Sym
from symdiff.core.traverse import postorder
from symdiff.numeric.evaluation import evaluate_all
from symdiff.numeric.point_partials import live_arguments, numeric_partials

Point = Mapping[Any, float]


def as_point(point: Point) -> dict[str, float]:
    """``{"x": 3.0}`` from a mapping keyed by names or symbols (the order is kept)."""
    result: dict[str, float] = {}
    for key, value in point.items():
        result[key.name if isinstance(key, Sym) else str(key)] = float(value)
    return result


def _roots(f: Any) -> list[Expr]:
    from symdiff.formats.parser import parse_any

    if isinstance(f, Expr | str):
        return [parse_any(f)]
    return [parse_any(item) for item in f]


@dataclass(frozen=True)
class ForwardSweep:
    """One forward-mode pass: every node's value and tangent along ``direction``."""

    root: Expr
    order: list[Expr]
    values: dict[Expr, float]
    tangents: dict[Expr, float]
    direction: dict[str, float]

    @property
    def value(self) -> float:
        """The value of the output."""
        return self.values[self.root]

    @property
    def derivative(self) -> float:
        """The directional derivative of the output along ``direction``."""
        return self.tangents[self.root]


@dataclass(frozen=True)
class ReverseSweep:
    """One reverse-mode pass: every node's value (forward) and adjoint (backward).

    ``adjoints`` holds the nodes that depend on the ``wrt`` inputs (and the outputs); the
    adjoint of any other node is never needed, so it is not computed.
    """

    roots: list[Expr]
    order: list[Expr]
    values: dict[Expr, float]
    adjoints: dict[Expr, float]
    wrt: list[str]
    point: dict[str, float] = field(default_factory=dict)
    cotangents: list[float] = field(default_factory=list)

    @property
    def value(self) -> float:
        """The value of the (first) output."""
        return self.values[self.roots[0]]

    def adjoint_of(self, node: Any) -> float:
        """The adjoint of any sub-expression the user built, also one that flattening absorbed
        (``b = p*n; c = b*t``: ``c`` is the node ``n*p*t``, yet ``adjoint_of(b)`` is ``t``).

        ``adjoints`` holds the nodes of the DAG; this puts a fresh symbol in place of ``node``
        in every output (``symdiff.calculus.reverse.with_symbol_for``) and sweeps by it.
        """
        (node,) = _roots([node])
        symbol = fresh_symbol(*self.roots, node)
        outputs, missing = [], []
        for root in self.roots:
            try:
                outputs.append(with_symbol_for(root, node, symbol)[0])
            except SymdiffError as error:  # this output does not use it
                outputs.append(root)
                missing.append(error)
        if len(missing) == len(self.roots):
            raise missing[0]
        point = {**self.point, symbol.name: evaluate_all([node], self.point)[node]}
        sweep = reverse_sweep(outputs, point, [symbol.name], self.cotangents or 1.0)
        return sweep.gradient[symbol.name]

    @property
    def gradient(self) -> dict[str, float]:
        """The adjoint of each input named in ``wrt``: the partial derivatives."""
        return {name: self.adjoints.get(Sym(name), 0.0) for name in self.wrt}


def forward_sweep(f: Any, point: Point, direction: Mapping[Any, float]) -> ForwardSweep:
    """Values and tangents of every node of ``f`` at ``point`` along ``direction`` (one pass)."""
    (root,) = _roots(f)
    values_at = as_point(point)
    seeds = as_point(direction)
    live = live_arguments([root], [Sym(name) for name in seeds])
    order = postorder(root)
    values = evaluate_all([root], values_at, order)
    tangents: dict[Expr, float] = {}
    for node in order:
        args = [values[a] for a in node.args]
        value = values[node]
        if node not in live:
            tangents[node] = 0.0
        elif value != value:  # nan: a failed node in a branch no where takes (evaluate_all)
            tangents[node] = math.nan
        elif isinstance(node, Sym):
            tangents[node] = seeds[node.name]
        else:
            wanted = live[node]
            partials = numeric_partials(node, args, value, wanted)
            tangents[node] = (
                sum(
                    p * tangents[a]
                    for p, a, w in zip(partials, node.args, wanted, strict=True)
                    if w and p != 0  # 0 times the tangent of a branch not taken (nan) is 0
                )
                + 0.0
            )
    return ForwardSweep(root, order, values, tangents, seeds)


def jvp(f: Any, point: Point, direction: Mapping[Any, float]) -> tuple[float, float]:
    """``(f(point), directional derivative of f along direction)`` by forward mode.

    ``direction`` maps variable names to tangent components; missing names are 0.
    """
    sweep = forward_sweep(f, point, direction)
    return sweep.value, sweep.derivative


def reverse_sweep(
    f: Any,
    point: Point,
    wrt: Sequence[str] | None = None,
    cotangent: float | Sequence[float] = 1.0,
) -> ReverseSweep:
    """Values (forward pass) and adjoints (backward pass) of every node of ``f`` at ``point``.

    ``f`` is one expression or a sequence of them; ``cotangent`` seeds the adjoint of each
    output.  ``wrt`` names the inputs of interest (default: every name in ``point``).
    """
    roots = _roots(f)
    values_at = as_point(point)
    names = list(values_at) if wrt is None else [str(name) for name in wrt]
    seeds = [float(cotangent)] * len(roots) if isinstance(cotangent, int | float) else cotangent
    if len(seeds) != len(roots):
        raise ValueError(f"{len(roots)} outputs but {len(seeds)} cotangents")
    live = live_arguments(roots, [Sym(name) for name in names])
    order = postorder(*roots)
    values = evaluate_all(roots, values_at, order)
    adjoints: dict[Expr, float] = {}
    for root, seed in zip(roots, seeds, strict=True):
        adjoints[root] = adjoints.get(root, 0.0) + float(seed)
    for node in reversed(order):
        if node not in live:
            continue
        adjoint = adjoints.setdefault(node, 0.0)
        if not node.args or values[node] != values[node]:  # nan: in a branch not taken
            continue
        args = [values[a] for a in node.args]
        wanted = live[node]
        partials = numeric_partials(node, args, values[node], wanted)
        for a, p, w in zip(node.args, partials, wanted, strict=True):
            if w:
                adjoints[a] = adjoints.get(a, 0.0) + adjoint * p
    return ReverseSweep(roots, order, values, adjoints, names, values_at, list(seeds))


def vjp(
    f: Any, point: Point, cotangent: float | Sequence[float] = 1.0, wrt: Sequence[str] | None = None
) -> tuple[list[float], dict[str, float]]:
    """``(output values, sum_k cotangent[k] * gradient of f[k])`` by one reverse sweep."""
    sweep = reverse_sweep(f, point, wrt, cotangent)
    return [sweep.values[root] for root in sweep.roots], sweep.gradient


def grad_at(f: Any, point: Point, wrt: Sequence[str] | None = None) -> dict[str, float]:
    """Every partial derivative of ``f`` at ``point`` by reverse mode: ``{name: df/dname}``."""
    return reverse_sweep(f, point, wrt).gradient


def forward_gradient(f: Any, point: Point, wrt: Sequence[str] | None = None) -> dict[str, float]:
    """Every partial derivative by forward mode: one sweep per input (a unit direction each)."""
    names = list(as_point(point)) if wrt is None else [str(name) for name in wrt]
    return {name: jvp(f, point, {name: 1.0})[1] for name in names}
