"""The one Hypothesis strategy for random expressions (all operators and functions)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from hypothesis import strategies as st

from symdiff import DivisionByZeroError, Expr, Num, Sym
from symdiff.core.conditions import COMPARISONS, CONDITIONS, KINDS
from symdiff.core.functions import maximum, minimum, piecewise, sqrt, where
from symdiff.core.vocabulary import FUNCTIONS, call

VARIABLES = ("x", "y", "z")
#: The non-smooth and conditional rows (issue 13), drawn by ``nonsmooth_expressions``.
NONSMOOTH = ("relu", "heaviside", "floor", "ceil")
UNARY = tuple(
    sorted(
        n
        for n, f in FUNCTIONS.items()
        if f.arity == 1 and n not in CONDITIONS and n not in NONSMOOTH
    )
)


def _safe(build: Callable[..., Expr]) -> Callable[[tuple], Expr]:
    """Apply ``build``; an exact division by zero falls back to the first operand."""

    def apply(parts: tuple) -> Expr:
        try:
            return build(*parts)
        except DivisionByZeroError:
            return parts[-1] if isinstance(parts[-1], Expr) else parts[0]

    return apply


def leaves(variables: tuple[str, ...] = VARIABLES) -> st.SearchStrategy[Expr]:
    return st.one_of(
        st.sampled_from(variables).map(Sym),
        st.sampled_from(variables).map(Sym),
        st.integers(-4, 5).map(Num),
        st.fractions(Fraction(-3), Fraction(3), max_denominator=4).map(Num),
        st.sampled_from([0.5, 1.5, 2.25, -0.75]).map(Num),
    )


def expressions(
    variables: tuple[str, ...] = VARIABLES, max_leaves: int = 10, functions: tuple = UNARY
) -> st.SearchStrategy[Expr]:
    """Random expressions over ``variables``: sums, products, quotients, powers and calls of every
    function, nested up to 8 deep, with at most ``max_leaves`` leaves."""
    exponents = st.one_of(
        st.integers(-3, 4).map(Num),
        st.sampled_from([Fraction(1, 2), Fraction(-1, 2), Fraction(1, 3), Fraction(3, 2)]).map(Num),
    )
    binary = {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b,
        "pow": lambda a, b: a**b,
        "atan2": lambda a, b: call("atan2", a, b),
    }
    kinds = ("call", "call", "call", "add", "sub", "mul", "div", "power", "sqrt", "pow", "atan2")

    @st.composite
    def build(draw: st.DrawFn, depth: int, budget: int) -> Expr:
        if depth == 0 or budget <= 1 or draw(st.integers(0, 9)) < 2:
            return draw(leaves(variables))
        kind = draw(st.sampled_from(kinds))
        if kind in ("call", "sqrt", "power"):
            inner = draw(build(depth - 1, budget))
            if kind == "call":
                return _safe(lambda f, a: call(f, a))((draw(st.sampled_from(functions)), inner))
            if kind == "sqrt":
                return _safe(sqrt)((inner,))
            return _safe(lambda a, b: a**b)((inner, draw(exponents)))
        left_budget = draw(st.integers(1, budget - 1))
        left = draw(build(depth - 1, left_budget))
        right = draw(build(depth - 1, budget - left_budget))
        return _safe(binary[kind])((left, right))

    return build(8, max_leaves)


def nonsmooth_expressions(
    variables: tuple[str, ...] = VARIABLES, depth: int = 3
) -> st.SearchStrategy[Expr]:
    """Random expressions mixing smooth ones with every non-smooth and conditional function:
    max/min (2 or 3 arguments), relu, heaviside, floor, ceil, clip, hypot, where (conditions:
    comparisons combined with and/or/not) and piecewise, nested up to ``depth`` deep."""
    smooth = expressions(variables, max_leaves=3)

    @st.composite
    def condition(draw: st.DrawFn, depth: int) -> Expr:
        kind = draw(st.sampled_from(["compare", "compare", "and", "or", "not"]))
        if kind == "compare" or depth == 0:
            op = draw(st.sampled_from(sorted(COMPARISONS)))
            return call(op, draw(build(depth - 1)), draw(build(depth - 1)))
        if kind == "not":
            return call("not", draw(condition(depth - 1)))
        return call(kind, draw(condition(depth - 1)), draw(condition(depth - 1)))

    @st.composite
    def build(draw: st.DrawFn, depth: int) -> Expr:
        if depth <= 0 or draw(st.integers(0, 9)) < 2:
            return draw(smooth)
        kind = draw(st.sampled_from(
            ["unary", "max", "min", "clip", "hypot", "where", "piecewise", "add", "mul"]
        ))  # fmt: skip
        inner = build(depth - 1)
        if kind == "unary":
            return call(draw(st.sampled_from(NONSMOOTH)), draw(inner))
        if kind in ("max", "min"):
            args = [draw(inner) for _ in range(draw(st.integers(2, 3)))]
            return (maximum if kind == "max" else minimum)(*args)
        if kind in ("clip", "hypot"):
            return call(kind, *(draw(inner) for _ in range(3 if kind == "clip" else 2)))
        if kind == "where":
            return where(draw(condition(depth - 1)), draw(inner), draw(inner))
        if kind == "piecewise":
            first = (draw(inner), draw(condition(depth - 1)))
            return piecewise(first, (draw(inner), draw(condition(depth - 1))), (draw(inner), True))
        a, b = draw(inner), draw(inner)
        return _safe(lambda u, v: u + v if kind == "add" else u * v)((a, b))

    return build(depth)


def sample_call(name: str, x: Expr) -> Expr:
    """The row ``name`` applied to sample arguments in ``x`` (conditions where it takes them);
    a constant row times ``x``."""
    arity = FUNCTIONS[name].arity
    if arity == 0:
        return call(name) * x
    kinds = KINDS.get(name, "")
    args = [
        call("gt", x, 0.5) if i < len(kinds) and kinds[i] == "c" else x + Fraction(i, -2)
        for i in range(arity)
    ]
    return call(name, *args)


#: Unknown functions the strategies use, with their arities.
UNKNOWN = (("f", 1), ("g", 2), ("h", 1))


def with_unknown_functions(
    variables: tuple[str, ...] = ("x", "y"), max_leaves: int = 8
) -> st.SearchStrategy[Expr]:
    """Random expressions that call unknown functions ``f(u)``, ``g(u, v)``, ``h(u)`` (nested in
    each other and in the functions of the vocabulary)."""
    inner = expressions(variables, max_leaves=3)

    @st.composite
    def build(draw: st.DrawFn, depth: int) -> Expr:
        if depth == 0 or draw(st.integers(0, 9)) < 3:
            return draw(inner)
        kind = draw(st.sampled_from(("unknown", "unknown", "add", "mul", "call")))
        if kind == "unknown":
            name, arity = draw(st.sampled_from(UNKNOWN))
            return call(name, *(draw(build(depth - 1)) for _ in range(arity)))
        if kind == "call":
            name = draw(st.sampled_from(("sin", "exp", "log", "atan")))
            return _safe(lambda f, a: call(f, a))((name, draw(build(depth - 1))))
        a, b = draw(build(depth - 1)), draw(build(depth - 1))
        return a + b if kind == "add" else a * b

    return build(4)
