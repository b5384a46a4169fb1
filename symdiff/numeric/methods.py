"""The four ways to a derivative side by side: symbolic, forward mode, reverse mode, numeric.

``partials_at(f, point, method)`` computes the value and every partial derivative one way and
counts the work it took in node visits (every method walks the same kind of DAG, so the counts
compare: a forward-mode visit computes a value and a tangent, a backward visit the local
partials of one node) and, for finite differences, calls of the whole function.
``methods_table`` prints the comparison behind ``symdiff F --at x=3,y=4 --method all``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from symdiff.calculus.forward import diff
from symdiff.calculus.reverse import gradient
from symdiff.core.errors import EvaluationError
from symdiff.core.nodes import Expr
from symdiff.core.traverse import postorder
from symdiff.numeric.ad import Point, as_point, forward_sweep, reverse_sweep
from symdiff.numeric.evaluation import evaluate_all
from symdiff.numeric.finite_differences import finite_difference_gradient, max_relative_error

METHODS = ("symbolic", "forward", "reverse", "numeric")


@dataclass(frozen=True)
class MethodResult:
    """The value and partials of a function at a point by one method, and what they cost."""

    method: str
    value: float
    gradient: dict[str, float]
    node_evaluations: int
    function_evaluations: int | None = None
    failure: str | None = None
    order: int = 1  # ``gradient`` holds the pure ``order``-th partials d^n f/dx^n

    @property
    def cost(self) -> str:
        """The work done, in words: ``"9 node visits"``, ``"30 node visits (5 calls of f)"``."""
        if self.failure is not None:
            return f"failed: {self.failure}"
        text = f"{self.node_evaluations} node visits"
        if self.function_evaluations is not None:
            text += f" ({self.function_evaluations} calls of f)"
        return text


def _symbolic(
    root: Expr, point: dict[str, float], names: list[str], order: int = 1
) -> MethodResult:
    partials = gradient(root, names) if order == 1 else [diff(root, (n, order)) for n in names]
    visited = postorder(root, *partials)
    values = evaluate_all([root, *partials], point)
    partial_values = {name: values[p] for name, p in zip(names, partials, strict=True)}
    return MethodResult("symbolic", values[root], partial_values, len(visited), order=order)


def _forward(root: Expr, point: dict[str, float], names: list[str]) -> MethodResult:
    gradient: dict[str, float] = {}
    visits = 0
    value = 0.0
    for name in names:
        sweep = forward_sweep(root, point, {name: 1.0})
        gradient[name] = sweep.derivative
        value = sweep.value
        visits += len(sweep.order)
    if not names:
        value = evaluate_all([root], point)[root]
        visits = len(postorder(root))
    return MethodResult("forward", value, gradient, visits)


def _reverse(root: Expr, point: dict[str, float], names: list[str]) -> MethodResult:
    sweep = reverse_sweep(root, point, names)
    backward = sum(1 for node in sweep.order if node.args and node in sweep.adjoints)
    return MethodResult("reverse", sweep.value, sweep.gradient, len(sweep.order) + backward)


def _numeric(root: Expr, point: dict[str, float], names: list[str]) -> MethodResult:
    result = finite_difference_gradient(root, point, names)
    size = len(postorder(root))
    return MethodResult(
        "numeric", result.value, result.gradient, result.evaluations * size, result.evaluations
    )


_RUNNERS = {"symbolic": _symbolic, "forward": _forward, "reverse": _reverse, "numeric": _numeric}


def partials_at(
    f: Any,
    point: Point,
    method: str = "symbolic",
    wrt: Sequence[str] | None = None,
    order: int = 1,
) -> MethodResult:
    """Value and partials of ``f`` at ``point`` by ``method`` (one of ``METHODS``).

    ``wrt`` names the variables (default: every name in ``point``, in its order).  "symbolic"
    builds the gradient as one shared DAG (``symdiff.gradient``) and evaluates it; "forward"
    runs one dual-number sweep per variable; "reverse" one forward and one backward sweep;
    "numeric" central differences.  ``order=n`` gives the pure n-th partials d^n f/dx^n
    instead, computed symbolically (the other methods are first-order methods).
    """
    from symdiff.formats.parser import parse_any

    if method not in _RUNNERS:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"order must be a positive integer, not {order!r}")
    if order > 1 and method != "symbolic":
        raise ValueError(
            f"derivatives of order {order} at a point are computed symbolically; the {method} "
            "method gives first derivatives: use method='symbolic' or order=1"
        )
    values = as_point(point)
    names = list(values) if wrt is None else [str(name) for name in wrt]
    if method == "symbolic":
        return _symbolic(parse_any(f), values, names, order)
    return _RUNNERS[method](parse_any(f), values, names)


def compare_methods(f: Any, point: Point, wrt: Sequence[str] | None = None) -> list[MethodResult]:
    """``partials_at`` by every method, symbolic first (the reference for the errors).

    A method that fails where others work (central differences stepping out of the domain of
    ``log(x)`` near 0) gives a result with ``failure`` set; if every method fails, the first
    error is raised.
    """
    results = []
    errors = []
    for method in METHODS:
        try:
            results.append(partials_at(f, point, method, wrt))
        except EvaluationError as error:
            errors.append(error)
            results.append(MethodResult(method, math.nan, {}, 0, failure=str(error)))
    if len(errors) == len(METHODS):
        raise errors[0]
    return results


def format_partials(result: MethodResult) -> str:
    """``f = 42`` then ``df/dx = 24`` per variable (``d2f/dx2`` at order 2), in full
    precision."""
    lines = [f"f = {_full(result.value)}"]
    lines += [f"{partial_label(name, result.order)} = {_full(value)}"
              for name, value in result.gradient.items()]  # fmt: skip
    return "\n".join(lines)


def partial_label(name: str, order: int = 1) -> str:
    """``df/dx``, or ``d3f/dx3`` for the third derivative."""
    return f"df/d{name}" if order == 1 else f"d{order}f/d{name}{order}"


def _full(value: float) -> str:
    """The shortest text that reads back as ``value`` (``42``, ``0.14914645207033284``); a
    zero is ``0`` whatever its IEEE sign (``-x**2`` at 0 is 0, not ``-0``)."""
    text = repr(value + 0.0 if value == 0 else value)
    return text.removesuffix(".0")


def methods_table(results: Sequence[MethodResult]) -> str:
    """A Markdown table: each method's partials, its error against the first, and its cost."""
    reference = results[0].gradient if results[0].failure is None else None
    names = next(list(r.gradient) for r in results if r.failure is None)
    header = ["method", *(partial_label(name) for name in names), "max rel. error", "cost"]
    rows = [header]
    for result in results:
        if result.failure is not None:
            rows.append([result.method, *("-" for _ in names), "-", result.cost])
            continue
        error = None if reference is None else max_relative_error(result.gradient, reference)
        rows.append(
            [
                result.method,
                *(repr(result.gradient[name]) for name in names),
                "-" if error is None else "0" if error == 0 else f"{error:.1e}",
                result.cost,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
