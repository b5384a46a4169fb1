"""Code generation, python and numpy targets: agreement with evaluate and SymPy, structure, names.

Expected values come from ``symdiff.evaluate`` (the reference interpreter, which sums with
``math.fsum``) and from SymPy's ``lambdify``.  Generated code sums and multiplies left to right,
so where cancellation can occur (random expressions) the tolerance is stated per test.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from oracle import sympy_function
from strategies import expressions, sample_call

import symdiff
from symdiff import CodegenError, EvaluationError, Sym, codegen, evaluate, gradient, parse
from symdiff.backend.lower import lower
from symdiff.core.vocabulary import FUNCTIONS

#: Hand-picked formulas with their variables and a box of points where they are defined.
FORMULAS = [
    ("x**2*y + y + 2", "x y", (-2, 2)),
    ("exp(-(x - mu)**2/(2*sigma**2))/(sigma*sqrt(2*pi))", "x mu sigma", (0.5, 2)),
    ("log(1 + exp(-y*(w0*x + w1)))", "w0 w1 x y", (-2, 2)),
    ("S*(1 + erf((log(S/K) + (r + s**2/2)*T)/(s*sqrt(2*T))))/2", "S K r s T", (0.5, 2)),
    ("2*h*nu**3/(c**2*(exp(h*nu/(k*T)) - 1))", "h nu c k T", (0.5, 2)),
    ("atan2(y, x) + abs(x - y) + sign(x*y) + x**y", "x y", (0.3, 2)),
    ("x**7 - 3*x**-3 + x**(5/2) + x**(1/3) + x**(-1/2) + 1/3*x + 0.1", "x", (0.2, 3)),
    ("sec(x) + csc(x) + cot(x) + sech(x) + csch(x) + coth(x)", "x", (0.3, 1.2)),
    ("acot(x) + asec(x + 2) + acsc(x + 2) + acoth(x + 2) + stop_gradient(x)**2", "x", (0.3, 2)),
    ("asinh(x) + acosh(x + 1) + atanh(x/3) + asin(x/3) + acos(x/3) + tanh(x*y)", "x y", (0.1, 2)),
    ("sqrt(x**2 + y**2 + 1)*sin(x*y)*cos(x*y) + tan(x/4)", "x y", (-2, 2)),
]


def box_points(names: list[str], box: tuple[float, float], count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    return [{n: rng.uniform(*box) for n in names} for _ in range(count)]


def value_and_gradient(text: str, names: list[str]) -> list:
    f = parse(text)
    return [f, *gradient(f, names)]


def close(actual: float, expected: float, rel: float) -> bool:
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=rel)


@pytest.mark.parametrize("target", ["python", "numpy"])
@pytest.mark.parametrize(("text", "variables", "box"), FORMULAS)
def test_formulas_agree_with_evaluate_and_sympy(text, variables, box, target):
    names = variables.split()
    roots = value_and_gradient(text, names)
    function = symdiff.compile(roots, names, target=target)
    theirs = [sympy_function(root, names) for root in roots]
    for point in box_points(names, box, 5, seed=len(text)):
        values = [point[n] for n in names]
        got = function(*values)
        for root, ours, sympy_f in zip(roots, got, theirs, strict=True):
            expected = evaluate(root, point)
            assert close(float(ours), expected, 1e-12), (target, str(root), point)
            assert close(float(ours), float(sympy_f(*values)), 1e-12), (target, str(root), point)


@pytest.mark.parametrize(("text", "variables", "box"), FORMULAS)
def test_numpy_arrays_of_several_shapes(text, variables, box):
    names = variables.split()
    roots = value_and_gradient(text, names)
    function = symdiff.compile(roots, names, target="numpy")
    theirs = [sympy_function(root, names) for root in roots]
    rng = np.random.default_rng(len(text))
    for shapes in ([(3, 1), (4,), (), (1, 4), (3, 4)], [(2, 3, 4)], [(5,)], [()]):
        args = [rng.uniform(*box, size=shapes[i % len(shapes)]) for i in range(len(names))]
        shape = np.broadcast_shapes(*(np.shape(a) for a in args))
        for ours, sympy_f in zip(function(*args), theirs, strict=True):
            assert np.shape(ours) == shape
            expected = np.broadcast_to(sympy_f(*args), shape)
            np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)


def test_numpy_target_runs_on_dask_arrays():
    dask_array = pytest.importorskip("dask.array")
    names = ["S", "K", "r", "s", "T"]
    roots = value_and_gradient(FORMULAS[3][0], names)
    function = symdiff.compile(roots, names, target="numpy")
    rng = np.random.default_rng(5)
    arrays = [rng.uniform(0.5, 2, size=(40, 30)) for _ in names]
    lazy = [dask_array.from_array(a, chunks=(10, 15)) for a in arrays]
    results = function(*lazy)
    assert all(isinstance(r, dask_array.Array) for r in results[:2])
    for got, expected in zip(results, function(*arrays), strict=True):
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-15)


def _defined(roots, point) -> list[float] | None:
    try:
        values = [evaluate(root, point) for root in roots]
    except EvaluationError:
        return None
    return values if all(abs(v) < 1e6 for v in values) else None


@given(expressions())
@settings(max_examples=60)
def test_random_expressions_python_and_numpy(expr):
    # left-to-right sums versus evaluate's fsum: agreement to 1e-9, relative to the size of the
    # result, or absolute where the result cancels to near zero
    names = ["x", "y", "z"]
    roots = [expr, *gradient(expr, names)]
    python_f = symdiff.compile(roots, names, target="python")
    numpy_f = symdiff.compile(roots, names, target="numpy")
    for point in box_points(names, (-2, 2), 4, seed=1):
        expected = _defined(roots, point)
        if expected is None:
            continue
        values = [point[n] for n in names]
        with np.errstate(all="ignore"):
            for function in (python_f, numpy_f):
                for ours, theirs in zip(function(*values), expected, strict=True):
                    assert close(float(ours), theirs, 1e-9), (str(expr), point)


@given(expressions(max_leaves=8))
@settings(max_examples=25)
def test_random_expressions_agree_with_sympy_lambdify(expr):
    names = ["x", "y", "z"]
    ours = symdiff.compile(expr, names, target="numpy")
    theirs = sympy_function(expr, names)
    for point in box_points(names, (-2, 2), 4, seed=2):
        if _defined([expr], point) is None:
            continue
        values = [point[n] for n in names]
        with np.errstate(all="ignore"):
            expected = complex(theirs(*values))
        if expected.imag or not math.isfinite(expected.real):
            continue
        assert close(float(ours(*values)), expected.real, 1e-9), (str(expr), point)


@pytest.mark.parametrize("target", ["python", "numpy"])
def test_every_function_row_in_every_target(target):
    x = Sym("x")
    domains = {"acosh": (1.2, 3), "acoth": (1.2, 3), "asec": (1.2, 3), "acsc": (1.2, 3)}
    for name in sorted(FUNCTIONS):
        expr = sample_call(name, x)
        function = symdiff.compile(expr, "x", target=target)
        low, high = domains.get(name, (0.1, 0.9))
        for value in (low, (low + high) / 2, high):
            assert close(float(function(value)), evaluate(expr, x=value), 1e-14), (name, value)


@pytest.mark.parametrize("target", ["python", "numpy"])
def test_constants_round_trip(target):
    from fractions import Fraction

    x = Sym("x")
    for constant in (0.1, 1e-300, 1.7976931348623157e308, 2**60 + 1, Fraction(1, 3),
                     Fraction(-22, 7), Fraction(3, 2**70)):  # fmt: skip
        function = symdiff.compile([x + constant, x * 0 + constant], "x", target=target)
        assert float(function(0.0)[0]) == float(constant)


def test_shared_nodes_are_computed_once():
    f = parse("sin(x*y) + cos(x*y)*exp(x*y)")
    source = codegen(f, "x y")
    assert source.count("y*x") + source.count("x*y") == 1
    program = lower([f, *gradient(f, "x y")], [Sym("x"), Sym("y")])
    assert len(program.statements) <= symdiff.dag_size(f, *gradient(f, "x y"))


def test_integer_powers_become_products_and_reciprocals():
    source = codegen(parse("x**2 + x**3 + x**-2 + x**13"), "x")
    assert "pow" not in source
    assert source.count("x*x") == 1  # one square, shared by every power of x
    assert codegen(parse("y/x**2"), "x y").endswith("t0 = x*x\n    return y/t0\n")
    assert "math.sqrt(x)" in codegen(parse("x**(3/2)"), "x")
    assert "math.pow(x, y)" in codegen(parse("x**y"), "x y")


def traced_loop_roots() -> list:
    """The classic 1000-step loop of ``examples/loop_gradient.py`` traced, with its gradient."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
    from loop_gradient import my_func

    f = symdiff.trace(my_func, "a b")
    return [f, *gradient(f, "a b")]


def test_traced_loop_is_linear_and_runs_in_python_and_numpy():
    roots = traced_loop_roots()
    program = lower(roots, [Sym("a"), Sym("b")])
    assert len(program.statements) <= symdiff.dag_size(*roots)
    expected = [evaluate(r, a=0.3, b=0.5) for r in roots]
    for target in ("python", "numpy"):
        source = codegen(roots, "a b", target=target)
        assert len(source.splitlines()) < 2 * symdiff.dag_size(*roots)
        got = symdiff.compile(roots, "a b", target=target)(0.3, 0.5)
        for ours, theirs in zip(got, expected, strict=True):
            assert close(float(ours), theirs, 1e-10)


KEYWORD_NAMES = ["lambda", "int", "double", "return", "__import__", "math", "np", "t0", "f",
                 "sin", "i", "n", "out", "_shape", "_erf", "lambda_", "print", "class"]  # fmt: skip


@pytest.mark.parametrize("target", ["python", "numpy"])
def test_keyword_names_give_working_code(target):
    names = KEYWORD_NAMES
    f = sum((i + 1) * Sym(n) ** 2 for i, n in enumerate(names)) + symdiff.erf(Sym("lambda"))
    function = symdiff.compile([f, *gradient(f, names)], names, target=target, name="lambda")
    values = [0.1 * (i + 1) for i in range(len(names))]
    point = dict(zip(names, values, strict=True))
    got = function(*values)
    assert close(float(got[0]), evaluate(f, point), 1e-13)
    assert close(float(got[2]), 2 * 2 * point["int"], 1e-13)


INJECTIONS = ["x); import os; os.system('echo hacked') #", "x\nimport os", "x y", "1x", "", "é",
              "x;", "x*/ system(\"ls\"); /*", "x-y", "__import__('os')"]  # fmt: skip


@pytest.mark.parametrize("target", ["python", "numpy", "c"])
def test_no_input_string_reaches_the_source(target):
    for bad in INJECTIONS:
        with pytest.raises((CodegenError, ValueError)):
            codegen(parse("x"), [bad] if bad != "x y" else ["x", bad], target=target)
        with pytest.raises(CodegenError):
            codegen(parse("x"), ["x"], target=target, name=bad)


def test_errors_are_clear():
    with pytest.raises(CodegenError, match="depend on y"):
        codegen(parse("x*y"), "x")
    with pytest.raises(CodegenError, match="unknown target"):
        codegen(parse("x"), "x", target="fortran")
    with pytest.raises(CodegenError, match="repeated"):
        codegen(parse("x"), "x x")


def test_lambdify_value_and_gradient():
    value_and_grad = symdiff.lambdify("x**2*y + sin(x)", "x y", grad=True, target="python")
    value, grad = value_and_grad(1.5, 2.0)
    assert close(value, 1.5**2 * 2 + math.sin(1.5), 1e-15)
    assert close(grad[0], 2 * 1.5 * 2 + math.cos(1.5), 1e-15) and grad[1] == 1.5**2
    vectorised = symdiff.lambdify("x**2*y", "x y", grad=True)
    value, grad = vectorised(np.arange(3.0), 2.0)
    np.testing.assert_array_equal(grad[1], [0.0, 1.0, 4.0])


def test_import_symdiff_stays_light():
    code = (
        "import sys, symdiff; heavy = {'numpy', 'ctypes', 'subprocess', 'sympy'} & "
        "set(sys.modules); assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cli_emits_each_target():
    import contextlib
    import io

    from symdiff.cli import main

    for target in ("python", "numpy"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["x**2*sin(y)", "--wrt", "x", "--emit", target, "--name", "df"]) == 0
        namespace: dict = {}
        exec(out.getvalue(), namespace)
        assert close(float(namespace["df"](1.5, 0.5)), 2 * 1.5 * math.sin(0.5), 1e-15)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["x**2*sin(y)", "--grad", "--emit", "python"]) == 0
    namespace = {}
    exec(out.getvalue(), namespace)
    value, dx, dy = namespace["f"](1.5, 0.5)
    assert close(value, 2.25 * math.sin(0.5), 1e-15) and close(dx, 3 * math.sin(0.5), 1e-15)
    assert close(dy, 1.5**2 * math.cos(0.5), 1e-15)


def test_ten_thousand_deep_expression_compiles():
    x = Sym("x")
    expr = x
    for i in range(10_000):
        expr = symdiff.sin(expr) + i
    expected = evaluate(expr, x=0.5)
    for target in ("python", "numpy"):
        assert close(float(symdiff.compile(expr, "x", target=target)(0.5)), expected, 1e-12)
