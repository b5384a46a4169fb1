"""Step-by-step derivations: which rule applied where, and what it gave.

>>> d = explain("x**2*sin(x)", "x")
>>> [step.rule for step in d.steps]
['power', 'trigonometric', 'product', 'simplify']
>>> str(d.result)
'x*(x*cos(x) + 2*sin(x))'

The derivation follows the same single sweep over the expression DAG as ``diff`` (children
before parents), so every step's result is exactly the derivative ``diff`` builds for that
subexpression, a subexpression used twice is explained once and referred to by its step number,
and the last step's result is ``diff(f, x, simplify=False)`` (``diff(f, x)``, simplified, once
the simplifier has had its say in the closing "simplify" steps).  Steps for constants and for
``x`` itself are folded into their parent unless ``all=True``.  Rendering lives in
``symdiff.steps.derivation``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from symdiff.calculus.forward import _as_symbol, local_derivative  # the very rules of diff
from symdiff.core.constructors import mul, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, ZERO, Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import depends_on, postorder_by, postorder_missing, substitute
from symdiff.core.vocabulary import FUNCTIONS
from symdiff.rewrite.engine import rewrite_trace
from symdiff.steps.derivation import Derivation, Step

#: The family of each function, as a textbook names its differentiation rule.
FAMILIES: dict[str, str] = {name: row.family for name, row in FUNCTIONS.items() if row.arity}

_FAMILY_SIZE = {family: list(FAMILIES.values()).count(family) for family in FAMILIES.values()}

#: What each rule says, for readers (and for ``--steps`` legends).
RULES: dict[str, str] = {
    "constant": "d/dx c = 0",
    "variable": "d/dx x = 1",
    "sum": "d/dx (u + v) = u' + v'",
    "constant multiple": "d/dx (c*u) = c*u'",
    "product": "d/dx (u*v) = u'*v + u*v'",
    "quotient": "d/dx (u/v) = (u'*v - u*v')/v**2",
    "power": "d/dx x**n = n*x**(n-1)",
    "exponential": "d/dx c**x = c**x*log(c); d/dx exp(x) = exp(x)",
    "general power": "d/dx u**v = u**v*(v'*log(u) + v*u'/u)",
    "logarithm": "d/dx log(x) = 1/x",
    "trigonometric": "d/dx sin(x) = cos(x), d/dx cos(x) = -sin(x), ...",
    "inverse trigonometric": "d/dx atan(x) = 1/(x**2 + 1), ...",
    "hyperbolic": "d/dx sinh(x) = cosh(x), ...",
    "inverse hyperbolic": "d/dx asinh(x) = 1/sqrt(x**2 + 1), ...",
    "absolute value": "d/dx abs(x) = sign(x)",
    "sign": "d/dx sign(x) = 0 (almost everywhere)",
    "error function": "d/dx erf(x) = 2/sqrt(pi)*exp(-x**2)",
    "stop gradient": "d/dx stop_gradient(u) = 0",
    "maximum": "d/dx max(u, v) = where(u >= v, u', v') (at a tie, the first argument's)",
    "minimum": "d/dx min(u, v) = where(u <= v, u', v') (at a tie, the first argument's)",
    "rectifier": "d/dx relu(u) = where(u > 0, u', 0) (relu'(0) = 0)",
    "step function": "d/dx heaviside(u) = d/dx floor(u) = d/dx ceil(u) = 0 (almost everywhere)",
    "clipping": "d/dx clip(u, lo, hi) = u' on [lo, hi], lo' below it, hi' above it",
    "algebraic": "d/dx hypot(u, v) = (u*u' + v*v')/hypot(u, v)",
    "conditional": "d/dx where(c, u, v) = where(c, u', v')",
    "comparison": "a comparison only selects a branch: it has no derivative",
    "logic": "and, or, not only select a branch: they have no derivative",
    "chain": "d/dx f(u) = f'(u)*u'",
    "simplify": "an algebraic rewrite of the result",
}


def _depths(root: Expr, children: Callable[[Expr], tuple[Expr, ...]]) -> dict[Expr, int]:
    """Shortest distance of each node from ``root`` (breadth first, iterative)."""
    depth = {root: 0}
    frontier = [root]
    while frontier:
        following = []
        for node in frontier:
            for child in children(node):
                if child not in depth:
                    depth[child] = depth[node] + 1
                    following.append(child)
        frontier = following
    return depth


def _is_denominator(factor: Expr) -> bool:
    return isinstance(factor, Pow) and isinstance(factor.exp, Num) and factor.exp.value < 0


def classify(node: Expr, dargs: list[Expr], variable: Sym) -> tuple[str, str]:
    """The rule (and detail) that differentiates ``node`` given its arguments' derivatives."""
    match node:
        case Sym():
            return ("variable", "") if node is variable else ("constant", "")
        case Num():
            return "constant", ""
        case Add():
            return "sum", ""
        case Mul():
            moving = [a for a, da in zip(node.args, dargs, strict=True) if da is not ZERO]
            if len(moving) == 1:
                return "constant multiple", ""
            if any(_is_denominator(a) for a in moving):
                return "quotient", ""
            return "product", ""
        case Pow():
            dbase, dexp = dargs
            if dexp is ZERO:
                return ("power", "") if dbase is ONE else ("chain", "power")
            if dbase is ZERO:
                return ("exponential", "") if dexp is ONE else ("chain", "exponential")
            return "general power", ""
        case Call(name):
            family = FAMILIES.get(name, name)
            if name == "stop_gradient" or all(d is ONE or d is ZERO for d in dargs):
                return family, name if _FAMILY_SIZE.get(family, 0) > 1 else ""
            return "chain", name
    raise TypeError(f"cannot explain {type(node).__name__}")


TRIVIAL = frozenset({"constant", "variable"})


def quotient_parts(node: Mul) -> tuple[Expr, Expr]:
    """``u, v`` with ``node = u/v``: the factors with a negative numeric exponent make ``v``."""
    top = [f for f in node.args if not _is_denominator(f)]
    bottom = [
        power(f.base, mul(-1, f.exp))
        for f in node.args
        if isinstance(f, Pow) and _is_denominator(f)
    ]
    return mul(*top), mul(*bottom)


class Teaching:
    """How a teacher splits the formula: a quotient ``u*v**-1`` into ``u`` and ``v``; the
    derivatives of those parts (which the DAG may not hold) come from the same rules."""

    def __init__(self, symbol: Sym) -> None:
        self.symbol = symbol
        self.memo: dict[Expr, Expr] = {}
        self.parts: dict[Expr, tuple[Expr, ...]] = {}

    def derive(self, node: Expr) -> Expr:
        """``diff(node, symbol)``, memoised across the derivation (iterative)."""
        memo = self.memo
        for sub in postorder_missing(node, memo):
            memo[sub] = local_derivative(sub, [memo[a] for a in sub.args], self.symbol)
        return memo[node]

    def children(self, node: Expr) -> tuple[Expr, ...]:
        parts = self.parts.get(node)
        if parts is None:
            parts = node.args
            if (
                isinstance(node, Mul)
                and classify(node, [self.derive(a) for a in node.args], self.symbol)[0]
                == "quotient"
            ):
                parts = quotient_parts(node)
            self.parts[node] = parts
        return parts

    def given(self, node: Expr, rule: str, detail: str) -> tuple[tuple[str, Expr], ...]:
        """The letters of the rule's formula, bound to this step's parts and their derivatives."""
        d = self.derive
        match node:
            case Mul() if rule == "quotient":
                u, v = quotient_parts(node)
                return (("u", u), ("v", v), ("u'", d(u)), ("v'", d(v)))
            case Mul() if rule == "product":
                moving = [a for a in node.args if d(a) is not ZERO]
                constant = [a for a in node.args if d(a) is ZERO]
                u, v = moving[0], mul(*moving[1:])
                factor = (("c", mul(*constant)),) if constant else ()
                return (*factor, ("u", u), ("v", v), ("u'", d(u)), ("v'", d(v)))
            case Mul() if rule == "constant multiple":
                moving = [a for a in node.args if d(a) is not ZERO]
                c = mul(*[a for a in node.args if d(a) is ZERO])
                return (("c", c), ("u", mul(*moving)), ("u'", d(mul(*moving))))
            case Pow(base, exponent) if rule == "power":
                return (("n", exponent),)
            case Pow(base, exponent) if detail == "power":
                return (("u", base), ("n", exponent), ("u'", d(base)))
            case Pow(base, exponent) if rule == "exponential" or detail == "exponential":
                chain = (("u", exponent), ("u'", d(exponent))) if detail else ()
                return (("a", base), *chain)
            case Pow(base, exponent):
                return (("u", base), ("v", exponent), ("u'", d(base)), ("v'", d(exponent)))
            case Call() if rule == "chain":
                letters = tuple(zip(("u", "v", "w"), node.args, strict=False))
                return letters + tuple((f"{k}'", d(e)) for k, e in letters if d(e) is not ZERO)
        return ()


#: ``explain(..., order=n)`` explains up to this many derivatives in sequence.
MAX_ORDER = 8


def explain(
    expr: Any, variable: Any, *, all: bool = False, simplify: bool = True, order: int = 1
) -> Derivation:
    """The derivation of ``d expr / d variable``, one ``Step`` per rule applied.

    ``all=True`` keeps the trivial steps (constants, the variable itself); ``simplify=False``
    leaves out the closing simplification steps.  ``order=2`` explains the second derivative
    as two derivations in sequence, the second differentiating the first one's (simplified)
    result; ``Derivation.stages`` holds them (up to ``MAX_ORDER``).
    """
    if not isinstance(order, int) or isinstance(order, bool) or not 1 <= order <= MAX_ORDER:
        raise ValueError(
            f"steps explain derivatives of order 1 to {MAX_ORDER}, not {order!r} "
            "(diff(expr, (x, n)) has no such limit)"
        )
    stage = _explain_once(expr, variable, all, simplify)
    for _ in range(order - 1):
        following = _explain_once(stage.result, variable, all, simplify)
        stage = replace(following, earlier=stage.stages)
    return stage


def _explain_once(expr: Any, variable: Any, all: bool, simplify: bool) -> Derivation:
    from symdiff.formats.parser import parse_any

    source = expr if isinstance(expr, str) else ""
    expr = parse_any(expr)
    symbol = _as_symbol(variable)
    teaching = Teaching(symbol)
    order = postorder_by([expr], teaching.children)
    relevant = depends_on(order, [symbol])
    depth = _depths(expr, teaching.children)
    memo = teaching.memo
    number_of: dict[Expr, int] = {}
    steps: list[Step] = []

    def record(node: Expr, rule: str, detail: str, result: Expr, uses: tuple[int, ...]) -> None:
        given = teaching.given(node, rule, detail)
        steps.append(Step(len(steps) + 1, rule, node, result, depth[node], uses, detail, given))
        number_of[node] = len(steps)

    for node in order:
        if node not in relevant:
            memo[node] = ZERO
            # a constant is worth a line (with all=True) only where a moving parent meets it
            continue
        result = teaching.derive(node)
        rule, detail = classify(node, [teaching.derive(a) for a in node.args], symbol)
        children = teaching.children(node)
        if all:
            for child in children:
                if child not in relevant and child not in number_of:
                    record(child, "constant", "", ZERO, ())
        if rule in TRIVIAL and not all and node is not expr:
            continue
        uses = tuple(sorted({number_of[a] for a in children if a in number_of}))
        record(node, rule, detail, result, uses)
    if not steps:  # the whole formula is constant
        record(expr, "constant", "", ZERO, ())
    if simplify:
        for name, before, after in identity_steps(steps[-1].result):
            steps.append(Step(len(steps) + 1, "simplify", before, after, 0, (len(steps),), name))
    return Derivation(expr, symbol, tuple(steps), source.strip())


#: At most this many identity steps; the rewrites after them are one closing step.
MAX_IDENTITY_STEPS = 40


def identity_steps(expr: Expr) -> list[tuple[str, Expr, Expr]]:
    """``(rule, before, after)`` of the whole expression, one per identity that fired (runs of
    the same identity merged), ending in ``simplify(expr)``; empty when nothing changes.

    The simplifier's trace says which subexpression each rewrite replaced; replaying those
    replacements on the whole expression gives the expression after each identity.  Whatever
    the replay cannot place (a form settled inside a trial rewrite) is the closing
    "canonical form" step, so the last expression is always the simplifier's result."""
    final, events = rewrite_trace(expr)
    out: list[tuple[str, Expr, Expr]] = []
    current = expr
    seen = {expr: 0}  # each form on the way -> how many steps reach it
    for name, before, after in events:
        if len(out) >= MAX_IDENTITY_STEPS or before not in set(postorder_by([current], _args)):
            continue
        following = substitute(current, {before: after})
        if following is current:
            continue
        if following in seen:  # back to an earlier form (factored, then expanded): no step
            out = out[: seen[following]]
            seen = {form: k for form, k in seen.items() if k <= len(out)}
        elif out and out[-1][0] == name:
            del seen[current]
            out[-1] = (name, out[-1][1], following)
            seen[following] = len(out)
        else:
            out.append((name, current, following))
            seen[following] = len(out)
        current = following
    if current is not final:
        out.append(("canonical form", current, final))
    return out


def _args(node: Expr) -> tuple[Expr, ...]:
    return node.args
