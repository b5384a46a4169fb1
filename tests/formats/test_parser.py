"""The grammar: numbers, names, precedence, implicit products, functions and error reports."""

from __future__ import annotations

import re
import warnings

import pytest

from symdiff import PI, E, FormulaWarning, Num, ParseError, Sym, parse, parse_variable
from symdiff.core.errors import WINDOW
from symdiff.formats.parser import MAX_DEPTH, MAX_DIGITS, MAX_LENGTH, parser


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


# --- the input policy: what implicit multiplication joins, what is refused, what warns -------


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("2x", "2*x"),
        ("3(x+1)", "3*(x+1)"),
        ("(x+1)(x-1)", "(x+1)*(x-1)"),
        ("2 sin(x)", "2*sin(x)"),
        ("2sin(x)", "2*sin(x)"),
        ("t^2 x^2", "t**2*x**2"),
        ("5x*3x", "15*x**2"),
        ("(x+1)y", "(x+1)*y"),
        ("x sin(x)", "x*sin(x)"),
        ("2 e", "2*E"),
        ("2exp(x)", "2*exp(x)"),
        ("1e-3x", "x/1000.0"),
        ("0x", "0"),
    ],
)
def test_implicit_products_that_stay_silent(text: str, same_as: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning either
        assert parse(text) is parse(same_as)


@pytest.mark.parametrize(
    ("text", "same_as", "fragment"),
    [
        ("x y", "x*y", "'x y' at line 1, column 1 was read as the product x*y"),
        ("sin(x y)", "sin(x*y)", "'x y' at line 1, column 5"),
        ("2 pi r", "2*pi*r", "pi*r"),
        ("x +\ny", "x + y", "spans 2 lines"),
        ("(x\n+ 1)*y", "(x + 1)*y", "spans 2 lines"),
    ],
)
def test_easy_to_misread_input_warns(text: str, same_as: str, fragment: str) -> None:
    with pytest.warns(FormulaWarning, match=re.escape(fragment)):
        assert parse(text) is parse(same_as)


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("0x10*x", 1, "hexadecimal literal: numbers are decimal; write 16"),
        ("0b101", 1, "binary literal: numbers are decimal; write 5"),
        ("0o17 + x", 1, "octal literal: numbers are decimal; write 15"),
        ("1_000*x", 1, "no digit separators; write 1000"),
        ("1j*x", 1, "complex number"),
        ("2.5J", 1, "complex number"),
        ("1e", 1, "incomplete exponent: write 1e3"),
        ("x + 1e+x", 5, "incomplete exponent"),
        ("3E*x", 1, "or 3*E for 3 times the constant e"),
        ("import os", 1, "'import' is a Python keyword: symdiff reads formulas"),
        ("x if y else z", 3, "where(condition, a, b)"),
        ("lambda x: x**2", 1, "x**2, not lambda x: x**2"),
        ("exp(-lambda*t)", 6, "Symbol('lambda')"),
        ("not x", 1, "the condition of not must be a comparison"),
        ("x + True", 5, "True and False are conditions"),
        ("(x > 0)*2", 8, "the condition x > 0 is not a number"),
        ("sin(x > 0)", 1, "where(x > 0, 1, 0) for its indicator"),
        ("where(x, 1, 2)", 1, "the condition of where must be a comparison"),
        ("(x, 1)", 1, "only a piece of piecewise"),
        ("piecewise((x, x > 0))", 1, "must be (value, True)"),
        ("inf", 1, "numbers are finite"),
        ("x + NaN", 5, "Symbol('NaN')"),
        ("\u0663*x", 1, "ARABIC-INDIC DIGIT THREE: write the ASCII digit 3"),
        ("\uff12*x", 1, "FULLWIDTH DIGIT TWO: write the ASCII digit 2"),
        ("x\u00b2", 2, "superscript 2: write **2"),
        ("2\u00d7x", 2, "write '*'"),
        ("x\u22121", 2, "write '-'"),
        ("\u03b1 + 1", 1, "write alpha"),
        ("y = x**2", 3, "not an equation"),
        ("sin x", 1, "sin is a function: write sin(x)"),
        ("x + 1\nx", 1, "a line break between '1' and 'x' would multiply them"),
        ("1e-400*x", 1, "too small for a float"),
        ("Symbol(x)", 1, "Symbol('name')"),
    ],
)
def test_foreign_and_misleading_input_is_an_error_that_says_what_to_write(
    text: str, column: int, fragment: str
) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert fragment in info.value.message
    assert info.value.column == column


def test_reserved_names_are_written_as_symbol_calls() -> None:
    assert parse("Symbol('e') + e") is Sym("e") + E
    assert parse('Symbol("sin")*sin(x)') is Sym("sin") * parse("sin(x)")
    assert parse("Symbol('inf')") is Sym("inf")


def test_parse_variable_refuses_what_a_formula_reads_otherwise() -> None:
    assert parse_variable(" theta_dot ") is Sym("theta_dot")
    assert parse_variable("Symbol('sin')") is Sym("sin")
    for text, fragment in [
        ("sin", "sin is a function, not a variable"),
        ("e", "e is a constant"),
        ("pi", "pi is a constant"),
        ("lambda", "not a variable name"),
        ("nan", "not a variable name"),
        ("x y", "not a variable name"),
        ("2x", "not a variable name"),
    ]:
        with pytest.raises(ParseError, match=re.escape(fragment)):
            parse_variable(text)


# --- limits ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("x" * (MAX_LENGTH + 1), "formula too long"),
        ("7" * (MAX_DIGITS + 1), f"more than {MAX_DIGITS:,} digits"),
        ("1." + "7" * MAX_DIGITS, f"more than {MAX_DIGITS:,} digits"),
        ("sin(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), "nested more than"),
        ("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), "nested more than"),
        ("x**" * (MAX_DEPTH + 1) + "x", "nested more than"),
        ("(" * (MAX_DEPTH // 2) + "x**" * (MAX_DEPTH // 2 + 1) + "x", "nested more than"),
    ],
)
def test_limits_give_a_clear_error(text: str, fragment: str) -> None:
    with pytest.raises(ParseError, match=fragment):
        parse(text)


def test_under_the_limits_everything_parses() -> None:
    assert parse("7" * MAX_DIGITS) is Num(7 * (10**MAX_DIGITS - 1) // 9)
    assert parse("sin(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH) is not None
    assert parse("x**2*" * 30_000 + "x") is not None  # powers side by side do not nest
    assert parse("-" * 100_000 + "x") is parse("x")


def test_the_caret_line_is_a_window_around_the_error() -> None:
    text = "x+" * 2500 + "$" + "+x" * 2500
    with pytest.raises(ParseError) as info:
        parse(text)
    source, caret = str(info.value).split("\n")[1:]
    assert len(source) <= 2 * WINDOW + 6 and source.startswith("...") and source.endswith("...")
    assert source[caret.index("^")] == "$"
    assert info.value.column == 5001


@pytest.mark.parametrize(
    "text", ["1e308*10.0*x", "1e308 + 1e308", "1.5*1" + "0" * 400, "1" + "0" * 400 + "/0.5"]
)
def test_constants_that_overflow_a_float_are_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="float"):
        parse(text)


def test_parse_variable_accepts_a_reserved_name_the_expression_has() -> None:
    f = Sym("sin") * parse("sin(x)")
    assert parse_variable("sin", f) is Sym("sin")
    with pytest.raises(ParseError, match="sin is a function"):
        parse_variable("sin", parse("sin(x)"))
