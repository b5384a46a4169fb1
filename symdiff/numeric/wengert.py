"""The evaluation trace (Wengert list): one row per DAG node in topological order.

Each row is what the textbooks tabulate: the node's label (``x``, ``v3``), its operation in
terms of earlier labels (``v1 * y``), its value, its forward tangent along a direction, and its
reverse adjoint ``d output / d node``.  Inputs and constants are rows too, so the table has
exactly as many rows as the DAG has nodes, and a shared subexpression appears once::

    >>> print(evaluation_trace("x**2*y + y + 2", {"x": 3, "y": 4}))   # doctest: +SKIP
    node  operation       value  tangent d/dx  adjoint
    2     constant            2             0
    ...
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.numeric.ad import Point, as_point, forward_sweep, reverse_sweep


def format_number(value: float | None, digits: int = 10) -> str:
    """``value`` in ``digits`` significant digits (``42``, ``0.1491464521``); "" for None."""
    if value is None:
        return ""
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class TraceRow:
    """One line of the trace; ``adjoint`` is None where the output does not depend on it."""

    node: Expr
    label: str
    operation: str
    value: float
    tangent: float
    adjoint: float | None


@dataclass(frozen=True)
class Trace:
    """The evaluation trace of one expression at one point; ``str()`` prints the table."""

    rows: list[TraceRow]
    direction: dict[str, float]

    def row(self, label: str) -> TraceRow:
        """The row labelled ``label`` (``"x"``, ``"v2"``)."""
        for row in self.rows:
            if row.label == label:
                return row
        raise KeyError(label)

    def __str__(self) -> str:
        return format_trace(self)


def node_labels(order: list[Expr]) -> dict[Expr, str]:
    """Inputs by name, constants by value, every other node ``v1, v2, ...`` in order."""
    labels: dict[Expr, str] = {}
    count = 0
    for node in order:
        match node:
            case Sym(name):
                labels[node] = name
            case Num():
                labels[node] = str(node)
            case _:
                count += 1
                labels[node] = f"v{count}"
    return labels


def operation_text(node: Expr, labels: Mapping[Expr, str]) -> str:
    """The operation of ``node`` written over the labels of its arguments."""
    names = [labels[a] for a in node.args]
    match node:
        case Sym():
            return "input"
        case Num():
            return "constant"
        case Add():
            return " + ".join(names)
        case Mul():
            if len(names) == 2 and node.args[0] is Num(-1):
                return f"-{names[1]}"
            return " * ".join(names)
        case Pow():
            if node.args[1] is Num(-1):
                return f"1 / {names[0]}"
            return f"{names[0]} ** {names[1]}"
        case Call(name):
            return f"{name}({', '.join(names)})"
    raise TypeError(f"no operation text for {type(node).__name__}")


def _direction(point: dict[str, float], wrt: Any) -> dict[str, float]:
    if wrt is None:
        return {next(iter(point)): 1.0} if point else {}
    if isinstance(wrt, str | Sym):
        return as_point({wrt: 1.0})
    return as_point(wrt)


def evaluation_trace(f: Any, point: Point, wrt: Any = None) -> Trace:
    """The Wengert list of ``f`` at ``point``.

    Tangents are along ``wrt``: a variable name (a unit direction; default the first variable
    of ``point``) or a mapping ``{name: component}``.  Adjoints come from one reverse sweep
    seeded with 1 at the output.
    """
    values_at = as_point(point)
    direction = _direction(values_at, wrt)
    forward = forward_sweep(f, values_at, direction)
    backward = reverse_sweep(forward.root, values_at)
    labels = node_labels(forward.order)
    rows = [
        TraceRow(
            node,
            labels[node],
            operation_text(node, labels),
            forward.values[node],
            forward.tangents[node],
            backward.adjoints.get(node),
        )
        for node in forward.order
    ]
    return Trace(rows, direction)


def _direction_text(direction: dict[str, float]) -> str:
    if len(direction) == 1 and next(iter(direction.values())) == 1.0:
        return f"d/d{next(iter(direction))}"
    return "along " + ",".join(f"{k}={format_number(v)}" for k, v in direction.items())


def format_trace(trace: Trace, digits: int = 10) -> str:
    """The trace as an aligned text table (the output is the last row)."""
    tangent = f"tangent {_direction_text(trace.direction)}"
    header = ("node", "operation", "value", tangent, "adjoint")
    table = [header] + [
        (
            row.label,
            row.operation,
            format_number(row.value, digits),
            format_number(row.tangent, digits),
            format_number(row.adjoint, digits),
        )
        for row in trace.rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = []
    for line in table:
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
