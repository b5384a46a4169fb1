"""Numerically stable evaluation: a table of named rewrite rows applied before lowering.

The rows replace formulas that overflow or cancel in floating point by equal formulas that do
not (``log(1 + exp(u)) -> softplus(u)``, ``exp(u) - 1 -> expm1(u)``, ``exp(a)/(exp(a) + exp(b))
-> sigmoid(a - b)``, ``sqrt(a**2 + b**2) -> hypot(a, b)``, …).  They are applied to the DAG that
generated code evaluates, never to the formula printed for people.  Each row is sound: its
replacement has the value of its input wherever the input is defined (as a real number).

A few rows need *helpers*: functions that are not rows of the vocabulary (``softplus``,
``sigmoid``, ``logaddexp``, ``hypot``) and exist only in lowered code.  A target prints a helper
it has (its dialect maps the name); otherwise the helper's ``FALLBACK`` (built from vocabulary
functions) is used, and rows whose helper has neither are skipped for that target.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from fractions import Fraction
from typing import NamedTuple

from symdiff.core.constructors import add, mul, negate, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import HALF, ONE, ZERO, Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import postorder
from symdiff.core.vocabulary import call

#: Passes over the DAG (a later pass sees helpers an earlier one made: log(sigmoid(u))).
PASSES = 3


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


#: helper -> its formula from vocabulary functions, for targets without it (None: no row).
FALLBACK: dict[str, Callable[..., Expr] | None] = {
    "softplus": _softplus_fallback,
    "sigmoid": _sigmoid_fallback,
    "sech2": _sech2_fallback,
    "logaddexp": None,
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
def _is_call(node: Expr, name: str) -> bool:
    return isinstance(node, Call) and node.name == name


def _negated(term: Expr) -> Expr | None:
    """``v`` if ``term`` is ``-v`` (``Mul(-1, v)``), else None."""
    if isinstance(term, Mul) and term.args[0] == Num(-1):
        rest = term.args[1:]
        return rest[0] if len(rest) == 1 else Mul._raw(rest)
    return None


def _exponents(terms: Sequence[Expr]) -> list[Expr] | None:
    """``[a, b, …]`` if ``terms`` are ``exp(a), exp(b), …`` (the constant 1 is ``exp(0)``)."""
    found: list[Expr] = []
    for term in terms:
        if term == ONE:
            found.append(ZERO)
        elif _is_call(term, "exp"):
            found.append(term.args[0])
        else:
            return None
    return found if len(found) >= 2 and any(a != ZERO for a in found) else None


def _split_constant(node: Add, constant: Expr) -> list[Expr] | None:
    """The other terms of a sum holding the number ``constant`` (None if it does not)."""
    if constant not in node.args:
        return None
    return [t for t in node.args if t != constant]


def _sum(terms: list[Expr]) -> Expr:
    return add(*terms) if terms else ZERO


# --- the rows -------------------------------------------------------------------------------
def _softplus(node: Expr, ctx: Context) -> Plan | None:
    """log(1 + exp(u)) and log1p(exp(u)) -> softplus(u)."""
    if _is_call(node, "log1p") and _is_call(node.args[0], "exp"):
        u = node.args[0].args[0]
    elif _is_call(node, "log") and isinstance(node.args[0], Add) and len(node.args[0].args) == 2:
        rest = _split_constant(node.args[0], ONE)
        if rest is None or not _is_call(rest[0], "exp"):
            return None
        u = rest[0].args[0]
    else:
        return None
    return (u,), lambda new: ctx.make("softplus", new[0])


def _log_of_exps(exponents: list[Expr], ctx: Context) -> Expr:
    """log(exp(a) + exp(b) + …) from the (rewritten) exponents, as stably as the target can."""
    if len(exponents) == 2 and ZERO in exponents and ctx.has("softplus"):
        return ctx.make("softplus", next(a for a in exponents if a != ZERO))
    if ctx.has("logaddexp"):
        total = exponents[0]
        for a in exponents[1:]:
            total = ctx.make("logaddexp", total, a)
        return total
    return call("log", add(*(call("exp", a) for a in exponents)))


def _logaddexp(node: Expr, ctx: Context) -> Plan | None:
    """log(exp(a) + exp(b) + …) -> logaddexp(logaddexp(a, b), …)."""
    if not (_is_call(node, "log") and isinstance(node.args[0], Add) and ctx.has("logaddexp")):
        return None
    exponents = _exponents(node.args[0].args)
    if exponents is None:
        return None
    return tuple(exponents), lambda new: _log_of_exps(new, ctx)


def _log_of_power(node: Expr, ctx: Context) -> Plan | None:
    """log(S**n) -> n*log(S) for a sum S of exponentials (positive, so this is exact)."""
    if not (_is_call(node, "log") and isinstance(node.args[0], Pow)):
        return None
    base, exponent = node.args[0].args
    if not (isinstance(base, Add) and isinstance(exponent, Num)):
        return None
    exponents = _exponents(base.args)
    if exponents is None:
        return None
    return tuple(exponents), lambda new: mul(exponent, _log_of_exps(new, ctx))


def _log_sigmoid(node: Expr, ctx: Context) -> Plan | None:
    """log(sigmoid(u)) -> -softplus(-u) (made by an earlier pass)."""
    if _is_call(node, "log") and _is_call(node.args[0], "sigmoid"):
        u = node.args[0].args[0]
        return (u,), lambda new: negate(ctx.make("softplus", negate(new[0])))
    return None


def _log_one_minus_exp(node: Expr, ctx: Context) -> Plan | None:
    """log(1 - exp(u)) -> log(-expm1(u)) (no cancellation for u near 0)."""
    if not (_is_call(node, "log") and isinstance(node.args[0], Add)):
        return None
    rest = _split_constant(node.args[0], ONE)
    if rest is None or len(rest) != 1:
        return None
    inner = _negated(rest[0])
    if inner is None or not _is_call(inner, "exp"):
        return None
    return (inner.args[0],), lambda new: call("log", negate(call("expm1", new[0])))


def _log1p(node: Expr, ctx: Context) -> Plan | None:
    """log(1 + u) -> log1p(u)."""
    if not (_is_call(node, "log") and isinstance(node.args[0], Add)):
        return None
    rest = _split_constant(node.args[0], ONE)
    if rest is None or (_one_minus_sigmoid_split(node.args[0]) and ctx.has("sigmoid")):
        return None  # log(1 - sigmoid(u)) becomes log(sigmoid(-u)), then -softplus(u)
    return tuple(rest), lambda new: call("log1p", _sum(new))


def _expm1(node: Expr, ctx: Context) -> Plan | None:
    """exp(u) - 1 -> expm1(u) and 1 - exp(u) -> -expm1(u) (also inside longer sums)."""
    if not isinstance(node, Add):
        return None
    for constant, sign in ((Num(-1), 1), (ONE, -1)):
        rest = _split_constant(node, constant)
        if rest is None:
            continue
        for position, term in enumerate(rest):
            exp_term = term if sign == 1 else _negated(term)
            if exp_term is not None and _is_call(exp_term, "exp"):
                others = rest[:position] + rest[position + 1 :]

                def build(new: list[Expr], sign: int = sign) -> Expr:
                    value = call("expm1", new[0])
                    return add(value if sign == 1 else negate(value), *new[1:])

                return (exp_term.args[0], *others), build
    return None


def _one_minus_cos(node: Expr, ctx: Context) -> Plan | None:
    """1 - cos(u) -> 2*sin(u/2)**2 and cos(u) - 1 -> -2*sin(u/2)**2."""
    if not isinstance(node, Add) or len(node.args) != 2:
        return None
    for constant, sign in ((ONE, -1), (Num(-1), 1)):
        rest = _split_constant(node, constant)
        if rest is None:
            continue
        term = rest[0] if sign == 1 else _negated(rest[0])
        if term is not None and _is_call(term, "cos"):
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


def _difference_of_squares(node: Expr, ctx: Context) -> Plan | None:
    """a**2 - b**2 -> (a - b)*(a + b): no cancellation when a is close to b (1 - u**2)."""
    if not isinstance(node, Add) or len(node.args) != 2:
        return None
    for first, second in (node.args, node.args[::-1]):
        a = _square_root_of(first)
        negative = Num(1) if second == Num(-1) else _negated(second)
        b = None if negative is None else _square_root_of(negative)
        if a is not None and b is not None and a != b:
            return (a, b), lambda new: mul(add(new[0], negate(new[1])), add(new[0], new[1]))
    return None


def _hypot(node: Expr, ctx: Context) -> Plan | None:
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


def _exp_ratio(node: Expr, ctx: Context) -> Plan | None:
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
        exponents = _exponents(factor.args[0].args)
        if exponents is None:
            continue
        numerator = [f for f in factors[:position] + factors[position + 1 :]]
        exps = [f.args[0] for f in numerator if _is_call(f, "exp")]
        others = [f for f in numerator if not _is_call(f, "exp")]
        return _ratio_plan(exponents, exps, -k.value, others, ctx)
    return None


def _ratio_plan(
    exponents: list[Expr], exps: list[Expr], k: int, others: list[Expr], ctx: Context
) -> Plan | None:
    total = _sum(exps)
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
    if not ctx.has("logaddexp") and not (len(exponents) == 2 and ZERO in exponents):
        return None
    n = len(others)
    for reference in exponents:  # exp(A)/S**k = exp(-k*log(sum of exp(b - reference)))
        if add(total, negate(mul(k, reference))) == ZERO:

            def build_shifted(new: list[Expr], reference: Expr = reference) -> Expr:
                shifted = [add(b, negate(new[n])) for b in new[n + 1 :]]
                return mul(*new[:n], call("exp", mul(-k, _log_of_exps(shifted, ctx))))

            return (*others, reference, *exponents), build_shifted

    def build_general(new: list[Expr]) -> Expr:
        log_sum = _log_of_exps(new[n + 1 :], ctx)
        return mul(*new[:n], call("exp", add(new[n], negate(mul(k, log_sum)))))

    return (*others, total, *exponents), build_general


def _sigmoid_argument(term: Expr) -> Expr | None:
    """``u`` if ``term`` is ``sigmoid(u)`` or ``1/(1 + exp(-u))``."""
    if _is_call(term, "sigmoid"):
        return term.args[0]
    if isinstance(term, Pow) and term.args[1] == Num(-1) and isinstance(term.args[0], Add):
        rest = _split_constant(term.args[0], ONE)
        if rest is not None and len(rest) == 1 and _is_call(rest[0], "exp"):
            return negate(rest[0].args[0])
    return None


def _one_minus_sigmoid_split(node: Expr) -> tuple[Expr, list[Expr]] | None:
    """``(u, others)`` if ``node`` is ``1 - sigmoid(u) + others``."""
    if not isinstance(node, Add):
        return None
    rest = _split_constant(node, ONE)
    if rest is None:
        return None
    for position, term in enumerate(rest):
        inner = _negated(term)
        u = None if inner is None else _sigmoid_argument(inner)
        if u is not None:
            return u, rest[:position] + rest[position + 1 :]
    return None


def _sigmoid_pair(u: Expr, ctx: Context) -> Expr:
    """sigmoid(u)*sigmoid(-u) = sech(u/2)**2/4, in one pass."""
    return mul(Fraction(1, 4), ctx.make("sech2", mul(HALF, u)))


def _one_minus_sigmoid(node: Expr, ctx: Context) -> Plan | None:
    """1 - sigmoid(u) -> sigmoid(-u) (also 1 - 1/(1 + exp(-u)))."""
    split = _one_minus_sigmoid_split(node)
    if split is None or not ctx.has("sigmoid"):
        return None
    u, others = split
    return (u, *others), lambda new: add(ctx.make("sigmoid", negate(new[0])), *new[1:])


def _sigmoid_complement(node: Expr, ctx: Context) -> Plan | None:
    """sigmoid(u) - sigmoid(u)**2 -> sigmoid(u)*sigmoid(-u) (no cancellation near 1)."""
    if not isinstance(node, Add):
        return None
    for term in node.args:
        square = _negated(term)
        if not (isinstance(square, Pow) and square.args[1] == Num(2)):
            continue
        s = square.args[0]
        if _is_call(s, "sigmoid") and s in node.args:
            others = [t for t in node.args if t is not term and t is not s]
            u = s.args[0]
            return (u, *others), lambda new: add(_sigmoid_pair(new[0], ctx), *new[1:])
    return None


def _one_minus_tanh_squared(node: Expr, ctx: Context) -> Plan | None:
    """1 - tanh(u)**2 -> sech(u)**2 computed from exp(-2*|u|) (no overflow, no cancellation)."""
    if not isinstance(node, Add) or len(node.args) != 2:
        return None
    rest = _split_constant(node, ONE)
    square = None if rest is None else _negated(rest[0])
    if not (isinstance(square, Pow) and square.args[1] == Num(2)):
        return None
    if not _is_call(square.args[0], "tanh"):
        return None

    return (square.args[0].args[0],), lambda new: ctx.make("sech2", new[0])


def _log_cosh(node: Expr, ctx: Context) -> Plan | None:
    """log(cosh(u)) -> logaddexp(u, -u) - log(2) (cosh overflows beyond |u| = 710)."""
    if _is_call(node, "log") and _is_call(node.args[0], "cosh") and ctx.has("logaddexp"):
        u = node.args[0].args[0]
        return (u,), lambda new: add(ctx.make("logaddexp", new[0], negate(new[0])),
                                     -math.log(2))  # fmt: skip
    return None


def _tanh(node: Expr, ctx: Context) -> Plan | None:
    """sinh(u)/cosh(u) -> tanh(u) (both overflow beyond |u| = 710, their ratio does not)."""
    if not isinstance(node, Mul):
        return None
    for factor in node.args:
        if _is_call(factor, "sinh"):
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
        and _exponents(factor.args[0].args) is not None
    )


def _factors(term: Expr) -> tuple[Expr, ...]:
    return term.args if isinstance(term, Mul) else (term,)


def _distribute_exp(node: Expr, ctx: Context) -> Plan | None:
    """exp(a)/S**k*(… + c/S**j) -> … + exp(a)*c/S**(k + j) for sums S of exponentials, so that
    exp-ratio sees whole ratios (reverse-mode gradients factor them apart)."""
    if not isinstance(node, Mul):
        return None
    movable = [f for f in node.args if _is_call(f, "exp") or _exp_sum_power(f)]
    if not movable:
        return None
    for factor in node.args:
        if isinstance(factor, Add) and any(
            any(map(_exp_sum_power, _factors(t))) or _is_call(t, "exp") for t in factor.args
        ):
            others = [f for f in node.args if f is not factor and f not in movable]
            terms = tuple(mul(*movable, t) for t in factor.args)
            n = len(others)
            return (*others, *terms), lambda new, n=n: mul(*new[:n], add(*new[n:]))
    return None


#: The table: (name, rule), tried in order on every node; the first that applies wins.
ROWS: tuple[tuple[str, Callable[[Expr, Context], Plan | None]], ...] = (
    ("softplus", _softplus),
    ("log-sigmoid", _log_sigmoid),
    ("logaddexp", _logaddexp),
    ("log-of-power", _log_of_power),
    ("log-one-minus-exp", _log_one_minus_exp),
    ("log-cosh", _log_cosh),
    ("log1p", _log1p),
    ("one-minus-sigmoid", _one_minus_sigmoid),
    ("sigmoid-complement", _sigmoid_complement),
    ("distribute-exp", _distribute_exp),
    ("tanh", _tanh),
    ("exp-ratio", _exp_ratio),
    ("expm1", _expm1),
    ("one-minus-cos", _one_minus_cos),
    ("one-minus-tanh-squared", _one_minus_tanh_squared),
    ("difference-of-squares", _difference_of_squares),
    ("hypot", _hypot),
)


class _Symbolic(dict[Expr, bool]):
    """Whether a node contains a symbol (the others are folded to constants by lowering);
    nodes that rows make are looked up on demand."""

    def of(self, node: Expr) -> bool:
        if node not in self:
            for n in postorder(node):
                if n not in self:
                    self[n] = isinstance(n, Sym) or any(self[a] for a in n.args)
        return self[node]


def _rebuild(node: Expr, args: list[Expr]) -> Expr:
    if all(a is b for a, b in zip(args, node.args, strict=True)):
        return node
    if isinstance(node, Call) and node.name in HELPERS:
        return helper(node.name, *args)
    return node.rebuild(args)


def _substitute(roots: Sequence[Expr], replace: Callable[[Expr, list[Expr]], Expr]) -> list[Expr]:
    """Bottom-up rebuild: ``replace(node, new_args)`` for every node (iterative, memoised)."""
    done: dict[Expr, Expr] = {}
    for node in postorder(*roots):
        if node not in done:
            done[node] = replace(node, [done[a] for a in node.args])
    return [done[r] for r in roots]


def expand_helpers(roots: Sequence[Expr], native: Collection[str]) -> list[Expr]:
    """Helpers the target does not print replaced by their ``FALLBACK`` formulas."""

    def replace(node: Expr, args: list[Expr]) -> Expr:
        if isinstance(node, Call) and node.name in HELPERS and node.name not in native:
            fallback = FALLBACK[node.name]
            assert fallback is not None, node.name
            return fallback(*args)
        return _rebuild(node, args)

    return _substitute(roots, replace)


def _one_pass(roots: Sequence[Expr], ctx: Context, rows: Collection[str] | None) -> list[Expr]:
    symbolic = _Symbolic()
    done: dict[Expr, Expr] = {}
    plans: dict[Expr, Plan] = {}
    stack = list(roots)
    while stack:
        node = stack[-1]
        if node in done:
            stack.pop()
            continue
        plan = plans.get(node)
        if plan is None:
            plan = plans[node] = _plan(node, ctx, symbolic, rows)
        pending = [n for n in plan[0] if n not in done]
        if pending:
            stack.extend(reversed(pending))
            continue
        stack.pop()
        done[node] = plan[1]([done[n] for n in plan[0]])
    return [done[r] for r in roots]


def _plan(node: Expr, ctx: Context, symbolic: _Symbolic, rows: Collection[str] | None) -> Plan:
    if not node.args or not symbolic.of(node):
        return (), lambda new: node
    for name, rule in ROWS:
        if rows is None or name in rows:
            plan = rule(node, ctx)
            if plan is not None:
                return plan
    return tuple(node.args), lambda new: _rebuild(node, new)


def stabilize(
    roots: Sequence[Expr], native: Collection[str] = (), rows: Collection[str] | None = None
) -> list[Expr]:
    """``roots`` with the stable rows applied; ``native``: the helpers the target prints.

    ``rows`` restricts the rewrite to the named rows (for tests); the result is a DAG that may
    hold helper calls (``Call`` nodes named in ``HELPERS``), for lowering only.
    """
    ctx = Context(frozenset(native) & HELPERS)
    current = list(roots)
    for _ in range(PASSES):
        new = _one_pass(current, ctx, rows)
        if all(a is b for a, b in zip(new, current, strict=True)):
            break
        current = new
    return expand_helpers(current, ctx.native)
