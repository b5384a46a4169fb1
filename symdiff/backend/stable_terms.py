"""What the stable-evaluation rows are written in: lowering-only helper calls and their
fallback formulas, what a target offers (``Context``), the ``Plan`` a row returns, and the
matching helpers the rows share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from symdiff.core.constructors import add, mul, negate, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import HALF, ONE, ZERO, Call, Expr, Num, Pow
from symdiff.core.vocabulary import call


def helper(name: str, *args: Expr) -> Expr:
    """A call of a lowering-only helper (not a vocabulary row)."""
    return Call._raw(name, tuple(args))


def _softplus_fallback(u: Expr) -> Expr:
    # max(u, 0) + log1p(exp(-|u|)); (u + |u|)/2 is max(u, 0) exactly in floating point
    magnitude = call("abs", u)
    return add(_half_sum(u, magnitude), call("log1p", call("exp", negate(magnitude))))


def _half_sum(u: Expr, v: Expr) -> Expr:
    """``(u + v)/2`` with ``u`` computed first and the sum kept whole (the constructors would
    flatten ``u`` into it and distribute the half, and so lose exactness)."""
    return Mul._raw((HALF, Add._raw((u, v))))


def _sigmoid_fallback(u: Expr) -> Expr:
    # exp(min(u, 0))/(1 + exp(-|u|)); (u - |u|)/2 is min(u, 0) exactly in floating point
    magnitude = call("abs", u)
    numerator = call("exp", _half_sum(u, negate(magnitude)))
    return mul(numerator, power(add(ONE, call("exp", negate(magnitude))), -1))


def _sech2_fallback(u: Expr) -> Expr:
    # sech(u)**2 = 4*e/(1 + e)**2 with e = exp(-2*|u|) <= 1
    e = call("exp", mul(-2, call("abs", u)))
    return mul(4, e, power(add(ONE, e), -2))


#: The largest float64: the shift of ``shift_of`` is kept finite with it.
DBL_MAX = 1.7976931348623157e308

#: helper -> its formula from vocabulary functions, for targets without it (None: no row).
FALLBACK: dict[str, Callable[..., Expr] | None] = {
    "softplus": _softplus_fallback,
    "sigmoid": _sigmoid_fallback,
    "sech2": _sech2_fallback,
    # exp(u) where u is often far below -708 (exp(-k*logaddexp(...))): NumPy's exp is slow there
    "expu": lambda u: call("exp", u),
    # u with +-inf as +-DBL_MAX (the shift of shift_of)
    "finite": lambda u: call("min", call("max", u, Num(-DBL_MAX)), Num(DBL_MAX)),
    "logaddexp": None,
    # log(e1 + e2 + ...) of shifted exps, the largest exactly 1 (NumPy: log1p of the others)
    "log1p_rest": None,
    "hypot": None,
}
#: The lowering-only helper names.
HELPERS = frozenset(FALLBACK)


class Context(NamedTuple):
    """What one target offers: the helpers it prints itself."""

    native: frozenset[str]

    def has(self, name: str) -> bool:
        return name in self.native or FALLBACK[name] is not None

    def make(self, name: str, *args: Expr) -> Expr:
        """A helper call (expanded by ``expand_helpers`` after the passes if not native)."""
        assert self.has(name), name
        return helper(name, *args)


#: A plan: the subexpressions to rewrite first, and how to build the result from them.
Plan = tuple[tuple[Expr, ...], Callable[[list[Expr]], Expr]]


# --- matching helpers -----------------------------------------------------------------------
def is_call(node: Expr, name: str) -> bool:
    return isinstance(node, Call) and node.name == name


def negated(term: Expr) -> Expr | None:
    """``v`` if ``term`` is ``-v`` (``Mul(-1, v)``), else None."""
    if isinstance(term, Mul) and term.args[0] == Num(-1):
        rest = term.args[1:]
        return rest[0] if len(rest) == 1 else Mul._raw(rest)
    return None


def exp_exponents(terms: Sequence[Expr]) -> list[Expr] | None:
    """``[a, b, …]`` if ``terms`` are ``exp(a), exp(b), …`` (the constant 1 is ``exp(0)``)."""
    found: list[Expr] = []
    for term in terms:
        if term == ONE:
            found.append(ZERO)
        elif is_call(term, "exp"):
            found.append(term.args[0])
        else:
            return None
    return found if len(found) >= 2 and any(a != ZERO for a in found) else None


def split_constant(node: Add, constant: Expr) -> list[Expr] | None:
    """The other terms of a sum holding the number ``constant`` (None if it does not)."""
    if constant not in node.args:
        return None
    return [t for t in node.args if t != constant]


def sum_of(terms: list[Expr]) -> Expr:
    return add(*terms) if terms else ZERO


def log_of_exps(exponents: list[Expr], ctx: Context) -> Expr:
    """log(exp(a) + exp(b) + …) from the (rewritten) exponents, as stably as the target can:
    ``softplus``, one ``logaddexp``, or (three or more) ``m + log1p_rest(exp(a - m), …)``
    where the target has it, else ``m + L`` of ``shifted_log_sum``."""
    if len(exponents) == 2 and ZERO in exponents and ctx.has("softplus"):
        return ctx.make("softplus", next(a for a in exponents if a != ZERO))
    if len(exponents) == 2 and ctx.has("logaddexp"):
        return ctx.make("logaddexp", *exponents)
    if ctx.has("log1p_rest"):  # the shifted exps are shared with every ratio over the sum
        top, terms = shifted_exps(exponents, ctx)
        return add(top, ctx.make("log1p_rest", *terms))
    if ctx.has("logaddexp"):
        return add(*shifted_log_sum(exponents, ctx))
    return call("log", add(*(call("exp", a) for a in exponents)))


def shift_of(exponents: list[Expr], ctx: Context) -> Expr:
    """``m = max(a, b, …)`` clamped to ±DBL_MAX (``finite``), so that ±inf exponents give
    ``±inf - m = ±inf``, never ``inf - inf``: the shift of ``shifted_log_sum`` and
    ``shifted_sum`` (one node, computed once for the value and every ratio)."""
    top = exponents[0]
    for a in exponents[1:]:
        top = call("max", top, a)
    return ctx.make("finite", top)


def shifted_log_sum(exponents: list[Expr], ctx: Context) -> tuple[Expr, Expr]:
    """``(m, L)`` with ``m`` of ``shift_of`` and ``L = log(exp(a - m) + exp(b - m) + …)`` in
    [0, log n] (nested ``logaddexp``, accurate also where L is tiny): ``m + L`` is the
    log-sum."""
    top = shift_of(exponents, ctx)
    shifted = [add(a, negate(top)) for a in exponents]
    total = shifted[0]
    for a in shifted[1:]:
        total = ctx.make("logaddexp", total, a)
    return top, total


def shifted_exps(exponents: list[Expr], ctx: Context) -> tuple[Expr, list[Expr]]:
    """``(m, [exp(a - m), exp(b - m), …])`` with ``m`` of ``shift_of``: every term at most 1,
    the largest exactly 1."""
    top = shift_of(exponents, ctx)
    return top, [ctx.make("expu", add(a, negate(top))) for a in exponents]


def shifted_sum(exponents: list[Expr], ctx: Context) -> tuple[Expr, Expr]:
    """``(m, s)`` with ``s`` the sum of ``shifted_exps`` (in [1, n]): ``exp(a - m)/s`` is a
    softmax entry, accurate where ``a`` is near ``m`` (``a - m`` exact), and its
    ``exp(a - m)`` is a term of ``s`` (one exp per exponent in all)."""
    top, terms = shifted_exps(exponents, ctx)
    return top, add(*terms)


def sigmoid_argument(term: Expr) -> Expr | None:
    """``u`` if ``term`` is ``sigmoid(u)`` or ``1/(1 + exp(-u))``."""
    if is_call(term, "sigmoid"):
        return term.args[0]
    if isinstance(term, Pow) and term.args[1] == Num(-1) and isinstance(term.args[0], Add):
        rest = split_constant(term.args[0], ONE)
        if rest is not None and len(rest) == 1 and is_call(rest[0], "exp"):
            return negate(rest[0].args[0])
    return None


def one_minus_sigmoid_split(node: Expr) -> tuple[Expr, list[Expr]] | None:
    """``(u, others)`` if ``node`` is ``1 - sigmoid(u) + others``."""
    if not isinstance(node, Add):
        return None
    rest = split_constant(node, ONE)
    if rest is None:
        return None
    for position, term in enumerate(rest):
        inner = negated(term)
        u = None if inner is None else sigmoid_argument(inner)
        if u is not None:
            return u, rest[:position] + rest[position + 1 :]
    return None
