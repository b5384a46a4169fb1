"""Finite differences: steps, Richardson extrapolation, check_gradient, and the symbolic oracle."""

from __future__ import annotations

import math
import sys

import pytest
import sympy
from hypothesis import assume, given
from oracle import random_points, sympy_value, to_sympy
from strategies import UNARY, VARIABLES, expressions

import symdiff.numeric.finite_differences
from symdiff import (
    EvaluationError,
    Sym,
    check_gradient,
    evaluate,
    numeric_derivative,
    numeric_gradient,
    parse,
)
from symdiff.numeric.finite_differences import (
    default_step,
    finite_difference,
    finite_difference_gradient,
    relative_error,
    symbolic_gradient,
)

EPS = sys.float_info.epsilon


def test_first_example_by_central_differences() -> None:
    gradient = numeric_gradient("x**2*y + y + 2", {"x": 3, "y": 4})
    assert [f"{gradient[n]:.5f}" for n in ("x", "y")] == ["24.00000", "10.00000"]
    assert abs(gradient["x"] - 24) < 1e-8 and abs(gradient["y"] - 10) < 1e-8


def test_sigmoid_numeric() -> None:
    slope = numeric_derivative("1/(1+exp(-z))", {"z": 1.5}, "z")
    assert abs(slope - 0.14914645207033284) < 1e-9


def test_default_steps() -> None:
    assert default_step(0.5) == EPS ** (1 / 3)
    assert default_step(-200.0) == 200 * EPS ** (1 / 3)
    assert default_step(3.0, "forward") == 3 * math.sqrt(EPS)
    assert default_step(1.0, "central", richardson=1) == EPS ** (1 / 5)


def _error(method: str, richardson: int = 0, h: float | None = None) -> float:
    # d/dx exp(sin(x))*log(x) at 1.3, by hand
    x = 1.3
    exact = math.exp(math.sin(x)) * (math.cos(x) * math.log(x) + 1 / x)
    approx = finite_difference(
        lambda t: math.exp(math.sin(t)) * math.log(t), x, h, method, richardson
    )
    return abs(approx - exact)


def test_orders_of_accuracy() -> None:
    # forward differences are first order, central second, Richardson removes the h**2 term
    assert 1e-10 < _error("forward") < 1e-7
    assert _error("central") < 1e-9
    assert _error("central", richardson=1) < _error("central") / 10
    assert _error("forward", richardson=2) < _error("forward") / 100
    # a user step: with h = 1e-3 the central error is about h**2 * |f'''| / 6
    assert 1e-8 < _error("central", h=1e-3) < 1e-5
    assert _error("central", h=1e-3, richardson=2) < 1e-10


def test_evaluation_counts() -> None:
    central = finite_difference_gradient("x*y*z", {"x": 1, "y": 2, "z": 3})
    assert central.evaluations == 1 + 2 * 3
    forward = finite_difference_gradient("x*y*z", {"x": 1, "y": 2, "z": 3}, method="forward")
    assert forward.evaluations == 1 + 3
    richer = finite_difference_gradient("x*y", {"x": 1, "y": 2}, richardson=2)
    assert richer.evaluations == 1 + 2 * 2 * 3


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="central"):
        numeric_gradient("x", {"x": 1}, method="backward")
    with pytest.raises(ValueError, match="richardson"):
        numeric_gradient("x", {"x": 1}, richardson=-1)
    with pytest.raises(ValueError, match="positive"):
        numeric_gradient("x", {"x": 1}, h=0)
    with pytest.raises(EvaluationError, match=r"log\(x\)"):
        numeric_gradient("log(x)", {"x": 0})  # x - h is outside the domain


def test_relative_error_is_absolute_near_zero() -> None:
    assert relative_error(101.0, 100.0) == 0.01
    assert relative_error(1e-12, 0.0) == 1e-12


CASES = [
    ("x**2*y + y + 2", {"x": 3, "y": 4}),
    ("log(x) + x*y - sin(y)", {"x": 2, "y": 5}),
    ("1/(1+exp(-(w0+w1*x1+w2*x2)))", {"w0": 0.1, "w1": -1, "w2": 2, "x1": 0.5, "x2": 0.25}),
    ("price*count*tax", {"price": 100, "count": 2, "tax": 1.1}),
    ("atan2(y, x)*erf(x) + x**y", {"x": 1.5, "y": -0.7}),
]


@pytest.mark.parametrize(("text", "point"), CASES)
def test_check_gradient_is_small_for_correct_derivatives(text: str, point: dict) -> None:
    assert check_gradient(text, point) < 1e-8
    assert check_gradient(text, point, richardson=1) < 1e-10


def test_check_gradient_catches_a_wrong_derivative(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong(expr, variables):  # pretends d/dx sin(x) = sin(x)
        return [expr for _ in variables]

    monkeypatch.setattr(symdiff.numeric.finite_differences, "gradient", wrong)
    assert check_gradient("sin(x)", {"x": 1.0}) > 0.1


def test_symbolic_gradient_against_sympy() -> None:
    text, point = CASES[2]
    theirs = to_sympy(parse(text))
    ours = symbolic_gradient(text, point)
    for name, value in ours.items():
        expected = sympy_value(sympy.diff(theirs, sympy.Symbol(name, real=True)), point)
        assert math.isclose(value, expected, rel_tol=1e-12)


def _stable_difference(f, point: dict[str, float], name: str) -> float | None:
    """The central difference along ``name``, or None where it is not yet converged.

    Near a singularity or a kink the difference changes when the step halves: such points
    are skipped.  The filter only looks at f, never at the derivative being checked.
    """
    try:
        coarse = numeric_derivative(f, point, name)
        fine = numeric_derivative(f, point, name, h=default_step(point[name]) / 4)
    except EvaluationError:
        return None
    if not math.isclose(coarse, fine, rel_tol=1e-7, abs_tol=1e-7):
        return None
    return coarse


#: stop_gradient is the identity to finite differences but has derivative 0 by definition
SEEN_BY_DIFFERENCES = tuple(name for name in UNARY if name != "stop_gradient")


@given(expressions(functions=SEEN_BY_DIFFERENCES))
def test_finite_differences_agree_with_symbolic(f) -> None:
    checked = 0
    for point in random_points(VARIABLES, 4, seed=5):
        try:
            if abs(evaluate(f, point)) > 1e6:
                continue
            exact = symbolic_gradient(f, point)
        except EvaluationError:
            continue
        for name in VARIABLES:
            approx = _stable_difference(f, point, name)
            if approx is None or abs(exact[name]) > 1e6:
                continue
            assert math.isclose(approx, exact[name], rel_tol=1e-5, abs_tol=1e-5), (
                f"{f} at {point}: d/d{name} numeric {approx!r} symbolic {exact[name]!r}"
            )
            checked += 1
    assume(checked > 0)


def test_the_numeric_check_is_not_vacuous() -> None:
    # the same filter applied to a wrong derivative (d/dx x**3 = 2*x**2) must report it
    point = {"x": 1.7}
    approx = _stable_difference(parse("x**3"), point, "x")
    assert approx is not None
    wrong = evaluate(2 * Sym("x") ** 2, point)
    assert not math.isclose(approx, wrong, rel_tol=1e-5, abs_tol=1e-5)
