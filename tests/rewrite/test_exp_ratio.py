"""The ``exp-ratio`` rule on a family drawn from the outside (issue 15: the Black-Scholes
cancellation).

Each case is ``p*exp(A) + q*exp(B)`` typed as text, where ``A`` is a random formula and ``B``
is ``A`` plus numbers and multiples of logarithms of random formulas, written in a rearranged
form, so the two exponents differ by an amount the rule must find by expansion.  Checked:
``simplify(e)`` equals ``e`` (mpmath, real-domain semantics) wherever ``e`` is defined, and the
Black-Scholes delta and vega reach the textbook ``N(d1)`` and ``S*sqrt(T)*phi(d1)``.
"""

from __future__ import annotations

import math
import random

import pytest
from exp_sums import assert_simplify_keeps_the_value, parseable_case
from outside_formulas import formula, to_text

import symdiff
from symdiff.rewrite.rules import Facts, rule_named

CASES = range(120)


def _case(seed: int) -> str:
    return parseable_case(_draw, seed)


def _draw(seed: int) -> str:
    rng = random.Random(seed)
    a = to_text(formula(seed, max_depth=3), rng)
    u = to_text(formula(seed + 10_000, max_depth=2), rng)
    v = to_text(formula(seed + 20_000, max_depth=2), rng)
    c1 = rng.choice(("1", "-1", "2", "(1/2)", "-3"))
    c2 = rng.choice(("1", "-2", "(3/2)"))
    k = rng.choice(("0", "1", "-2", "(1/3)"))
    p = rng.choice(("1", "x", "(y - x)", "3"))
    q = rng.choice(("-1", "2", "x*y", f"-{p}"))
    b = f"({k} + {c1}*log({u}) - {c2}*log({v}) + ({a}))"
    return f"{p}*exp({a}) + {q}*exp({b})"


@pytest.mark.parametrize("seed", CASES)
def test_simplify_keeps_the_value_of_exp_sums(seed: int) -> None:
    assert_simplify_keeps_the_value(_case(seed), seed)


def test_rule_is_drawn_by_the_family() -> None:
    """The family really exercises the rule: it fires on most cases."""
    rule = rule_named("exp-ratio")
    fired = sum(bool(list(rule.candidates(symdiff.parse(_case(s)), Facts()))) for s in CASES)
    assert fired >= len(CASES) // 2


BLACK_SCHOLES = (
    "S*(1 + erf((log(S/K) + (r + sigma**2/2)*T)/(sigma*sqrt(2*T))))/2"
    " - K*exp(-r*T)*(1 + erf((log(S/K) + (r - sigma**2/2)*T)/(sigma*sqrt(2*T))))/2"
)
D1 = "(log(S/K) + (r + sigma**2/2)*T)/(sigma*sqrt(T))"


def test_black_scholes_delta_is_n_of_d1() -> None:
    delta = symdiff.diff(BLACK_SCHOLES, "S")
    textbook = symdiff.parse(f"(1 + erf({D1}/sqrt(2)))/2")
    assert "exp" not in str(delta)
    point = {"S": 105.0, "K": 100.0, "r": 0.03, "sigma": 0.2, "T": 0.75}
    assert math.isclose(delta.evaluate(point), textbook.evaluate(point), rel_tol=1e-12)


def test_black_scholes_vega_is_s_sqrt_t_phi_of_d1() -> None:
    vega = symdiff.diff(BLACK_SCHOLES, "sigma")
    textbook = symdiff.parse(f"S*sqrt(T)*exp(-({D1})**2/2)/sqrt(2*pi)")
    assert str(vega).count("exp") == 1
    for s_value in (80.0, 100.0, 130.0):
        point = {"S": s_value, "K": 100.0, "r": 0.03, "sigma": 0.25, "T": 1.5}
        assert math.isclose(vega.evaluate(point), textbook.evaluate(point), rel_tol=1e-12)
