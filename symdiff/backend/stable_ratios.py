"""Stable rows for ratios of exponentials: sigmoids and their complements, tanh, ``log cosh``,
``1 - tanh**2``, exp distributed into ratios (each: a node in, a ``Plan`` or None out)."""

from __future__ import annotations

import math
from fractions import Fraction

from symdiff.backend.stable_terms import (
    Context,
    Plan,
    exp_exponents,
    is_call,
    negated,
    one_minus_sigmoid_split,
    shifted_sum,
    split_constant,
    sum_of,
)
from symdiff.core.constructors import add, mul, negate, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import HALF, ONE, ZERO, Expr, Num, Pow
from symdiff.core.vocabulary import call


def exp_ratio(node: Expr, ctx: Context) -> Plan | None:
    """exp(A)/(exp(p) + exp(q) + …)**k without overflow: sigmoids or exp(A - k*logaddexp).

    ``exp(u)/(exp(u) + 1) -> sigmoid(u)``, ``exp(x)/(exp(x) + exp(y)) -> sigmoid(x - y)``,
    ``exp(u)/(1 + exp(u))**2 -> sigmoid(u)*sigmoid(-u)``, ``1/(1 + exp(u)) -> sigmoid(-u)``.
    """
    factors = node.args if isinstance(node, Mul) else (node,)
    for position, factor in enumerate(factors):
        if not (isinstance(factor, Pow) and isinstance(factor.args[0], Add)):
            continue
        k = factor.args[1]
        if not (isinstance(k, Num) and isinstance(k.value, int) and k.value < 0):
            continue
        exponents = exp_exponents(factor.args[0].args)
        if exponents is None:
            continue
        numerator = [f for f in factors[:position] + factors[position + 1 :]]
        exps = [f.args[0] for f in numerator if is_call(f, "exp")]
        others = [f for f in numerator if not is_call(f, "exp")]
        return _ratio_plan(exponents, exps, -k.value, others, ctx)
    return None


def _ratio_plan(
    exponents: list[Expr], exps: list[Expr], k: int, others: list[Expr], ctx: Context
) -> Plan | None:
    total = sum_of(exps)
    if len(exponents) == 2 and ctx.has("sigmoid"):
        p, q = exponents
        for m in range(k + 1):  # exp(A)/S**k = sigmoid(p - q)**m * sigmoid(q - p)**(k - m)
            if add(total, negate(mul(m, p)), negate(mul(k - m, q))) == ZERO:
                n = len(others)

                def build(new: list[Expr], m: int = m, n: int = n) -> Expr:
                    d = add(new[n], negate(new[n + 1]))
                    pairs = min(m, k - m)  # sigmoid(d)*sigmoid(-d) as one helper
                    first = power(ctx.make("sigmoid", d), m - pairs)
                    second = power(ctx.make("sigmoid", negate(d)), k - m - pairs)
                    return mul(*new[:n], first, second, power(_sigmoid_pair(d, ctx), pairs))

                return (*others, p, q), build
    n, tops = len(others), len(exps)

    def build_shifted(new: list[Expr]) -> Expr:
        return mul(*new[:n], *_shifted_ratio(new[n : n + tops], new[n + tops :], k, ctx))

    return (*others, *exps, *exponents), build_shifted


def _shifted_ratio(tops: list[Expr], bottoms: list[Expr], k: int, ctx: Context) -> list[Expr]:
    """Factors of exp(a + b + ...)/(exp(p) + exp(q) + ...)**k shifted by m = max(p, q, ...):
    with s = exp(p - m) + exp(q - m) + ... (in [1, n]), the product of (exp(p - m)/s)**c when
    the numerator is exp(c*p + d*q + ...) with c + d + ... = k (softmax entries and their
    powers: every factor at most 1, each exp(p - m) shared with s), else
    exp(a + ... - k*m)/s**k (finite wherever the ratio is, up to the factor s**k <= n**k).
    ``a - m`` is exact where it matters (a near the largest exponent)."""
    top, total = shifted_sum(bottoms, ctx)
    counts = _multiples(tops, bottoms)
    if counts is not None and sum(counts.values()) == k:
        return [*(power(ctx.make("expu", add(p, negate(top))), c) for p, c in counts.items()),
                power(total, -k)]  # fmt: skip
    shift = add(*tops, negate(mul(k, top)))
    return [ctx.make("expu", shift), power(total, -k)]


def _multiples(tops: list[Expr], bottoms: list[Expr]) -> dict[Expr, int] | None:
    """``{p: c, …}`` if the numerator's exponents are positive whole multiples ``c*p`` of the
    denominator's exponents ``p`` (counted together), else None."""
    counts: dict[Expr, int] = {}
    for a in tops:
        c: int | Fraction | float = 1
        p = a
        if isinstance(a, Mul) and isinstance(a.args[0], Num) and a not in bottoms:
            value, rest = a.args[0].value, a.args[1:]
            c, p = value, rest[0] if len(rest) == 1 else Mul._raw(rest)
        if not (isinstance(c, int) and c > 0 and p in bottoms):
            return None
        counts[p] = counts.get(p, 0) + int(c)
    return counts


def _sigmoid_pair(u: Expr, ctx: Context) -> Expr:
    """sigmoid(u)*sigmoid(-u) = sech(u/2)**2/4, in one pass."""
    return mul(Fraction(1, 4), ctx.make("sech2", mul(HALF, u)))


def one_minus_sigmoid(node: Expr, ctx: Context) -> Plan | None:
    """1 - sigmoid(u) -> sigmoid(-u) (also 1 - 1/(1 + exp(-u)))."""
    split = one_minus_sigmoid_split(node)
    if split is None or not ctx.has("sigmoid"):
        return None
    u, others = split
    return (u, *others), lambda new: add(ctx.make("sigmoid", negate(new[0])), *new[1:])


def sigmoid_complement(node: Expr, ctx: Context) -> Plan | None:
    """sigmoid(u) - sigmoid(u)**2 -> sigmoid(u)*sigmoid(-u) (no cancellation near 1)."""
    if not isinstance(node, Add):
        return None
    for term in node.args:
        square = negated(term)
        if not (isinstance(square, Pow) and square.args[1] == Num(2)):
            continue
        s = square.args[0]
        if is_call(s, "sigmoid") and s in node.args:
            others = [t for t in node.args if t is not term and t is not s]
            u = s.args[0]
            return (u, *others), lambda new: add(_sigmoid_pair(new[0], ctx), *new[1:])
    return None


def one_minus_tanh_squared(node: Expr, ctx: Context) -> Plan | None:
    """1 - tanh(u)**2 -> sech(u)**2 computed from exp(-2*|u|) (no overflow, no cancellation)."""
    if not isinstance(node, Add) or len(node.args) != 2:
        return None
    rest = split_constant(node, ONE)
    square = None if rest is None else negated(rest[0])
    if not (isinstance(square, Pow) and square.args[1] == Num(2)):
        return None
    if not is_call(square.args[0], "tanh"):
        return None

    return (square.args[0].args[0],), lambda new: ctx.make("sech2", new[0])


def log_cosh(node: Expr, ctx: Context) -> Plan | None:
    """log(cosh(u)) -> logaddexp(u, -u) - log(2) (cosh overflows beyond |u| = 710)."""
    if is_call(node, "log") and is_call(node.args[0], "cosh") and ctx.has("logaddexp"):
        u = node.args[0].args[0]
        return (u,), lambda new: add(ctx.make("logaddexp", new[0], negate(new[0])),
                                     -math.log(2))  # fmt: skip
    return None


def reciprocal_hyperbolic(node: Expr, ctx: Context) -> Plan | None:
    """sech(u), csch(u), cosh(u)**-k, sinh(u)**-k without overflow (cosh and sinh overflow
    beyond |u| = 710, their reciprocals are tiny there): with e = exp(-|u|) <= 1,
    sech(u) = 2*e/(1 + e**2) and csch(u) = sign(u)*2*e/(-expm1(-2*|u|)) (expm1: no
    cancellation near 0, where csch has its pole)."""
    if is_call(node, "sech") or is_call(node, "csch"):
        kind, u, k = node.name, node.args[0], 1  # type: ignore[attr-defined]
    elif (
        isinstance(node, Pow) and isinstance(node.args[1], Num)
        and not isinstance(node.args[1].value, float) and node.args[1].value < 0
        and Fraction(node.args[1].value).denominator == 1
        and (is_call(node.args[0], "cosh") or is_call(node.args[0], "sinh"))
    ):  # fmt: skip
        base = node.args[0]
        kind = "sech" if is_call(base, "cosh") else "csch"
        u, k = base.args[0], -int(node.args[1].value)
    else:
        return None

    def build(new: list[Expr]) -> Expr:
        v = new[0]
        magnitude = call("abs", v)
        e = call("exp", negate(magnitude))
        if kind == "sech":
            value = mul(2, e, power(add(ONE, power(e, 2)), -1))
        else:
            # sign(u) divides: at the pole u = 0 this is 2/0 as 1/sinh(0) is (not 0*inf)
            gap = mul(call("sign", v), negate(call("expm1", mul(-2, magnitude))))
            value = mul(2, e, power(gap, -1))
        return power(value, k)

    return (u,), build


def tanh(node: Expr, ctx: Context) -> Plan | None:
    """sinh(u)/cosh(u) -> tanh(u) (both overflow beyond |u| = 710, their ratio does not)."""
    if not isinstance(node, Mul):
        return None
    for factor in node.args:
        if is_call(factor, "sinh"):
            u = factor.args[0]
            denominator = power(call("cosh", u), -1)
            if denominator in node.args:
                others = tuple(f for f in node.args if f is not factor and f is not denominator)
                return (u, *others), lambda new: mul(call("tanh", new[0]), *new[1:])
    return None


def _exp_sum_power(factor: Expr) -> bool:
    """Whether ``factor`` is ``(exp(a) + exp(b) + …)**-k``."""
    return (
        isinstance(factor, Pow)
        and isinstance(factor.args[0], Add)
        and isinstance(factor.args[1], Num)
        and factor.args[1].value in range(-16, 0)
        and exp_exponents(factor.args[0].args) is not None
    )


def _factors(term: Expr) -> tuple[Expr, ...]:
    return term.args if isinstance(term, Mul) else (term,)


def distribute_exp(node: Expr, ctx: Context) -> Plan | None:
    """exp(a)/S**k*(… + c/S**j) -> … + exp(a)*c/S**(k + j) for sums S of exponentials, so that
    exp-ratio sees whole ratios (reverse-mode gradients factor them apart)."""
    if not isinstance(node, Mul):
        return None
    movable = [f for f in node.args if is_call(f, "exp") or _exp_sum_power(f)]
    if not movable:
        return None
    for factor in node.args:
        if isinstance(factor, Add) and any(
            any(map(_exp_sum_power, _factors(t))) or is_call(t, "exp") for t in factor.args
        ):
            others = [f for f in node.args if f is not factor and f not in movable]
            terms = tuple(mul(*movable, t) for t in factor.args)
            n = len(others)
            return (*others, *terms), lambda new, n=n: mul(*new[:n], add(*new[n:]))
    return None
