"""User-defined functions (symdiff.define) and implicit differentiation (symdiff.implicit),
against SymPy's diff of the written-out bodies and SymPy's idiff."""

from __future__ import annotations

import math

import pytest
import sympy
from oracle import to_sympy

import symdiff
from symdiff.core.errors import MissingDerivativeError


@pytest.fixture(autouse=True)
def _clean():
    yield
    for name in ("softclip_t", "sig_t", "g2_t"):
        if name in symdiff.core.vocabulary.DEFINED:
            symdiff.undefine(name)


def test_formula_definition_everywhere() -> None:
    symdiff.define("softclip_t", "log(1 + exp(k*x))/k", args="x k")
    expr = symdiff.parse("softclip_t(x**2, 3)*sin(x)")
    body = symdiff.parse("log(1 + exp(3*x**2))/3*sin(x)")
    d = symdiff.diff(expr, "x")
    xs = sympy.Symbol("x", real=True)
    expected = sympy.diff(to_sympy(body), xs)
    for point in (0.3, -0.7, 1.1):
        assert symdiff.evaluate(d, x=point) == pytest.approx(float(expected.subs(xs, point)))
        assert symdiff.evaluate(expr, x=point) == pytest.approx(symdiff.evaluate(body, x=point))
    assert symdiff.parse(str(expr)) is expr
    compiled = symdiff.lambdify(d, "x")
    assert compiled(0.3) == pytest.approx(float(expected.subs(xs, 0.3)))
    results = symdiff.compare_methods(expr, {"x": 0.4})
    values = [r.partials[0] if hasattr(r, "partials") else None for r in results]
    assert len(results) == 4 and values


def test_callable_with_partials_and_missing_partial() -> None:
    symdiff.define(
        "sig_t", lambda t: 1 / (1 + math.exp(-t)), args="t", partials=["sig_t(t)*(1 - sig_t(t))"]
    )
    d = symdiff.diff("sig_t(2*x)", "x")
    s = 1 / (1 + math.exp(-0.6))
    assert symdiff.evaluate(d, x=0.3) == pytest.approx(2 * s * (1 - s))
    with pytest.raises(symdiff.CodegenError, match="sig_t is defined by a Python callable"):
        symdiff.codegen(d, "x")
    symdiff.define("g2_t", lambda a, b: a * b, args="a b", partials=[None, "a"])
    assert symdiff.diff("g2_t(3, x)", "x") is symdiff.Num(3)
    with pytest.raises(MissingDerivativeError, match=r"g2_t .* argument 1 \(a\)"):
        symdiff.diff("g2_t(x, 2)", "x")


def test_redefinition_and_file(tmp_path) -> None:
    symdiff.define("softclip_t", "log(1 + exp(k*x))/k", args="x k")
    symdiff.define("softclip_t", "log(1 + exp(k*x))/k", args="x k")  # the same again
    with pytest.raises(ValueError, match="defined already"):
        symdiff.define("softclip_t", "x*k", args="x k")
    with pytest.raises(ValueError, match="sin cannot be defined"):
        symdiff.define("sin", "x")
    path = tmp_path / "defs.txt"
    path.write_text("# comment\nsig_t(t) = 1/(1 + exp(-t))\n")
    assert symdiff.define_from_file(str(path)) == ["sig_t"]
    assert symdiff.evaluate("sig_t(0)") == 0.5


CASES = [
    ("x**2 + y**2 - 25", 1),
    ("x**2 + y**2 - 25", 2),
    ("x**3 + y**3 - 3*x*y", 2),
    ("sin(x*y) + x - y**2", 1),
    ("exp(x + y) - x*y", 3),
    ("x**3 + y**3 - (3*x*y**2 - x - 1)*(x**2 + x*y + y**2 - 10)", 2),
]


@pytest.mark.parametrize(("equation", "order"), CASES)
def test_implicit_against_idiff(equation: str, order: int) -> None:
    ours = symdiff.implicit(equation, order, y="x")
    xs, ys = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
    theirs = sympy.idiff(to_sympy(symdiff.parse(equation)), ys, xs, order)
    for point in ((0.3, 0.7), (1.2, -0.4), (-0.5, 0.9)):
        expected = complex(theirs.subs({xs: point[0], ys: point[1]}).evalf(30))
        got = symdiff.evaluate(ours, x=point[0], y=point[1])
        assert got == pytest.approx(expected.real, rel=1e-9, abs=1e-12)


def test_implicit_forms_and_errors() -> None:
    assert str(symdiff.implicit("x**2 + y**2 = 25", y="x")) == "-x/y"
    assert str(symdiff.implicit("x**2 + y**2 = 25", y="x", order=2)) == "-(x**2 + y**2)/y**3"
    steps = symdiff.implicit_steps("x**2 + y**2 = 25", "y", "x", 2)
    assert [str(s.expr) for s in steps[:4]] == ["x**2 + y**2 - 25", "2*x", "2*y", "-x/y"]
    with pytest.raises(ValueError, match="does not involve y"):
        symdiff.implicit("x**2 = 4", y="x")
    with pytest.raises(symdiff.ParseError, match="one '='"):
        symdiff.implicit("x = y = 1", y="x")


@pytest.mark.parametrize("target", ["python", "numpy", "c"])
def test_defined_function_in_every_codegen_target(target: str) -> None:
    if target == "numpy":
        pytest.importorskip("numpy")
    symdiff.define("softclip_t", "log(1 + exp(k*x))/k", args="x k")
    d = symdiff.diff("softclip_t(x**2, 3)", "x")
    try:
        compiled = symdiff.lambdify(d, "x", target=target)
    except symdiff.CodegenError as error:
        if target == "c" and "compiler" in str(error):
            pytest.skip(f"no C compiler: {error}")
        raise
    expected = 2 * 0.4 * math.exp(3 * 0.16) / (1 + math.exp(3 * 0.16))
    assert float(compiled(0.4)) == pytest.approx(expected, rel=1e-12)


def test_implicit_with_the_relation() -> None:
    assert str(symdiff.implicit("x**2 + y**2 = 25", 2, y="x", use_relation=True)) == "-25/y**3"
    assert str(symdiff.implicit("x**2 + y**2 = 25", 3, y="x", use_relation=True)) == "-75*x/y**5"
    # nothing to put back: the same answer as without
    plain = symdiff.implicit("x**3 + y**3 = 6*x*y", 2, y="x")
    assert symdiff.implicit("x**3 + y**3 = 6*x*y", 2, y="x", use_relation=True) is plain
