"""``--steps`` from the command line: stated rules, quotients, identity steps, ``--order n``
as derivations in sequence, JSON and LaTeX.  Expected derivatives come from SymPy."""

from __future__ import annotations

import json

import pytest
import sympy
from oracle import agree_numerically

from symdiff import from_json, parse
from symdiff.cli import main

X = sympy.Symbol("x", real=True)


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_steps_state_the_rule_then_apply_it(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "sin(x)/x", "--steps")
    assert status == 0
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "quotient rule" in line)
    assert lines[at].endswith("quotient rule: (u/v)' = (u'*v - u*v')/v**2   [uses 1]")
    assert lines[at + 1].strip() == "with u = sin(x), v = x, u' = cos(x), v' = 1"
    assert lines[at + 2].strip().startswith("d/dx(sin(x)/x) = ")
    assert any("identity factor-common: a*b + a*c = a*(b + c)" in line for line in lines)
    result = parse(lines[-1].removeprefix("result: "))
    expected = sympy.diff(sympy.sin(X) / X, X)
    assert agree_numerically(result, expected, ["x"], guard=parse("sin(x)/x")) > 0


def test_pythagoras_is_a_step_of_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_main(capsys, "x*sin(x)**2 + x*cos(x)**2", "--steps")[1]
    assert "identity pythagoras: sin(u)**2 + cos(u)**2 = 1" in out
    assert out.splitlines()[-1] == "result: 1"


@pytest.mark.parametrize("order", ["2", "3"])
def test_steps_of_higher_orders(capsys: pytest.CaptureFixture[str], order: str) -> None:
    status, out, err = run_main(capsys, "x**3*sin(x)", "--steps", "--order", order)
    assert status == 0, err
    assert out.startswith("first derivative:\nd/dx x**3*sin(x)\n")
    assert "\n\nsecond derivative: the derivative of the first derivative\n" in out
    assert out.count("result: ") == int(order)
    result = parse(out.splitlines()[-1].removeprefix("result: "))
    expected = sympy.diff(X**3 * sympy.sin(X), X, int(order))
    assert agree_numerically(result, expected, ["x"]) > 0


def test_steps_of_order_two_as_json_and_latex(capsys: pytest.CaptureFixture[str]) -> None:
    stages = json.loads(run_main(capsys, "sin(x)/x", "--steps", "--order", "2", "-f", "json")[1])
    assert [stage["order"] for stage in stages] == [1, 2]
    quotient = next(s for s in stages[0]["steps"] if s["rule"] == "quotient")
    assert quotient["formula"] == "(u/v)' = (u'*v - u*v')/v**2"
    assert quotient["formula_latex"].startswith(r"\left(\frac{u}{v}\right)'")
    assert from_json(json.dumps(quotient["given"]["v"])) is parse("x")
    last = from_json(json.dumps(stages[1]["steps"][-1]["result"]))
    expected = sympy.diff(sympy.sin(X) / X, X, 2)
    assert agree_numerically(last, expected, ["x"]) > 0
    latex = run_main(capsys, "sin(x)/x", "--steps", "--order", "2", "-f", "latex")[1]
    assert latex.count(r"\begin{align*}") == 1
    assert r"\text{second derivative: the derivative of the first derivative}" in latex


def test_steps_refuse_orders_beyond_the_bound(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(capsys, "x**3", "--steps", "--order", "9")
    assert status == 2
    assert "order 1 to 8" in err and "drop --steps" in err
