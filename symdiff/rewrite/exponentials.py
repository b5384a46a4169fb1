"""Candidate rewrites that clear ``exp(-u)`` from denominators (``positive-exp`` rules):
``exp(-x)/(exp(-x) + 1)**2 -> exp(x)/(exp(x) + 1)**2``, alone or on each term of a sum."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from symdiff.core.constructors import add, mul, power
from symdiff.core.errors import SymdiffError
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, Call, Expr, Num, Pow
from symdiff.core.traverse import dag_size
from symdiff.core.vocabulary import call
from symdiff.rewrite import algebra


def _negated_exponent(term: Expr) -> Expr | None:
    """For a term with a factor ``exp(-u)`` (``u`` with a negative sign), that ``u``."""
    for factor in term.args if isinstance(term, Mul) else (term,):
        if isinstance(factor, Call) and factor.name == "exp":
            argument = factor.args[0]
            if _is_negative(argument):
                return mul(-1, argument)
    return None


def _is_negative(expr: Expr) -> bool:
    if isinstance(expr, Mul):
        return isinstance(expr.args[0], Num) and expr.args[0].value < 0
    return isinstance(expr, Add) and all(_is_negative(t) for t in expr.args)


def _times_exp(term: Expr, u: Expr) -> Expr:
    """``term*exp(u)``, merging with an ``exp`` factor of ``term`` (``exp(-u)*exp(u) = 1``)."""
    factors = term.args if isinstance(term, Mul) else (term,)
    for i, factor in enumerate(factors):
        if isinstance(factor, Call) and factor.name == "exp":
            return mul(*factors[:i], call("exp", add(factor.args[0], u)), *factors[i + 1 :])
    return mul(term, call("exp", u))


def positive_exp_candidates(node: Expr) -> Iterator[Expr]:
    """Clear ``exp(-u)`` from a denominator sum: ``exp(-x)/(exp(-x) + 1)**2 ->
    exp(x)/(exp(x) + 1)**2`` (multiply the sum and the numerator by ``exp(u)**k``)."""
    factors = node.args if isinstance(node, Mul) else (node,)
    for i, factor in enumerate(factors):
        if not (isinstance(factor, Pow) and isinstance(factor.base, Add)):
            continue
        k = factor.exp
        if not (isinstance(k, Num) and type(k.value) is int and k.value < 0):
            continue
        for term in factor.base.args:
            u = _negated_exponent(term)
            if u is not None:
                break
        else:
            continue
        cleared = add(*(_times_exp(t, u) for t in factor.base.args))
        numerator = [f for j, f in enumerate(factors) if j != i]
        exp_factors = [f for f in numerator if isinstance(f, Call) and f.name == "exp"]
        rest = [f for f in numerator if not (isinstance(f, Call) and f.name == "exp")]
        exponent = add(*(f.args[0] for f in exp_factors), mul(-k.value, u))
        yield mul(*rest, call("exp", exponent), power(cleared, k))


def positive_exp_sum_candidates(node: Expr) -> Iterator[Expr]:
    """``positive-exp`` on each term of a sum, so that the denominators can then be shared:
    ``x*exp(x)/(exp(x) + 1)**2 + 1/(exp(-x) + 1)``."""
    if not isinstance(node, Add):
        return
    terms = [next(positive_exp_candidates(t), t) for t in node.args]
    if any(t is not u for t, u in zip(terms, node.args, strict=True)):
        yield add(*terms)


#: The exp-ratio rule looks at no more than this many ``exp`` terms of one sum, and at
#: exponents of no more than this many nodes (each pair costs one expansion).
MAX_EXP_TERMS = 6
MAX_EXPONENT_NODES = 120

_RATIOS: dict[tuple[Expr, Expr], Expr | None] = {}


def _exp_factor(term: Expr) -> tuple[list[Expr], Expr] | None:
    """``(other factors, u)`` for a term with exactly one factor ``exp(u)``."""
    factors = list(term.args) if isinstance(term, Mul) else [term]
    found = [i for i, f in enumerate(factors) if isinstance(f, Call) and f.name == "exp"]
    if len(found) != 1:
        return None
    (i,) = found
    return factors[:i] + factors[i + 1 :], factors[i].args[0]


def _exp_terms(node: Add) -> list[tuple[int, tuple[list[Expr], Expr]]]:
    """``(index, (other factors, u))`` for the first terms of a sum with one ``exp(u)``."""
    split = []
    for i, term in enumerate(node.args):
        parts = _exp_factor(term)
        if parts is not None and dag_size(parts[1]) <= MAX_EXPONENT_NODES:
            split.append((i, parts))
        if len(split) == MAX_EXP_TERMS:
            break
    return split


def _ratio(a: Expr, b: Expr) -> Expr | None:
    """``exp(a)/exp(b)`` without ``exp`` when ``a - b`` expands to numbers and multiples of
    logarithms (``c*log(X)`` gives ``X**c``, valid where the ``log`` is defined), else None."""
    key = (a, b)
    if key not in _RATIOS:
        if len(_RATIOS) > 4096:
            _RATIOS.clear()
        try:
            difference = algebra.expand_fully(add(a, mul(-1, b)))
            _RATIOS[key] = None if difference is None else _without_exp(difference)
        except (SymdiffError, ArithmeticError):  # log(0)**-1 and the like: no candidate
            _RATIOS[key] = None
    return _RATIOS[key]


def _without_exp(difference: Expr) -> Expr | None:
    """``exp(difference)`` as a product of powers, for a sum of numbers and ``c*log(X)``."""
    factors: list[Expr] = []
    constants: list[Expr] = []
    for term in difference.args if isinstance(difference, Add) else (difference,):
        if isinstance(term, Num):
            constants.append(term)
            continue
        scale, rest = (term.args[0], term.args[1:]) if isinstance(term, Mul) else (ONE, (term,))
        logarithm = rest[0] if len(rest) == 1 else None
        if not (isinstance(scale, Num) and isinstance(logarithm, Call) and logarithm.name == "log"):
            return None
        factors.append(power(logarithm.args[0], scale))
    return mul(*factors, call("exp", add(*constants)))


def exp_ratio_candidates(node: Expr) -> Iterator[Expr]:
    """Terms ``p*exp(a)`` and ``q*exp(b)`` of one sum whose exponents differ by numbers and
    logarithms: ``p*exp(a) -> p*exp(a - b)*exp(b)`` with ``exp(a - b)`` written without
    ``exp``, so that like terms can combine (the Black-Scholes delta:
    ``S*phi(d1) = K*exp(-r*T)*phi(d2)``)."""
    if not isinstance(node, Add):
        return
    split = _exp_terms(node)
    for i, (others, a) in split:
        for j, (_, b) in split:
            if i == j or a is b:
                continue
            ratio = _ratio(a, b)
            if ratio is None:
                continue
            moved = mul(*others, ratio, call("exp", b))
            yield add(moved, *(t for k, t in enumerate(node.args) if k != i))


def _exp_plus_minus_one(base: Expr) -> tuple[Expr, str] | None:
    """``(u, "cosh")`` for ``exp(u) + 1``, ``(u, "sinh")`` for ``exp(u) - 1`` or ``1 - exp(u)``."""
    if not (isinstance(base, Add) and len(base.args) == 2):
        return None
    number, other = base.args
    if not isinstance(number, Num) or number.value not in (1, -1):
        return None
    scale, rest = (other.args[0], other.args[1:]) if isinstance(other, Mul) else (ONE, (other,))
    if len(rest) != 1 or not (isinstance(rest[0], Call) and rest[0].name == "exp"):
        return None
    if not (isinstance(scale, Num) and scale.value in (1, -1)):
        return None
    if number.value == 1 and scale.value == 1:
        return rest[0].args[0], "cosh"
    if number.value != scale.value:
        return rest[0].args[0], "sinh"
    return None


def half_angle_candidates(node: Expr) -> Iterator[Expr]:
    """``exp(u)/(exp(u) + 1)**2 -> 1/(4*cosh(u/2)**2)`` and ``exp(u)/(exp(u) - 1)**2 ->
    1/(4*sinh(u/2)**2)`` (both sides are ``1/(exp(u/2) +- exp(-u/2))**2``, with the same
    domain): the logistic and Planck derivatives."""
    if not isinstance(node, Mul):
        return
    exps = {f.args[0]: f for f in node.args if isinstance(f, Call) and f.name == "exp"}
    for factor in node.args:
        if not (isinstance(factor, Pow) and isinstance(factor.exp, Num) and factor.exp.value == -2):
            continue
        found = _exp_plus_minus_one(factor.base)
        if found is None or found[0] not in exps:
            continue
        u, name = found
        rest = [f for f in node.args if f is not factor and f is not exps[u]]
        yield mul(Fraction(1, 4), power(call(name, mul(Fraction(1, 2), u)), -2), *rest)
        return


def exp_split_candidates(node: Expr) -> Iterator[Expr]:
    """Terms ``p*exp(a)`` and ``q*exp(a + d)`` of one sum share ``exp(a)``: ``exp(a)*(p +
    q*exp(d))`` (``exp(a + d) = exp(a)*exp(d)`` everywhere), when ``d`` is smaller than
    ``a + d``: ``2*exp(-E) - 4*y*exp(w - E) -> exp(-E)*(2 - 4*y*exp(w))``."""
    if not isinstance(node, Add):
        return
    split = _exp_terms(node)
    for i, (others, a) in split:
        shared = [mul(*others)]
        used = {i}
        for j, (rest, b) in split:
            if j in used or a is b:
                continue
            d = _difference(b, a)
            if d is None or isinstance(d, Num) or dag_size(d) >= dag_size(b):
                continue
            shared.append(mul(*rest, call("exp", d)))
            used.add(j)
        if len(used) > 1:
            kept = (t for k, t in enumerate(node.args) if k not in used)
            yield add(mul(call("exp", a), add(*shared)), *kept)


def _difference(b: Expr, a: Expr) -> Expr | None:
    """``b - a`` expanded, or None when the expansion fails or is too large (memoised)."""
    key = (b, a)
    if key not in _DIFFERENCES:
        if len(_DIFFERENCES) > 4096:
            _DIFFERENCES.clear()
        try:
            _DIFFERENCES[key] = algebra.expand_fully(add(b, mul(-1, a)))
        except (SymdiffError, ArithmeticError):
            _DIFFERENCES[key] = None
    return _DIFFERENCES[key]


_DIFFERENCES: dict[tuple[Expr, Expr], Expr | None] = {}
