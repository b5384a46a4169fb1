"""Unknown functions f(x), g(x, y): parsing (declared or self-declaring), printing, the chain
rule against SymPy's Function/Derivative, and the round trip of every printed form."""

from __future__ import annotations

import contextlib
import random
import warnings

import pytest
import sympy
from hypothesis import given, settings
from oracle import to_sympy
from strategies import with_unknown_functions

import symdiff
from symdiff import EvaluationError, ParseError, Sym, parse

x, y = Sym("x"), Sym("y")

#: Concrete functions put in for f, g, h on both sides, so that SymPy's derivative and
#: symdiff's can be compared as numbers.
_T, _U = sympy.symbols("t u")
CONCRETE = {
    "f": sympy.Lambda(_T, sympy.sin(_T) + _T**3 / 5),
    "g": sympy.Lambda((_T, _U), sympy.exp(_T / 3) * sympy.cos(_U) + _T * _U),
    "h": sympy.Lambda(_T, sympy.atan(_T) + 2 * _T),
}


def concrete(expr: sympy.Expr) -> sympy.Expr:
    return expr.subs({sympy.Function(n): f for n, f in CONCRETE.items()}).doit()


def assert_same_function(
    ours: symdiff.Expr, theirs: sympy.Expr, names=("x", "y"), required: bool = True
) -> None:
    a, b = concrete(to_sympy(ours)), concrete(theirs)
    symbols = {n: s for s in (a.free_symbols | b.free_symbols) for n in [str(s)] if n in names}
    rng = random.Random(1)
    compared = 0
    for _ in range(8):
        point = {s: rng.uniform(0.2, 1.5) for s in symbols.values()}
        va, vb = complex(a.evalf(30, subs=point)), complex(b.evalf(30, subs=point))
        if not (abs(va.imag) < 1e-12 and abs(vb.imag) < 1e-12):
            continue
        assert va.real == pytest.approx(vb.real, rel=1e-8, abs=1e-10), (point, ours)
        compared += 1
    assert compared > 0 or not required


@pytest.mark.parametrize(
    ("formula", "wrt"),
    [
        ("f(x)", ["x"]),
        ("f(g(x, y))", ["x"]),
        ("f(x**2)*sin(x)", ["x"]),
        ("f(f(x))", ["x", "x"]),
        ("g(x, y)", ["x", "y"]),
        ("g(x, x**2)", ["x"]),
        ("g(y, x)*f(x*y)", ["y", "x"]),
        ("exp(h(x))/f(x)", ["x", "x"]),
        ("g(f(x), h(y))", ["x", "y", "y"]),
    ],
)
def test_chain_rule_against_sympy(formula: str, wrt: list[str]) -> None:
    expr = parse(formula, functions="f g h")
    ours = symdiff.diff(expr, *wrt)
    theirs = sympy.diff(to_sympy(expr), *(sympy.Symbol(n, real=True) for n in wrt))
    assert_same_function(ours, theirs)
    assert parse(str(ours)) is ours


def test_printed_forms() -> None:
    f = parse("f(x)", functions="f")
    assert str(f) == "Function('f')(x)"
    assert str(symdiff.diff(f, "x")) == "Derivative(Function('f')(x), x)"
    assert str(symdiff.diff(f, "x", "x")) == "Derivative(Function('f')(x), x, x)"
    composed = symdiff.diff(parse("f(sin(x))", functions="f"), "x")
    assert str(composed) == "Subs(Derivative(Function('f')(_0), _0), _0, sin(x))*cos(x)"
    assert symdiff.to_latex(symdiff.diff(f, "x")) == r"\frac{d}{dx} f\left(x\right)"
    assert "f'" in symdiff.to_latex(composed)
    partial = symdiff.diff(parse("g(x, y)", functions="g"), "x", "y")
    assert str(partial) == "Derivative(Function('g')(x, y), x, y)"
    assert r"\partial x" in symdiff.to_latex(partial)


def test_declaration_is_needed_and_checked() -> None:
    with pytest.raises(ParseError, match=r"unknown function 'x'.*x\*\(\.\.\.\)"):
        parse("x(y+1)")
    with pytest.raises(ParseError, match="unknown function 'f'"):
        parse("f(x)")
    with pytest.raises(ParseError, match="declared a function"):
        parse("f + 1", functions="f")
    with pytest.raises(ParseError, match="sin cannot be declared"):
        parse("sin(x)", functions="sin")
    assert parse("Function('f')(x)") is parse("f(x)", functions=["f"])
    assert parse("Derivative(f(x), x)", functions="f") is symdiff.diff(
        parse("f(x)", functions="f"), "x"
    )
    with pytest.raises(ParseError, match="read for unknown functions"):
        parse("Derivative(sin(x), x)")


def test_no_value_and_no_code() -> None:
    expr = parse("f(x) + x", functions="f")
    with pytest.raises(EvaluationError, match="f is an unknown function"):
        symdiff.evaluate(expr, x=1.0)
    with pytest.raises(symdiff.CodegenError, match="f is an unknown function"):
        symdiff.codegen(expr, "x")


def test_json_and_steps() -> None:
    expr = parse("f(x**2)*g(x, y)", functions="f g")
    d = symdiff.diff(expr, "x")
    assert symdiff.from_json(symdiff.to_json(d)) is d
    steps = symdiff.explain(expr, "x")
    assert steps.result is symdiff.simplify(d) or symdiff.simplify(steps.result - d) is symdiff.Num(
        0
    )


@settings(max_examples=25, deadline=None)
@given(with_unknown_functions())
def test_random_round_trip_and_oracle(expr: symdiff.Expr) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse(str(expr)) is expr
        d = symdiff.diff(expr, "x")
        assert parse(str(d)) is d
    assert symdiff.from_json(symdiff.to_json(d)) is d
    symdiff.to_latex(d)
    theirs = sympy.diff(to_sympy(expr), sympy.Symbol("x", real=True))
    # random formulas may be complex everywhere (acos(2)): then nothing is compared; the
    # concrete stand-ins can leave the domain: such points are skipped
    with contextlib.suppress(ZeroDivisionError, OverflowError, TypeError):
        assert_same_function(d, theirs, required=False)


def test_declared_readable_text_and_primes() -> None:
    expr = parse("f(g(x))*g(x, y)", functions="f g")
    d = symdiff.diff(expr, "x")
    text = symdiff.to_str(d, functions="f g")
    assert "f'(g(x, y))" not in text and "Function(" not in text
    assert parse(text, functions="f g") is d
    assert str(symdiff.diff(parse("f(sin(x))", functions="f"), "x", "x")).count("Subs") == 2
    assert symdiff.to_str(symdiff.diff(parse("f(sin(x))", functions="f"), "x"), "f") in (
        "f'(sin(x))*cos(x)",
        "cos(x)*f'(sin(x))",
    )
    assert parse("f''(x)") is symdiff.diff(parse("f(x)", functions="f"), "x", "x")
    with pytest.raises(ParseError, match="takes one argument"):
        parse("g'(x, y)")
    with pytest.raises(ParseError, match="unknown functions only"):
        parse("sin'(x)")
    assert "\u2032" in symdiff.to_mathml(parse("f'(x)"))


@settings(max_examples=25, deadline=None)
@given(with_unknown_functions())
def test_random_declared_round_trip(expr: symdiff.Expr) -> None:
    d = symdiff.diff(expr, "x")
    for e in (expr, d):
        assert parse(symdiff.to_str(e, "f g h"), functions="f g h") is e
