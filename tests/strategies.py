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


def conditions(values: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    """Random conditions: comparisons of ``values`` combined with and/or/not."""
    comparison = st.builds(
        lambda op, a, b: call(op, a, b), st.sampled_from(sorted(COMPARISONS)), values, values
    )
    return st.recursive(
        comparison,
        lambda inner: st.one_of(
            st.builds(lambda a, b: call("and", a, b), inner, inner),
            st.builds(lambda a, b: call("or", a, b), inner, inner),
            st.builds(lambda a: call("not", a), inner),
        ),
        max_leaves=3,
    )


def nonsmooth_expressions(
    variables: tuple[str, ...] = VARIABLES, max_leaves: int = 8
) -> st.SearchStrategy[Expr]:
    """Random expressions mixing smooth ones with every non-smooth and conditional function:
    max/min (2 or 3 arguments), relu, heaviside, floor, ceil, clip, hypot, where, piecewise."""
    smooth = expressions(variables, max_leaves=3)

    def extend(inner: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        condition = conditions(inner)
        return st.one_of(
            st.builds(lambda f, a: call(f, a), st.sampled_from(NONSMOOTH), inner),
            st.builds(maximum, inner, inner),
            st.builds(minimum, inner, inner, inner),
            st.builds(lambda u, lo, hi: call("clip", u, lo, hi), inner, inner, inner),
            st.builds(lambda a, b: call("hypot", a, b), inner, inner),
            st.builds(where, condition, inner, inner),
            st.builds(lambda c, a, b, d: piecewise((a, c), (b, True)) * d, condition, inner,
                      inner, inner),
            st.builds(lambda a, b: a + b, inner, inner),
            st.builds(lambda a, b: a * b, inner, inner),
        )

    return st.recursive(smooth, extend, max_leaves=max_leaves)


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
