"""The C target really compiled: agreement with evaluate and SymPy, shapes, names, the cache.

Functions are compiled in batches (one translation unit, one compiler run) into a per-session
cache directory, so every run compiles for real and the suite stays fast.
"""

from __future__ import annotations

import contextlib
import io
import math
import shutil
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import sympy_function
from strategies import expressions, sample_call
from test_codegen import (
    FORMULAS,
    KEYWORD_NAMES,
    _defined,
    box_points,
    close,
    traced_loop_roots,
    value_and_gradient,
)

import symdiff
from symdiff import CodegenError, Sym, evaluate, gradient
from symdiff.backend import compile_many
from symdiff.backend.build import build_library
from symdiff.core.vocabulary import FUNCTIONS

pytestmark = pytest.mark.skipif(
    not any(shutil.which(c) for c in ("cc", "gcc", "clang")),
    reason="no C compiler (cc, gcc or clang) on PATH: the C target cannot be built here",
)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("symdiff-c-cache"))


@pytest.fixture(scope="module")
def formula_functions(cache: str) -> list:
    specs = [
        (value_and_gradient(text, variables.split()), variables.split(), f"formula{i}")
        for i, (text, variables, _) in enumerate(FORMULAS)
    ]
    return compile_many(specs, cache_dir=cache)


@pytest.mark.parametrize("index", range(len(FORMULAS)))
def test_formulas_agree_with_evaluate_and_sympy(formula_functions, index):
    text, variables, box = FORMULAS[index]
    names = variables.split()
    roots = value_and_gradient(text, names)
    function = formula_functions[index]
    theirs = [sympy_function(root, names) for root in roots]
    for point in box_points(names, box, 5, seed=len(text)):
        values = [point[n] for n in names]
        for root, ours, sympy_f in zip(roots, function(*values), theirs, strict=True):
            assert close(float(ours), evaluate(root, point), 1e-12), (str(root), point)
            assert close(float(ours), float(sympy_f(*values)), 1e-12), (str(root), point)


@pytest.mark.parametrize("index", range(len(FORMULAS)))
def test_arrays_of_several_shapes(formula_functions, index):
    text, variables, box = FORMULAS[index]
    names = variables.split()
    roots = value_and_gradient(text, names)
    theirs = [sympy_function(root, names) for root in roots]
    rng = np.random.default_rng(index)
    for shapes in ([(3, 1), (4,), (), (1, 4), (3, 4)], [(2, 3, 4)], [(5,)], [()]):
        args = [rng.uniform(*box, size=shapes[i % len(shapes)]) for i in range(len(names))]
        shape = np.broadcast_shapes(*(np.shape(a) for a in args))
        for ours, sympy_f in zip(formula_functions[index](*args), theirs, strict=True):
            assert np.shape(ours) == shape
            expected = np.broadcast_to(sympy_f(*args), shape)
            np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)


@given(st.lists(expressions(), min_size=15, max_size=15))
@settings(max_examples=3)
def test_random_expressions(cache, exprs):
    # tolerance as for the python target: sums are left to right, evaluate uses fsum
    names = ["x", "y", "z"]
    specs = [([e, *gradient(e, names)], names, f"g{i}") for i, e in enumerate(exprs)]
    functions = compile_many(specs, cache_dir=cache)
    for (roots, _, _), function in zip(specs, functions, strict=True):
        sympy_f = sympy_function(roots[0], names)
        for point in box_points(names, (-2, 2), 4, seed=3):
            expected = _defined(roots, point)
            if expected is None:
                continue
            values = [point[n] for n in names]
            got = function(*values)
            for ours, theirs in zip(got, expected, strict=True):
                assert close(float(ours), theirs, 1e-9), (str(roots[0]), point)
            with np.errstate(all="ignore"):
                theirs = complex(sympy_f(*values))
            if not theirs.imag and math.isfinite(theirs.real):
                assert close(float(got[0]), theirs.real, 1e-9), (str(roots[0]), point)


def test_every_function_row(cache):
    x = Sym("x")
    domains = {"acosh": (1.2, 3), "acoth": (1.2, 3), "asec": (1.2, 3), "acsc": (1.2, 3)}
    exprs = {}
    for name in sorted(FUNCTIONS):
        exprs[name] = sample_call(name, x)
    functions = compile_many([(e, "x", f"row_{n}") for n, e in exprs.items()], cache_dir=cache)
    for (name, expr), function in zip(exprs.items(), functions, strict=True):
        low, high = domains.get(name, (0.1, 0.9))
        for value in (low, (low + high) / 2, high):
            assert close(float(function(value)), evaluate(expr, x=value), 1e-14), name


def test_constants_round_trip(cache):
    x = Sym("x")
    constants = [0.1, 1e-300, 1.7976931348623157e308, 2**60 + 1, Fraction(1, 3),
                 Fraction(-22, 7), Fraction(3, 2**70)]  # fmt: skip
    specs = [([x + c, x * 0 + c], "x", f"c{i}") for i, c in enumerate(constants)]
    for constant, function in zip(constants, compile_many(specs, cache_dir=cache), strict=True):
        assert float(function(0.0)[0]) == float(constant)


def test_keyword_names(cache):
    names = [*KEYWORD_NAMES, "auto", "restrict", "fabs", "NAN", "HUGE_VAL", "k", "r",
             "symdiff_sign", "double_array", "main"]  # fmt: skip
    f = sum((i + 1) * Sym(n) ** 2 for i, n in enumerate(names)) + symdiff.sign(Sym("n"))
    (function,) = compile_many([([f, *gradient(f, names)], names, "double")], cache_dir=cache)
    values = [0.1 * (i + 1) for i in range(len(names))]
    point = dict(zip(names, values, strict=True))
    got = function(*values)
    assert close(float(got[0]), evaluate(f, point), 1e-13)
    assert close(float(got[2]), 2 * 2 * point["int"], 1e-13)


def test_traced_loop_compiles_and_runs(cache):
    roots = traced_loop_roots()
    source = symdiff.codegen(roots, "a b", target="c")
    assert len(source.splitlines()) < 2 * symdiff.dag_size(*roots)
    function = symdiff.compile(roots, "a b", target="c", cache_dir=cache)
    a = np.array([0.3, 0.31])
    b = np.array([0.5, 0.49])
    got = function(a, b)
    for k, root in enumerate(roots):
        for i in range(2):
            assert close(float(got[k][i]), evaluate(root, a=a[i], b=b[i]), 1e-10)


def test_missing_compiler_is_a_clear_error(cache):
    with pytest.raises(CodegenError, match=r"no C compiler found.*no-such-cc"):
        symdiff.compile(symdiff.parse("x"), "x", target="c", compiler="no-such-cc")


def test_library_is_cached_by_source(cache):
    source = symdiff.codegen(symdiff.parse("x*x + 1"), "x", target="c", name="cached")
    first = build_library(source, cache_dir=cache)
    stamp = first.stat().st_mtime_ns
    assert build_library(source, cache_dir=cache) == first
    assert first.stat().st_mtime_ns == stamp


def test_cli_emit_c_compiles(cache):
    from symdiff.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["x**2*sin(y)", "--grad", "--emit", "c", "--name", "return"]) == 0
    assert "#include <math.h>" in out.getvalue()
    library = build_library(out.getvalue(), cache_dir=cache)
    assert library.exists()


def test_scalar_inputs_give_scalars(formula_functions):
    value, dx, dy = formula_functions[0](2.0, 3.0)
    assert (float(value), float(dx), float(dy)) == (17.0, 12.0, 5.0)
    assert np.shape(value) == ()
    assert math.isfinite(value)


def test_portable_build_without_vector_flags(cache):
    import ctypes

    source = symdiff.codegen(symdiff.parse("exp(x)*sin(x)"), "x", target="c", name="portable")
    library = ctypes.CDLL(str(build_library(source, cache_dir=cache, vector=False)))
    library.portable.restype = ctypes.c_double
    library.portable.argtypes = [ctypes.c_double]
    assert close(library.portable(0.7), math.exp(0.7) * math.sin(0.7), 1e-15)


def test_more_arguments_than_ctypes_passes(cache):
    # ctypes calls take at most 1,024 arguments: compile passes the arrays as one pointer array
    names = [f"x{i}" for i in range(1100)]
    f = sum((i % 7 + 1) * Sym(n) for i, n in enumerate(names))
    function = symdiff.compile(f, names, target="c", cache_dir=cache)
    values = np.arange(1100) / 1100
    expected = sum((i % 7 + 1) * v for i, v in enumerate(values))
    assert close(float(function(*values)), expected, 1e-13)
