"""Polynomial candidates for the simplifier: cancel gcds of fractions, factor by rational roots.

Univariate polynomials with rational coefficients only (``list[Fraction]``, lowest degree
first): small, exact and enough for the rational functions derivatives produce.  Anything that is
not such a polynomial is left alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction

from symdiff.core import numbers
from symdiff.core.constructors import add, mul, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.rewrite.algebra import expand_candidates

MAX_POLY_DEGREE = 24
MAX_ROOT_DEGREE = 8
MAX_ROOT_CANDIDATES = 400

Poly = list[Fraction]  # coefficients, lowest degree first, no trailing zeros


def _monomial_degree(factor: Expr, variable: Sym) -> int | None:
    if factor is variable:
        return 1
    if isinstance(factor, Pow) and factor.base is variable and isinstance(factor.exp, Num):
        k = factor.exp.value
        return k if type(k) is int and 0 < k <= MAX_POLY_DEGREE else None
    return None


def to_poly(expr: Expr, variable: Sym) -> Poly | None:
    """Coefficients of ``expr`` as a polynomial in ``variable`` with rational coefficients."""
    poly: dict[int, Fraction] = {}
    for term in expr.args if isinstance(expr, Add) else (expr,):
        coefficient, degree = Fraction(1), 0
        for factor in term.args if isinstance(term, Mul) else (term,):
            if isinstance(factor, Num):
                if isinstance(factor.value, float):
                    return None
                coefficient *= Fraction(factor.value)
                continue
            k = _monomial_degree(factor, variable)
            if k is None:
                return None
            degree += k
        poly[degree] = poly.get(degree, Fraction(0)) + coefficient
    top = max(poly)
    return [poly.get(k, Fraction(0)) for k in range(top + 1)]


def _poly_of(expr: Expr, variable: Sym) -> Poly | None:
    """``to_poly`` of ``expr``, or of its expansion (``x**2*(2*x - 3) + 1``)."""
    poly = to_poly(expr, variable)
    if poly is None:
        for expanded in expand_candidates(expr):
            poly = to_poly(expanded, variable)
    return poly


def _trim(p: Poly) -> Poly:
    while p and p[-1] == 0:
        p = p[:-1]
    return p


def _divmod(p: Poly, q: Poly) -> tuple[Poly, Poly]:
    quotient = [Fraction(0)] * max(len(p) - len(q) + 1, 1)
    rest = list(p)
    while len(_trim(rest)) >= len(q):
        rest = _trim(rest)
        shift, factor = len(rest) - len(q), rest[-1] / q[-1]
        quotient[shift] = factor
        for i, c in enumerate(q):
            rest[i + shift] -= factor * c
    return _trim(quotient), _trim(rest)


def poly_gcd(p: Poly, q: Poly) -> Poly:
    """Monic greatest common divisor (Euclid over the rationals)."""
    p, q = _trim(p), _trim(q)
    while q:
        p, q = q, _divmod(p, q)[1]
    return [c / p[-1] for c in p] if p else p


def from_poly(p: Poly, variable: Sym) -> Expr:
    """The expression of a coefficient list."""
    return add(
        *(mul(Num(numbers.normalize(c)), power(variable, k)) for k, c in enumerate(p) if c != 0)
    )


def single_symbol(expr: Expr, limit: int = 200) -> Sym | None:
    """The only symbol of a function-free ``expr`` (a cheap, bounded walk), else ``None``."""
    found: Sym | None = None
    stack, visited = [expr], 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > limit or isinstance(node, Call):
            return None
        if isinstance(node, Sym):
            if found is not None and node is not found:
                return None
            found = node
        stack.extend(node.args)
    return found


def cancel_candidates(node: Expr) -> Iterator[Expr]:
    """Cancel a common polynomial factor of a numerator and a denominator sum."""
    if not isinstance(node, Mul):
        return
    sums = [
        (f.base, f.exp.value) if isinstance(f, Pow) and isinstance(f.exp, Num) else (f, 1)
        for f in node.args
        if isinstance(f, Add) or (isinstance(f, Pow) and isinstance(f.base, Add)
        and isinstance(f.exp, Num) and type(f.exp.value) is int)
    ]  # fmt: skip
    tops = [(s, k) for s, k in sums if k > 0]
    bottoms = [(s, k, single_symbol(s)) for s, k in sums if k < 0]
    for bottom, b, variable in bottoms:
        if variable is None:
            continue
        q = _poly_of(bottom, variable)
        if q is None:
            continue
        for top, a in tops:
            if single_symbol(top) is not variable:  # univariate, rational coefficients only
                continue
            p = _poly_of(top, variable)
            if p is None:
                continue
            g = poly_gcd(p, q)
            if len(g) < 2:
                continue
            p1, q1 = _divmod(p, g)[0], _divmod(q, g)[0]
            g_expr = from_poly(g, variable)
            replaced = power(g_expr, a + b), power(from_poly(p1, variable), a)
            rest = [f for f in node.args if not _has_base(f, top) and not _has_base(f, bottom)]
            yield mul(*rest, *replaced, power(from_poly(q1, variable), b))
            return


def _has_base(factor: Expr, base: Expr) -> bool:
    return factor is base or (isinstance(factor, Pow) and factor.base is base)


def _value(p: Poly, x: Fraction) -> Fraction:
    result = Fraction(0)
    for c in reversed(p):
        result = result * x + c
    return result


def _divisors(n: int) -> list[int] | None:
    """Positive divisors of ``n != 0``, or ``None`` when there would be too many to try."""
    n = abs(n)
    if n > 10**8:
        return None
    small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
    return sorted({*small, *(n // d for d in small)})


def rational_roots(p: Poly) -> list[Fraction]:
    """The rational roots of ``p`` (rational root theorem), without multiplicity."""
    scale = math.lcm(*(c.denominator for c in p))
    integer = [int(c * scale) for c in p]
    while integer and integer[0] == 0:
        integer = integer[1:]
    roots = [Fraction(0)] if len(integer) < len(p) else []
    if len(integer) < 2:
        return roots
    tops, bottoms = _divisors(integer[0]), _divisors(integer[-1])
    if tops is None or bottoms is None or len(tops) * len(bottoms) > MAX_ROOT_CANDIDATES:
        return roots
    trial = sorted({Fraction(s * a, b) for a in tops for b in bottoms for s in (1, -1)})
    return roots + [r for r in trial if _value(p, r) == 0]


def root_factor_candidates(node: Expr) -> Iterator[Expr]:
    """Factor a univariate polynomial over its rational roots: ``x**2 + 2*x + 1 -> (x + 1)**2``."""
    if not isinstance(node, Add):
        return
    variable = single_symbol(node)
    if variable is None:
        return
    p = to_poly(node, variable)
    if p is None or not 2 <= len(p) - 1 <= MAX_ROOT_DEGREE:
        return
    roots = rational_roots(p)
    if not roots:
        return
    factors: list[tuple[int, int, int]] = []  # (b, a, m): (b*x - a)**m
    rest = p
    for root in roots:
        linear = [-root, Fraction(1)]
        count = 0
        while len(rest) > 1:
            quotient, remainder = _divmod(rest, linear)
            if remainder:
                break
            rest, count = quotient, count + 1
        if count:
            a, b = root.numerator, root.denominator  # x - a/b = (b*x - a)/b
            rest = [c / b**count for c in rest]
            factors.append((b, a, count))
    odd = [i for i, (_, _, m) in enumerate(factors) if m % 2]
    if len(rest) == 1 and rest[0] < 0 and odd:  # -(x - 5)**3 reads better as (5 - x)**3
        b, a, m = factors[odd[0]]
        factors[odd[0]] = (-b, -a, m)
        rest = [-rest[0]]
    yield mul(
        from_poly(rest, variable), *(power(add(mul(b, variable), -a), m) for b, a, m in factors)
    )
