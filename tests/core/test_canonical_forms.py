"""Every node the constructors build is in canonical form, whatever path built it.

A product may hold no product and no two factors over the same base (``x**a*x**b`` is one
power), a sum no sum and no two terms over the same monomial, a power no exponent 1, and a
number only in front.  A node that breaks this prints as text that reads back as another node
(``parse(str(e)) is not e``): the soak run of the simplifier fuzz test found products of
``(u**(2/3))**(3/2)`` and ``(u**(2/3))**(7/4)`` left apart in raw derivatives, and a product
nested in a product, both when factors over a power or product base summed to exponent 1.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import expressions

from symdiff import Expr, Num, Sym, diff, parse
from symdiff.core.constructors import add, mul, power
from symdiff.core.errors import NonFiniteError
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Pow
from symdiff.core.traverse import postorder


def _base(factor: Expr) -> Expr:
    return factor.args[0] if isinstance(factor, Pow) else factor


def _monomial(term: Expr) -> Expr:
    if isinstance(term, Mul) and isinstance(term.args[0], Num):
        rest = term.args[1:]
        return rest[0] if len(rest) == 1 else mul(*rest)
    return term


def problems(root: Expr) -> list[str]:
    """What is not canonical in any node of ``root`` (empty when all is well)."""
    found = []
    for node in postorder(root):
        args = node.args
        if isinstance(node, Mul | Add):
            kind = type(node).__name__
            if len(args) < 2:
                found.append(f"{kind} of {len(args)} argument(s): {node!r}")
            if any(isinstance(a, type(node)) for a in args):
                found.append(f"{kind} inside {kind}: {node}")
            if any(isinstance(a, Num) for a in args[1:]):
                found.append(f"number not in front: {node}")
            keys = [
                (_base if kind == "Mul" else _monomial)(a) for a in args if not isinstance(a, Num)
            ]
            if len(set(keys)) != len(keys):
                found.append(f"{kind} with two arguments over the same base/monomial: {node}")
        if isinstance(node, Pow) and args[1] == Num(1):
            found.append(f"power with exponent 1: {node!r}")
    return found


u, v, x = Sym("u"), Sym("v"), Sym("x")
HALF, THIRD = Fraction(1, 2), Fraction(2, 3)


def test_factors_over_a_power_base_that_sum_to_exponent_one_merge() -> None:
    base = power(u + 1, THIRD)  # (u + 1)**(2/3) is kept: u + 1 may be negative
    once = mul(power(power(base, Fraction(7, 4)), HALF), power(base, Fraction(3, 4)))
    twice = mul(once, once)
    assert not problems(twice), problems(twice)
    assert twice is power(base, Fraction(13, 4))
    assert parse(str(twice)) is twice


def test_factors_over_a_product_base_that_sum_to_exponent_one_flatten() -> None:
    quotient = u / v
    product = mul(power(quotient, HALF), power(quotient, HALF), x)
    assert not problems(product), problems(product)
    assert product is u * x / v
    assert parse(str(product)) is product


# Factors chosen to collide: powers and products of a few bases, with exponents that sum to
# 0 and 1, and powers of powers (which the constructors must keep nested).
_atoms = st.sampled_from([u, v, x, u + 1, v - x, u * v, u / v])
_exponents = st.sampled_from(
    [Fraction(1, 2), Fraction(-1, 2), Fraction(2, 3), Fraction(1, 3), Fraction(3, 2), 2, -1, 0.5]
)
_factors = st.recursive(
    _atoms,
    lambda inner: st.one_of(
        st.tuples(inner, _exponents).map(lambda p: power(*p)),
        st.lists(inner, min_size=2, max_size=3).map(lambda fs: mul(*fs)),
        st.lists(inner, min_size=2, max_size=3).map(lambda ts: add(*ts)),
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_factors, min_size=2, max_size=8), st.integers(-3, 3))
def test_random_products_and_sums_are_canonical(factors: list[Expr], coefficient: int) -> None:
    for built in (mul(coefficient, *factors), add(coefficient, *factors), mul(*factors, *factors)):
        assert not problems(built), problems(built)
        assert parse(str(built)) is built


@settings(max_examples=150, deadline=None)
@given(expressions(max_leaves=8))
def test_derivatives_of_random_expressions_are_canonical(expr: Expr) -> None:
    for name in ("x", "y"):
        derivative = diff(expr, name)
        assert not problems(derivative), problems(derivative)


BIG = Num(7**5000)  # an exact integer far beyond the float range


def _sum_of(n: int) -> Expr:
    return add(*(Sym(f"s{i}") for i in range(n)))


@pytest.mark.parametrize(
    "build",
    [
        lambda: mul(Num(1.5), BIG),
        lambda: add(BIG, Num(1.5)),
        lambda: mul(Num(1.5), add(x, BIG)),  # a number distributed over a sum
        lambda: add(mul(Num(2.5), x), mul(BIG, x)),  # coefficients of one monomial
        lambda: add(_sum_of(20), BIG) + Num(0.5),  # the growth path of long sums
        lambda: mul(mul(*(Sym(f"m{i}") for i in range(20)), BIG), Num(0.5)),
        lambda: power(x, BIG) * power(x, Num(0.5)),  # exponents collected
    ],
)
def test_a_float_meeting_a_huge_exact_number_is_a_clear_error(build) -> None:
    """Python raises ``OverflowError`` for ``1.5 * 7**5000``; every constructor path that
    combines numbers reports it as a ``NonFiniteError`` (a ``SymdiffError``) instead."""
    with pytest.raises(NonFiniteError, match="overflows a float"):
        build()
