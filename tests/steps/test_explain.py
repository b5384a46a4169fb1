"""Step-by-step derivations: each rule on a small example, sharing, folding, the final step."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from oracle import agree_numerically, to_sympy
from strategies import expressions

from symdiff import Sym, diff, explain, parse, sin
from symdiff.steps.sweep import RULES

#: formula, the rule of the step for the whole formula, and its derivative worked out by hand.
RULE_TABLE = [
    ("7", "constant", "0"),
    ("y", "constant", "0"),
    ("x", "variable", "1"),
    ("x + 1", "sum", "1"),
    ("3*x", "constant multiple", "3"),
    ("x*sin(x)", "product", "sin(x) + x*cos(x)"),
    ("sin(x)/x", "quotient", "cos(x)/x - sin(x)/x**2"),
    ("x**3", "power", "3*x**2"),
    ("(x**2 + 1)**3", "chain", "6*x*(x**2 + 1)**2"),
    ("2**x", "exponential", "log(2)*2**x"),
    ("exp(x)", "exponential", "exp(x)"),
    ("x**x", "general power", "x**x*(log(x) + 1)"),
    ("log(x)", "logarithm", "1/x"),
    ("sin(x)", "trigonometric", "cos(x)"),
    ("cos(x)", "trigonometric", "-sin(x)"),
    ("atan(x)", "inverse trigonometric", "1/(x**2 + 1)"),
    ("atan2(y, x)", "inverse trigonometric", "-y/(x**2 + y**2)"),
    ("atan2(x**2, x)", "chain", "(2*x**2 - x**2)/(x**4 + x**2)"),
    ("sinh(x)", "hyperbolic", "cosh(x)"),
    ("asinh(x)", "inverse hyperbolic", "1/sqrt(x**2 + 1)"),
    ("abs(x)", "absolute value", "sign(x)"),
    ("erf(x)", "error function", "2*exp(-x**2)/sqrt(pi)"),
    ("sin(x**2)", "chain", "2*x*cos(x**2)"),
    ("stop_gradient(x)", "stop gradient", "0"),
]


def _main_step(formula: str):
    derivation = explain(formula, "x", simplify=False)
    return derivation, [s for s in derivation.steps if s.rule != "simplify"][-1]


@pytest.mark.parametrize(("formula", "rule", "expected"), RULE_TABLE)
def test_each_rule_on_a_minimal_example(formula: str, rule: str, expected: str) -> None:
    derivation, step = _main_step(formula)
    assert step.rule == rule
    assert step.expr is parse(formula)
    assert rule in RULES
    # the hand-worked derivative agrees with the step's result (numerically, via SymPy)
    variables = ["x", "y"]
    assert agree_numerically(step.result, to_sympy(expected), variables, guard=parse(formula)) > 0
    assert f"{step.number}. {step.formula.title}: {step.formula.text}" in derivation.text()


def test_chain_names_the_outer_function_and_uses_the_inner_step() -> None:
    derivation = explain("sin(x**2)", "x", simplify=False)
    inner, outer = derivation.steps
    assert (inner.rule, inner.expr) == ("power", parse("x**2"))
    assert (outer.rule, outer.detail, outer.uses) == ("chain", "sin", (inner.number,))
    assert outer.depth == 0 and inner.depth == 1


def test_shared_subexpression_is_explained_once_and_referred_to() -> None:
    derivation = explain("sin(x**2 + 1)*cos(x**2 + 1)", "x", simplify=False)
    inner = parse("x**2 + 1")
    explained = [s for s in derivation.steps if s.expr is inner]
    assert len(explained) == 1
    users = [s for s in derivation.steps if explained[0].number in s.uses]
    assert {s.expr for s in users} == {parse("sin(x**2 + 1)"), parse("cos(x**2 + 1)")}


def test_trivial_steps_fold_unless_all() -> None:
    brief = explain("x + 1", "x", simplify=False)
    assert [s.rule for s in brief.steps] == ["sum"]
    full = explain("x + 1", "x", all=True, simplify=False)
    assert sorted(s.rule for s in full.steps) == ["constant", "sum", "variable"]
    assert full.steps[-1].uses == (1, 2)


def test_last_step_is_the_simplified_derivative() -> None:
    f = "x**2*sin(x)/exp(x)"
    derivation = explain(f, "x")
    assert derivation.result is diff(f, "x", simplify=True)
    assert derivation.steps[-1].rule == "simplify"
    first = next(s for s in derivation.steps if s.rule == "simplify")
    assert first.expr is diff(f, "x", simplify=False)  # the identities start from it as built
    text = str(derivation)
    assert text.splitlines()[0].startswith("d/dx x**2*sin(x)/exp(x)")
    assert "product rule: (u*v)' = u'*v + u*v'   [uses" in text and "identity " in text


@settings(max_examples=60)
@given(expressions())
def test_final_step_equals_diff(f) -> None:
    derivation = explain(f, "x", simplify=False)
    assert derivation.result is diff(f, "x", simplify=False)
    for step in derivation.steps:  # every step is that subexpression's raw derivative
        assert step.result is diff(step.expr, "x", simplify=False)
        assert all(u < step.number for u in step.uses)


@settings(max_examples=15)
@given(expressions(max_leaves=6))
def test_final_step_equals_simplified_diff(f) -> None:
    assert explain(f, "x").result is diff(f, "x", simplify=True)


def test_other_variables_are_constants() -> None:
    derivation = explain("x**2*y + y", "y", simplify=False)
    assert derivation.variable is Sym("y")
    assert derivation.result is parse("x**2 + 1")


def test_deep_expression_explains_without_recursion() -> None:
    x = Sym("x")
    f = x
    for _ in range(10_000):
        f = sin(f)
    derivation = explain(f, "x", simplify=False)
    assert len(derivation.steps) == 10_000
    assert derivation.result is diff(f, "x")


def test_latex_block_is_an_align() -> None:
    latex = explain("x**2*sin(x)", "x").to_latex()
    assert latex.startswith("\\begin{align*}") and latex.endswith("\\end{align*}")
    assert latex.count("{") == latex.count("}")
    assert "\\frac{d}{dx} x^{2} &= 2 x" in latex
    steps = explain("x**2*sin(x)", "x").steps
    assert all(f"\\text{{({s.number}) " in latex for s in steps)


def test_colour_only_when_asked() -> None:
    derivation = explain("x**2", "x")
    assert "\x1b[" not in derivation.text()
    assert "\x1b[" in derivation.text(color=True)


@pytest.mark.parametrize(
    "text", ["x*sin(x)**2 + x*cos(x)**2", "x**2*sin(x)/exp(x)", "(x**2 - 1)/(x - 1)"]
)
def test_simplify_steps_name_the_rewrites_used(text: str) -> None:
    from symdiff.rewrite.readable import READABLE_RULES
    from symdiff.rewrite.rules import RULES

    derivation = explain(text, "x")
    assert derivation.steps[-1].rule == "simplify"
    names = [s.detail for s in derivation.steps if s.rule == "simplify"]
    assert names and set(names) <= {rule.name for rule in RULES} | set(READABLE_RULES)
    assert derivation.result is diff(parse(text), "x", simplify=True)
