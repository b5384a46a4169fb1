"""The defaults the API and the command line share (issue #16, item 7).

- ``symdiff.diff`` answers what ``symdiff F --wrt x`` prints (the readable simplified form, by
  the one size rule ``symdiff.SIMPLIFY_LIMIT``); ``simplify=False`` is the raw derivative.
- ``compile`` and ``lambdify`` default to one target: NumPy when it is importable, else Python.
- ``lambdify(..., grad=True, wrt=...)`` differentiates by the ``wrt`` names only.
"""

from __future__ import annotations

import importlib.util

import pytest
import sympy
from oracle import agree_numerically, to_sympy

import symdiff
from symdiff.backend import compiling
from symdiff.cli import main

FORMULAS = [
    ("x**2*y + y + 2", "x"),
    ("x**2*y + y + 2", "y"),
    ("x**2*exp(x)", "x"),
    ("1/(1 + exp(-z))", "z"),
    ("sqrt(x**2 + 1)*atan(x)", "x"),
    ("(x + 1)/(x - 1)", "x"),
    ("sin(x)**2 + cos(x)**2", "x"),
    ("log(x) + x*y - sin(y)", "y"),
    ("tanh(x*y + 1)**3", "x"),
]


def printed(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out.strip()


@pytest.mark.parametrize(("text", "variable"), FORMULAS)
def test_diff_default_is_what_the_cli_prints(capsys, text: str, variable: str) -> None:
    ours = symdiff.diff(text, variable)
    assert str(ours) == printed(capsys, text, "--wrt", variable)
    assert ours is symdiff.diff(text, variable, simplify=True)  # small: simplified
    assert ours is symdiff.parse(text).diff(variable)  # Expr.diff is the same function
    raw = symdiff.diff(text, variable, simplify=False)
    assert str(raw) == printed(capsys, text, "--wrt", variable, "--no-simplify")
    theirs = sympy.diff(to_sympy(text), sympy.Symbol(variable, real=True))
    names = [s.name for s in symdiff.parse(text).free_symbols]
    for form in (ours, raw, symdiff.diff(text, variable, simplify="compact")):
        assert agree_numerically(form, theirs, names, guard=symdiff.parse(text)) >= 3


def test_readme_example() -> None:
    assert str(symdiff.diff("x**2*y+y+2", "x")) == "2*x*y"  # sympy: 2*x*y
    assert str(symdiff.diff("sin(x)**2 + cos(x)**2", "x")) == "0"


def test_large_derivatives_stay_raw_by_default() -> None:
    f = symdiff.parse("sin(sin(sin(sin(x))))")
    raw = symdiff.diff(f, ("x", 10), simplify=False)
    assert symdiff.tree_size(raw) > symdiff.SIMPLIFY_LIMIT
    assert symdiff.diff(f, ("x", 10)) is raw  # simplifying it would take gigabytes
    small = symdiff.diff(f, "x", simplify=False)
    assert symdiff.tree_size(small) <= symdiff.SIMPLIFY_LIMIT
    assert symdiff.diff(f, "x") is symdiff.simplify(small)


def test_cli_prints_the_diff_default_for_a_high_order(capsys) -> None:
    assert printed(capsys, "x**3*sin(x)", "--order", "3") == str(
        symdiff.diff("x**3*sin(x)", ("x", 3))
    )


def test_compile_and_lambdify_share_one_default_target() -> None:
    expected = "numpy" if importlib.util.find_spec("numpy") is not None else "python"
    assert compiling.default_target() == expected
    for make in (symdiff.compile, symdiff.lambdify):
        assert make("x**2*y", "x y").__module__ == symdiff.compile("x", "x", expected).__module__
        assert float(make("x**2*y", "x y")(3.0, 2.0)) == 18.0


def test_explicit_target_wins() -> None:
    f = symdiff.compile("sqrt(x)", "x", target="python")
    with pytest.raises(ValueError):  # math.sqrt of a negative number: the python target
        f(-1.0)
    assert type(symdiff.lambdify("x + 1", "x", target="python")(1.0)) is float


def test_default_target_takes_arrays_when_numpy_is_installed() -> None:
    np = pytest.importorskip("numpy")
    values = symdiff.compile("x**2", "x")(np.array([1.0, 2.0, 3.0]))
    assert list(values) == [1.0, 4.0, 9.0]
    assert float(symdiff.compile("x**2", "x")(3.0)) == 9.0  # scalars work too (NumPy floats)


def test_lambdify_grad_by_wrt_only() -> None:
    # loss of a line fit at one data point (x, t): d/dw = 2*(w*x + b - t)*x, d/db = 2*(w*x + b - t)
    value_and_grad = symdiff.lambdify("(w*x + b - t)**2", "w b x t", grad=True, wrt="w b")
    value, grad = value_and_grad(2.0, 1.0, 3.0, 4.0)
    assert float(value) == 9.0
    assert [float(g) for g in grad] == [18.0, 6.0]


def test_lambdify_grad_without_wrt_differentiates_every_argument() -> None:
    value, grad = symdiff.lambdify("(w*x + b - t)**2", "w b x t", grad=True)(2.0, 1.0, 3.0, 4.0)
    assert float(value) == 9.0
    assert [float(g) for g in grad] == [18.0, 6.0, 12.0, -6.0]  # d/dx = 2*r*w, d/dt = -2*r


def test_lambdify_wrt_outside_the_arguments_is_an_error() -> None:
    with pytest.raises(symdiff.CodegenError, match="not among the arguments"):
        symdiff.lambdify("w*x", "w x", grad=True, wrt="q")
