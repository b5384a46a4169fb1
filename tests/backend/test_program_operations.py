"""``Program.operations``: the arithmetic of the generated code, counted by hand here."""

from __future__ import annotations

import pytest

from symdiff import Sym, parse
from symdiff.backend.lower import lower

X, Y, Z = Sym("x"), Sym("y"), Sym("z")

# (formula, operations a person counts in its straight-line code)
CASES = [
    ("x*y - z", 2),  # a product, a subtraction
    ("x - y", 1),  # a subtraction, not a multiplication by -1 and an addition
    ("sin(x)/y", 2),  # a call, a division
    ("x/2", 1),
    ("1/x", 1),
    ("3", 0),
    ("x", 0),
    ("-x - y", 2),  # a negation and a subtraction
    ("exp(x) + exp(x)*y", 3),  # exp once (shared), a product, a sum
    ("(x + y)**2 + z", 3),  # a sum, a square, a sum
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_operations_by_hand(text: str, expected: int) -> None:
    assert lower([parse(text)], [X, Y, Z]).operations() == expected


def test_shared_nodes_count_once() -> None:
    e = parse("sin(x*y)")
    assert lower([e, e + 1], [X, Y, Z]).operations() == 3  # x*y, sin, + 1


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["x*y + sin(z)", "x*y + sin(z) + 3"], 4),  # x*y, sin, +; then one + 3
        (["x*y + y*z", "x*y + y*z - 2.5", "x*y + y*z + 7"], 4),  # y*(x + z), then - and +
        (["x + y", "x + y + z + 1"], 4),  # not a shift of x + y: the sum is written out
    ],
)
def test_a_sum_plus_a_constant_reuses_the_sum(texts: list[str], expected: int) -> None:
    # a traced loop makes z and z + i side by side; canonical sums flatten both
    roots = [parse(t) for t in texts]
    program = lower(roots, [X, Y, Z])
    assert program.operations() == expected
    from symdiff import compile, evaluate

    f = compile(roots, "x y z", target="python")
    for got, root in zip(f(0.3, -1.2, 2.0), roots, strict=True):
        assert abs(got - evaluate(root, x=0.3, y=-1.2, z=2.0)) < 1e-12
