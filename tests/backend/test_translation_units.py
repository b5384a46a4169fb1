"""Long generated C is cut into blocks by work and into translation units built side by side."""

from __future__ import annotations

import ctypes

import numpy as np
import pytest
from c_compiler import needs_compiler
from test_codegen import box_points, close, value_and_gradient

from symdiff import evaluate
from symdiff.backend import c, c_vector, native
from symdiff.backend.build import load_library
from symdiff.backend.trees import operations
from symdiff.backend.vector import compile_vector
from symdiff.core.errors import CodegenError

pytestmark = needs_compiler


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("symdiff-units-cache"))


def test_units_round_trip():
    first, further = c.units_of(c.with_units("int a;", ["int b;", "int c;"]))
    assert (first, further) == ("int a;", ["int b;", "int c;"])
    assert c.units_of("int a;") == ("int a;", [])


def test_blocks_are_cut_by_work_not_by_lines():
    light = [(k, ("temp", k)) for k in range(10)]  # free lines count 1 each
    heavy = ("sum", tuple((False, ("product", (("arg", 0),), ())) for _ in range(50)))
    lines = [*light, (10, heavy), *light]
    blocks = c.blocks_of(lines, size=4)  # at most 12 operations a block
    assert [line for block in blocks for line in block] == lines  # order kept, nothing lost
    assert all(block for block in blocks)
    for block in blocks:
        work = sum(max(operations(tree), 1) for _, tree in block)
        assert work <= 12 or len(block) == 1  # only a line heavier than a block stands alone
    assert [(10, heavy)] in blocks


def test_two_units_link_into_one_library(cache):
    source = c.with_units(
        "double symdiff_twice(double x);\ndouble entry(double x) { return symdiff_twice(x) + 1; }",
        ["double symdiff_twice(double x) { return 2 * x; }"],
    )
    library = load_library(source, cache_dir=cache)
    library.entry.restype = ctypes.c_double
    library.entry.argtypes = [ctypes.c_double]
    assert library.entry(3.5) == 8.0


def test_a_failing_further_unit_is_a_codegen_error(cache):
    source = c.with_units("int entry(void) { return 1; }", ["int broken(void) { return }"])
    with pytest.raises(CodegenError, match="failed"):
        load_library(source, cache_dir=cache)


@pytest.mark.parametrize("extension", [True, False])
def test_many_units_agree_with_evaluate(cache, monkeypatch, extension):
    monkeypatch.setattr(c_vector, "SPLIT", 6)
    monkeypatch.setattr(c_vector, "BLOCK", 2)
    monkeypatch.setattr(c_vector, "UNIT", 1)
    if not extension:
        monkeypatch.setattr(native, "available", lambda: False)
    text = "exp(-(x - mu)**2/(2*sigma**2))/(sigma*sqrt(2*pi)) + log(1 + x**2*sigma)*mu"
    names = ["x", "mu", "sigma"]
    roots = value_and_gradient(text, names)
    f = compile_vector(roots, names[:2], params=names[2:], target="c", cache_dir=cache)
    first, further = c.units_of(f.source)
    assert len(further) >= 3 and "void symdiff_block_0(" in further[0]
    assert ("PyInit_" in first) == extension and not any("PyInit_" in u for u in further)
    assert all("#include <math.h>" in unit for unit in further)
    points = box_points(names, (0.5, 2.0), 5, seed=11)
    x = np.array([[p["x"], p["mu"]] for p in points])
    got = f(x, [0.9])
    for row, point in enumerate(points):
        for k, root in enumerate(roots):
            assert close(got[row, k], evaluate(root, {**point, "sigma": 0.9}), 1e-12)
