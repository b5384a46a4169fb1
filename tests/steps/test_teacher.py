"""Steps like a teacher: each step states its rule as a formula and binds the formula's letters;
a quotient is explained with the quotient rule; simplification is one step per identity; higher
orders are derivations in sequence.  Expected derivatives come from SymPy, not from symdiff."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from oracle import agree_numerically, to_sympy
from strategies import expressions

from symdiff import explain, parse
from symdiff.core.vocabulary import FUNCTIONS
from symdiff.rewrite.readable import READABLE_RULES
from symdiff.rewrite.rules import RULES
from symdiff.steps.rules import IDENTITIES, function_formula

X = sympy.Symbol("x", real=True)

#: formula, the rule of the step for the whole formula, the formula it must state (text, as a
#: textbook writes it in this syntax), and a fragment of the LaTeX statement.
STATED = [
    ("x + sin(x)", "sum", "(u + v)' = u' + v'", "(u + v)' = u' + v'"),
    ("x*sin(x)", "product", "(u*v)' = u'*v + u*v'", "(u v)' = u' v + u v'"),
    ("3*x**2*sin(x)", "product", "(c*u*v)' = c*(u'*v + u*v')", "(c u v)' = c (u' v + u v')"),
    ("sin(x)/x", "quotient", "(u/v)' = (u'*v - u*v')/v**2", r"\frac{u' v - u v'}{v^{2}}"),
    ("sin(x**2)", "chain", "(sin(u))' = cos(u)*u'", r"\cos\left(u\right)\, u'"),
    ("(x**2 + 1)**3", "chain", "(u**n)' = n*u**(n - 1)*u'", "(u^{n})' = n u^{n - 1} u'"),
    ("x**3", "power", "(x**n)' = n*x**(n - 1)", "(x^{n})' = n x^{n - 1}"),
    ("3*x", "constant multiple", "(c*u)' = c*u'", "(c u)' = c u'"),
    ("cos(x)", "trigonometric", "(cos(u))' = -sin(u)*u'", r"\sin\left(u\right)"),
    ("log(x)", "logarithm", "(log(u))' = (1/u)*u'", r"\frac{1}{u}\, u'"),
    ("exp(x)", "exponential", "(exp(u))' = exp(u)*u'", "e^{u}"),
    ("2**x", "exponential", "(a**x)' = a**x*log(a)", r"a^{x} \ln a"),
    ("x**x", "general power", "(u**v)' = u**v*(v'*log(u) + v*u'/u)", r"v' \ln u"),
    ("atan(x)", "inverse trigonometric", "(atan(u))' = (1/(u**2 + 1))*u'", r"\arctan"),
]


def _whole(formula: str):
    derivation = explain(formula, "x", simplify=False)
    return derivation, derivation.steps[-1]


@pytest.mark.parametrize(("formula", "rule", "text", "latex"), STATED)
def test_each_step_states_its_rule_as_a_formula(formula, rule, text, latex) -> None:
    derivation, step = _whole(formula)
    assert step.rule == rule and step.expr is parse(formula)
    assert step.formula.text.endswith(text)
    shown = derivation.text().splitlines()
    assert any(line.strip().startswith(f"{step.number}.") and text in line for line in shown)
    assert latex in derivation.to_latex()


#: Each rule's formula as SymPy computes it from the letters the step binds.
APPLY = {
    "sum": None,  # n terms: checked through the result
    "product": lambda g: g.get("c", 1) * (g["u'"] * g["v"] + g["u"] * g["v'"]),
    "quotient": lambda g: (g["u'"] * g["v"] - g["u"] * g["v'"]) / g["v"] ** 2,
    "constant multiple": lambda g: g["c"] * g["u'"],
    "power": lambda g: g["n"] * X ** (g["n"] - 1),
    "chain power": lambda g: g["n"] * g["u"] ** (g["n"] - 1) * g["u'"],
    "general power": lambda g: (
        g["u"] ** g["v"] * (g["v'"] * sympy.log(g["u"]) + g["v"] * g["u'"] / g["u"])
    ),
}

APPLIED = [
    "x*sin(x)", "sin(x)/x", "(x**2 + 1)/(x - 1)", "exp(x)*sin(x**2)/(x + 1)", "3*x**2*sin(x)",
    "x**3", "(x**2 + 1)**3", "x**x", "sqrt(x)*log(x)/(x**2 + 1)", "7*x/(2*sin(x))",
]  # fmt: skip


@pytest.mark.parametrize("formula", APPLIED)
def test_the_letters_bound_make_the_stated_formula_the_derivative(formula: str) -> None:
    """Applying the stated rule to the bound letters gives d/dx of the step's expression, and
    each bound derivative (u', v') is the derivative of its letter (all as SymPy sees it)."""
    for step in explain(formula, "x", simplify=False).steps:
        letters = {name: to_sympy(value) for name, value in step.given}
        for name in ("u", "v"):
            if f"{name}'" in letters:
                derivative = sympy.diff(letters[name], X)
                ours = step.given_dict[f"{name}'"]
                assert agree_numerically(ours, derivative, ["x"], guard=step.expr) > 0
        key = "chain power" if (step.rule, step.detail) == ("chain", "power") else step.rule
        apply = APPLY.get(key)
        if apply is None or not letters:
            continue
        expected = sympy.diff(to_sympy(step.expr), X)
        assert agree_numerically(step.result, expected, ["x"], guard=step.expr) > 0
        assert agree_numerically(step.result, apply(letters), ["x"], guard=step.expr) > 0


def test_a_quotient_is_explained_with_the_quotient_rule() -> None:
    derivation = explain("sin(x)/x", "x", simplify=False)
    assert [s.rule for s in derivation.steps] == ["trigonometric", "quotient"]
    step = derivation.steps[-1]
    assert step.given_dict["u"] is parse("sin(x)") and step.given_dict["v"] is parse("x")
    # no step differentiates the reciprocal 1/x as a power
    assert all(s.expr is not parse("1/x") for s in derivation.steps)
    nested = explain("(x**2 + 1)/(x - 1)**2", "x", simplify=False).steps[-1]
    assert nested.rule == "quotient" and nested.given_dict["v"] is parse("(x - 1)**2")
    assert "quotient rule: (u/v)' = (u'*v - u*v')/v**2" in str(explain("x/(x + 1)", "x"))


#: Formulas whose derivative (after simplification) must agree with SymPy's.
FINAL = [
    "x**2*sin(x)", "sin(x)/x", "(x + 1)/(x - 1)", "x*sin(x)**2 + x*cos(x)**2", "tan(x)**2",
    "log(exp(x)*x)", "exp(x)/(1 + exp(x))", "(x**2 - 1)/(x - 1)", "x**x", "atan(x**2)/sqrt(x)",
    "sinh(x)**2 - cosh(x)**2 + x", "x**3*exp(-x)", "log(x)/x**2", "sin(x)*cos(x)",
]  # fmt: skip


@pytest.mark.parametrize("formula", FINAL)
def test_the_final_answer_is_the_derivative(formula: str) -> None:
    derivation = explain(formula, "x")
    expected = sympy.diff(to_sympy(formula), X)
    assert agree_numerically(derivation.result, expected, ["x"], guard=parse(formula)) > 0


@pytest.mark.parametrize("formula", FINAL)
def test_each_identity_step_keeps_the_value(formula: str) -> None:
    steps = explain(formula, "x").steps
    for step in steps:
        if step.rule != "simplify":
            continue
        previous = steps[step.number - 2]
        assert step.expr is previous.result  # each identity rewrites the whole previous form
        assert step.detail in IDENTITIES
        before = to_sympy(step.expr)
        assert agree_numerically(step.result, before, ["x"], guard=parse(formula)) > 0


@pytest.mark.parametrize(
    ("formula", "identity", "stated"),
    [
        ("x*sin(x)**2 + x*cos(x)**2", "pythagoras", "sin(u)**2 + cos(u)**2 = 1"),
        ("tan(x)**2", "one-plus-tan-squared", "tan(u)**2 + 1 = 1/cos(u)**2"),
        ("tan(x)**2", "reciprocal-function", "1/cos(u)**2 = sec(u)**2"),
        ("sin(x)/x", "factor-common", "a*b + a*c = a*(b + c)"),
        ("(x + 1)/(x - 1)", "even-power-sign", "(-u)**2 = u**2"),
        ("log(exp(x)*x)", "exp-product", "exp(u)*exp(v) = exp(u + v)"),
    ],
)
def test_simplification_is_split_into_named_identities(formula, identity, stated) -> None:
    derivation = explain(formula, "x")
    names = [s.detail for s in derivation.steps if s.rule == "simplify"]
    assert identity in names
    assert f"identity {identity}: {stated}" in derivation.text()
    assert "canonical form" not in names  # every rewrite here is placed and named


@settings(max_examples=25)
@given(expressions(max_leaves=6))
def test_identity_steps_chain_to_the_simplified_derivative(f) -> None:
    derivation = explain(f, "x")
    steps = derivation.steps
    for step in steps:
        if step.rule == "simplify":
            assert step.expr is steps[step.number - 2].result
            assert step.result is not step.expr


def test_every_rewrite_has_a_stated_identity() -> None:
    names = {rule.name for rule in RULES} | set(READABLE_RULES)
    assert names <= set(IDENTITIES)
    for name in names:
        assert " = " in IDENTITIES[name].text and IDENTITIES[name].latex


UNARY = sorted(name for name, row in FUNCTIONS.items() if row.arity == 1 and row.family != "logic")


@pytest.mark.parametrize("name", UNARY)
def test_function_rules_are_stated_from_the_function_table(name: str) -> None:
    """``(f(u))' = g(u)*u'``: with u = x and u' = 1, g agrees with SymPy's derivative of f."""
    formula = function_formula(name, 1)
    if formula is None:
        pytest.skip(f"{name} has no plain statement")
    left, right = formula.text.split(" = ", 1)
    assert left == f"({name}(u))'"
    if right == "0":
        return
    try:
        theirs = sympy.diff(to_sympy(f"{name}(x)"), X)
    except (sympy.SympifyError, TypeError, AttributeError):
        pytest.skip(f"SymPy does not know {name}")
    ours = parse(right.replace("u'", "1").replace("(u)", "(x)").replace("u", "x"))
    assert agree_numerically(ours, theirs, ["x"], guard=parse(f"{name}(x)")) >= 0


@pytest.mark.parametrize("order", [2, 3])
@pytest.mark.parametrize("formula", ["x**3*sin(x)", "sin(x)/x", "exp(x**2)", "log(x)*x"])
def test_higher_orders_are_derivations_in_sequence(formula: str, order: int) -> None:
    derivation = explain(formula, "x", order=order)
    stages = derivation.stages
    assert len(stages) == order == derivation.order
    assert stages[0].expr is parse(formula)
    for earlier, later in itertools.pairwise(stages):
        assert later.expr is earlier.result  # the next order differentiates the simplified one
    expected = sympy.diff(to_sympy(formula), X, order)
    assert agree_numerically(derivation.result, expected, ["x"], guard=parse(formula)) > 0
    text = derivation.text()
    assert text.startswith("first derivative:")
    assert "second derivative: the derivative of the first derivative" in text
    assert derivation.to_latex().count(r"\begin{align*}") == 1


def test_orders_beyond_the_bound_are_refused() -> None:
    with pytest.raises(ValueError, match="order 1 to 8"):
        explain("x**2", "x", order=9)
    with pytest.raises(ValueError):
        explain("x**2", "x", order=0)


ENGINE = shutil.which("pdflatex")


@pytest.mark.skipif(ENGINE is None, reason="no pdflatex: apt-get install texlive-latex-base")
def test_new_step_forms_compile_with_pdflatex(tmp_path: Path) -> None:
    blocks = [
        explain("sin(x)/x", "x").to_latex(),  # quotient, identity steps
        explain("x*sin(x)**2 + x*cos(x)**2", "x").to_latex(),  # pythagoras
        explain("tan(x)**2", "x").to_latex(),  # the readable identities
        explain("x**3*sin(x)", "x", order=2).to_latex(),  # two stages
        explain("exp(x)*sin(x**2)/(x + 1)", "x", all=True).to_latex(),
        explain("atan2(x**2, x) + max(x, 1) + x**x + 2**x", "x").to_latex(),
    ]
    document = "\n".join(
        [r"\documentclass{article}", r"\usepackage{amsmath}", r"\begin{document}", *blocks,
         r"\end{document}", ""]
    )  # fmt: skip
    (tmp_path / "steps.tex").write_text(document)
    run = subprocess.run(
        [ENGINE, "-interaction=nonstopmode", "-halt-on-error", "steps.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "steps.pdf").exists()
