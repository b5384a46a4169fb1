"""``and``/``or`` short-circuit, as in Python and C and as a piecewise reads its conditions.

A piecewise tries its conditions in order, so a later condition is never looked at once an
earlier one holds; the simplifier merges two branches with equal values into one condition
``c1 or c2``, which therefore must not need ``c2`` where ``c1`` holds (found by the soak of
``tests/rewrite/test_fuzz_simplify.py``: seeds 100994, 102690, 104541).
"""

from __future__ import annotations

import math

import pytest

import symdiff
from symdiff import EvaluationError, evaluate, parse

CASES = [
    # (formula, x, value by the short-circuit reading: Python's own `or`/`and`)
    ("where(x > 0 or sqrt(-x) < 1, 1, 2)", 1.0, 1.0),
    ("where(x > 0 or sqrt(-x) < 1, 1, 2)", -4.0, 2.0),
    ("where(x < 0 and sqrt(x) > 1, 1, 2)", 4.0, 2.0),
    ("where(x > 0 and sqrt(-x) > 1, 1, 2)", -4.0, 2.0),
    ("where(x > 0 or log(-x) > 0, x, -x)", 2.0, 2.0),
]


@pytest.mark.parametrize(("text", "x", "expected"), CASES)
def test_the_first_operand_decides_when_it_can(text: str, x: float, expected: float) -> None:
    assert evaluate(parse(text), {"x": x}) == expected
    python = symdiff.compile(parse(text), ["x"], target="python")
    assert python(x) == expected  # the generated code short-circuits natively


@pytest.mark.parametrize(
    ("text", "x"),
    [("where(x > 0 or sqrt(x) < 1, 1, 2)", -1.0), ("where(x < 0 and sqrt(x) > 1, 1, 2)", -1.0)],
)
def test_a_second_operand_that_is_needed_still_counts(text: str, x: float) -> None:
    with pytest.raises(EvaluationError):
        evaluate(parse(text), {"x": x})


def test_merged_branches_stay_defined_where_the_piecewise_was() -> None:
    text = "piecewise((x, x > 0), (x, sqrt(-x) > 1), (0, True))"
    e = parse(text)
    merged = symdiff.simplify(e)
    assert "or" in str(merged)  # the two x branches became one condition
    for x in (0.5, 3.0, -4.0, -0.25):
        expected = x if x > 0 or math.sqrt(-x) > 1 else 0.0
        assert evaluate(e, {"x": x}) == expected
        assert evaluate(merged, {"x": x}) == expected
