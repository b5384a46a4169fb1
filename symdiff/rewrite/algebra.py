"""Algebraic candidate rewrites for the simplifier: factor, expand, cancel.

Each function takes one canonical node and returns candidate replacements (possibly none).  None
of them decides anything: the simplifier keeps a candidate only when the cost model says it is no
costlier, so expanding and factoring compete instead of one being a default.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction

from symdiff.core import numbers
from symdiff.core.constructors import add, mul, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, ZERO, Expr, Num, Pow
from symdiff.core.numbers import Number

#: Expansion gives up beyond this many terms (a candidate, never a blow-up).
MAX_EXPANDED_TERMS = 16
MAX_EXPANDED_POWER = 4
MAX_DENOMINATOR_TERMS = 32

Key = tuple[Expr, Expr]  # (base, symbolic part of the exponent)


def _split_exponent(exponent: Expr) -> tuple[Fraction | None, Expr]:
    """``3 -> (3, 0)``, ``n - 1 -> (-1, n)``, ``n -> (0, n)``; float exponents give ``None``."""
    if isinstance(exponent, Num):
        value = exponent.value
        return (None, exponent) if isinstance(value, float) else (Fraction(value), ZERO)
    if isinstance(exponent, Add):
        constants = [t for t in exponent.args if isinstance(t, Num)]
        if constants and not isinstance(constants[0].value, float):
            rest = add(*(t for t in exponent.args if t is not constants[0]))
            return Fraction(constants[0].value), rest
    return Fraction(0), exponent


def _signed_monomial(term: Expr) -> tuple[tuple[int, int], bool]:
    """The sort key of a term without its coefficient, and whether the coefficient is < 0."""
    if isinstance(term, Num):
        return ONE._key, term.value < 0
    if isinstance(term, Mul) and isinstance(term.args[0], Num):
        rest = term.args[1:]
        key = rest[0]._key if len(rest) == 1 else (Mul.RANK, hash(tuple(a._key for a in rest)))
        return key, term.args[0].value < 0
    return term._key, False


def _oriented(base: Expr) -> tuple[Expr, bool]:
    """One representative of a sum and its negation, so that ``x - y`` and ``y - x`` are
    recognised as one factor: the term first in canonical order gets a positive sign.
    Returns the representative and whether it is the negation."""
    _, negative = min(_signed_monomial(t) for t in base.args)
    return (mul(-1, base), True) if negative else (base, False)


def _term_factors(term: Expr) -> tuple[Number, dict[Key, Fraction]]:
    """A term's numeric coefficient and its factors ``{(base, symbolic exponent): k}``.

    Memoised by node (the candidates of one sum split the same terms several times, and the
    sums of a DAG share terms); callers only read the table.  Cleared past 4096 terms and
    at the start of every ``simplify`` (``forget``)."""
    found = _TERM_FACTORS.get(term)
    if found is None:
        if len(_TERM_FACTORS) > 4096:
            _TERM_FACTORS.clear()
        found = _TERM_FACTORS[term] = _split_term(term)
    return found


def _split_term(term: Expr) -> tuple[Number, dict[Key, Fraction]]:
    factors = term.args if isinstance(term, Mul) else (term,)
    coefficient: Number = 1
    powers: dict[Key, Fraction] = {}
    for factor in factors:
        if isinstance(factor, Num):
            coefficient = coefficient * factor.value
            continue
        base, exponent = (factor.base, factor.exp) if isinstance(factor, Pow) else (factor, ONE)
        numeric, rest = _split_exponent(exponent)
        if numeric is None:  # a float exponent: only identical factors are common
            base, rest, numeric = factor, ZERO, Fraction(1)
        elif isinstance(base, Add) and rest is ZERO and numeric.denominator == 1:
            base, flipped = _oriented(base)
            if flipped and numeric.numerator % 2:
                coefficient = -coefficient
        powers[(base, rest)] = powers.get((base, rest), Fraction(0)) + numeric  # x-y, y-x merge
    return coefficient, powers


_TERM_FACTORS: dict[Expr, tuple[Number, dict[Key, Fraction]]] = {}


def forget() -> None:
    """Drop the memo of split terms (``simplify`` starts each run without it)."""
    _TERM_FACTORS.clear()


def _rebuild(coefficient: Number, powers: dict[Key, Fraction]) -> Expr:
    return mul(
        Num(numbers.normalize(coefficient)),
        *(power(base, add(rest, Num(numbers.normalize(k)))) for (base, rest), k in powers.items()),
    )


def _content(coefficients: list[Number]) -> Fraction:
    """The positive rational gcd of the coefficients (1 when a float is involved)."""
    if any(isinstance(c, float) for c in coefficients):
        return Fraction(1)
    numerator = math.gcd(*(Fraction(c).numerator for c in coefficients))
    denominator = math.lcm(*(Fraction(c).denominator for c in coefficients))
    return Fraction(numerator, denominator)


def _common(terms: tuple[Expr, ...]) -> dict[Key, Fraction]:
    """Exponents common to all terms: shared factors (> 0) and shared denominators (< 0)."""
    split = [_term_factors(t)[1] for t in terms]
    keys = set(split[0])  # a shared factor occurs in the first term
    if len(terms) <= MAX_DENOMINATOR_TERMS:  # a common denominator is worth it for few terms
        keys.update(key for powers in split for key, k in powers.items() if k < 0)
    common: dict[Key, Fraction] = {}
    for key in sorted(keys, key=lambda k: (k[0]._key, k[1]._key)):
        rest = key[1]
        present = [powers.get(key) for powers in split]
        if rest is not ZERO and any(p is None for p in present):
            continue
        lowest = min(Fraction(0) if p is None else p for p in present)
        if rest is ZERO and lowest == 0:
            continue
        common[key] = lowest
    return common


def _factor_out(terms: tuple[Expr, ...], common: dict[Key, Fraction], content: Fraction) -> Expr:
    factor = _rebuild(1, common)
    if isinstance(factor, Num) and content == 1:
        return add(*terms)
    inner = []
    for term in terms:
        coefficient, powers = _term_factors(term)
        left = {key: k for key, k in powers.items() if key not in common}
        for (base, rest), k in common.items():  # b**(r + p) / b**(r + k) = b**(p - k)
            quotient = powers.get((base, rest), Fraction(0)) - k
            # accumulate: b**(r + k) and b**k may both be common, and both leave a power of b
            left[(base, ZERO)] = left.get((base, ZERO), Fraction(0)) + quotient
        inner.append(_rebuild(numbers.divide(coefficient, numbers.normalize(content)), left))
    return mul(Num(numbers.normalize(content)), factor, add(*inner))


def factor_candidates(node: Expr) -> Iterator[Expr]:
    """Common factors of a sum: ``x*y + x*z -> x*(y + z)``, and common denominators."""
    if not isinstance(node, Add):
        return
    terms = node.args
    coefficients = [_term_factors(t)[0] for t in terms]
    content = _content(coefficients)
    if all(c < 0 for c in coefficients):
        content = -content
    both = _common(terms)
    if not both:
        return
    variants = [both]
    if any(k < 0 for k in both.values()) and any(k > 0 for k in both.values()):
        variants += [{key: k for key, k in both.items() if k > 0}]
        variants += [{key: k for key, k in both.items() if k < 0}]
    for common in variants:
        yield _factor_out(terms, common, content)


def _sums_in_product(node: Expr) -> Iterator[tuple[tuple[Expr, ...], Add, Num]]:
    """For each factor ``s**k`` of a product with ``s`` a sum and ``k`` an integer: the other
    factors, ``s`` and ``k``."""
    if not isinstance(node, Mul):
        return
    for i, factor in enumerate(node.args):
        base, k = (factor.base, factor.exp) if isinstance(factor, Pow) else (factor, ONE)
        if isinstance(base, Add) and isinstance(k, Num) and type(k.value) is int:
            yield node.args[:i] + node.args[i + 1 :], base, k


def inner_factor_candidates(node: Expr) -> Iterator[Expr]:
    """Factor a sum inside a product, so the product can absorb its factors or denominators:
    ``y*(x**2/y**2 + 1) -> (x**2 + y**2)/y``."""
    for others, base, k in _sums_in_product(node):
        for candidate in factor_candidates(base):
            yield mul(*others, power(candidate, k))


def content_candidates(node: Expr) -> Iterator[Expr]:
    """Move the numeric content of a sum inside a product to the coefficient:
    ``(2*x - 2*y)/2 -> x - y``, ``exp(u)*(-x - y) -> -exp(u)*(x + y)``."""
    for others, base, k in _sums_in_product(node):
        coefficients = [_term_factors(t)[0] for t in base.args]
        content = _content(coefficients)
        if all(c < 0 for c in coefficients):
            content = -content
        negative = isinstance(node.args[0], Num) and node.args[0].value < 0
        for c in (content, -content) if k.value % 2 and negative else (content,):
            if c != 1:
                scaled = add(*(mul(Num(numbers.normalize(1 / c)), t) for t in base.args))
                yield mul(Num(numbers.normalize(c**k.value)), *others, power(scaled, k))


def partial_factor_candidates(node: Expr, tries: int = 3) -> Iterator[Expr]:
    """Group the terms sharing the most frequent factor: ``a*x + a*y + b -> a*(x + y) + b``."""
    if not isinstance(node, Add) or len(node.args) < 3:
        return
    counts: dict[Key, int] = {}
    split = [_term_factors(t)[1] for t in node.args]
    for powers in split:
        for key, k in powers.items():
            if k > 0:
                counts[key] = counts.get(key, 0) + 1
    frequent = [
        key for key, n in sorted(counts.items(), key=lambda item: -item[1])
        if 2 <= n < len(node.args)
    ][:tries]  # fmt: skip
    for key in frequent:
        group = tuple(
            t for t, powers in zip(node.args, split, strict=True) if powers.get(key, 0) > 0
        )
        others = tuple(t for t in node.args if t not in group)
        for candidate in factor_candidates(add(*group)):
            yield add(candidate, *others)
            break


def _expanded_terms(factor: Expr) -> list[Expr] | None:
    if isinstance(factor, Add):
        return list(factor.args)
    if (
        isinstance(factor, Pow)
        and isinstance(factor.base, Add)
        and isinstance(factor.exp, Num)
        and type(factor.exp.value) is int
        and 2 <= factor.exp.value <= MAX_EXPANDED_POWER
    ):
        terms: list[Expr] = [ONE]
        for _ in range(factor.exp.value):
            grown = _distribute(terms, list(factor.base.args))
            if grown is None:
                return None
            terms = grown
        return terms
    return None


def _distribute(left: list[Expr], right: list[Expr]) -> list[Expr] | None:
    if len(left) * len(right) > MAX_EXPANDED_TERMS:
        return None
    return list(add(*(mul(a, b) for a in left for b in right)).args) or [ZERO]


def _expand_product(node: Expr) -> Expr | None:
    """Distribute one product over its sums and small integer powers of sums."""
    factors = node.args if isinstance(node, Mul) else (node,)
    if not any(
        isinstance(f, Add) or (isinstance(f, Pow) and isinstance(f.base, Add)) for f in factors
    ):
        return None
    terms: list[Expr] | None = [ONE]
    changed = False
    for factor in factors:
        expanded = _expanded_terms(factor)
        if expanded is None:
            terms = [mul(t, factor) for t in terms]  # type: ignore[union-attr]
            continue
        changed = True
        terms = _distribute(terms, expanded)  # type: ignore[arg-type]
        if terms is None:
            return None
    if not changed:
        return None
    return add(*terms)  # type: ignore[misc]


def expand_fully(expr: Expr, rounds: int = 6) -> Expr | None:
    """``expr`` as a sum of expanded monomials (sums and small powers of sums inside products
    distributed, to a fixed point), or ``None`` past the term budget or ``rounds``."""
    for _ in range(rounds):
        terms = expr.args if isinstance(expr, Add) else (expr,)
        expanded = [_expand_product(t) for t in terms]
        if all(e is None for e in expanded):
            return expr
        if any(e is None and _has_sum(t) for t, e in zip(terms, expanded, strict=True)):
            return None  # a sum the budget would not distribute
        expr = add(*(t if e is None else e for t, e in zip(terms, expanded, strict=True)))
        if isinstance(expr, Add) and len(expr.args) > MAX_EXPANDED_TERMS:
            return None
    return None


def _has_sum(term: Expr) -> bool:
    """Whether ``term`` has a factor ``_expand_product`` distributes (a sum, or a small
    positive integer power of one)."""
    factors = term.args if isinstance(term, Mul) else (term,)
    return any(
        isinstance(f, Add)
        or (
            isinstance(f, Pow)
            and isinstance(f.base, Add)
            and isinstance(f.exp, Num)
            and type(f.exp.value) is int
            and 2 <= f.exp.value <= MAX_EXPANDED_POWER
        )
        for f in factors
    )


def expand_candidates(node: Expr) -> Iterator[Expr]:
    """The expanded form of a product, a power of a sum, or of each term of a sum."""
    if isinstance(node, Add):
        expanded = [_expand_product(t) for t in node.args]
        if any(e is not None for e in expanded):
            yield add(*(t if e is None else e for t, e in zip(node.args, expanded, strict=True)))
    else:
        result = _expand_product(node)
        if result is not None:
            yield result
