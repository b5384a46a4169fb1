"""Find a sub-expression inside an expression, also where flattening absorbed it.

With ``b = p*n`` and ``c = b*t``, the canonical ``c`` is the flat product ``n*p*t``: ``b`` is
not one of its nodes.  ``replace_occurrences(c, b, s)`` still finds it: besides nodes equal to
the target, a product (or power) that contains every factor of a product target, to at least
the same power, holds whole copies of it (``p**2*n**2*t`` holds two copies of ``p*n``: ``s**2*t``;
``u/(p*n)`` holds ``s**-1``),
and a sum that contains every term of a sum target holds a multiple of it (``3*p + 2*n + t``
holds ``2*(p + n)``: ``2*s + p + t``).  This is what gives the adjoint of a node a user built
(``symdiff.grad_of``): the derivative by a fresh symbol put in its place.
"""

from __future__ import annotations

from fractions import Fraction

from symdiff.core import numbers
from symdiff.core.constructors import add, mul, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, Expr, Num, Pow, Sym
from symdiff.core.numbers import Number
from symdiff.core.traverse import postorder


def _as_product(node: Expr) -> tuple[Number, dict[Expr, Expr]]:
    """``3*p**2*n -> (3, {p: 2, n: 1})``."""
    coefficient: Number = 1
    factors = node.args if isinstance(node, Mul) else (node,)
    powers: dict[Expr, Expr] = {}
    for factor in factors:
        if isinstance(factor, Num):
            coefficient = factor.value
        elif isinstance(factor, Pow):
            powers[factor.base] = factor.exp
        else:
            powers[factor] = ONE
    return coefficient, powers


def _as_sum(node: Expr) -> dict[Expr, Number]:
    """``3*p + 2*n + 1 -> {p: 3, n: 2, 1: 1}``."""
    terms: dict[Expr, Number] = {}
    for term in node.args if isinstance(node, Add) else (node,):
        if isinstance(term, Num):
            terms[ONE] = term.value
        elif isinstance(term, Mul) and isinstance(term.args[0], Num):
            terms[mul(*term.args[1:])] = term.args[0].value
        else:
            terms[term] = 1
    return terms


def _ratio(have: Expr, want: Expr) -> Fraction | None:
    """How many times the exponent ``want`` fits in ``have`` (exact exponents only)."""
    if have is want:
        return Fraction(1)
    if isinstance(have, Num) and isinstance(want, Num):
        a, b = have.value, want.value
        if not isinstance(a, float) and not isinstance(b, float):
            ratio = Fraction(a) / Fraction(b)
            return ratio if ratio != 0 else None
    return None


def _in_product(node: Expr, target: Expr, symbol: Sym) -> Expr | None:
    coefficient, powers = _as_product(node)
    want_coefficient, wanted = _as_product(target)
    ratios = []
    for base, exponent in wanted.items():
        have = powers.get(base)
        ratio = None if have is None else _ratio(have, exponent)
        if ratio is None:
            return None
        ratios.append(ratio)
    sign = 1 if all(r > 0 for r in ratios) else -1 if all(r < 0 for r in ratios) else 0
    copies = sign * int(min(abs(r) for r in ratios))  # u/(p*n) holds (p*n)**-1
    if copies == 0:
        return None
    rest = [power(base, exponent) for base, exponent in powers.items() if base not in wanted]
    rest += [power(b, add(powers[b], mul(-copies, e))) for b, e in wanted.items()]
    divisor = numbers.power(want_coefficient, copies)
    if divisor is None:  # too large to fold exactly
        return None
    return mul(numbers.divide(coefficient, divisor), power(symbol, copies), *rest)


def _in_sum(node: Expr, target: Expr, symbol: Sym) -> Expr | None:
    terms, wanted = _as_sum(node), _as_sum(target)
    ratios = []
    for monomial, coefficient in wanted.items():
        have = terms.get(monomial)
        if have is None:
            return None
        ratios.append(numbers.divide(have, coefficient))
    if not (all(r > 0 for r in ratios) or all(r < 0 for r in ratios)):
        return None
    copies = min(ratios, key=lambda r: abs(float(r)))
    rest = [mul(c, m) for m, c in terms.items() if m not in wanted]
    rest += [mul(terms[m] - copies * c, m) for m, c in wanted.items()]
    return add(mul(copies, symbol), *rest)


def replace_occurrences(root: Expr, target: Expr, symbol: Sym) -> tuple[Expr, int]:
    """``root`` with every occurrence of ``target`` replaced by ``symbol``, and how many nodes
    held one (0: ``target`` does not occur in ``root``)."""
    if isinstance(target, Num):
        raise ValueError(f"{target} is a number, not a sub-expression one can differentiate by")
    replaced: dict[Expr, Expr] = {}
    found = 0
    for node in postorder(root):
        args = [replaced[a] for a in node.args]
        same = all(a is b for a, b in zip(args, node.args, strict=True))
        current = node if same else node.rebuild(args)
        result: Expr | None = None
        if current is target:
            result = symbol
        elif isinstance(target, Mul | Pow) and isinstance(current, Mul | Pow):
            result = _in_product(current, target, symbol)
        elif isinstance(target, Add) and isinstance(current, Add):
            result = _in_sum(current, target, symbol)
        if result is not None:
            found += 1
            current = result
        replaced[node] = current
    return replaced[root], found
