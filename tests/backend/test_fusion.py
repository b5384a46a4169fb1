"""NumPy-target program passes (backend/fusion.py): repeated subtrees computed once, and
softplus/sigmoid of one argument from one exp, checked against mpmath and SymPy."""

from __future__ import annotations

import re

import mpmath
import numpy as np
import sympy

import symdiff

mp = mpmath.mp
mp.dps = 50


def test_softplus_and_sigmoid_share_one_exp() -> None:
    source = symdiff.codegen(["log(1 + exp(x))", "exp(x)/(1 + exp(x))"], "x", target="numpy")
    body = source[source.index("def f(") :]  # the helpers' own code comes first
    assert len(re.findall(r"np\.exp|_expu|_exp709", body)) == 1


def test_shared_exp_is_accurate_at_extreme_arguments() -> None:
    f = symdiff.lambdify("log(1 + exp(x))", "x", grad=True, target="numpy")
    xs = np.array([-1000.0, -800.0, -745.0, -700.0, -40.0, -1e-8, 0.0, 3.5, 40.0, 709.5, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value, (slope,) = f(xs)
    for x, v, s in zip(xs, value, slope, strict=True):
        true_v = float(mp.log1p(mp.exp(mp.mpf(x))))
        true_s = float(1 / (1 + mp.exp(-mp.mpf(x))))
        assert abs(v - true_v) <= 4 * np.spacing(true_v) or v == true_v, (x, v, true_v)
        assert abs(s - true_s) <= 4 * np.spacing(true_s) or s == true_s, (x, s, true_s)


def test_repeated_subtree_is_computed_once() -> None:
    text = "(1 - x)**2 + 100*(y - x**2)**2"
    f = symdiff.parse(text)
    source = symdiff.codegen([f, *symdiff.gradient(f, "x y")], "x y", target="numpy")
    assert source.count("x*x") == 1
    x, y = sympy.symbols("x y")
    theirs = sympy.sympify(text, locals={"x": x, "y": y})
    expected = sympy.lambdify([x, y], [theirs, sympy.diff(theirs, x), sympy.diff(theirs, y)])
    rng = np.random.default_rng(1)
    xs, ys = rng.uniform(-2, 2, 1000), rng.uniform(-1, 3, 1000)
    ours = symdiff.compile([f, *symdiff.gradient(f, "x y")], "x y", target="numpy")(xs, ys)
    for got, want in zip(ours, expected(xs, ys), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_in_place_ufuncs_leave_the_arguments_alone() -> None:
    f = symdiff.compile(["exp(-x*y) + sqrt(x + 1)", "log(2*x)"], "x y", target="numpy")
    assert "_fresh(np.exp" in symdiff.codegen(["exp(-x*y)"], "x y", target="numpy")
    x, y = np.array([0.5, 1.0, 2.0]), np.array([3.0, -1.0, 0.25])
    x_before, y_before = x.copy(), y.copy()
    for args in ((x, y), (x.astype(np.float32), y.astype(np.float32)), (0.5, 3.0), (2, 1)):
        value, other = f(*args)
        a, b = (np.asarray(v, dtype=float) for v in args)
        np.testing.assert_allclose(value, np.exp(-a * b) + np.sqrt(a + 1), rtol=1e-6)
        np.testing.assert_allclose(other, np.log(2 * a), rtol=1e-6)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(y, y_before)


def test_each_argument_gets_its_own_shared_exp() -> None:
    text = "y*log(1 + exp(-x)) + (1 - y)*log(1 + exp(x))"  # BCE with logits: x and -x
    f = symdiff.parse(text)
    source = symdiff.codegen([f, *symdiff.gradient(f, "x y")], "x y", target="numpy")
    body = source[source.index("def f(") :]
    assert len(re.findall(r"np\.exp|_expu|_exp709", body)) == 2 and "_softplus(" not in body
    g = symdiff.lambdify(text, "x y", grad=True)
    xs = np.array([-800.0, -40.0, -1e-3, 0.0, 2.5, 40.0, 800.0])
    ys = np.full(xs.shape, 0.25)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value, (dx, _) = g(xs, ys)
    for x, v, d in zip(xs, value, dx, strict=True):
        u = mp.mpf(x)
        true_v = mp.mpf("0.25") * mp.log1p(mp.exp(-u)) + mp.mpf("0.75") * mp.log1p(mp.exp(u))
        true_d = mp.mpf("0.75") / (1 + mp.exp(-u)) - mp.mpf("0.25") / (1 + mp.exp(u))
        assert abs(v - true_v) <= 4 * np.spacing(float(true_v)), (x, v, true_v)
        assert abs(d - true_d) <= 4 * np.spacing(float(abs(true_d))), (x, d, true_d)
