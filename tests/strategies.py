"""The one Hypothesis strategy for random expressions (all operators and functions)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from hypothesis import strategies as st

from symdiff import DivisionByZeroError, Expr, Num, Sym
from symdiff.functions import FUNCTIONS, call, sqrt

VARIABLES = ("x", "y", "z")
UNARY = tuple(sorted(n for n, f in FUNCTIONS.items() if f.arity == 1))


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
    variables: tuple[str, ...] = VARIABLES, max_leaves: int = 12, functions: tuple = UNARY
) -> st.SearchStrategy[Expr]:
    """Random expressions over ``variables``: sums, products, quotients, powers, calls."""
    exponents = st.one_of(
        st.integers(-3, 4).map(Num),
        st.sampled_from([Fraction(1, 2), Fraction(-1, 2), Fraction(1, 3), Fraction(3, 2)]).map(Num),
    )

    def extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        return st.one_of(
            st.tuples(children, children).map(_safe(lambda a, b: a + b)),
            st.tuples(children, children).map(_safe(lambda a, b: a - b)),
            st.tuples(children, children).map(_safe(lambda a, b: a * b)),
            st.tuples(children, children).map(_safe(lambda a, b: a / b)),
            st.tuples(children, exponents).map(_safe(lambda a, b: a**b)),
            st.tuples(children, children).map(_safe(lambda a, b: a**b)),
            st.tuples(st.sampled_from(functions), children).map(_safe(lambda f, a: call(f, a))),
            st.tuples(children, children).map(_safe(lambda a, b: call("atan2", a, b))),
            st.tuples(children).map(_safe(sqrt)),
        )

    return st.recursive(leaves(variables), extend, max_leaves=max_leaves)
