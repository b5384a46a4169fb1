"""Templated code for outputs that repeat one formula: one statement per shape, not per output.

``compile_vector`` of a model whose outputs are a few formulas over shifted indices (a
stencil's right-hand side, the entries of a sparse Hessian) groups the outputs by shape
(``symdiff.core.shapes``).  A group of at least ``MIN_GROUP`` outputs becomes one template
function of its slots, lowered and stabilised like any output, and called once per call on
the gathered arguments: for NumPy on index arrays ``v[..., idx_k]`` (one vectorised
evaluation for the whole group, scattered into the output columns), for Python by ``map`` over
the gathered floats.  Long sums among the other outputs (an objective of 10,000 terms of one
shape) are split the same way: each group of at least ``MIN_GROUP`` terms of one shape is a
template summed over its members (``np.sum`` over the last axis, ``math.fsum`` for Python),
added to what the per-output program computes of the other terms.  (The sum's order differs
from the written-out one: equal to rounding.)  Everything else goes through the per-output
program.  Code generation
is then O(shapes) + O(outputs) and a NumPy call runs a handful of array operations instead of
thousands of scalar statements.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from symdiff.core.constructors import add
from symdiff.core.nary import Add
from symdiff.core.nodes import Expr, Sym
from symdiff.core.shapes import Shapes, rename, slots
from symdiff.core.traverse import postorder

#: Fewest outputs of one shape worth a template of their own, by target: a NumPy template
#: costs ~20 us per call at one point (a few array operations), ~0.2 us per output written out.
MIN_GROUP = {"python": 8, "numpy": 128}
#: Most nodes of a template (bigger formulas keep the sharing of the per-output program).
MAX_NODES = 256

#: Compiles ``roots`` of ``symbols`` for the target: ``(function, source)`` (``name``: its name).
Compiler = Callable[[list[Expr], list[Sym], str, bool], tuple[Any, str]]


class Group:
    """Outputs ``positions`` of one shape: ``template`` over slots, and per slot the index of
    each member's argument (``gather[k][j]``: member ``j``'s slot ``k``)."""

    def __init__(self, template: Expr, holes: tuple[Sym, ...], positions: list[int],
                 gather: list[list[int]]) -> None:  # fmt: skip
        self.template = template
        self.holes = holes
        self.positions = positions
        self.gather = gather


def group_outputs(
    roots: Sequence[Expr], symbols: Sequence[Sym], least: int = 8, shapes: Shapes | None = None
) -> tuple[list[int], list[Group]]:
    """The positions of the outputs left to the per-output program, and the groups (of at
    least ``least`` outputs)."""
    rest, groups = _groups(roots, symbols, least, shapes or Shapes())
    rest.sort()
    return rest, groups


def _groups(
    roots: Sequence[Expr], symbols: Sequence[Sym], least: int, shapes: Shapes
) -> tuple[list[int], list[Group]]:
    by_key: dict[int, list[tuple[int, tuple[Sym, ...]]]] = {}
    rest: list[int] = []
    for i, (root, shape) in enumerate(zip(roots, shapes.of_all(roots), strict=True)):
        if shape is None or isinstance(root, Sym):
            rest.append(i)
        else:
            by_key.setdefault(shape.key, []).append((i, shape.symbols))
    index = {s: k for k, s in enumerate(symbols)}
    groups: list[Group] = []
    for members in by_key.values():
        first, names = members[0]
        holes = slots(len(names))
        template = rename([roots[first]], dict(zip(names, holes, strict=True)))[0]
        if len(members) < least or len(postorder(template)) > MAX_NODES:
            rest.extend(i for i, _ in members)
            continue
        gather = [[index[m[1][k]] for m in members] for k in range(len(holes))]
        groups.append(Group(template, holes, [i for i, _ in members], gather))
    return rest, groups


class Sums:
    """Long sums among the per-output roots, split: output ``i`` is ``residual[i]`` (for the
    per-output program) plus, for each of ``groups[i]``, the sum of its template over its
    members (a Rosenbrock objective: 10,000 terms of one shape, one template)."""

    def __init__(self, roots: list[Expr], rest: list[int], symbols: Sequence[Sym], least: int,
                 shapes: Shapes) -> None:  # fmt: skip
        self.residual = list(roots)
        self.groups: dict[int, list[Group]] = {}
        for i in rest:
            root = roots[i]
            if type(root) is not Add or len(root.args) < least:
                continue
            terms = root.args
            left, groups = _groups(terms, symbols, least, shapes)
            left += [k for g in groups if not g.holes for k in g.positions]
            groups = [g for g in groups if g.holes]  # (terms of no symbol: none repeat)
            if groups:
                self.groups[i] = groups
                self.residual[i] = add(*(terms[k] for k in sorted(left)))


Kernel = Callable[[Any, Any, Any], None]


def templated_kernel(
    roots: Sequence[Expr], symbols: Sequence[Sym], target: str, compiler: Compiler
) -> tuple[Kernel, str] | None:
    """The kernel and source for ``roots`` with templates, or None when no group forms."""
    shapes = Shapes()
    rest, groups = group_outputs(roots, symbols, MIN_GROUP[target], shapes)
    sums = Sums(list(roots), rest, symbols, MIN_GROUP[target], shapes)
    if not groups and not sums.groups:
        return None
    roots = sums.residual
    sources = []
    functions = []
    for k, group in enumerate(groups):
        function, text = compiler([group.template], list(group.holes), f"shape{k}", True)
        functions.append(function)
        members = len(group.positions)
        sources.append(
            f"# shape{k}: outputs {_ranges(group.positions)} ({members} outputs)\n{text}"
        )
    summed: Summed = []  # (output, function, gather) per group of terms
    for i, term_groups in sums.groups.items():
        for group in term_groups:
            k = len(functions) + len(summed)
            function, text = compiler([group.template], list(group.holes), f"shape{k}", True)
            summed.append((i, function, group.gather))
            sources.append(f"# shape{k}: {len(group.positions)} terms of output {i}\n{text}")
    main = None
    if rest:
        main, text = compiler([roots[i] for i in rest], list(symbols), "f", False)
        sources.insert(0, f"# f: outputs {_ranges(rest)}\n{text}")
    source = "\n\n".join(sources)
    if target == "numpy":
        return _numpy(main, rest, groups, functions, summed), source
    return _python(main, rest, groups, functions, len(roots), summed), source


Summed = list[tuple[int, Any, list[list[int]]]]


def _numpy(main: Any, rest: list[int], groups: list[Group], functions: list[Any],
           summed: Summed) -> Any:  # fmt: skip
    import numpy as np

    rest_at = np.asarray(rest, dtype=np.intp)
    plans = [
        (f, [np.asarray(g, dtype=np.intp) for g in group.gather],
         np.asarray(group.positions, dtype=np.intp))
        for f, group in zip(functions, groups, strict=True)
    ]  # fmt: skip
    sums = [(i, f, [np.asarray(g, dtype=np.intp) for g in gather]) for i, f, gather in summed]

    def kernel(x: Any, p: Any, out: Any) -> None:
        if main is not None:
            if len(x) == 1:  # floats, as the per-output kernel
                out[0, rest_at] = main(*x[0].tolist(), *p.tolist())
            else:
                for column, result in enumerate(main(*x.T, *p)):
                    out[:, rest_at[column]] = result
        values = np.concatenate([x, np.broadcast_to(p, (len(x), len(p)))], axis=1) if len(p) else x
        if len(x) == 1:
            values, target = values[0], out[0]
        else:
            target = out
        for function, gather, positions in plans:
            target[..., positions] = function(*[values[..., g] for g in gather])
        for i, function, gather in sums:
            target[..., i] += np.sum(function(*[values[..., g] for g in gather]), axis=-1)

    return kernel


def _python(main: Any, rest: list[int], groups: list[Group], functions: list[Any],
            count: int, summed: Summed) -> Any:  # fmt: skip
    plans = [
        (f, [itemgetter(*g) for g in group.gather], len(group.positions))
        for f, group in zip(functions, groups, strict=True)
    ]
    sums = [(i, f, [itemgetter(*g) for g in gather]) for i, f, gather in summed]
    order = [*rest, *(i for group in groups for i in group.positions)]
    where = [0] * count
    for k, i in enumerate(order):
        where[i] = k
    scatter = itemgetter(*where)

    def kernel(x: Any, p: Any, out: Any) -> None:
        fixed = p.tolist()
        for row, point in enumerate(x.tolist()):
            values = point + fixed
            parts: list[Any] = [main(*values)] if main is not None else []
            for function, gathers, members in plans:
                if gathers:
                    parts.append(function(*[g(values) for g in gathers]))
                else:
                    parts.append([function()] * members)
            out[row] = scatter(list(chain.from_iterable(parts)))
            for i, function, gathers in sums:
                out[row, i] += math.fsum(function(*[g(values) for g in gathers]))

    return kernel


def _ranges(positions: list[int]) -> str:
    """``0-3, 7, 9-10``: a sorted list of positions, short."""
    spans: list[list[int]] = []
    for i in positions:
        if spans and i == spans[-1][1] + 1:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    text = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans[:6])
    return text + (", ..." if len(spans) > 6 else "")
