"""Numeric differentiation: forward and central differences, with Richardson extrapolation.

The default steps balance truncation against rounding error: ``sqrt(eps)*max(1, |x|)`` for
forward differences (error O(h)) and ``eps**(1/3)*max(1, |x|)`` for central differences (error
O(h**2)), as in Numerical Recipes 5.7.  ``check_gradient`` is the oracle for the other methods
(autograd's ``check_grads``): it compares the symbolic gradient with central differences.  At a
kink, the differences are those of the branch each selection takes (``frozen``): symdiff's kink
convention, the one every other method follows::

    >>> numeric_gradient("x**2*y + y + 2", {"x": 3, "y": 4})   # doctest: +SKIP
    {'x': 24.00000000007..., 'y': 10.0000000000...}
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from symdiff.calculus.reverse import gradient
from symdiff.core.nodes import Expr
from symdiff.core.traverse import postorder
from symdiff.numeric.ad import Point, as_point
from symdiff.numeric.evaluation import evaluate_all
from symdiff.numeric.frozen import frozen

EPS = sys.float_info.epsilon
METHODS = ("central", "forward")


def default_step(x: float, method: str = "central", richardson: int = 0) -> float:
    """The step that balances truncation and rounding error at ``x``.

    With ``k`` Richardson levels the central error is O(h**(2k+2)), so the step grows to
    ``eps**(1/(2k+3))``; forward differences use ``eps**(1/(k+2))``.
    """
    scale = max(1.0, abs(x))
    if method == "forward":
        return EPS ** (1 / (richardson + 2)) * scale
    return EPS ** (1 / (2 * richardson + 3)) * scale


def _check_method(method: str, richardson: int) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown difference method {method!r}: use 'central' or 'forward'")
    if not isinstance(richardson, int) or richardson < 0:
        raise ValueError(f"richardson must be a non-negative int, not {richardson!r}")


def finite_difference(
    func: Callable[[float], float],
    x: float,
    h: float | None = None,
    method: str = "central",
    richardson: int = 0,
    fx: float | None = None,
) -> float:
    """``func'(x)`` by finite differences, optionally refined by Richardson extrapolation.

    ``richardson=k`` evaluates the difference at ``h, h/2, ..., h/2**k`` and eliminates the
    leading error terms; ``fx`` (forward differences only) saves one call of ``func``.
    """
    _check_method(method, richardson)
    step = default_step(x, method, richardson) if h is None else float(h)
    if step <= 0:
        raise ValueError(f"the step must be positive, not {h!r}")
    if method == "forward" and fx is None:
        fx = func(x)

    def difference(step: float) -> float:
        step = (x + step) - x  # a step that is exactly representable next to x
        if method == "forward":
            assert fx is not None
            return (func(x + step) - fx) / step
        return (func(x + step) - func(x - step)) / (2 * step)

    row = [difference(step / 2**j) for j in range(richardson + 1)]
    ratio = 4 if method == "central" else 2  # the error's expansion is in h**2 or in h
    for level in range(1, richardson + 1):
        factor = ratio**level
        row = [row[j + 1] + (row[j + 1] - row[j]) / (factor - 1) for j in range(len(row) - 1)]
    return row[0]


def _function_of_point(root: Expr) -> Callable[[dict[str, float]], float]:
    """A fast evaluator of ``root``: its postorder is computed once, not at every call."""
    order = postorder(root)

    def value_at(point: dict[str, float]) -> float:
        return evaluate_all([root], point, order)[root]

    return value_at


@dataclass(frozen=True)
class NumericGradient:
    """Finite-difference partials and how many evaluations of the function they cost."""

    value: float
    gradient: dict[str, float]
    evaluations: int


def finite_difference_gradient(
    f: Any,
    point: Point,
    wrt: Sequence[str] | None = None,
    h: float | None = None,
    method: str = "central",
    richardson: int = 0,
) -> NumericGradient:
    """The value of ``f``, its partials by finite differences and the number of evaluations."""
    from symdiff.formats.parser import parse_any

    _check_method(method, richardson)
    base = as_point(point)
    value_at = _function_of_point(frozen(parse_any(f), base))  # the kink convention
    names = list(base) if wrt is None else [str(name) for name in wrt]
    calls = 0

    def counted(values: dict[str, float]) -> float:
        nonlocal calls
        calls += 1
        return value_at(values)

    fx = counted(base)
    gradient: dict[str, float] = {}
    for name in names:
        if name not in base:
            raise ValueError(f"no value given for {name!r} in the point")

        def along(t: float, name: str = name) -> float:
            return counted({**base, name: t})

        gradient[name] = finite_difference(along, base[name], h, method, richardson, fx)
    return NumericGradient(fx, gradient, calls)


def numeric_derivative(
    f: Any,
    point: Point,
    wrt: str,
    h: float | None = None,
    method: str = "central",
    richardson: int = 0,
) -> float:
    """``df/dwrt`` at ``point`` by finite differences (``method`` "central" or "forward")."""
    return finite_difference_gradient(f, point, [wrt], h, method, richardson).gradient[wrt]


def numeric_gradient(
    f: Any,
    point: Point,
    h: float | None = None,
    method: str = "central",
    richardson: int = 0,
) -> dict[str, float]:
    """Every partial derivative at ``point`` by finite differences: ``{name: df/dname}``."""
    return finite_difference_gradient(f, point, None, h, method, richardson).gradient


def relative_error(approx: float, exact: float) -> float:
    """``|approx - exact| / max(1, |exact|)``: relative for large values, absolute near zero."""
    return abs(approx - exact) / max(1.0, abs(exact))


def symbolic_gradient(f: Any, point: Point, wrt: Sequence[str] | None = None) -> dict[str, float]:
    """The partials by symbolic differentiation (one shared gradient DAG), then evaluation."""
    from symdiff.formats.parser import parse_any

    root = parse_any(f)
    base = as_point(point)
    names = list(base) if wrt is None else [str(name) for name in wrt]
    partials = gradient(root, names)
    values = evaluate_all([root, *partials], base)
    return {name: values[p] for name, p in zip(names, partials, strict=True)}


def check_gradient(f: Any, point: Point, h: float | None = None, richardson: int = 0) -> float:
    """The largest ``relative_error`` of central differences against the symbolic gradient."""
    exact = symbolic_gradient(f, point)
    approx = numeric_gradient(f, point, h, "central", richardson)
    return max_relative_error(approx, exact)


def max_relative_error(approx: Mapping[str, float], exact: Mapping[str, float]) -> float:
    """The largest ``relative_error`` over the partials of ``exact``."""
    return max((relative_error(approx[name], exact[name]) for name in exact), default=0.0)
