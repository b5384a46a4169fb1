"""The vocabulary: every row works everywhere a function is used (parse, print, value, derivative,
derivative at a point, steps, LaTeX, generated code), checked against SymPy's own definitions.

A function is added by one row of ``symdiff.core.vocabulary.FUNCTIONS``; these tests are what
makes that enough (``log1p`` and ``expm1`` were added that way).
"""

from __future__ import annotations

import math

import pytest
import sympy
from oracle import close, to_sympy

import symdiff
from symdiff import EvaluationError, diff, evaluate, explain, grad_at, lambdify, parse, to_latex
from symdiff.core.conditions import CONDITIONS
from symdiff.core.vocabulary import FUNCTIONS

UNARY = sorted(n for n, r in FUNCTIONS.items() if r.arity == 1 and n not in CONDITIONS)
#: An argument inside each function's real domain, away from its singular points.
INSIDE = {"acosh": 1.7, "acoth": 1.9, "asec": 1.6, "acsc": 1.6, "log": 0.8, "log1p": 0.3}


def _argument(name: str) -> float:
    return INSIDE.get(name, 0.37)


@pytest.mark.parametrize("name", UNARY)
def test_value_and_derivative_of_each_row_against_sympy(name: str) -> None:
    u = _argument(name)
    f = parse(f"{name}(2*x)")
    x = sympy.Symbol("x", real=True)
    theirs = 2 * x if name == "stop_gradient" else to_sympy(f)  # SymPy cannot evaluate ours
    point = {"x": u / 2}
    assert close(evaluate(f, point), float(theirs.subs(x, u / 2).evalf(30)), 1e-12)
    slope = sympy.S.Zero if name == "stop_gradient" else sympy.diff(theirs, x)
    expected = float(slope.subs(x, u / 2).evalf(30))
    assert close(evaluate(diff(f, "x"), point), expected, 1e-10)
    assert close(grad_at(f, point)["x"], expected, 1e-10)


@pytest.mark.parametrize("name", UNARY)
def test_each_row_prints_parses_explains_and_compiles(name: str) -> None:
    f = parse(f"{name}(x)")
    assert parse(str(f)) is f
    assert to_latex(f)
    assert explain(f, "x").result is diff(f, "x", simplify=True)
    compiled = lambdify(f, "x")
    u = _argument(name)
    assert close(compiled(u), evaluate(f, {"x": u}), 1e-13)


@pytest.mark.parametrize("name", UNARY)
def test_each_row_is_a_constructor_and_a_dual_number_function(name: str) -> None:
    public = "Abs" if name == "abs" else name
    x = symdiff.Sym("x")
    assert getattr(symdiff, public)(x) is parse(f"{name}(x)")
    assert public in symdiff.__all__
    u = _argument(name)
    assert close(getattr(symdiff.math, name)(u), evaluate(parse(f"{name}(x)"), {"x": u}), 1e-15)


@pytest.mark.parametrize(
    ("name", "small", "exact"),
    [("log1p", 1e-12, sympy.log(1 + sympy.Rational(1, 10**12))),
     ("expm1", 1e-12, sympy.exp(sympy.Rational(1, 10**12)) - 1)],
)  # fmt: skip
def test_log1p_and_expm1_keep_precision_near_zero(name: str, small: float, exact: object) -> None:
    expected = float(sympy.N(exact, 40))
    value = evaluate(parse(f"{name}(x)"), {"x": small})
    assert abs(value - expected) <= 1e-15 * abs(expected)
    naive = math.log(1 + small) if name == "log1p" else math.exp(small) - 1
    assert abs(naive - expected) > 1e-6 * abs(expected)  # what the rows are for
    source = symdiff.codegen(parse(f"{name}(x)"), "x", target="c")
    assert f"{name}(x)" in source


def test_log1p_outside_its_domain_is_a_clear_error() -> None:
    with pytest.raises(EvaluationError, match="log1p"):
        evaluate("log1p(x)", {"x": -2.0})


def test_exact_values_fold() -> None:
    assert parse("log1p(0)") is parse("0") and parse("expm1(0)") is parse("0")
    assert str(diff("log1p(x**2)", "x")) == "2*x/(x**2 + 1)"
