"""``--grad`` decides on the shared (CSE) form from the entries it displays, which are
simplified, not from the raw reverse-sweep entries: a logistic loss's raw gradient shares
``exp(-z)`` and ``1/(1 + exp(-z))`` between its entries, which simplification removes, so its
CSE listing named parts (``exp(-z1)*exp(z1)``) that the displayed entries no longer contain.
Values are checked against SymPy's gradient."""

from __future__ import annotations

import random

import pytest
import sympy
from oracle import to_sympy

from symdiff import evaluate, parse
from symdiff.cli import main

LOSSES = [
    "-y*log(1/(1+exp(-z))) - (1-y)*log(1-1/(1+exp(-z)))",  # logistic loss of a logit z
    "log(exp(a) + exp(b) + exp(c)) - a",  # softmax cross-entropy, class a
    "log(1 + exp(-y*z))",  # logistic loss with a label y = ±1
]


@pytest.mark.parametrize("formula", LOSSES)
def test_small_gradients_are_listed_entry_by_entry(formula: str, capsys) -> None:
    assert main([formula, "--grad"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert all(line.startswith("d/d") for line in lines), lines  # no t0 = ... listing
    theirs = to_sympy(formula)
    rng = random.Random(formula)
    for line in lines:
        label, text = line.split(" = ", 1)
        variable = label.removeprefix("d/d")
        derivative = sympy.diff(theirs, sympy.Symbol(variable, real=True))
        for _ in range(4):
            point = {str(s): rng.uniform(-2, 2) for s in theirs.free_symbols}
            expected = float(derivative.subs({s: point[str(s)] for s in derivative.free_symbols}))
            assert evaluate(parse(text), point) == pytest.approx(expected, rel=1e-9, abs=1e-12)
