"""Step-by-step derivations: which rule applied where, and what it gave.

>>> d = explain("x**2*sin(x)", "x")
>>> [step.rule for step in d.steps]
['power', 'trigonometric', 'product', 'simplify']
>>> str(d.result)
'x*(x*cos(x) + 2*sin(x))'

The derivation follows the same single sweep over the expression DAG as ``diff`` (children
before parents), so every step's result is exactly the derivative ``diff`` builds for that
subexpression, a subexpression used twice is explained once and referred to by its step number,
and the last step's result is ``diff(f, x)`` (``diff(f, x, simplify=True)`` once the simplifier
has had its say in the closing "simplify" steps).  Steps for constants and for ``x`` itself are
folded into their parent unless ``all=True``.  Rendering lives in ``symdiff.steps.derivation``.
"""

from __future__ import annotations

from typing import Any

from symdiff.calculus.forward import _as_symbol, local_derivative  # the very rules of diff
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, ZERO, Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import depends_on, postorder
from symdiff.core.vocabulary import FUNCTIONS
from symdiff.rewrite.engine import simplify_trace
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


def _depths(root: Expr) -> dict[Expr, int]:
    """Shortest distance of each node from ``root`` (breadth first, iterative)."""
    depth = {root: 0}
    frontier = [root]
    while frontier:
        following = []
        for node in frontier:
            for child in node.args:
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


def explain(expr: Any, variable: Any, *, all: bool = False, simplify: bool = True) -> Derivation:
    """The derivation of ``d expr / d variable``, one ``Step`` per rule applied.

    ``all=True`` keeps the trivial steps (constants, the variable itself); ``simplify=False``
    leaves out the closing simplification steps.
    """
    from symdiff.formats.parser import parse_any

    source = expr if isinstance(expr, str) else ""
    expr = parse_any(expr)
    symbol = _as_symbol(variable)
    relevant = depends_on([expr], [symbol])
    depth = _depths(expr)
    memo: dict[Expr, Expr] = {}
    number_of: dict[Expr, int] = {}
    steps: list[Step] = []

    def record(node: Expr, rule: str, detail: str, result: Expr, uses: tuple[int, ...]) -> None:
        steps.append(Step(len(steps) + 1, rule, node, result, depth[node], uses, detail))
        number_of[node] = len(steps)

    for node in postorder(expr):
        if node not in relevant:
            memo[node] = ZERO
            # a constant is worth a line (with all=True) only where a moving parent meets it
            continue
        dargs = [memo[a] for a in node.args]
        result = local_derivative(node, dargs, symbol)
        memo[node] = result
        rule, detail = classify(node, dargs, symbol)
        if all:
            for child in node.args:
                if child not in relevant and child not in number_of:
                    record(child, "constant", "", ZERO, ())
        if rule in TRIVIAL and not all and node is not expr:
            continue
        uses = tuple(sorted({number_of[a] for a in node.args if a in number_of}))
        record(node, rule, detail, result, uses)
    if not steps:  # the whole formula is constant
        record(expr, "constant", "", ZERO, ())
    if simplify:
        for name, before, after in simplification_trace(steps[-1].result):
            steps.append(Step(len(steps) + 1, "simplify", before, after, 0, (len(steps),), name))
    return Derivation(expr, symbol, tuple(steps), source.strip())


def simplification_trace(expr: Expr) -> list[tuple[str, Expr, Expr]]:
    """``(rule names, before, after)`` for the simplifier's rewrite of ``expr`` (empty when it
    changes nothing)."""
    return [(str(name), before, after) for name, before, after in simplify_trace(expr)]
