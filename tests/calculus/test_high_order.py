"""High-order derivatives: early stop at 0, periodicity, Leibniz reuse, budget (issue 10, 8-9).

Every value is checked against SymPy (or mpmath) on the *input* formula, never against
symdiff's own output; results are compared as values of their DAG, never printed as trees.
"""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy
from hypothesis import assume, given, settings
from oracle import agree_numerically, random_points, to_sympy
from strategies import expressions

from symdiff import (
    DerivativeTooLargeError,
    Num,
    Sym,
    dag_size,
    derivative_at,
    diff,
    evaluate,
    parse,
)
from symdiff.calculus.forward import derivative_wrt, repeated_derivative
from symdiff.calculus.high_order import nth_derivative
from symdiff.cli import main
from symdiff.core.constructors import mul, power

x = Sym("x")


def repeated(f, n: int):
    for _ in range(n):
        f = derivative_wrt(f, x)
    return f


# --- item 8: a derivative that becomes 0 stops; periodic ones jump ahead --------------------


@pytest.mark.parametrize("text", ["x", "x**5 - 3*x**2 + 1", "y*x**3", "7", "y"])
def test_huge_order_of_a_polynomial_is_zero_at_once(text: str) -> None:
    assert diff(parse(text), ("x", 10**8)) is Num(0)


def test_the_order_where_a_polynomial_vanishes() -> None:
    f = parse("x**5 - 3*x**2 + 1")
    assert diff(f, ("x", 5)) is Num(120)  # 5! and nothing else
    assert diff(f, ("x", 6)) is Num(0)
    assert nth_derivative(f, x, 5) is Num(120)  # the Leibniz path stops at 0 as well
    assert nth_derivative(f, x, 6) is Num(0)


def test_mixed_runs_stop_after_a_zero() -> None:
    assert diff(parse("x*y"), ("x", 2), ("y", 10**8)) is Num(0)
    assert diff(parse("x*y**2"), "x", ("y", 2)) is Num(2)


def test_periodic_derivatives_jump_ahead() -> None:
    assert diff(parse("sin(x)"), ("x", 10**8 + 1)) is parse("cos(x)")  # period 4
    assert diff(parse("exp(x)"), ("x", 10**8)) is parse("exp(x)")  # a fixed point
    # d^4 (e^x sin x) = -4 e^x sin x, so the 10**8-th is (-4)**(2.5e7) e^x sin x
    f = parse("exp(x)*sin(x)")
    assert diff(f, ("x", 10**8)) is mul(power(-4, 25_000_000), f)
    # d(e^(2x)) = 2 e^(2x): the 10**8-th is 2**(10**8) e^(2x), kept as an exact power
    assert diff(parse("exp(2*x)"), ("x", 10**8)) is mul(power(2, 10**8), parse("exp(2*x)"))


def test_zero_order_and_bad_orders() -> None:
    f = parse("sin(x)")
    assert diff(f, ("x", 0)) is f
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="non-negative int"):
            diff(f, ("x", bad))


# --- item 9: high orders are cheap where they can be, and correct -------------------------


HIGH = [
    ("x**x", 12, 1.3),
    ("sin(sin(sin(sin(x))))", 10, 0.7),
    ("tan(x)", 9, 0.4),
    ("atan(x)", 9, 0.8),
    ("exp(x**2)*log(x)", 8, 1.2),
    ("sqrt(1 + x**2)", 9, 0.6),
    ("(3 - x)**sqrt(x)", 7, 1.1),
    ("erf(x)*cosh(x)/(1 + x**2)", 8, 0.5),
    ("asin(x/2) + acosh(x + 2)", 7, 0.3),
    ("x**3*y - y**x", 6, 1.7),
]


def mpmath_derivative(text: str, order: int, point: dict[str, float]) -> float:
    """The ``order``-th x-derivative of SymPy's reading of ``text``, by mpmath at 60 digits."""
    xs, ys = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
    fn = sympy.lambdify((xs, ys), to_sympy(parse(text)), modules="mpmath")
    with mpmath.workdps(60):
        value = mpmath.diff(lambda t: fn(t, mpmath.mpf(point["y"])), mpmath.mpf(point["x"]), order)
        return float(value)


@pytest.mark.parametrize(("text", "order", "at"), HIGH)
def test_high_orders_against_mpmath(text: str, order: int, at: float) -> None:
    f = parse(text)
    point = {"x": at, "y": 0.9}
    expected = mpmath_derivative(text, order, point)
    for ours in (diff(f, ("x", order), simplify=False), nth_derivative(f, x, order)):
        assert math.isclose(evaluate(ours, point), expected, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(derivative_at(f, point, "x", order), expected, rel_tol=1e-9)


@settings(max_examples=25)
@given(expressions(("x", "y"), max_leaves=6))
def test_leibniz_sweep_against_sympy_on_random_expressions(f) -> None:
    assume("x" in {s.name for s in f.free_symbols} and dag_size(f) < 40)
    theirs = sympy.diff(to_sympy(f), sympy.Symbol("x", real=True), 3)
    ours = nth_derivative(f, x, 3)
    agree_numerically(ours, theirs, ["x", "y"], guard=f, points=4, rel=1e-6)


def test_thirtieth_derivative_of_x_to_the_x() -> None:
    d30 = diff(parse("x**x"), ("x", 30))
    assert dag_size(d30) < 5000  # repeated differentiation would need ~10**8 nodes
    with mpmath.workdps(60):
        expected = float(mpmath.diff(lambda t: t**t, mpmath.mpf(2), 30))
    assert math.isclose(evaluate(d30, x=2), expected, rel_tol=1e-9)
    assert math.isclose(derivative_at("x**x", {"x": 2}, "x", 30), expected, rel_tol=1e-9)


def test_leibniz_is_much_smaller_than_repeating_where_repeating_swells() -> None:
    f = parse("sin(sin(sin(sin(x))))")
    assert dag_size(diff(f, ("x", 10), simplify=False)) < dag_size(repeated(f, 10)) / 2
    # where repeating stays small, it is what diff does
    g = parse("tan(x)")
    assert diff(g, ("x", 6), simplify=False) is repeated(g, 6)


def test_repeating_gives_up_when_it_swells() -> None:
    f = parse("x**x")
    assert repeated_derivative(f, x, 2, 10**6) is repeated(f, 2)  # low orders always repeat
    assert repeated_derivative(f, x, 40, 10**6) is None


# --- item 9: genuinely huge results fail within a budget, with what to do -----------------


@pytest.mark.parametrize("text", ["atan(x)", "x**x", "sin(x)*exp(x**2)"])
def test_a_huge_order_fails_with_advice(text: str) -> None:
    with pytest.raises(DerivativeTooLargeError, match=r"more than .* terms.*derivative_at"):
        diff(parse(text), ("x", 10**8))


def test_the_budget_is_the_callers() -> None:
    f = parse("sin(sin(sin(sin(x))))")
    with pytest.raises(DerivativeTooLargeError, match="max_terms"):
        diff(f, ("x", 12), max_terms=100)
    assert dag_size(diff(f, ("x", 12), max_terms=10**6)) > 1


def test_cli_high_order_prints_a_result_or_a_clear_error(capsys) -> None:
    assert main(["x**x", "--order", "30", "--no-simplify"]) == 0
    assert "log(x)" in capsys.readouterr().out
    assert main(["atan(x)", "--order", "100000000"]) != 0
    err = capsys.readouterr().err
    assert "more than" in err and "Traceback" not in err


def test_derivative_at_against_mpmath() -> None:
    for text, fn in [("x**x", lambda t: t**t), ("tan(x)", mpmath.tan)]:
        for point in random_points(["x"], count=3, seed=5, low=0.2, high=1.2):
            with mpmath.workdps(50):
                expected = float(mpmath.diff(fn, mpmath.mpf(point["x"]), 15))
            assert math.isclose(derivative_at(text, point, "x", 15), expected, rel_tol=1e-8)
