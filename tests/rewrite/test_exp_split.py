"""The ``exp-split`` rule on a family drawn from the outside (issue 15: SymPy's
``exp(-E)*(2 - 4*y*exp(w))`` against the merged ``exp(w - E)``).

Each case is ``p*exp(A) + q*exp(B) + r*exp(C)`` typed as text, where ``A`` is a random formula
and ``B``, ``C`` are ``A`` plus other random formulas, written in a rearranged form, so that
the shared ``exp(A)`` is found only by expanding the differences.  Checked: ``simplify(e)``
(both goals) equals ``e`` (mpmath, real-domain semantics) wherever ``e`` is defined.
"""

from __future__ import annotations

import random

import pytest
from exp_sums import assert_simplify_keeps_the_value, parseable_case
from outside_formulas import formula, to_text

import symdiff
from symdiff.rewrite.rules import Facts, rule_named

CASES = range(80)


def _case(seed: int) -> str:
    return parseable_case(_draw, seed)


def _draw(seed: int) -> str:
    rng = random.Random(seed)
    a = to_text(formula(seed, max_depth=3), rng)
    d1 = to_text(formula(seed + 10_000, max_depth=2), rng)
    d2 = to_text(formula(seed + 20_000, max_depth=2), rng)
    p = rng.choice(("1", "x", "(y - x)", "3"))
    q = rng.choice(("-1", "2", "x*y", f"-{p}"))
    r = rng.choice(("0", "1", "-z", "(x + 2)"))
    return f"{p}*exp({a}) + {q}*exp(({d1}) + ({a})) + {r}*exp(({a}) - ({d2}))"


@pytest.mark.parametrize("goal", ["readable", "compact"])
@pytest.mark.parametrize("seed", CASES)
def test_simplify_keeps_the_value_of_exp_sums(seed: int, goal: str) -> None:
    assert_simplify_keeps_the_value(_case(seed), seed, goal)


def test_rule_is_drawn_by_the_family() -> None:
    """The family really exercises the rule: it proposes a candidate on most cases."""
    rule = rule_named("exp-split")
    fired = sum(bool(list(rule.candidates(symdiff.parse(_case(s)), Facts()))) for s in CASES)
    assert fired >= len(CASES) // 2


def test_the_corpus_case_that_sympy_won() -> None:
    """``random_small_1`` d/dy, ``2*y/exp(exp(2*y/sqrt(z)))``: SymPy's simplify (21
    operations) factors ``exp(-E)``; the product rule gives ``exp(-E)*(2 - 2*y*E*w')``."""
    derivative = symdiff.diff("(y + y)/exp(exp((y + y)/sqrt(z)))", "y", simplify="compact")
    by_hand = "exp(-exp(2*y/sqrt(z)))*(2 - 4*y*exp(2*y/sqrt(z))/sqrt(z))"
    assert derivative is symdiff.parse(by_hand)
