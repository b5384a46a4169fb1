"""The grammar: numbers, names, precedence, implicit products, functions and error reports."""

from __future__ import annotations

import pytest

from symdiff import PI, E, ParseError, Sym, parse
from symdiff.formats.parser import parser


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("-x**2", "-(x**2)"),
        ("2**3**2", "512"),
        ("2**-x", "2**(-x)"),
        ("x^2", "x**2"),
        ("2x", "2*x"),
        ("3(x+1)", "3*(x+1)"),
        ("(x+1)(x-1)", "(x+1)*(x-1)"),
        ("2 sin(x)", "2*sin(x)"),
        ("2x**2", "2*(x**2)"),
        ("1e-3x", "0.001*x"),
        ("2.5E+4", "25000.0"),
        (".5", "0.5"),
        ("ln(x)", "log(x)"),
        ("log(x, 2)", "log(x)/log(2)"),
        ("x/y/z", "x/(y*z)"),
        ("x - y - z", "x - (y + z)"),
        ("--x", "x"),
        ("+x", "x"),
        ("e**x", "exp(x)"),
        ("E", "exp(1)"),
        ("detach(x)", "stop_gradient(x)"),
        ("x_1 + theta_dot*alpha", "alpha*theta_dot + x_1"),
    ],
)
def test_equivalent_spellings(text: str, same_as: str) -> None:
    assert parse(text) is parse(same_as)


def test_constants() -> None:
    assert parse("pi") is PI
    assert parse("e") is E
    assert isinstance(parse("e1"), Sym)


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("x +", 4, "unexpected end of input"),
        ("2*(x", 5, "expected"),
        ("x $ y", 3, "unexpected character '$'"),
        ("sin(x, y)", 1, "sin takes 1 argument, got 2"),
        ("foo(x)", 1, "unknown function 'foo'"),
        ("x + sin", 5, "sin is a function"),
        ("atan2(x)", 1, "atan2 takes 2 arguments"),
        ("3 4", 3, "unexpected '4'"),
        ("1/0", 2, "division by zero"),
        ("", 1, "empty formula"),
        ("1e999", 1, "too large"),
    ],
)
def test_errors_name_position_and_show_a_caret(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    error = info.value
    assert isinstance(error, ValueError)
    assert fragment in str(error)
    assert error.column == column and error.line == 1
    if text:
        assert str(error).endswith(text.splitlines()[0] + "\n" + " " * (column - 1) + "^")


def test_error_on_a_later_line() -> None:
    with pytest.raises(ParseError) as info:
        parse("x +\n* y")
    assert info.value.line == 2 and info.value.column == 1


def test_call_versus_product_conflict_is_resolved_as_a_call() -> None:
    # NAME "(" is the grammar's one shift/reduce conflict: LALR shifts, so x(y) is a call.
    with pytest.raises(ParseError, match=r"x\*\(\.\.\.\)"):
        parse("x(y + 1)")
    assert str(parse("x*(y + 1)")) == "x*(y + 1)"


def test_grammar_has_exactly_the_one_documented_conflict() -> None:
    import io
    import logging
    from importlib import resources

    from lark import Lark, logger

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        text = (resources.files("symdiff.grammar") / "symdiff.lark").read_text()
        Lark(text, parser="lalr", debug=True)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    conflicts = [line for line in stream.getvalue().splitlines() if "conflict" in line]
    assert conflicts == ["Shift/Reduce conflict for terminal LPAR: (resolving as shift)"]


def test_parser_is_built_once() -> None:
    assert parser() is parser()


@pytest.mark.parametrize(
    "text",
    [
        "(" * 10000 + "x" + ")" * 10000,
        "-" * 10000 + "x",
        "x**" * 10000 + "x",
        "sin(" * 10000 + "x" + ")" * 10000,
        "+".join(f"x{i}" for i in range(10000)),
        "*".join(f"x{i}" for i in range(10000)),
    ],
    ids=["parentheses", "unary-minus", "power-tower", "nested-calls", "wide-sum", "wide-product"],
)
def test_deep_and_wide_inputs_parse(text: str) -> None:
    assert parse(text) is not None


def test_not_a_string() -> None:
    with pytest.raises(TypeError):
        parse(3)  # type: ignore[arg-type]
