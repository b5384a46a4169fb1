"""Stable rows for logarithms, exponentials and roots: softplus, logaddexp, log1p, expm1,
``1 - cos``, differences of squares, hypot (each: a node in, a ``Plan`` or None out)."""

from __future__ import annotations

from fractions import Fraction

from symdiff.backend.stable_terms import (
    Context,
    Plan,
    exp_exponents,
    is_call,
    log_of_exps,
    negated,
    one_minus_sigmoid_split,
    split_constant,
    sum_of,
)
from symdiff.core.constructors import add, mul, negate, power
from symdiff.core.nary import Add
from symdiff.core.nodes import HALF, ONE, Expr, Num, Pow
from symdiff.core.vocabulary import call


def softplus(node: Expr, ctx: Context) -> Plan | None:
    """log(1 + exp(u)) and log1p(exp(u)) -> softplus(u)."""
    if is_call(node, "log1p") and is_call(node.args[0], "exp"):
        u = node.args[0].args[0]
    elif is_call(node, "log") and isinstance(node.args[0], Add) and len(node.args[0].args) == 2:
        rest = split_constant(node.args[0], ONE)
        if rest is None or not is_call(rest[0], "exp"):
            return None
        u = rest[0].args[0]
    else:
        return None
    return (u,), lambda new: ctx.make("softplus", new[0])


def logaddexp(node: Expr, ctx: Context) -> Plan | None:
    """log(exp(a) + exp(b) + …) -> logaddexp(logaddexp(a, b), …)."""
    if not (is_call(node, "log") and isinstance(node.args[0], Add) and ctx.has("logaddexp")):
        return None
    exponents = exp_exponents(node.args[0].args)
    if exponents is None:
        return None
    return tuple(exponents), lambda new: log_of_exps(new, ctx)


def log_of_power(node: Expr, ctx: Context) -> Plan | None:
    """log(S**n) -> n*log(S) for a sum S of exponentials (positive, so this is exact)."""
    if not (is_call(node, "log") and isinstance(node.args[0], Pow)):
        return None
    base, exponent = node.args[0].args
    if not (isinstance(base, Add) and isinstance(exponent, Num)):
        return None
    exponents = exp_exponents(base.args)
    if exponents is None:
        return None
    return tuple(exponents), lambda new: mul(exponent, log_of_exps(new, ctx))


def log_sigmoid(node: Expr, ctx: Context) -> Plan | None:
    """log(sigmoid(u)) -> -softplus(-u) (made by an earlier pass)."""
    if is_call(node, "log") and is_call(node.args[0], "sigmoid"):
        u = node.args[0].args[0]
        return (u,), lambda new: negate(ctx.make("softplus", negate(new[0])))
    return None


def log_one_minus_exp(node: Expr, ctx: Context) -> Plan | None:
    """log(1 - exp(u)) -> log(-expm1(u)) (no cancellation for u near 0)."""
    if not (is_call(node, "log") and isinstance(node.args[0], Add)):
        return None
    rest = split_constant(node.args[0], ONE)
    if rest is None or len(rest) != 1:
        return None
    inner = negated(rest[0])
    if inner is None or not is_call(inner, "exp"):
        return None
    return (inner.args[0],), lambda new: call("log", negate(call("expm1", new[0])))


def log1p(node: Expr, ctx: Context) -> Plan | None:
    """log(1 + u) -> log1p(u)."""
    if not (is_call(node, "log") and isinstance(node.args[0], Add)):
        return None
    rest = split_constant(node.args[0], ONE)
    if rest is None or (one_minus_sigmoid_split(node.args[0]) and ctx.has("sigmoid")):
        return None  # log(1 - sigmoid(u)) becomes log(sigmoid(-u)), then -softplus(u)
    return tuple(rest), lambda new: call("log1p", sum_of(new))


def expm1(node: Expr, ctx: Context) -> Plan | None:
    """exp(u) - 1 -> expm1(u) and 1 - exp(u) -> -expm1(u) (also inside longer sums)."""
    if not isinstance(node, Add):
        return None
    for constant, sign in ((Num(-1), 1), (ONE, -1)):
        rest = split_constant(node, constant)
        if rest is None:
            continue
        for position, term in enumerate(rest):
            exp_term = term if sign == 1 else negated(term)
            if exp_term is not None and is_call(exp_term, "exp"):
                others = rest[:position] + rest[position + 1 :]

                def build(new: list[Expr], sign: int = sign) -> Expr:
                    value = call("expm1", new[0])
                    return add(value if sign == 1 else negate(value), *new[1:])

                return (exp_term.args[0], *others), build
    return None


def one_minus_cos(node: Expr, ctx: Context) -> Plan | None:
    """1 - cos(u) -> 2*sin(u/2)**2 and cos(u) - 1 -> -2*sin(u/2)**2."""
    if not isinstance(node, Add) or len(node.args) != 2:
        return None
    for constant, sign in ((ONE, -1), (Num(-1), 1)):
        rest = split_constant(node, constant)
        if rest is None:
            continue
        term = rest[0] if sign == 1 else negated(rest[0])
        if term is not None and is_call(term, "cos"):
            coefficient = Num(-2 * sign)
            return (term.args[0],), lambda new, c=coefficient: mul(
                c, power(call("sin", mul(HALF, new[0])), 2)
            )
    return None


def _square_root_of(term: Expr) -> Expr | None:
    """``a`` if ``term`` is ``a**2`` (the number 1 is ``1**2``)."""
    if term == ONE:
        return ONE
    if isinstance(term, Pow) and term.args[1] == Num(2):
        return term.args[0]
    return None


def difference_of_squares(node: Expr, ctx: Context) -> Plan | None:
    """a**2 - b**2 -> (a - b)*(a + b): no cancellation when a is close to b (1 - u**2)."""
    if not isinstance(node, Add) or len(node.args) != 2:
        return None
    for first, second in (node.args, node.args[::-1]):
        a = _square_root_of(first)
        negative = Num(1) if second == Num(-1) else negated(second)
        b = None if negative is None else _square_root_of(negative)
        if a is not None and b is not None and a != b:
            return (a, b), lambda new: mul(add(new[0], negate(new[1])), add(new[0], new[1]))
    return None


def hypot(node: Expr, ctx: Context) -> Plan | None:
    """sqrt(a**2 + b**2) -> hypot(a, b), and (a**2 + b**2)**(k/2) -> hypot(a, b)**k."""
    if not (isinstance(node, Pow) and isinstance(node.args[0], Add) and ctx.has("hypot")):
        return None
    base, exponent = node.args
    if not isinstance(exponent, Num) or isinstance(exponent.value, float):
        return None
    if Fraction(exponent.value).denominator != 2:
        return None
    roots = [_square_root_of(t) for t in base.args]
    if any(r is None for r in roots) or all(r == ONE for r in roots):
        return None

    def build(new: list[Expr]) -> Expr:
        total = new[0]
        for r in new[1:]:
            total = ctx.make("hypot", total, r)
        return power(total, 2 * Fraction(exponent.value))

    return tuple(r for r in roots if r is not None), build
