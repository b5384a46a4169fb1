"""Forward and reverse mode: the issue's worked examples, SymPy, and agreement with symbolic."""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import assume, given
from oracle import random_points, sympy_value, to_sympy
from strategies import VARIABLES, expressions

from symdiff import (
    EvaluationError,
    Sym,
    evaluate,
    forward_gradient,
    forward_sweep,
    grad_at,
    jvp,
    parse,
    reverse_sweep,
    vjp,
)
from symdiff.core.conditions import CONDITIONS
from symdiff.core.vocabulary import FUNCTIONS, call
from symdiff.numeric.finite_differences import symbolic_gradient

SIGMOID_Z = 1.5
SIGMOID_VALUE = 0.8175744761936437  # the numbers
SIGMOID_SLOPE = 0.14914645207033284


def close(a: float, b: float, rel: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=rel)


def test_first_example_forward_and_reverse() -> None:
    f = "x**2*y + y + 2"
    point = {"x": 3, "y": 4}
    assert jvp(f, point, {"x": 1}) == (42.0, 24.0)
    assert jvp(f, point, {"y": 1}) == (42.0, 10.0)
    assert jvp(f, point, {"x": 1, "y": 2}) == (42.0, 44.0)
    assert grad_at(f, point) == {"x": 24.0, "y": 10.0}
    assert forward_gradient(f, point) == {"x": 24.0, "y": 10.0}


def test_sigmoid_forward() -> None:
    value, slope = jvp("1/(1+exp(-z))", {"z": SIGMOID_Z}, {"z": 1})
    assert close(value, SIGMOID_VALUE) and close(slope, SIGMOID_SLOPE)


def test_sigmoid_at_two_by_reverse_mode() -> None:
    sweep = reverse_sweep("1/(1+exp(-z))", {"z": 2})
    y = 1 / (1 + math.exp(-2))
    assert close(sweep.value, y)
    assert close(sweep.gradient["z"], y**2 * math.exp(-2))


def test_shopping_example() -> None:
    point = {"price": 100, "count": 2, "tax": 1.1}
    sweep = reverse_sweep("price*count*tax", point)
    assert close(sweep.value, 220)
    partials = sweep.gradient
    assert list(partials) == ["price", "count", "tax"]
    assert [round(partials[n], 10) for n in partials] == [2.2, 110, 200]


def test_logistic_regression_forward_against_reverse() -> None:
    f = "1/(1+exp(-(w0+w1*x1+w2*x2)))"
    point = {"w0": 0.5, "w1": -1.25, "w2": 2.0, "x1": 0.75, "x2": -0.4}
    reverse = grad_at(f, point)
    assert list(reverse) == list(point)
    _, forward_x1 = jvp(f, point, {"x1": 1})
    assert close(forward_x1, reverse["x1"])
    forward = forward_gradient(f, point)
    assert all(close(forward[n], reverse[n]) for n in point)
    s = 1 / (1 + math.exp(-(0.5 - 1.25 * 0.75 + 2.0 * -0.4)))  # by hand: s' = s(1-s)*inner'
    expected = {"w0": 1, "w1": 0.75, "w2": -0.4, "x1": -1.25, "x2": 2.0}
    assert all(close(reverse[n], s * (1 - s) * expected[n]) for n in point)


def test_log_example() -> None:
    partials = grad_at("log(x) + x*y - sin(y)", {"x": 2, "y": 5})
    assert close(partials["x"], 5.5) and close(partials["y"], 2 - math.cos(5))


def test_adjoints_of_every_node_are_available() -> None:
    f = parse("x**2*y + y + 2")
    sweep = reverse_sweep(f, {"x": 3, "y": 4})
    x_squared = parse("x**2")
    assert sweep.adjoints[f] == 1.0
    assert sweep.adjoints[x_squared] == 4.0  # d f / d (x**2) = y
    assert sweep.values[x_squared] == 9.0
    assert parse("2") not in sweep.adjoints  # constants need no adjoint


def test_tangents_of_every_node_are_available() -> None:
    f = parse("x**2*y + y + 2")
    sweep = forward_sweep(f, {"x": 3, "y": 4}, {"x": 1})
    assert sweep.tangents[parse("x**2")] == 6.0
    assert sweep.tangents[Sym("y")] == 0.0
    assert (sweep.value, sweep.derivative) == (42.0, 24.0)


def test_stop_gradient_and_sign_stop_the_flow() -> None:
    assert grad_at("x*stop_gradient(x) + sign(y)*y", {"x": 3, "y": -2}) == {"x": 3.0, "y": -1.0}
    assert jvp("x*stop_gradient(x)", {"x": 3}, {"x": 1}) == (9.0, 3.0)
    # x**atan2(0, y): the exponent is constant in y (its partial is 0), so no log(x) is needed
    assert grad_at("x**atan2(0, y)", {"x": -2, "y": 1}) == {"x": 0.0, "y": 0.0}


def test_vjp_sums_the_outputs_weighted_by_the_cotangents() -> None:
    values, gradient = vjp(["x*y", "x + y"], {"x": 2, "y": 3}, [1, 10])
    assert values == [6.0, 5.0]
    assert gradient == {"x": 13.0, "y": 12.0}
    with pytest.raises(ValueError, match="cotangents"):
        vjp(["x", "y"], {"x": 1, "y": 1}, [1.0])


def test_wrt_limits_the_work_to_the_chosen_inputs() -> None:
    sweep = reverse_sweep("x**2 + sin(y)", {"x": 3, "y": 1}, wrt=["x"])
    assert sweep.gradient == {"x": 6.0}
    assert parse("sin(y)") not in sweep.adjoints


def test_symbolic_zero_keeps_constant_exponents_away_from_log() -> None:
    # d/dx of x**2 at x < 0 must not need log(x); (-2)**x needs it and is undefined
    assert grad_at("x**2", {"x": -3}) == {"x": -6.0}
    assert jvp("x**3*y", {"x": -2, "y": 1}, {"y": 1}) == (-8.0, -8.0)


def test_domain_errors_name_the_node() -> None:
    with pytest.raises(EvaluationError, match=r"log\(x\)"):
        grad_at("log(x)", {"x": -1})
    with pytest.raises(EvaluationError, match=r"derivative of sqrt\(x\)"):
        jvp("sqrt(x)", {"x": 0}, {"x": 1})
    with pytest.raises(EvaluationError, match="no value given for symbol 'y'"):
        grad_at("x*y", {"x": 1})


def test_deep_expressions_are_walked_iteratively() -> None:
    f = Sym("x")
    for _ in range(10_000):
        f = parse("sin(u)").rebuild([f])  # sin(sin(...sin(x)))
    value, slope = jvp(f, {"x": 0.5}, {"x": 1})
    assert math.isfinite(value) and 0 < slope < 1
    assert close(grad_at(f, {"x": 0.5})["x"], slope)


# --- the partials at a point, row by row, against central differences of the row's value ----

SAMPLES = (0.3, 0.7, 1.6, 2.5, -0.45, -1.3, 3.2, 1.1, -2.7)


#: stop_gradient's value has slope 1 but its derivative is 0 by definition.
#: Conditions and where (whose first argument is a condition) are checked in test_kinks.py.
DIFFERENTIABLE = sorted(
    n for n, r in FUNCTIONS.items() if r.arity and n not in ("stop_gradient", "where", *CONDITIONS)
)


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_partials_at_a_point_agree_with_differences_of_the_value(name: str) -> None:
    row = FUNCTIONS[name]
    symbols = [Sym(n) for n in ("u", "v", "w")[: row.arity]]
    node = call(name, *symbols)
    checked = 0
    for i, u in enumerate(SAMPLES):
        args = [u, SAMPLES[(i + 2) % len(SAMPLES)], SAMPLES[(i + 4) % len(SAMPLES)]][: row.arity]
        point = {s.name: a for s, a in zip(symbols, args, strict=True)}
        try:
            slopes = grad_at(node, point)
        except EvaluationError:
            continue
        for k, s in enumerate(symbols):
            h = 1e-6 * max(1.0, abs(args[k]))
            up, down = list(args), list(args)
            up[k] += h
            down[k] -= h
            try:
                expected = (row.evaluate(*up) - row.evaluate(*down)) / (2 * h)
            except (ValueError, ZeroDivisionError):
                continue
            if name in ("abs", "sign") and abs(args[k]) < 2 * h:
                continue
            assert abs(slopes[s.name] - expected) <= 1e-5 * max(1.0, abs(expected)), (name, args)
            checked += 1
    assert checked >= 3


# --- against SymPy and between the methods ----------------------------------------------------

CASES = [
    "x**2*y + y + 2",
    "log(x) + x*y - sin(y)",
    "1/(1 + exp(-x*y))",
    "x**y + atan2(y, x)",
    "sqrt(x**2 + y**2)*erf(x)",
    "tanh(x*y + 1)**3/(1 + x**2)",
]


@pytest.mark.parametrize("text", CASES)
def test_reverse_mode_against_sympy(text: str) -> None:
    f = parse(text)
    theirs = to_sympy(f)
    checked = 0
    for point in random_points(["x", "y"], 8, seed=3, low=0.2, high=2.5):
        ours = grad_at(f, point)
        for name in ("x", "y"):
            expected = sympy_value(sympy.diff(theirs, sympy.Symbol(name, real=True)), point)
            assert expected is not None
            assert close(ours[name], expected, 1e-11), (text, point, name)
            checked += 1
    assert checked == 16


def _symbolic_or_none(f, point: dict[str, float]) -> dict[str, float] | None:
    try:
        if abs(evaluate(f, point)) > 1e8:
            return None
        gradient = symbolic_gradient(f, point)
    except EvaluationError:
        return None
    return gradient if all(abs(v) < 1e8 for v in gradient.values()) else None


def agree(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-10, abs_tol=1e-10)


@given(expressions())
def test_forward_reverse_and_symbolic_agree(f) -> None:
    checked = 0
    for point in random_points(VARIABLES, 4, seed=11):
        exact = _symbolic_or_none(f, point)
        if exact is None:
            continue
        reverse = grad_at(f, point)
        forward = forward_gradient(f, point)
        for name, value in exact.items():
            assert agree(reverse[name], value), ("reverse", name, point, reverse, exact)
            assert agree(forward[name], value), ("forward", name, point, forward, exact)
        checked += 1
    assume(checked > 0)
