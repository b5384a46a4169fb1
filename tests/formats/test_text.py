"""Printing: SymPy-compatible text with minimal parentheses that parses back to the same node."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from oracle import to_sympy
from strategies import expressions

from symdiff import Num, Sym, parse, to_repr, to_str


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("x**2*y + y + 2", "x**2*y + y + 2"),
        ("2*x*y", "2*x*y"),
        ("x**2 + 1", "x**2 + 1"),
        ("-x", "-x"),
        ("x**(-1)", "1/x"),
        ("x**(-2)", "1/x**2"),
        ("x/(y*z)", "x/(y*z)"),
        ("-3*x/(2*y)", "-3*x/(2*y)"),
        ("x/2", "x/2"),
        ("sqrt(x)", "sqrt(x)"),
        ("1/sqrt(x + 1)", "1/sqrt(x + 1)"),
        ("x**(1/3)", "x**(1/3)"),
        ("(-2)**x", "(-2)**x"),
        ("(x*y)**z", "(x*y)**z"),
        ("(x**y)**z", "(x**y)**z"),
        ("x**y**z", "x**(y**z)"),
        ("x - y", "x - y"),
        ("2**(-x)", "2**(-x)"),
        ("exp(1)*pi*x", "e*pi*x"),
        ("atan2(y, x)", "atan2(y, x)"),
        ("1.5e-10*x", "1.5e-10*x"),
        ("-(x + y)**2", "-(x + y)**2"),
    ],
)
def test_readable_text(text: str, printed: str) -> None:
    assert to_str(parse(text)) == printed
    assert parse(printed) is parse(text)


SAMPLES = ["x**2*y + y + 2", "-3*x/(2*y)", "exp(-x**2/2)/sqrt(2*pi)", "(x**y)**z",
           "atan2(y, x)**(1/3)", "1/(1 + exp(-z))"]  # fmt: skip


@pytest.mark.parametrize("text", SAMPLES)
def test_sympy_reads_the_same_expression(text: str) -> None:
    e = parse(text)
    assert sympy.simplify(to_sympy(e) - to_sympy(text.replace("^", "**"))) == 0


@given(expressions())
def test_round_trip(e) -> None:
    assert parse(to_str(e)) is e


@given(expressions())
def test_python_and_sympy_accept_the_text(e) -> None:
    compile(to_str(e), "<symdiff>", "eval")
    to_sympy(e)  # SymPy parses it (and would raise if the syntax were foreign to it)


def test_repr_is_unambiguous() -> None:
    assert to_repr(parse("x + 1.0")) != to_repr(parse("x + 1"))
    assert to_repr(parse("2*x")) == "Mul(Num(2), Sym('x'))"


def test_huge_integers_print() -> None:
    e = parse("10**2000*10**2000*10**1000 + x")  # 5001 digits: past CPython's str() limit
    assert str(e).startswith("x + 1" + "0" * 20)
    assert parse(str(e)) is e


def test_deep_expression_prints() -> None:
    e = parse("sin(" * 10000 + "x" + ")" * 10000)
    assert str(e).count("sin(") == 10000


@pytest.mark.parametrize("digits", [1, 2999, 3000, 3001, 4301, 9001, 60_000])
def test_digit_conversions_agree_with_python(digits: int) -> None:
    import random
    import sys

    from symdiff.core.numbers import int_from_text, int_text

    rng = random.Random(digits)
    text = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(digits - 1))
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        value = int(text)
        assert int_from_text(text) == value
        assert int_text(value) == text and int_text(-value) == "-" + text
    finally:
        sys.set_int_max_str_digits(limit)


def test_the_reciprocal_of_a_huge_integer_is_exact() -> None:
    # past the folding bound of powers; 1/n is as small as n, so it folds
    assert parse("x/1" + "0" * 20000) is Num(Fraction(1, 10**20000)) * Sym("x")


def test_signs_and_denominators_print_as_they_read() -> None:
    x, y = Sym("x"), Sym("y")
    assert str(parse("(x+1)/(-y)")) == "-(x + 1)/y"
    e = Num(Fraction(1, 2)) / (x + y)
    assert parse(str(e)) is e
    assert str(x ** Num(-1.0)) == "x**(-1.0)"


def test_dividing_a_huge_integer_by_a_float_is_a_clear_error() -> None:
    from symdiff import SymdiffError

    with pytest.raises(SymdiffError, match="overflows a float"):
        Num(7**5000) / Num(0.5)
