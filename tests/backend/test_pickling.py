"""Compiled functions pickle, and work in other processes: multiprocessing and dask.distributed.

The expected values come from evaluating the formula with the standard library's ``math`` in
this test, not from symdiff.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle

import pytest

import symdiff

FORMULA = "log(1 + exp(x))*y + sin(x*y)"
ARGS = "x y"


def truth(x: float, y: float) -> tuple[float, float, float]:
    """Value and gradient of FORMULA, by hand."""
    softplus = max(x, 0) + math.log1p(math.exp(-abs(x)))
    sigmoid = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
    return (
        softplus * y + math.sin(x * y),
        sigmoid * y + y * math.cos(x * y),
        softplus + x * math.cos(x * y),
    )


def _targets() -> list[str]:
    targets = ["python", "numpy"]
    try:
        symdiff.compile("x", "x", target="c")
    except symdiff.CodegenError:
        return targets
    return [*targets, "c"]


TARGETS = _targets()
POINTS = [(0.5, 2.0), (800.0, 0.25), (-3.0, 1.5)]


def _call(blob: bytes) -> list[list[float]]:
    """Runs in a worker process: unpickle the function and evaluate it at POINTS."""
    function = pickle.loads(blob)
    return [[float(v) for v in function(*point)] for point in POINTS]


def _close(got: list[float], want: tuple[float, ...]) -> bool:
    return all(
        math.isclose(g, w, rel_tol=1e-13, abs_tol=1e-300) for g, w in zip(got, want, strict=True)
    )


@pytest.mark.parametrize("target", TARGETS)
def test_compiled_function_pickles(target: str) -> None:
    function = symdiff.compile([FORMULA], ARGS, target)
    again = pickle.loads(pickle.dumps(function))
    assert float(again(0.5, 2.0)[0]) == pytest.approx(truth(0.5, 2.0)[0], rel=1e-13)
    assert again.source == function.source


@pytest.mark.parametrize("target", TARGETS)
def test_value_and_gradient_in_spawned_processes(target: str) -> None:
    """A fresh interpreter (spawn) has none of this process's state: the function is rebuilt."""
    function = symdiff.lambdify(FORMULA, ARGS, grad=True, target=target).both
    blob = pickle.dumps(function)
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        results = pool.map(_call, [blob, blob])
    for result in results:
        for got, point in zip(result, POINTS, strict=True):
            assert _close(got, truth(*point)), (target, point, got)


def test_lambdify_value_and_gradient_pickles() -> None:
    function = symdiff.lambdify("x**2*y", "x y", grad=True, target="python")
    assert pickle.loads(pickle.dumps(function))(3.0, 2.0) == (18.0, (12.0, 9.0))


def _gradient_norm_with_dask(points: int, chunk: int) -> tuple[float, float]:
    """The sum of the gradient's first entry over ``points`` points, by a LocalCluster."""
    np = pytest.importorskip("numpy")
    da = pytest.importorskip("dask.array")
    distributed = pytest.importorskip("dask.distributed", reason="needs dask[distributed]")
    function = symdiff.compile(symdiff.gradient(FORMULA, ARGS), ARGS, "numpy")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, memory_limit="1GiB",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster):  # fmt: skip
        x = da.linspace(-1000.0, 1000.0, points, chunks=chunk)
        y = da.cos(x) + 2.0
        gx, _ = da.map_blocks(lambda a, b: np.stack(function(a, b)), x, y,
                              new_axis=0, chunks=((2,), x.chunks[0]), dtype=float)  # fmt: skip
        total = float(gx.sum().compute())
    local = 0.0  # the same sum in this process, chunk by chunk (memory bounded too)
    step = 2000.0 / (points - 1)
    for start in range(0, points, chunk):
        xs = -1000.0 + step * np.arange(start, min(start + chunk, points))
        local += float(function(xs, np.cos(xs) + 2.0)[0].sum())
    return total, local


def test_dask_distributed_local_cluster() -> None:
    distributed_total, local_total = _gradient_norm_with_dask(200_000, 50_000)
    assert math.isfinite(distributed_total)
    assert distributed_total == pytest.approx(local_total, rel=1e-12)


@pytest.mark.soak
def test_dask_distributed_soak_10_to_the_8() -> None:
    """10**8 points in chunks of 10**6 (memory bounded by the chunk size, not the data)."""
    if os.cpu_count() is None:
        pytest.skip("unknown CPU count")
    distributed_total, local_total = _gradient_norm_with_dask(10**8, 10**6)
    assert distributed_total == pytest.approx(local_total, rel=1e-9)
