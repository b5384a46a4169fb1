"""``symdiff.check``: verdicts on right and wrong answers, judged against SymPy.

SymPy differentiates the formula itself and evaluates both sides (with mpmath) at points of its
own choosing; its verdict is "wrong" when it finds a point of the formula's real domain where the
answer differs from the derivative or is undefined, "right" otherwise.  symdiff's counterexamples
are re-evaluated by SymPy, so a reported point must really show the difference.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from oracle import random_points, sympy_value, to_sympy
from strategies import expressions

import symdiff
from symdiff import ParseError, SymdiffError, check

X = sympy.Symbol("x", real=True)
#: Each SymPy-judged example costs SymPy time: fewer by default, the profile's number with --soak.
EXAMPLES = 40 if settings.default.max_examples <= 100 else settings.default.max_examples


def sympy_verdict(
    formula: str, answer: str, wrt: str = "x", order: int = 1, points: int = 40
) -> bool | None:
    """SymPy's verdict at its own random points of the formula's domain (None: no such point)."""
    f, a = to_sympy(symdiff.parse(formula)), to_sympy(symdiff.parse(answer))
    derivative = sympy.diff(f, sympy.Symbol(wrt, real=True), order)
    names = sorted(s.name for s in (f.free_symbols | a.free_symbols)) or [wrt]
    compared = 0
    for point in random_points(names, count=points, seed=11, low=-3, high=3):
        if sympy_value(f, point) is None:
            continue
        want = sympy_value(derivative, point)
        if want is None or abs(want) > 1e8:
            continue
        got = sympy_value(a, point)
        if got is None or abs(got - want) > 1e-7 * max(1.0, abs(want)):
            return False
        compared += 1
    return True if compared else None


def confirms_counterexample(formula: str, answer: str, result, wrt: str = "x") -> bool:
    """SymPy agrees with the derivative's value at the point, and sees the answer differ there."""
    point = result.counterexample.point
    f, a = to_sympy(symdiff.parse(formula)), to_sympy(symdiff.parse(answer))
    derivative = sympy.diff(f, sympy.Symbol(wrt, real=True), result.order)
    want, got = sympy_value(derivative, point), sympy_value(a, point)
    assert want is not None and abs(want - result.counterexample.expected) <= 1e-7 * max(
        1, abs(want)
    ), (point, want, result.counterexample)
    return got is None or abs(got - want) > 1e-7 * max(1.0, abs(want))


#: (formula, answer, right?): forms that differ, classic mistakes, domain caveats.
CASES = [
    ("x**2*sin(x)", "2*x*sin(x) + x**2*cos(x)", True),
    ("x**2*sin(x)", "x*(x*cos(x) + 2*sin(x))", True),
    ("x**2*sin(x)", "2*x*cos(x)", False),  # product rule forgotten
    ("sin(x)**2", "sin(2*x)", True),  # form: sin(2x) vs 2 sin x cos x
    ("sin(x)**2", "2*sin(x)*cos(x)", True),
    ("sin(x)**2", "2*sin(x)", False),  # chain rule forgotten
    ("sin(x)**2", "2*cos(x)", False),
    ("cos(x)**2", "-sin(2x)", True),
    ("exp(x**2)", "2x exp(x**2)", True),
    ("exp(x**2)", "exp(x**2)", False),
    ("log(x)", "1/x", True),  # the answer is also defined where log(x) is not: fine
    ("log(abs(x))", "1/x", True),
    ("log(x**2)", "2/x", True),
    ("2*log(x)", "2/x", True),
    ("sqrt(x**2)", "x/abs(x)", True),
    ("sqrt(x**2)", "1", False),  # wrong for negative x
    ("abs(x)", "sign(x)", True),
    ("tan(x)", "1/cos(x)**2", True),
    ("tan(x)", "sec(x)**2", True),
    ("tan(x)", "1 + tan(x)**2", True),
    ("atan(x)", "1/(1 + x**2)", True),
    ("asin(x)", "1/sqrt(1 - x**2)", True),
    ("1/(1 + exp(-x))", "exp(-x)/(1 + exp(-x))**2", True),
    ("1/(1 + exp(-x))", "1/(1 + exp(-x))*(1 - 1/(1 + exp(-x)))", True),
    ("x**x", "x**x*(log(x) + 1)", True),
    ("x**x", "x*x**(x - 1)", False),  # power rule misapplied
    ("(x**2 + 1)/(x - 1)", "(x**2 - 2*x - 1)/(x - 1)**2", True),
    ("(x**2 + 1)/(x - 1)", "2*x/(x - 1)", False),
    ("sinh(x)**2", "sinh(2x)", True),
    ("x**2", "2.0001*x", False),  # close but not equal
    ("x**3", "3x**2 + 1e-12", True),  # below the tolerance of floating point
]


@pytest.mark.parametrize(("formula", "answer", "right"), CASES)
def test_verdicts_agree_with_sympy(formula: str, answer: str, right: bool) -> None:
    assert sympy_verdict(formula, answer) is right
    result = check(formula, answer, "x")
    assert result.correct is right, result.text()
    if right:
        assert result.reason in ("proof", "samples")
        assert len(result.samples) > 0
    else:
        assert result.reason in ("counterexample", "domain")
        assert confirms_counterexample(formula, answer, result)


#: Answers right only on part of the domain.  SymPy rewrites exp(log(x)) and sqrt(x)**2 to x
#: as it reads them, so here the real-domain oracle is Python's math module at the point.
#: (symdiff's parser, too, reads sqrt(x)**2 as x, so such an answer cannot be told from x.)
DOMAIN_CASES = [
    ("x**2", "2*exp(log(x))", lambda x: 2 * math.exp(math.log(x))),
    ("x**2", "2*exp(log(x)/2)**2", lambda x: 2 * math.exp(math.log(x) / 2) ** 2),
    ("log(x**2)", "2/exp(log(x))", lambda x: 2 / math.exp(math.log(x))),
]


@pytest.mark.parametrize(("formula", "answer", "real"), DOMAIN_CASES)
def test_answers_defined_on_part_of_the_domain_are_wrong(formula, answer, real) -> None:
    result = check(formula, answer, "x")
    assert result.correct is False and result.reason == "domain", result.text()
    assert "where both are defined, they agree" in result.message
    with pytest.raises(ValueError):
        real(result.counterexample.point["x"])
    assert all(real(s.point["x"]) == pytest.approx(s.answer) for s in result.samples if s.answer)


def test_a_proof_is_reported_when_the_difference_simplifies_to_zero() -> None:
    result = check("x**2*sin(x)", "2*x*sin(x) + x**2*cos(x)", "x")
    assert result.reason == "proof" and result.difference is symdiff.Num(0)
    assert "simplify" in result.message


def test_domain_caveats() -> None:
    result = check("log(x)", "1/x", "x")  # log is undefined for x <= 0: those points are skipped
    assert result.correct and any("undefined" in caveat for caveat in result.caveats)
    assert all(sample.point["x"] > 0 for sample in result.samples)
    wrong = check("x**2", "2*exp(log(x))", "x")
    assert wrong.reason == "domain" and wrong.counterexample.answer is None
    assert wrong.counterexample.point["x"] < 0


def test_higher_order_and_mixed_partials() -> None:
    assert check("x**3", "6x", order=2).correct is True
    assert check("x**3", "3x**2", order=2).correct is False
    assert check("x**2*y**3", "6*x*y**2", ["x", "y"]).correct is True
    assert sympy_verdict("x**2*y**3", "6*x*y**2", "y") is False  # the oracle sees d/dy is not
    assert check("x**2*y**3", "6*x*y**2", "y").correct is False


def test_parameters_and_stray_variables() -> None:
    assert check("a*x**2", "2*a*x", "x").correct is True
    stray = check("x**2", "2*y", "x")
    assert stray.correct is False and any("y" in caveat for caveat in stray.caveats)


def test_undecided_when_the_formula_has_no_real_point() -> None:
    result = check("log(-x**2 - 1)", "1", "x")
    assert result.correct is None and result.reason == "undecided"


def test_errors_name_the_bad_input() -> None:
    with pytest.raises(ParseError, match="in the answer"):
        check("x**2", "2*x +", "x")
    with pytest.raises(ParseError, match="in the formula"):
        check("x**", "2*x", "x")
    with pytest.raises(SymdiffError, match="several variables"):
        check("x*y", "y")


def test_deterministic_and_json_ready() -> None:
    import json

    first = check("sin(x)*exp(x)", "exp(x)*cos(x)", "x")
    second = check("sin(x)*exp(x)", "exp(x)*cos(x)", "x")
    assert first.to_dict() == second.to_dict()
    assert json.loads(json.dumps(first.to_dict()))["verdict"] == "incorrect"


def _sympy_text(expr: sympy.Expr) -> str | None:
    """SymPy's form in symdiff's syntax, or None when it uses what symdiff does not have."""
    expr = expr.replace(sympy.DiracDelta, lambda *args: sympy.S.Zero)
    if expr.has(sympy.Derivative, sympy.Piecewise, sympy.Heaviside, sympy.zoo, sympy.nan):
        return None
    if expr.has(sympy.I, sympy.re, sympy.im, sympy.Subs):
        return None
    return str(expr).replace("Abs(", "abs(")


FORMS = {
    "as is": lambda e: e,
    "expanded": sympy.expand,
    "factored": sympy.factor,
    "together": sympy.together,
    "expanded trig": lambda e: sympy.expand_trig(e),
}


@settings(max_examples=EXAMPLES)
@given(expressions(("x",), max_leaves=6), st.sampled_from(sorted(FORMS)))
def test_sympy_derivatives_in_any_form_are_accepted(expr, form) -> None:
    derivative = sympy.diff(to_sympy(expr), X)
    assume(derivative.count_ops() < 80)
    text = _sympy_text(FORMS[form](derivative))
    assume(text is not None)
    try:
        result = check(expr, text, "x")
    except SymdiffError:
        assume(False)  # a SymPy form symdiff cannot read (e.g. an exact division by zero)
        return
    if result.correct is False:  # then SymPy itself must see the difference at that point
        assert not confirms_counterexample(str(expr), text, result), result.text()
        assume(False)  # symdiff's evaluation differs from mpmath's at the point: not decidable


MISTAKES = {
    "doubled": lambda d, f: 2 * d,
    "plus x/7": lambda d, f: d + X / 7,
    "the function itself": lambda d, f: f,
    "negated": lambda d, f: -d,
    "derivative of the square": lambda d, f: sympy.diff(f**2, X),
}


@settings(max_examples=EXAMPLES)
@given(expressions(("x",), max_leaves=6), st.sampled_from(sorted(MISTAKES)))
def test_wrong_answers_are_caught(expr, mistake) -> None:
    f = to_sympy(expr)
    derivative = sympy.diff(f, X)
    answer = MISTAKES[mistake](derivative, f)
    assume(answer.count_ops() < 80)
    text = _sympy_text(answer)
    assume(text is not None)
    verdict = sympy_verdict(str(expr), text, points=12)
    assume(verdict is False)  # SymPy sees the mistake at a point of the domain
    result = check(expr, text, "x")
    assert result.correct is not True, (str(expr), text, result.text())
    if result.correct is False:
        assert confirms_counterexample(str(expr), text, result)


def test_cli_check() -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "symdiff", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)

    right = run("x**2*sin(x)", "--wrt", "x", "--check", "2*x*sin(x) + x**2*cos(x)")
    assert right.returncode == 0 and right.stdout.startswith("correct: simplify(")
    wrong = run("sin(x)**2", "--check", "2*sin(x)")
    assert wrong.returncode == 0 and wrong.stdout.startswith("incorrect: at x = ")
    data = run("sin(x)**2", "--check", "sin(2x)", "--format", "json")
    import json

    assert json.loads(data.stdout)["correct"] is True
    bad = run("x**2", "--check", "2*x +")
    assert bad.returncode == 2 and "in the answer" in bad.stderr and "^" in bad.stderr


def test_readme_check_examples_are_current() -> None:
    """The console block of the README's "Check my answer" section is what the command prints."""
    import shlex
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Check my answer", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    commands: list[tuple[list[str], list[str]]] = []
    for line in section.strip().splitlines():
        if line.startswith("$ symdiff "):
            words = shlex.split(line[2:].split("  #")[0])
            commands.append((words[1:], []))
        else:
            commands[-1][1].append(line)
    assert len(commands) >= 6
    for args, expected in commands:
        done = subprocess.run(
            [sys.executable, "-m", "symdiff", *args], capture_output=True, text=True, timeout=60
        )
        assert done.stdout.splitlines() == expected, args
