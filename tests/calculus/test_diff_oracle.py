"""symdiff's derivatives against SymPy's: hand-picked formulas and random expressions."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from oracle import agree_numerically, to_sympy
from strategies import VARIABLES, expressions

from symdiff import Expr, Num, Sym, diff, parse

CASES = [
    "x**2*y + y + 2",
    "log(x) + x*y - sin(y)",
    "1/(1 + exp(-x))",
    "x**x",
    "sin(x)**2 + cos(x)**2",
    "exp(-x**2/2)/sqrt(2*pi)",
    "atan2(y, x)",
    "log(x, 2)",
    "x**(1/3) + y**(-1/2)",
    "abs(x)*sign(y) + erf(x*y)",
    "(x + 1)**10/(x - 1)**3",
    "tan(x)*sec(x) - csc(x)*cot(x)",
    "asin(x/3) + acos(x/3) + atan(x) + acot(x)",
    "asec(x + 3) + acsc(x + 3)",
    "sinh(x) + cosh(x) + tanh(x) + sech(x) + csch(x + 3) + coth(x + 3)",
    "asinh(x) + acosh(x + 3) + atanh(x/3) + acoth(x + 3)",
    "2**x + x**y + pi**x + e**(x*y)",
    "sqrt(x**2 + y**2)",
    "log(1 + exp(x))",
    "tanh(x*y + 1)**3",
]


@pytest.mark.parametrize("text", CASES)
@pytest.mark.parametrize("variable", ["x", "y"])
def test_hand_picked_against_sympy(text: str, variable: str) -> None:
    f = parse(text)
    ours = diff(f, variable)
    theirs = sympy.diff(to_sympy(f), sympy.Symbol(variable, real=True))
    checked = agree_numerically(ours, theirs, ["x", "y"], guard=f, points=12)
    assert checked >= 3


@pytest.mark.parametrize("text", CASES[:12])
def test_hand_picked_symbolically(text: str) -> None:
    f = parse(text)
    ours = to_sympy(diff(f, "x"))
    theirs = sympy.diff(to_sympy(f), sympy.Symbol("x", real=True))
    assert sympy.simplify(ours - theirs) == 0


@settings(max_examples=500)
@given(expressions())
def test_random_expressions_against_sympy(f) -> None:
    variable = "x"
    ours = diff(f, variable, simplify=False)  # the rules themselves: the raw derivative
    theirs = sympy.diff(to_sympy(f), sympy.Symbol(variable, real=True))
    checked = agree_numerically(ours, theirs, VARIABLES, guard=f, points=6)
    assume(checked > 0)


def _rational_expressions() -> st.SearchStrategy[Expr]:
    """Rational functions of x, y: +, -, *, / and integer powers (where cancel decides zero)."""
    leaf = st.one_of(
        st.sampled_from([Sym("x"), Sym("y")]),
        st.integers(-3, 4).map(Num),
        st.fractions(-2, 2, max_denominator=3).map(Num),
    )

    def extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        def divide(a: Expr, b: Expr) -> Expr:
            return a if b is Num(0) else a / b

        return st.one_of(
            st.tuples(children, children).map(lambda ab: ab[0] + ab[1]),
            st.tuples(children, children).map(lambda ab: ab[0] - ab[1]),
            st.tuples(children, children).map(lambda ab: ab[0] * ab[1]),
            st.tuples(children, children).map(lambda ab: divide(*ab)),
            st.tuples(children, st.integers(-3, 3)).map(
                lambda ab: ab[0] if ab[0] is Num(0) and ab[1] < 0 else ab[0] ** ab[1]
            ),
        )

    return st.recursive(leaf, extend, max_leaves=10)


@settings(max_examples=150)
@given(_rational_expressions())
def test_random_rational_functions_symbolically(f) -> None:
    # for rational functions cancel() decides whether a difference is identically zero
    x = sympy.Symbol("x", real=True)
    difference = to_sympy(diff(f, "x")) - sympy.diff(to_sympy(f), x)
    assert sympy.cancel(sympy.together(difference)) == 0
