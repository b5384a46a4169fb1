"""Adjoints of sub-expressions the user built, also where flattening absorbed them (item 10).

Expected values are derived by hand from the chain rule along the user's own computation
(what micrograd's ``b.grad`` is), not from symdiff.
"""

from __future__ import annotations

import math

import pytest

from symdiff import (
    SymdiffError,
    adjoint_of,
    evaluate,
    grad_of,
    parse,
    reverse_sweep,
    symbols,
)
from symdiff import math as sm

p, n, t, u = symbols("p n t u")
POINT = {"p": 2.0, "n": 3.0, "t": 5.0, "u": 0.5}


def test_the_reported_case() -> None:
    b = p * n
    c = b * t  # flattened to n*p*t: b is not a node of c
    sweep = reverse_sweep(c, POINT)
    assert sweep.adjoints.get(b) is None  # the DAG's own table has no such node...
    assert sweep.adjoint_of(b) == 5.0  # ...but its adjoint can be asked for: dc/db = t
    assert grad_of(c, [b, p, n, t]) == (t, n * t, p * t, p * n)
    assert adjoint_of(c, b) is t


@pytest.mark.parametrize(
    ("build", "wrt", "expected"),
    [
        # f, the node built on the way, d f / d node along the user's computation
        (lambda: (p * n) * (p * n) * t, lambda: p * n, lambda: 2 * p * n * t),  # b*b*t
        (lambda: (p * n) * p, lambda: p * n, lambda: p),  # b*p = p**2*n
        (lambda: (p + n) + t, lambda: p + n, lambda: 1),
        (lambda: 2 * ((p + n) + t) + (p + n), lambda: p + n, lambda: 3),  # e; f = e + t; 2f + e
        (lambda: sm.sin(p * n) * t, lambda: p * n, lambda: sm.cos(p * n) * t),
        (lambda: sm.exp(p * n * t) + p * n, lambda: p * n, lambda: t * sm.exp(p * n * t) + 1),
        (lambda: (p * n) ** 3 * t, lambda: p * n, lambda: 3 * (p * n) ** 2 * t),
        (lambda: (p - n) * u, lambda: p - n, lambda: u),
        (lambda: (n - p) * u, lambda: p - n, lambda: -u),  # n - p is -(p - n)
        (lambda: p**2 * n, lambda: p**2, lambda: n),
        (lambda: u / (p * n), lambda: p * n, lambda: -u / (p * n) ** 2),
    ],
)
def test_adjoints_match_the_chain_rule(build, wrt, expected) -> None:
    f, node, want = build(), wrt(), expected()
    symbolic = adjoint_of(f, node)
    assert math.isclose(evaluate(symbolic, POINT), evaluate(want, POINT), rel_tol=1e-12)
    assert math.isclose(reverse_sweep(f, POINT).adjoint_of(node), evaluate(want, POINT))


def test_several_outputs_and_cotangents() -> None:
    b = p * n
    sweep = reverse_sweep([b * t, b + u], POINT, cotangent=[1.0, 10.0])
    assert sweep.adjoint_of(b) == 1.0 * 5.0 + 10.0 * 1.0
    assert reverse_sweep([b * t, u], POINT).adjoint_of(b) == 5.0  # u does not use b


def test_a_node_that_does_not_occur_is_an_error_not_a_zero() -> None:
    with pytest.raises(SymdiffError, match="does not occur"):
        adjoint_of(p * n * t, sm.sin(p))
    with pytest.raises(SymdiffError, match="does not occur"):
        reverse_sweep(p * t, POINT).adjoint_of(p * n)
    with pytest.raises(ValueError, match="number"):
        adjoint_of(p * 2, parse("2"))


def test_symbols_are_ordinary_gradients() -> None:
    f = p**2 * n + sm.sin(t)
    assert grad_of(f, [p, t]) == (2 * p * n, sm.cos(t))
