"""10,000-deep and 10,000-wide expressions parse, differentiate, print and evaluate."""

from __future__ import annotations

import math
import sys

import pytest

from symdiff import cse_text, dag_size, diff, evaluate, parse

DEPTH = 10_000


@pytest.fixture(scope="module")
def sine_chain():
    return parse("sin(" * DEPTH + "x" + ")" * DEPTH)


def test_recursion_limit_is_untouched() -> None:
    assert sys.getrecursionlimit() <= 10_000


def test_chain_rule_through_10000_levels(sine_chain) -> None:
    derivative = diff(sine_chain, "x")
    assert dag_size(derivative) == 2 * DEPTH + 1  # x, the sines, and one cos per level
    # hand-computed oracle: d/dx sin^n(x) = prod_k cos(sin^k(x))
    value, expected = 0.5, 1.0
    for _ in range(DEPTH):
        expected *= math.cos(value)
        value = math.sin(value)
    assert evaluate(derivative, x=0.5) == pytest.approx(expected, rel=1e-9)


def test_deep_printing_round_trips(sine_chain) -> None:
    text = str(sine_chain)
    assert parse(text) is sine_chain
    shared = cse_text(diff(sine_chain, "x"))
    assert len(shared.splitlines()) <= 2 * DEPTH + 2


def test_power_tower() -> None:
    tower = parse("x**" * DEPTH + "x")
    derivative = diff(tower, "x")
    # at x = 1 every level of x**u has derivative u*x**(u-1) + x**u*log(x)*u' = 1
    assert evaluate(derivative, x=1.0) == 1.0


def test_wide_sum() -> None:
    total = parse("+".join(f"x{i}**2" for i in range(DEPTH)))
    assert str(diff(total, "x7")) == "2*x7"
    assert str(diff(total, "x7", "x7")) == "2"


def test_deep_unary_minus_and_parentheses() -> None:
    assert str(diff(parse("-" * (DEPTH + 1) + "x**2"), "x")) == "-2*x"
    assert str(diff(parse("(" * DEPTH + "x**3" + ")" * DEPTH), "x")) == "3*x**2"
