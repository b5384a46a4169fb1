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
