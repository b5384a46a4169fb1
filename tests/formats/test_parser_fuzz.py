"""Parser fuzzing from the outside: random bytes, random Unicode, and mutations of formulas people
type, made with a generic tokenizer of math text (not the grammar's).

Every input must give either a clean ``ParseError`` (position inside the text, short lines), or
an expression whose printed form reads back as the same node; never another exception, never a
hang (each example runs under a generous alarm), never a warning other than ``FormulaWarning``.
"""

from __future__ import annotations

import re
import warnings

import pytest
from deadline import time_limit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symdiff import Expr, FormulaWarning, ParseError, parse, to_str

#: Seconds one example may take before it counts as a hang (generous: the CPU is shared).
BUDGET = 20

SEEDS = [
    "x**2*y + y + 2", "exp(-x**2/2)/sqrt(2*pi)", "sin(x)^2 + cos(x)^2", "2x + 3(x+1)",
    "(x+1)(x-1)", "2 sin(x)", "t^2 x^2", "5x*3x", "1/(1 + exp(-z))", "log(x, 2) - ln(y)",
    "atan2(y, x)", "-x**-2", "2**3**2", "x/y/z", "abs(x - 1.5e-3)", "sqrt(x**2 + y**2)",
    "e**x + E*pi", "stop_gradient(x)*x", "theta_dot*x_1", "1e10*x + .5", "x - -y",
    "((x))", "sinh(x)/cosh(x)", "(a - x)**x", "x**(1/3)", "0.1 + 0.2", "-(x + 1)/(-y)",
]  # fmt: skip

#: Pieces of text from many languages and habits: operators, literals, words, odd characters.
VOCABULARY = [
    "+", "-", "*", "/", "**", "^", "(", ")", ",", ".", " ", "\n", "\t", "x", "y", "sin", "sin(",
    "e", "E", "pi", "inf", "nan", "0x10", "1_000", "1j", "1e", "1e+", "2.5", "007", "9" * 50,
    "import", "lambda", "if", "else", "None", "True", "=", "==", "!", "%", "&", "|", "@", "$",
    "[", "]", "{", "}", "'", '"', "#", ";", ":", "\\", "?", "<", ">", "~", "`", "\u2212", "\u00d7",
    "\u00b2", "\u03b1", "\u0663", "\uff12", "\u00a0", "\u200b", "\x00", "\ufeff", "Symbol('e')",
    "Symbol(", "sqrt", "log(", "atan2(", "x y", "ln", "detach", "_", "__import__", "1e308",
    "1" + "0" * 400, "0.5",
]  # fmt: skip

_TOKENS = re.compile(r"\s+|[A-Za-z_]\w*|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+|\*\*|.", re.S)


def tokens(text: str) -> list[str]:
    """A generic split of math text into words, numbers, operators and single characters."""
    return _TOKENS.findall(text)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    parts = tokens(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(parts)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "swap", "repeat"]))
        piece = draw(st.sampled_from(VOCABULARY) | st.text(max_size=3))
        if action == "insert" or not parts:
            parts.insert(i, piece)
        elif action == "delete":
            del parts[min(i, len(parts) - 1)]
        elif action == "replace":
            parts[min(i, len(parts) - 1)] = piece
        elif action == "swap" and len(parts) > 1:
            j = min(i, len(parts) - 2)
            parts[j], parts[j + 1] = parts[j + 1], parts[j]
        else:
            j = min(i, len(parts) - 1)
            parts[j : j + 1] = [parts[j]] * draw(st.sampled_from([2, 3, 50, 3000]))
    return "".join(parts)


INPUTS = st.one_of(
    st.binary(max_size=60).map(lambda b: b.decode("utf-8", errors="replace")),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from("xyz0123456789+-*/^().,e sinco\n"), max_size=40),
    st.lists(st.sampled_from(VOCABULARY), max_size=12).map("".join),
    mutated(),
)


def check(text: str) -> None:
    with time_limit(BUDGET), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            e = parse(text)
        except ParseError as error:
            _check_error(text, error)
            return
        assert isinstance(e, Expr)
        printed = to_str(e)
        back = parse(printed)
    assert back is e, f"{text!r} -> {printed!r} reads back as {back!r}"
    assert all(issubclass(w.category, FormulaWarning) for w in caught), [str(w) for w in caught]


def _check_error(text: str, error: ParseError) -> None:
    assert error.message
    if error.line:  # a position: inside the text, on a line of the text
        lines = text.split("\n")
        assert 1 <= error.line <= len(lines)
        assert 1 <= error.column <= len(lines[error.line - 1]) + 1
    for line in str(error).split("\n"):
        assert len(line) <= 400, f"an error line of {len(line)} characters"


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(INPUTS)
def test_fuzzed_input_gives_a_clean_error_or_reads_back(text: str) -> None:
    check(text)


@pytest.mark.soak
@settings(max_examples=25_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(INPUTS)
def test_fuzzed_input_soak(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    "text",
    ["sin(" * 30_000, "(" * 30_000 + "x", "x**" * 30_000 + "x", "9" * 200_000, "x" * 999_999,
     "x+" * 50_000 + "x", "-" * 50_000 + "x", "\n".join(["x +"] * 5000) + "x"],
)  # fmt: skip
def test_big_inputs_answer_within_the_budget(text: str) -> None:
    check(text)
