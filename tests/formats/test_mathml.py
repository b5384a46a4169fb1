"""MathML output: hand-written cases, and random expressions read back from their MathML.

The reader below turns presentation MathML into a linear formula (fractions, powers and roots
become parenthesised operations; rows are read as written), so a missing parenthesis or a
misplaced sign in the printer reads back as a different formula, which SymPy then evaluates.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import sympy
from hypothesis import assume, given, settings
from oracle import SYMPY_NAMES, random_points, sympy_value, to_sympy
from strategies import expressions

from symdiff import parse
from symdiff.formats.mathml import GREEK_LETTERS, to_mathml

NS = "{http://www.w3.org/1998/Math/MathML}"
LETTER_NAMES = {letter: name for name, letter in GREEK_LETTERS.items()}
FUNCTION_NAMES = {"ln": "log", "arcsin": "asin", "arccos": "acos", "arctan": "atan"}
OPERATORS = {"\u2062": "*", "\u00b7": "*", "\u2212": "-", "+": "+", "(": "(", ")": ")", ",": ","}


def _tag(element: ET.Element) -> str:
    return element.tag.removeprefix(NS)


def _name(text: str) -> str:
    if text in ("e", "\u03c0"):
        return {"e": "E", "\u03c0": "pi"}[text]
    return LETTER_NAMES.get(text, FUNCTION_NAMES.get(text, text))


def linear(element: ET.Element) -> str:
    """A formula for SymPy read off the MathML layout."""
    tag, kids = _tag(element), list(element)
    match tag:
        case "mi":
            return _name(element.text or "")
        case "mn":
            return (element.text or "").replace("\u2212", "-")
        case "mo":
            return OPERATORS[element.text or ""]
        case "mfrac":
            return f"(({linear(kids[0])})/({linear(kids[1])}))"
        case "msup":
            return f"(({linear(kids[0])})**({linear(kids[1])}))"
        case "msub":
            return f"{linear(kids[0])}_{linear(kids[1])}"
        case "msqrt":
            return f"sqrt({''.join(linear(k) for k in kids)})"
        case "mroot":
            return f"(({linear(kids[0])})**(1/({linear(kids[1])})))"
        case "math" | "mrow":
            return _row(kids)
        case "mspace":
            return ""
    raise AssertionError(f"unexpected element {tag}")


def _row(kids: list[ET.Element]) -> str:
    if len(kids) >= 2 and all(_tag(k) == "mo" and k.text == "|" for k in (kids[0], kids[-1])):
        return f"Abs({_row(kids[1:-1])})"
    parts, i = [], 0
    while i < len(kids):
        kid = kids[i]
        applies = i + 2 < len(kids) and _tag(kids[i + 1]) == "mo" and kids[i + 1].text == "\u2061"
        if applies and _tag(kid) == "msup":  # sin²(x): the power of the function's value
            head, exponent = list(kid)
            call = f"{linear(head)}{linear(kids[i + 2])}"
            parts.append(f"(({call})**({linear(exponent)}))")
            i += 3
        elif applies:
            parts.append(f"{linear(kid)}{linear(kids[i + 2])}")
            i += 3
        else:
            parts.append(linear(kid))
            i += 1
    return "".join(parts)


def read_back(markup: str) -> sympy.Expr:
    names = dict(SYMPY_NAMES)
    text = linear(ET.fromstring(markup))
    for word in set(sympy.parse_expr(text, evaluate=False).free_symbols):
        names.setdefault(word.name, sympy.Symbol(word.name, real=True))
    return sympy.sympify(text, locals={**names, "Abs": sympy.Abs})


TABLE = [
    ("x/y", "<mfrac><mi>x</mi><mi>y</mi></mfrac>"),
    ("sin(x)**2", "<msup><mi>sin</mi><mn>2</mn></msup><mo>\u2061</mo>"),
    ("sqrt(x + 1)", "<msqrt><mrow><mi>x</mi><mo>+</mo><mn>1</mn></mrow></msqrt>"),
    ("alpha*x", "<mi>\u03b1</mi>"),
    ("x_1", "<msub><mi>x</mi><mn>1</mn></msub>"),
    ("abs(x)", '<mo stretchy="false">|</mo><mi>x</mi><mo stretchy="false">|</mo>'),
    ("abs(1/x)", "<mrow><mo>|</mo><mfrac>"),  # stretchy around a fraction
    ("2*x", "<mn>2</mn><mo>\u2062</mo><mi>x</mi>"),
    ("x*sin(x)", '<mi>x</mi><mo>\u2062</mo><mspace width="0.1667em"></mspace><mrow><mi>sin</mi>'),
    ("rate*time", "<mi>rate</mi><mo>\u00b7</mo><mi>time</mi>"),
    ("-x**2", "<mo>\u2212</mo><msup><mi>x</mi><mn>2</mn></msup>"),
    ("exp(x)", "<msup><mi>e</mi><mi>x</mi></msup>"),
    ("log(x)", "<mi>ln</mi><mo>\u2061</mo>"),
]


@pytest.mark.parametrize(("formula", "fragment"), TABLE)
def test_table(formula: str, fragment: str) -> None:
    markup = to_mathml(parse(formula))
    assert fragment in markup
    assert markup.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML">')


@pytest.mark.parametrize(
    "formula",
    ["x/(y + 1)", "(x + 1)**-2", "sin(x)**2*exp(-x**2/2)", "2.5e-7*x - 3/4", "x**(1/3)",
     "atan2(y, x)", "(x**y)**z", "(-x)**3*2**x", "sqrt(x)/(x*y)", "E*x + pi", "abs(x - y)**3",
     "x - (y - z)", "-(x + y)*z", "asin(x)*acos(y)/atan(z)", "1/(x*(x + 1))", "x**-y"],
)  # fmt: skip
def test_reads_back_as_the_same_formula(formula: str) -> None:
    expr = parse(formula)
    assert assert_same(read_back(to_mathml(expr)), to_sympy(expr)) > 0


@settings(
    max_examples=50 if settings.default.max_examples <= 100 else settings.default.max_examples
)
@given(expressions(max_leaves=8))
def test_random_expressions_read_back(expr) -> None:
    markup = to_mathml(expr)
    assume(assert_same(read_back(markup), to_sympy(expr)) > 0)  # undefined everywhere: untested


def assert_same(read: sympy.Expr, expected: sympy.Expr) -> int:
    """Equal values at random points; returns how many points were compared."""
    compared = 0
    for point in random_points(("x", "y", "z"), count=6, seed=3):
        want, got = sympy_value(expected, point), sympy_value(read, point)
        if want is None:
            continue
        assert got is not None and abs(got - want) <= 1e-9 * max(1.0, abs(want)), (read, expected)
        compared += 1
    return compared
