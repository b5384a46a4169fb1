"""Python's numeric protocols on expressions (issue 10, item 7)."""

from __future__ import annotations

import math
import operator
from fractions import Fraction

import pytest

from symdiff import Abs, NotConstantError, Sym, TracingError, diff, evaluate, parse, trace

x, y = Sym("x"), Sym("y")


def test_abs_and_pos_build_expressions() -> None:
    assert abs(x) is Abs(x)
    assert abs(x - y) is parse("abs(x - y)")
    assert abs(abs(x)) is abs(x)
    assert abs(parse("-3/2")) is parse("3/2")
    assert +x is x
    assert evaluate(abs(x) * 2, x=-1.5) == 3.0
    assert diff(abs(x**3), "x") is parse("3*x**2*sign(x**3)")  # d|u| = sign(u) du


@pytest.mark.parametrize(
    ("text", "value"),
    [("7/2", 3.5), ("sqrt(2)", math.sqrt(2)), ("2*pi", 2 * math.pi), ("exp(1)", math.e),
     ("-5", -5.0), ("log(10, 2)", math.log2(10)), ("atan2(1, 1)*4", math.pi)],
)  # fmt: skip
def test_constants_convert(text: str, value: float) -> None:
    e = parse(text)
    assert math.isclose(float(e), value, rel_tol=1e-15)
    assert complex(e) == complex(float(e))
    assert int(e) == int(value)  # truncation, like int(3.5) and int(Fraction(7, 2))
    assert math.trunc(e) == math.trunc(value)
    assert math.floor(e) == math.floor(value) and math.ceil(e) == math.ceil(value)
    assert round(e, 3) == round(value, 3)
    assert math.isclose(math.sqrt(abs(e)), math.sqrt(abs(value)))  # math.* uses __float__


def test_exact_constants_stay_exact() -> None:
    assert int(parse("10**40")) == 10**40
    assert round(parse("7/2")) == 4 and isinstance(round(parse("7/2")), int)
    assert math.floor(parse("-7/2")) == -4
    assert float(parse("1/3")) == float(Fraction(1, 3))


def test_index_only_for_exact_integers() -> None:
    assert list(range(parse("3"))) == [0, 1, 2]
    assert [10, 20, 30][parse("2")] == 30
    assert operator.index(parse("-4")) == -4
    for bad in ("7/2", "2.0", "sqrt(2)", "x"):
        with pytest.raises(TypeError, match="not an exact integer"):
            operator.index(parse(bad))


@pytest.mark.parametrize("convert", [float, int, complex, math.floor, round, math.sin])
def test_non_constants_give_a_clear_error(convert) -> None:
    with pytest.raises(NotConstantError, match=r"depends on x, y.*evaluate"):
        convert(x * y + 1)
    with pytest.raises(TypeError):  # NotConstantError is a TypeError, as Python expects
        convert(x)


def test_undefined_constants_say_why() -> None:
    with pytest.raises(ArithmeticError, match="undefined"):
        float(parse("log(-1)"))


def test_inside_trace_a_conversion_is_a_tracing_error() -> None:
    with pytest.raises(TracingError, match="needs a plain number"):
        trace(lambda x: float(x) * 2)
    assert trace(lambda x: x * float(parse("pi"))) is x * math.pi
