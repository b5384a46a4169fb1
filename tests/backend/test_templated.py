"""Templated code: outputs of one shape computed by one statement over gathered arguments.

Oracle: the same ``compile_vector`` with ``reuse=False`` (every output written out), at many
points and at one point, including extreme arguments where the stable rewrites matter.
Work is counted as nodes lowered, not timed.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from repeating_models import brusselator

from symdiff import Sym, parse
from symdiff.backend import lower as lower_module
from symdiff.backend import templated
from symdiff.backend.models import compile_objective
from symdiff.backend.vector import compile_vector
from symdiff.core.constructors import add
from symdiff.core.nodes import Expr

TARGETS = ["python", "numpy"]


@pytest.fixture(autouse=True)
def small_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates from 8 outputs on, for both targets (the models here are small)."""
    monkeypatch.setattr(templated, "MIN_GROUP", {"python": 8, "numpy": 8})


def softplus_rows(n: int) -> tuple[list[Expr], list[Sym]]:
    """Rows whose stable form matters: log(1 + exp(.)) overflows at 800 if written out."""
    x = [Sym(f"x{i}") for i in range(n)]
    k = Sym("k")
    rows = [parse(f"log(1 + exp(x{i} - x{(i + 1) % n}))*k + 1/x{i}") for i in range(n)]
    return [*rows, parse("x0*x1*k")], [*x, k]


def agree(a: np.ndarray, b: np.ndarray) -> None:
    assert a.shape == b.shape
    assert np.array_equal(np.isnan(a), np.isnan(b))
    finite = np.isfinite(a)
    infinite = ~finite & ~np.isnan(a)
    assert np.array_equal(finite, np.isfinite(b)) and np.array_equal(a[infinite], b[infinite])
    np.testing.assert_allclose(a[finite], b[finite], rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("target", TARGETS)
def test_stencil_matches_per_output_code(target: str) -> None:
    F, ys = brusselator(6)
    fast = compile_vector(F, ys, target=target)
    slow = compile_vector(F, ys, target=target, reuse=False)
    assert "shape0" in fast.source and "shape0" not in slow.source
    rng = np.random.default_rng(0)
    points = rng.uniform(-2, 2, (5, len(ys)))
    agree(fast(points), slow(points))
    agree(fast(points[0]), slow(points[0]))


@pytest.mark.parametrize("target", TARGETS)
def test_stable_templates_at_extreme_arguments(target: str) -> None:
    rows, symbols = softplus_rows(12)
    fast = compile_vector(rows[:-1] + rows[-1:], symbols[:-1], params=symbols[-1:], target=target)
    slow = compile_vector(rows, symbols[:-1], params=symbols[-1:], target=target, reuse=False)
    point = np.linspace(-3, 3, 12)
    point[::3] = 800.0
    point[1::4] = -800.0
    with np.errstate(all="ignore"):
        agree(fast(point, [2.0]), slow(point, [2.0]))
        many = np.stack([point, -point, np.full(12, 700.0)])
        expected = slow(many, [0.5])
        agree(fast(many, [0.5]), expected)
    assert np.isfinite(expected).all()  # stable: no overflow at 800


@pytest.mark.parametrize("target", TARGETS)
def test_nan_and_inf_propagate_as_before(target: str) -> None:
    F, ys = brusselator(4)
    fast = compile_vector(F, ys, target=target)
    slow = compile_vector(F, ys, target=target, reuse=False)
    point = np.ones(len(ys))
    point[3], point[10] = np.nan, np.inf
    with np.errstate(all="ignore"):
        agree(fast(point), slow(point))
        agree(fast(np.stack([point, point[::-1]])), slow(np.stack([point, point[::-1]])))


def test_unique_shapes_take_the_per_output_path() -> None:
    outputs = [parse(text) for text in ("x*y", "sin(x) + y", "exp(x*y)", "x")]
    f = compile_vector(outputs, "x y", target="numpy")
    assert "shape0" not in f.source
    assert f([1.0, 2.0]).tolist() == pytest.approx([2.0, np.sin(1.0) + 2.0, np.exp(2.0), 1.0])


@pytest.mark.parametrize("target", TARGETS)
def test_mixed_groups_and_singletons(target: str) -> None:
    x = [Sym(f"x{i}") for i in range(20)]
    outputs = [x[i] * x[i + 1] for i in range(19)] + [
        parse("sin(x0) + x19**3"),
        x[4],
        Sym("x7") * 0 + 3,
    ]
    fast = compile_vector(outputs, x, target=target)
    slow = compile_vector(outputs, x, target=target, reuse=False)
    points = np.random.default_rng(1).uniform(-1, 1, (3, 20))
    agree(fast(points), slow(points))
    agree(fast(points[1]), slow(points[1]))


def test_sparse_hessian_data_goes_through_templates() -> None:
    n = 40
    x = [Sym(f"x{i}") for i in range(n)]
    f = add(*(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(n - 1)))
    for target in TARGETS:
        obj = compile_objective(f, x, target=target)
        point = np.tile([-1.2, 1.0], n // 2)
        H = obj.hess(point)
        assert "shape0" in obj._hess.source
        reference = compile_vector(obj._hess_layout[0], x, target=target, reuse=False)(point)
        agree(H.data, reference)


def test_source_is_deterministic_across_processes() -> None:
    script = (
        "import sys; sys.path.insert(0, 'tests');"
        "from repeating_models import brusselator;"
        "from symdiff.backend import templated;"
        "templated.MIN_GROUP['numpy'] = 8;"
        "from symdiff.backend.vector import compile_vector;"
        "F, ys = brusselator(5);"
        "print(compile_vector(F, ys, target='numpy').source)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1] and "shape1" in runs[0]


def _lowered(N: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """Nodes walked by ``lower`` while compiling the N x N Brusselator."""
    count = [0]
    walk = lower_module.postorder_by

    def counting(roots, children):  # type: ignore[no-untyped-def]
        out = walk(roots, children)
        count[0] += len(out)
        return out

    monkeypatch.setattr(lower_module, "postorder_by", counting)
    F, ys = brusselator(N)
    compile_vector(F, ys, target="numpy")
    return count[0]


def test_codegen_work_is_per_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = _lowered(4, monkeypatch), _lowered(16, monkeypatch)
    assert large == small  # 16x the outputs, the same two templates lowered


def test_groups_need_enough_members() -> None:
    x = [Sym(f"x{i}") for i in range(10)]
    few = [x[i] * x[i + 1] for i in range(7)]
    assert templated.group_outputs(few, x, 8)[1] == []
    many = [x[i] * x[i + 1] for i in range(8)]
    rest, groups = templated.group_outputs(many, x, 8)
    assert rest == [] and len(groups) == 1 and groups[0].positions == list(range(len(many)))


def rosenbrock_like(n: int) -> tuple[list[Expr], list[Sym]]:
    """A long sum of one shape (plus terms of other shapes and a constant), and its rows."""
    x = [Sym(f"x{i}") for i in range(n)]
    terms = [parse(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2") for i in range(n - 1)]
    f = add(*terms, parse("sin(x0) + exp(x1)*x2 + 3"))
    return [f, parse("x0*x1"), *(parse(f"x{i}**3") for i in range(n))], x


@pytest.mark.parametrize("target", TARGETS)
def test_long_sums_of_one_shape_use_a_template(target: str) -> None:
    roots, x = rosenbrock_like(40)
    fast = compile_vector(roots, x, target=target)
    slow = compile_vector(roots, x, target=target, reuse=False)
    assert "terms of output 0" in fast.source
    rng = np.random.default_rng(3)
    points = rng.uniform(-2, 2, (6, len(x)))
    agree(fast(points), slow(points))
    agree(fast(points[0]), slow(points[0]))
    points[2, 5] = np.nan  # one term's nan reaches the sum
    assert np.isnan(fast(points)[2, 0]) and np.isnan(slow(points)[2, 0])


@pytest.mark.parametrize("target", TARGETS)
def test_objective_value_of_a_long_sum(target: str) -> None:
    roots, x = rosenbrock_like(30)
    obj = compile_objective(roots[0], x, target=target)
    point = np.linspace(-1.5, 1.5, len(x))
    p = point
    exact = sum(100 * (p[i + 1] - p[i] ** 2) ** 2 + (1 - p[i]) ** 2 for i in range(len(x) - 1))
    exact += np.sin(p[0]) + np.exp(p[1]) * p[2] + 3
    assert obj(point) == pytest.approx(exact, rel=1e-13)
