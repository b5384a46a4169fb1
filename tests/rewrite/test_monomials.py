"""Monomials, which ``diff(..., simplify="auto")`` returns without loading the simplifier: the
simplifier itself returns every one of them unchanged, for both goals."""

from __future__ import annotations

import itertools
import subprocess
import sys
from fractions import Fraction

import pytest

import symdiff
from symdiff import Expr, Num, Sym
from symdiff.rewrite import engine
from symdiff.rewrite.monomials import is_monomial

x, y, z, t = (Sym(n) for n in ("x", "y", "z", "theta_1"))
COEFFICIENTS = (None, -1, 2, -3, 12, 10**40, Fraction(1, 2), Fraction(-3, 4), Fraction(7, 10**20))


def _family() -> list[Expr]:
    """Every product of a coefficient and up to three of four symbols to powers 1, 2 or 5."""
    found: list[Expr] = [Num(c) for c in COEFFICIENTS if c is not None] + [Num(0), Num(1)]
    for size in (1, 2, 3):
        for names in itertools.combinations((x, y, z, t), size):
            for powers in itertools.product((1, 2, 5), repeat=size):
                factors = [s**k for s, k in zip(names, powers, strict=True)]
                for c in COEFFICIENTS:
                    found.append(symdiff.Mul(*factors) if c is None else c * symdiff.Mul(*factors))
    return found


FAMILY = _family()


def test_the_family_is_monomials() -> None:
    assert len(FAMILY) > 1000
    assert all(is_monomial(m) for m in FAMILY)


@pytest.mark.parametrize("goal", ["readable", "compact"])
def test_simplify_returns_every_monomial_unchanged(goal: str) -> None:
    changed = [m for m in FAMILY if engine.simplify(m, goal=goal) is not m]
    assert not changed, [str(m) for m in changed[:5]]


@pytest.mark.parametrize(
    "text",
    ["x + 1", "x**-1", "x/y", "0.5*x", "x**0.5", "sqrt(x)", "x**y", "2**x", "sin(x)", "2.5",
     "x*sin(y)", "(x*y)**2 + 1", "x**2*(y + 1)"],
)  # fmt: skip
def test_what_is_not_a_monomial(text: str) -> None:
    assert not is_monomial(symdiff.parse(text))


def test_a_monomial_derivative_does_not_load_the_simplifier() -> None:
    code = (
        "import sys, symdiff\n"
        "print(symdiff.diff('x**2*y + y + 2', 'x'))\n"
        "print('symdiff.rewrite.rules' in sys.modules)\n"
        "print(symdiff.diff('x**2 + x', 'x'))\n"
        "print('symdiff.rewrite.rules' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["2*x*y", "False", "2*x", "+", "1", "True"]
