"""The power-of-a-product rule: ``d (B**p) = p*B**p*(B'/B)`` when ``B'/B`` cancels factors.

Checked from the outside: every raw derivative of ``(product)**p`` below equals SymPy's
derivative at random points where the input is defined, and the rule never makes the raw
derivative larger than SymPy's (``count_ops``), the point of the rule (issue 15: a raw
derivative never more than one operation above SymPy's).
"""

from __future__ import annotations

import itertools

import pytest
import sympy
from oracle import agree_numerically, to_sympy

from symdiff import diff, parse
from symdiff.core.constructors import add, mul, power

PRODUCTS = [
    "(x - y)*(x**2 - y)/z",
    "(a - z)/(z + 2)",
    "x*y*z",
    "(x + 1)**3*exp(z)",
    "sin(z)*(y - 3)/x",
    "(1 - z)**2/(x*y)",
    "-atan(z + y)",
]
EXPONENTS = ["1/2", "-1/2", "1/3", "-3/2", "2/3", "0.5", "3/2", "5/2"]


@pytest.mark.parametrize(("base", "exponent"), list(itertools.product(PRODUCTS, EXPONENTS)))
def test_power_of_product_against_sympy(base: str, exponent: str) -> None:
    f = parse(f"({base})**({exponent})")
    for variable in ("z", "x"):
        ours = diff(f, variable, simplify=False)
        theirs = sympy.diff(to_sympy(f), sympy.Symbol(variable, real=True))
        names = ["a", "x", "y", "z"]
        assert agree_numerically(ours, theirs, names, guard=f, points=12) >= 2
        base, p = f.args
        usual = mul(p, power(base, add(p, -1)), diff(base, variable, simplify=False))
        assert sympy.count_ops(to_sympy(ours)) <= sympy.count_ops(to_sympy(usual))


@pytest.mark.parametrize("exponent", ["1/2", "-1/2", "1/3", "-3/2"])
@pytest.mark.parametrize("base", ["(x - y)*(x**2 - y)/z", "(a - z)/(z + 2)", "x*exp(z)"])
def test_no_larger_than_sympy_where_factors_cancel(base: str, exponent: str) -> None:
    f = parse(f"({base})**({exponent})")
    ours = diff(f, "z", simplify=False)
    theirs = sympy.diff(to_sympy(f), sympy.Symbol("z", real=True))
    assert sympy.count_ops(to_sympy(ours)) <= sympy.count_ops(theirs) + 1


def test_the_power_is_reused() -> None:
    f = parse("sqrt((x - y)*(x**2 - y)/z)")
    d = diff(f, "z", simplify=False)
    assert d == parse("-sqrt((x - y)*(x**2 - y)/z)/(2*z)")
    # the ordinary product rule where nothing cancels: the factor of B' stays as it is
    assert diff(parse("sqrt(x*y)"), "x", simplify=False) == parse("y/(2*sqrt(x*y))")


def test_exponents_of_one_or_more_keep_the_usual_rule() -> None:
    # B**(3/2) is defined (0) where B = 0: p*B**p/B would not be, so the rule stays away
    d = diff(parse("(x*y)**(3/2)"), "x", simplify=False)
    assert d.subs({"x": 0, "y": 2}) == parse("0")
