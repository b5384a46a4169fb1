"""C as CPython extension modules, and the shapes of generated vector C (blocks, scratch on the
heap), against ``evaluate``; ``ctypes`` fallbacks where ``Python.h`` is missing."""

from __future__ import annotations

import math
import shutil
import sys

import numpy as np
import pytest
from test_codegen import box_points, close, value_and_gradient

import symdiff
from symdiff import evaluate, parse
from symdiff.backend import c, c_vector, extension, native
from symdiff.backend.build import CompiledFunction
from symdiff.backend.vector import compile_vector

pytestmark = pytest.mark.skipif(
    not any(shutil.which(c) for c in ("cc", "gcc", "clang")),
    reason="no C compiler (cc, gcc or clang) on PATH: the C target cannot be built here",
)
needs_headers = pytest.mark.skipif(
    not extension.available(), reason="no Python.h for this interpreter: no extension modules"
)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("symdiff-extension-cache"))


@needs_headers
def test_compile_gives_floats_for_floats_and_arrays_for_arrays(cache):
    text = "x**2*y + sin(y)"
    roots = value_and_gradient(text, ["x", "y"])
    f = symdiff.compile(roots, "x y", target="c", cache_dir=cache)
    assert "PyInit_" in f.source and f.arity == 2 and f.outputs == 3
    point = {"x": 1.5, "y": -0.25}
    values = f(1.5, -0.25)
    assert isinstance(values, tuple) and all(type(v) is float for v in values)
    for value, root in zip(values, roots, strict=True):
        assert close(value, evaluate(root, point), 1e-15)
    assert f(2, 3) == f(2.0, 3.0)  # ints are read as floats on the fast path
    assert f(np.float64(1.5), -0.25) == pytest.approx(values)  # NumPy scalars: the array path
    xs = np.linspace(-1, 1, 6).reshape(2, 3)
    got = f(xs, 0.5)
    assert all(np.shape(g) == (2, 3) for g in got)
    for (i, j), x in np.ndenumerate(xs):
        for value, root in zip(got, roots, strict=True):
            assert close(value[i, j], evaluate(root, x=x, y=0.5), 1e-15)
    single = symdiff.compile(text, "x y", target="c", cache_dir=cache)
    assert type(single(1.5, -0.25)) is float
    assert single(1.5, -0.25) == pytest.approx(values[0], rel=1e-15)
    with pytest.raises(TypeError, match="takes 2 arguments, got 3"):
        single(1.0, 2.0, 3.0)


@needs_headers
def test_constant_function_of_no_arguments(cache):
    f = symdiff.compile("2*pi", "", target="c", cache_dir=cache)
    assert f() == 2 * math.pi


def test_compile_uses_ctypes_without_python_headers(cache, monkeypatch):
    monkeypatch.setattr(extension, "available", lambda: False)
    f = symdiff.compile("x*y + 1", "x y", target="c", cache_dir=cache)
    assert isinstance(f, CompiledFunction)
    assert float(f(2.0, 3.0)) == 7.0


@pytest.mark.parametrize("headers", [True, False])
def test_vector_with_and_without_headers(cache, monkeypatch, headers):
    if headers and not extension.available():
        pytest.skip("no Python.h for this interpreter")
    monkeypatch.setattr(native, "available", lambda: headers)
    f = compile_vector(["a*x*y", "x - y"], "x y", params="a", target="c", cache_dir=cache)
    assert ("PyInit_" in f.source) == headers
    assert f([2.0, 3.0], [0.5]).tolist() == [3.0, -1.0]
    assert f(np.array([[2.0, 3.0], [1.0, 1.0]]), np.array([2.0])).tolist() == [
        [12.0, -1.0],
        [2.0, 0.0],
    ]
    # not float64 / not contiguous / lists: the general path converts them
    assert f(np.array([2, 3]), [0.5]).tolist() == [3.0, -1.0]
    assert f(np.array([[2.0, 9.0, 3.0]])[:, ::2], [0.5]).tolist() == [[3.0, -1.0]]
    with pytest.raises(ValueError, match="out must be"):
        f([2.0, 3.0], [0.5], out=np.zeros((1, 2)))
    with pytest.raises(ValueError, match="x must have shape"):
        f(np.zeros(3), [0.5])
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="writable"):
        f([2.0, 3.0], [0.5], out=frozen)


@needs_headers
def test_direct_calls_keep_reference_counts(cache):
    f = compile_vector(["x + 1"], "x", target="c", cache_dir=cache)
    x, out = np.array([1.0]), np.zeros(1)
    before = sys.getrefcount(x), sys.getrefcount(out)
    for _ in range(1000):
        assert f(x, None, out) is out
        f(x)
    assert (sys.getrefcount(x), sys.getrefcount(out)) == before
    result = f(x)
    assert sys.getrefcount(result) == 2  # only ``result`` (and getrefcount's argument)


@pytest.mark.parametrize("stack", [65536, 4])
def test_blocked_units_agree_with_evaluate(cache, monkeypatch, stack):
    # small thresholds: blocks of 4 lines, temporaries shared across blocks, scratch on the
    # stack or (stack=4) allocated
    monkeypatch.setattr(c_vector, "SPLIT", 6)
    monkeypatch.setattr(c_vector, "BLOCK", 4)
    monkeypatch.setattr(c_vector, "STACK", stack)
    text = "exp(-(x - mu)**2/(2*sigma**2))/(sigma*sqrt(2*pi)) + log(1 + x**2*sigma)*mu"
    names = ["x", "mu", "sigma"]
    roots = value_and_gradient(text, names)
    f = compile_vector(roots, names[:2], params=names[2:], target="c", cache_dir=cache)
    assert "symdiff_block_3" in f.source
    assert "_t[" in f.source and ("malloc(" in f.source) == (stack == 4)
    points = box_points(names, (0.5, 2.0), 5, seed=7)
    x = np.array([[p["x"], p["mu"]] for p in points])
    for sigma in (0.7, 1.3):
        got = f(x, [sigma])
        for row, point in enumerate(points):
            for k, root in enumerate(roots):
                assert close(got[row, k], evaluate(root, {**point, "sigma": sigma}), 1e-12)


def test_big_traced_loop_compiles_blocked(cache):
    def loop(a, b):
        z = 0
        for i in range(200):
            z = a * symdiff.math.cos(z + i) + z * b
        return z

    f = symdiff.trace(loop, "a b")
    roots = [f, *symdiff.gradient(f, "a b")]
    vector = compile_vector(roots, "a b", target="c", cache_dir=cache)
    assert "symdiff_block_" in vector.source
    assert len(c.units_of(vector.source)[1]) >= 2  # its blocks are built side by side
    got = vector([0.3, 0.5])
    for value, root in zip(got, roots, strict=True):
        assert close(value, evaluate(root, a=0.3, b=0.5), 1e-12)


def test_source_names_inputs_in_comments(cache):
    f = compile_vector([parse("alpha*beta")], "alpha", params="beta", target="c", cache_dir=cache)
    assert "/* _x[0]: alpha */" in f.source and "/* _p[0]: beta */" in f.source
