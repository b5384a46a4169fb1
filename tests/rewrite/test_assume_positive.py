"""``simplify(e, assume_positive=...)``: the log rules it promises fire where they pay.

Expected values come from SymPy (``expand_log``/``simplify`` over positive symbols) and are
checked numerically at positive points; without the assumption nothing is split.
"""

from __future__ import annotations

import random

import pytest
import sympy
from oracle import to_sympy

import symdiff
from symdiff import evaluate, parse
from symdiff.rewrite.cost import count_ops

CASES = [
    # (formula, the simplified form for positive x, y by SymPy, as text)
    ("log(x*y) - log(x)", "log(y)"),
    ("log(x**2*y) - 2*log(x)", "log(y)"),
    ("log(x/y) + log(y)", "log(x)"),
    ("log(x**3)/3 - log(x)", "0"),
    ("exp(log(x*y) - log(x))", "y"),
    ("sqrt(x**2)", "x"),
]


def _positive(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` over positive symbols of the same names."""
    return expr.subs({s: sympy.Symbol(s.name, positive=True) for s in expr.free_symbols})


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_positive_rules_fire(text: str, expected: str) -> None:
    theirs = sympy.simplify(sympy.expand_log(_positive(to_sympy(text)), force=True))
    assert sympy.simplify(theirs - _positive(to_sympy(expected))) == 0
    ours = symdiff.simplify(text, assume_positive="x y")
    assert count_ops(ours) <= count_ops(parse(expected))
    rng = random.Random(text)
    for _ in range(5):
        point = {"x": rng.uniform(0.1, 5), "y": rng.uniform(0.1, 5)}
        assert evaluate(ours, point) == pytest.approx(evaluate(parse(text), point), rel=1e-12)


@pytest.mark.parametrize("text", [text for text, _ in CASES if "log" in text])
def test_nothing_is_split_without_the_assumption(text: str) -> None:
    assert "log(" in str(symdiff.simplify(text)) or str(symdiff.simplify(text)) == text


def test_the_result_is_a_fixed_point() -> None:
    for text, _ in CASES:
        once = symdiff.simplify(text, assume_positive="x y")
        assert symdiff.simplify(once, assume_positive="x y") is once
