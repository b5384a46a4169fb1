"""Candidate rewrites that clear ``exp(-u)`` from denominators (``positive-exp`` rules):
``exp(-x)/(exp(-x) + 1)**2 -> exp(x)/(exp(x) + 1)**2``, alone or on each term of a sum."""

from __future__ import annotations

from collections.abc import Iterator

from symdiff.core.constructors import add, mul, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow
from symdiff.core.vocabulary import call


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
