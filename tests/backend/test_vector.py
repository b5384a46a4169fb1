"""``compile_vector``: one vector in, one vector out, batched; every target against ``evaluate``.

Expected values come from ``symdiff.evaluate`` (the reference interpreter) at each point.
"""

from __future__ import annotations

import math
import shutil

import numpy as np
import pytest
from test_codegen import FORMULAS, box_points, close, value_and_gradient

import symdiff
from symdiff import CodegenError, evaluate, parse
from symdiff.backend.vector import compile_vector

HAVE_CC = any(shutil.which(c) for c in ("cc", "gcc", "clang"))
TARGETS = [
    "python",
    "numpy",
    pytest.param("c", marks=pytest.mark.skipif(not HAVE_CC, reason="no C compiler on PATH")),
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("symdiff-vector-cache"))


def build(outputs, inputs, target, cache, **options):
    if target == "c":
        options["cache_dir"] = cache
    return compile_vector(outputs, inputs, target=target, **options)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(("text", "variables", "box"), FORMULAS)
def test_value_and_gradient_agree_with_evaluate(text, variables, box, target, cache):
    names = variables.split()
    roots = value_and_gradient(text, names)
    f = build(roots, names, target, cache)
    points = box_points(names, box, 4, seed=len(text))
    x = np.array([[point[n] for n in names] for point in points])
    batched = f(x)
    assert batched.shape == (len(points), len(roots))
    for row, point in enumerate(points):
        single = f(x[row])
        assert single.shape == (len(roots),)
        for k, root in enumerate(roots):
            expected = evaluate(root, point)
            assert close(single[k], expected, 1e-12), (str(root), point)
            assert close(batched[row, k], expected, 1e-12), (str(root), point)


@pytest.mark.parametrize("target", TARGETS)
def test_parameters_and_constant_outputs(target, cache):
    outputs = ["a*x + y", "b", "2.5", "x*y*a*b"]
    f = build(outputs, "x y", target, cache, params="a b")
    got = f(np.array([2.0, 3.0]), np.array([5.0, 7.0]))
    expected = [evaluate(parse(o), x=2, y=3, a=5, b=7) for o in outputs]
    assert got.tolist() == pytest.approx(expected, rel=1e-15)
    batched = f(np.array([[2.0, 3.0], [1.0, -1.0], [0.0, 0.5]]), [5.0, 7.0])
    for row, (x, y) in enumerate([(2, 3), (1, -1), (0, 0.5)]):
        for k, o in enumerate(outputs):
            assert batched[row, k] == pytest.approx(evaluate(parse(o), x=x, y=y, a=5, b=7))


@pytest.mark.parametrize("target", TARGETS)
def test_out_is_filled_in_place(target, cache):
    f = build(["x + 1", "x*y"], "x y", target, cache)
    out = np.full(2, np.nan)
    assert f([3.0, 4.0], out=out) is out
    assert out.tolist() == [4.0, 12.0]
    block = np.zeros((3, 2))
    assert f(np.ones((3, 2)), out=block) is block
    assert block.tolist() == [[2.0, 1.0]] * 3


@pytest.mark.parametrize("target", TARGETS)
def test_fills_the_data_of_a_sparse_matrix(target, cache):
    scipy_sparse = pytest.importorskip("scipy.sparse")
    # the Jacobian of (x*y, y**2, sin(z)) in CSC order: column x: row 0; y: rows 0, 1; z: row 2
    entries = ["y", "x", "2*y", "cos(z)"]
    indices, indptr = np.array([0, 0, 1, 2]), np.array([0, 1, 3, 4])
    f = build(entries, "x y z", target, cache)
    data = np.empty(len(entries))
    matrix = scipy_sparse.csc_matrix((data, indices, indptr), shape=(3, 3))
    for point in ([1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]):
        f(np.array(point), out=matrix.data)
        x, y, z = point
        expected = [[y, x, 0], [0, 2 * y, 0], [0, 0, math.cos(z)]]
        np.testing.assert_array_equal(matrix.toarray(), expected)


@pytest.mark.parametrize("target", TARGETS)
def test_many_inputs_and_outputs(target, cache):
    n = 300  # more than ctypes passes as separate arguments
    names = [f"x{i}" for i in range(n)]
    outputs = [f"x{i}*x{(i + 1) % n} - sin(x{i})" for i in range(n)]
    f = build(outputs, names, target, cache)
    x = np.linspace(-1, 1, n)
    expected = x * np.roll(x, -1) - np.sin(x)
    np.testing.assert_allclose(f(x), expected, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(f(np.stack([x, -x])), np.stack([expected, f(-x)]), rtol=1e-14)


@pytest.mark.parametrize("target", TARGETS)
def test_traced_function_of_a_vector(target, cache):
    def rhs(a, b):
        return [a * a - b, symdiff.math.exp(b) * a]

    outputs = symdiff.trace(rhs, "a b")
    f = build(list(outputs), "a b", target, cache)
    assert f([2.0, 0.0]).tolist() == pytest.approx([4.0, 2.0])


@pytest.mark.parametrize("target", TARGETS)
def test_wrong_shapes_are_clear_errors(target, cache):
    f = build(["a*x*y"], "x y", target, cache, params="a")
    with pytest.raises(ValueError, match=r"x must have shape \(2,\)"):
        f([1.0, 2.0, 3.0], [1.0])
    with pytest.raises(ValueError, match=r"p must have shape \(1,\)"):
        f([1.0, 2.0])
    with pytest.raises(ValueError, match="out must be"):
        f([1.0, 2.0], [1.0], out=np.zeros(2))
    with pytest.raises(ValueError, match="out must be"):
        f([1.0, 2.0], [1.0], out=np.zeros(1, dtype=np.float32))


def test_bad_specifications_are_codegen_errors():
    with pytest.raises(CodegenError, match="not among the arguments"):
        compile_vector(["x*z"], "x y")
    with pytest.raises(CodegenError, match="named twice"):
        compile_vector(["x"], "x y", params="x")
    with pytest.raises(CodegenError, match="unknown target"):
        compile_vector(["x"], "x", target="fortran")
    with pytest.raises(CodegenError, match="sequence of outputs"):
        compile_vector("x", "x")


def test_no_outputs():
    f = compile_vector([], "x y")
    assert f([1.0, 2.0]).shape == (0,)
    assert f(np.ones((4, 2))).shape == (4, 0)


@pytest.mark.parametrize("target", TARGETS)
def test_stable_by_default_literal_on_request(target, cache):
    # log(1 + exp(x)) overflows in floats at x = 800; its stable form is softplus(x) = 800
    outputs = ["log(1 + exp(x))", symdiff.diff(parse("log(1 + exp(x))"), "x")]
    f = build(outputs, "x", target, cache)
    assert f([800.0]).tolist() == [800.0, 1.0]
    assert f([-800.0]).tolist() == [0.0, 0.0]
    literal = build(outputs, "x", target, cache, stable=False)
    with np.errstate(all="ignore"):
        try:
            value = literal([800.0])
        except OverflowError:  # the python target's math.exp raises
            return
    assert not np.isfinite(value).all()
