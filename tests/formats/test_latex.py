"""LaTeX output: a table written by hand, well-formedness on random input, and a real TeX run."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from strategies import expressions

from symdiff import Num, Sym, explain, parse, to_latex

TABLE = [
    ("x/y", r"\frac{x}{y}"),
    ("-x/(y + 1)", r"-\frac{x}{y + 1}"),
    ("(x + 1)**2", r"\left(x + 1\right)^{2}"),
    ("x**2 + 1", r"x^{2} + 1"),
    ("sin(x)**2", r"\sin^{2}\left(x\right)"),
    ("sqrt(x + 1)", r"\sqrt{x + 1}"),
    ("x**(1/3)", r"\sqrt[3]{x}"),
    ("1/sqrt(x)", r"\frac{1}{\sqrt{x}}"),
    ("x**(2/3)", r"x^{\frac{2}{3}}"),
    ("exp(x**2)", r"e^{x^{2}}"),
    ("2*3**x", r"2 \cdot 3^{x}"),
    ("2*x*y", r"2 x y"),
    ("x*(y + 1)", r"x \left(y + 1\right)"),
    ("rate*time", r"\mathrm{rate} \cdot \mathrm{time}"),
    ("alpha + theta", r"\alpha + \theta"),
    ("x_1*x_2", r"x_{1} x_{2}"),
    ("Omega_k", r"\Omega_{k}"),
    ("x/2", r"\frac{x}{2}"),
    ("x - 1/3", r"x - \frac{1}{3}"),
    ("pi*x", r"\pi x"),
    ("E", r"e"),
    ("abs(x)", r"\left|x\right|"),
    ("asin(x)", r"\arcsin\left(x\right)"),
    ("erf(x)", r"\operatorname{erf}\left(x\right)"),
    ("atan2(y, x)", r"\operatorname{atan2}\left(y, x\right)"),
    ("(-2)**x", r"\left(-2\right)^{x}"),
    ("(x**y)**z", r"\left(x^{y}\right)^{z}"),
    ("-x**2", r"-x^{2}"),
    ("2.5*x", r"2.5 x"),
]


@pytest.mark.parametrize(("formula", "expected"), TABLE)
def test_table(formula: str, expected: str) -> None:
    assert to_latex(parse(formula)) == expected


def test_big_and_tiny_numbers() -> None:
    assert to_latex(Num(1e-7) * Sym("x")) == r"1e-07 x".replace("1e-07", r"1 \cdot 10^{-7}")
    assert to_latex(Num(10**40)) == "1" + "0" * 40


#: Macros of plain LaTeX (plus amsmath's \operatorname), written out by hand.
KNOWN_MACROS = {
    "frac", "sqrt", "left", "right", "cdot", "mathrm", "operatorname", "_",
    "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan",
    "sinh", "cosh", "tanh", "coth", "log", "exp",
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho",
    "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
}  # fmt: skip


def assert_well_formed(latex: str) -> None:
    """Balanced braces, paired \\left/\\right, and only macros we know TeX has."""
    depth = 0
    for char in latex:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, latex
    assert depth == 0, latex
    assert latex.count(r"\left") == latex.count(r"\right"), latex
    for macro in re.findall(r"\\([A-Za-z]+|_)", latex):
        assert macro in KNOWN_MACROS, f"unknown macro \\{macro} in {latex}"


@settings(max_examples=80)
@given(expressions())
def test_random_expressions_are_well_formed(expr) -> None:
    assert_well_formed(to_latex(expr))


def test_repr_latex_for_jupyter() -> None:
    assert parse("x/y")._repr_latex_() == r"$\displaystyle \frac{x}{y}$"


SAMPLES = [
    "x**2*sin(x)/exp(x)", "sqrt(x**2 + 1)/(x - 1)", "atan2(y, x) + erf(x_1)", "alpha**theta",
    "abs(x)**(1/3)*log(x, 2)", "rate*time/(2*pi)", "sinh(x)**2 - cosh(x)**(-2)", "1e-7*x + 3/4",
]  # fmt: skip
ENGINE = shutil.which("pdflatex") or shutil.which("lualatex") or shutil.which("xelatex")


@pytest.mark.skipif(
    ENGINE is None,
    reason="no TeX engine (pdflatex): on Debian, apt-get install texlive-latex-base",
)
def test_samples_compile_with_a_real_tex_engine(tmp_path: Path) -> None:
    body = [f"\\[ {to_latex(parse(s))} \\]" for s in SAMPLES]
    body.append(explain("x**2*sin(x)/exp(x)", "x").to_latex())
    body.append(explain("sin(x**2 + 1)*cos(x**2 + 1)", "x", all=True).to_latex())
    document = "\n".join(
        [r"\documentclass{article}", r"\usepackage{amsmath}", r"\begin{document}", *body,
         r"\end{document}", ""]
    )  # fmt: skip
    (tmp_path / "sample.tex").write_text(document)
    run = subprocess.run(
        [ENGINE, "-interaction=nonstopmode", "-halt-on-error", "sample.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "sample.pdf").exists()


def test_sample_outputs_are_well_formed() -> None:
    for sample in SAMPLES:
        assert_well_formed(to_latex(parse(sample)))
    block = explain("x**2*sin(x)/exp(x)", "x").to_latex()
    assert_well_formed(block.replace(r"\text", "").replace(r"\begin", "").replace(r"\end", ""))
