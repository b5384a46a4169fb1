"""Intermediate overflow is not an error when the value does not need it (issue 10, item 4).

The oracle is mpmath at 60 digits on SymPy's reading of the formula: where the true value is a
finite float, ``evaluate`` must give it; where it is beyond the float range, a clear
``EvaluationError``; a real domain error stays one.
"""

from __future__ import annotations

import itertools
import math

import mpmath
import pytest
import sympy
from oracle import to_sympy

from symdiff import EvaluationError, evaluate, forward_sweep, grad_at, parse, reverse_sweep
from symdiff.core.vocabulary import FUNCTIONS
from symdiff.numeric.extended import WIDE

FLOAT_MAX = 1.7976931348623157e308


def test_the_two_reported_cases() -> None:
    assert evaluate(parse("sech(x**12)"), x=2.627463) == 0.0
    assert evaluate(parse("10**100000*x"), x=0) == 0.0


def test_a_true_overflow_is_still_reported_with_its_size() -> None:
    with pytest.raises(EvaluationError, match=r"overflow.*1\.0+e\+100000"):
        evaluate(parse("10**100000*x"), x=1)
    with pytest.raises(EvaluationError, match="overflow"):
        evaluate(parse("exp(x)"), x=1000)
    with pytest.raises(EvaluationError, match="overflow"):
        evaluate(parse("2*x"), x=1e308)  # a silent inf in floats


@pytest.mark.parametrize(
    ("text", "point", "message"),
    [
        ("1/x", {"x": 0}, "division by zero"),
        ("log(x)", {"x": -1}, "undefined"),
        ("sqrt(x)", {"x": -1}, "undefined"),
        ("asin(x)", {"x": 2}, "undefined"),
        ("x + y", {"x": 1}, "no value given for symbol 'y'"),
        ("sin(10**400*x)", {"x": 1}, "overflow"),  # no float can say what this is
    ],
)
def test_real_errors_stay_errors(text: str, point: dict, message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        evaluate(parse(text), point)


def mpmath_value(text: str, point: dict[str, float]) -> mpmath.mpf | None:
    expr = to_sympy(parse(text))
    names = sorted(expr.free_symbols, key=lambda s: s.name)
    fn = sympy.lambdify(names, expr, modules="mpmath")
    with mpmath.workdps(60):
        try:
            value = fn(*(mpmath.mpf(point[s.name]) for s in names))
        except (ZeroDivisionError, ValueError, OverflowError):
            return None  # undefined, or too large even for mpmath: no oracle here
        return None if isinstance(value, mpmath.mpc) else +value


OUTER = ["sech({})", "1/cosh({})", "tanh({})", "atan({})", "erf({})", "exp(-{})", "1/({} + 1)",
         "acot({})", "{}*exp(-{})", "log({})", "asinh({})", "sqrt({})/({} + 2)", "x*0*{}",
         "log1p({})", "1/expm1({})"]  # fmt: skip
INNER = ["x**12", "exp(x)", "cosh(x)", "10**400*x", "x**x", "exp(exp(x))"]
POINTS = [2.627463, 7.5, 1000.0, 3e4]


#: Beyond this even the extended range is infinite: ``0*inf`` there is a documented overflow.
EXTENDED_MAX = mpmath.mpf(10) ** (10**15)


@pytest.mark.parametrize(("outer", "inner"), list(itertools.product(OUTER, INNER)))
def test_intermediate_overflow_family_against_mpmath(outer: str, inner: str) -> None:
    text = outer.replace("{}", f"({inner})")
    for x in POINTS:
        expected = mpmath_value(text, {"x": x})
        if expected is None:
            continue
        if abs(expected) > FLOAT_MAX:
            with pytest.raises(EvaluationError, match="overflow"):
                evaluate(parse(text), x=x)
            continue
        try:
            actual = evaluate(parse(text), x=x)
        except EvaluationError as error:  # allowed only past the extended range
            assert "overflow" in str(error), (text, x, error)
            assert abs(mpmath_value(inner, {"x": x})) > EXTENDED_MAX, (text, x, error)
            continue
        assert math.isclose(actual, float(expected), rel_tol=1e-12, abs_tol=1e-300), (text, x)


def test_underflow_into_a_logarithm_or_a_quotient() -> None:
    assert evaluate(parse("log(exp(-x))"), x=1000) == -1000.0
    # exp(-800) is 0.0 and exp(803) overflows in floats; the product is e**3
    assert math.isclose(evaluate(parse("exp(-x)/exp(-x - 3)"), x=800), math.exp(3))


def test_values_beyond_the_default_decimal_context() -> None:
    """Past 10**999999 (decimal's default context) nothing may raise a raw decimal error."""
    with pytest.raises(EvaluationError, match=r"overflow.*e\+105352283"):
        evaluate(parse("cosh(cosh(x))"), x=20)
    assert evaluate(parse("tanh(-exp(exp(x)))"), x=20) == -1.0
    assert evaluate(parse("sech(abs(-cosh(cosh(x))))"), x=20) == 0.0
    assert evaluate(parse("atan2(exp(exp(x)), 2*exp(exp(x)))"), x=20) == math.atan2(1, 2)


@pytest.mark.parametrize(
    "zero", ["log(log(e))", "asec(1)*y", "atan2(0, 1 + y)", "log(log(e))*sinh(y)"]
)
@pytest.mark.parametrize("big", ["0", "10**400*x", "exp(exp(x))"])
def test_exact_zeros_stay_zero_in_the_extended_range(zero: str, big: str) -> None:
    """The fallback must not turn a float's exact 0 into 40-digit rounding noise (1e-40)."""
    with pytest.raises(EvaluationError, match="division by zero"):
        evaluate(parse(f"{big} + log(x)/({zero})"), x=20.0, y=0.5)


def test_every_function_has_an_extended_range_row() -> None:
    assert set(WIDE) == set(FUNCTIONS)


def test_ad_values_use_the_same_fallback() -> None:
    f = parse("sech(x**12) + y")
    point = {"x": 2.627463, "y": 2.0}
    assert forward_sweep(f, point, {"y": 1.0}).value == 2.0
    sweep = reverse_sweep(f, point, ["y"])
    assert sweep.value == 2.0
    assert grad_at(f, point, ["y"]) == {"y": 1.0}
