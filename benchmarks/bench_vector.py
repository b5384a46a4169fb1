"""Code generation that scales: compile time against DAG size, per-call overhead, a 512-state
right-hand side.  Every ratio is taken against a reference measured in the same run.

1. Compile time of the traced loop gradient (``examples/loop_gradient.py``, ``steps`` steps)
   and of the 2-D Brusselator right-hand side (N x N grid, 2*N*N states) with
   ``compile_vector(target="c")`` from a fresh cache: codegen (lowering + C text) and compiler
   (+ load) separately, and the exponent ``k`` of ``time ~ size**k`` fitted over the sizes.
   At 1000 steps also the ctypes path of before (``compile_many``), SymEngine's LLVM
   ``Lambdify`` and CasADi's ``Function`` (creation; CasADi interprets, it does not compile).
2. Per-call time of ``f(x, y) = x*y + 1`` at one point, against a plain Python function.
3. One call of the Brusselator right-hand side at one state vector, against hand-written
   NumPy (``np.roll`` Laplacians).

Timings are the minimum over interleaved rounds (the machine is shared and noisy).

    python benchmarks/bench_vector.py            # loop up to 4000 steps, N up to 32
    python benchmarks/bench_vector.py --quick    # loop up to 1000 steps, N up to 16
"""

from __future__ import annotations

import argparse
import datetime
import math
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import symdiff
from symdiff.backend import c_vector
from symdiff.backend.compiling import compile_many, symbols_of
from symdiff.backend.lower import lower

sys.path.insert(0, str(Path(__file__).parent))
from timing import capped

ALPHA = 10.0


def loop(a: Any, b: Any, cos: Callable[[Any], Any], steps: int) -> Any:
    z = 0
    for i in range(steps):
        z = a * cos(z + i) + z * b
    return z


def brusselator(n: int, symbol: Callable[[str], Any], alpha: Any) -> tuple[list, list]:
    """The outputs and states of the 2-D Brusselator (periodic, A = 1, B = 3.4)."""
    u = [[symbol(f"u{i}_{j}") for j in range(n)] for i in range(n)]
    v = [[symbol(f"v{i}_{j}") for j in range(n)] for i in range(n)]

    def lap(w: list, i: int, j: int) -> Any:
        return (w[(i + 1) % n][j] + w[(i - 1) % n][j] + w[i][(j + 1) % n]
                + w[i][(j - 1) % n] - 4 * w[i][j])  # fmt: skip

    du = [1 + u[i][j] ** 2 * v[i][j] - 4.4 * u[i][j] + alpha * lap(u, i, j)
          for i in range(n) for j in range(n)]  # fmt: skip
    dv = [3.4 * u[i][j] - u[i][j] ** 2 * v[i][j] + alpha * lap(v, i, j)
          for i in range(n) for j in range(n)]  # fmt: skip
    return du + dv, [s for w in (u, v) for row in w for s in row]


def hand_rhs(n: int) -> Callable[[np.ndarray], np.ndarray]:
    def rhs(y: np.ndarray) -> np.ndarray:
        u, v = y[: n * n].reshape(n, n), y[n * n :].reshape(n, n)
        lu = np.roll(u, 1, 0) + np.roll(u, -1, 0) + np.roll(u, 1, 1) + np.roll(u, -1, 1) - 4 * u
        lv = np.roll(v, 1, 0) + np.roll(v, -1, 0) + np.roll(v, 1, 1) + np.roll(v, -1, 1) - 4 * v
        uuv = u * u * v
        return np.concatenate(
            [(1 + uuv - 4.4 * u + ALPHA * lu).ravel(), (3.4 * u - uuv + ALPHA * lv).ravel()]
        )

    return rhs


def best(calls: dict[str, Callable[[], Any]], number: int, rounds: int) -> dict[str, float]:
    """Seconds per call of each, the minimum over interleaved ``rounds`` of ``number`` calls."""
    times = {label: math.inf for label in calls}
    for _ in range(rounds):
        for label, call in calls.items():
            start = time.perf_counter()
            for _ in range(number):
                call()
            times[label] = min(times[label], (time.perf_counter() - start) / number)
    return times


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the compiler): unlike wall time,
    it does not grow with the load other jobs put on the machine."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed_compile(outputs: list, inputs: list, params: list = ()) -> tuple[float, float, Any]:
    """(codegen seconds, compiler + load seconds, function) from a fresh cache; the CPU
    seconds of the whole build are ``function.cpu``."""
    cpu = cpu_seconds()
    start = time.perf_counter()
    program = lower(outputs, symbols_of([*inputs, *params]))
    c_vector.vector_source(program, len(inputs))
    codegen = time.perf_counter() - start
    start = time.perf_counter()
    function = symdiff.compile_vector(outputs, inputs, params=params, target="c",
                                      cache_dir=tempfile.mkdtemp())  # fmt: skip
    total = time.perf_counter() - start
    function.cpu = cpu_seconds() - cpu
    return codegen, max(total - codegen, 0.0), function


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) against log(size)."""
    xs, ys = np.log(sizes), np.log(seconds)
    return float(np.polyfit(xs, ys, 1)[0])


def compile_scaling(steps_list: list[int], grids: list[int]) -> list[str]:
    lines = ["| model | DAG nodes | lines of C | codegen | compiler + load | wall | CPU |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for label, sizes, build in [
        ("loop gradient, steps", steps_list, lambda k: _loop_model(k)),
        ("Brusselator RHS, N", grids, lambda n: _brusselator_model(n)),
    ]:
        dag, totals = [], []
        for size in sizes:
            outputs, inputs, params = build(size)
            codegen, compiler, function = timed_compile(outputs, inputs, params)
            nodes = symdiff.dag_size(*outputs)
            dag.append(nodes)
            totals.append(function.cpu)
            statements = function.source.count("\n")
            lines.append(f"| {label} {size} | {nodes:,} | {statements:,} | {codegen:.2f} s | "
                         f"{compiler:.2f} s | {codegen + compiler:.2f} s | "
                         f"{function.cpu:.2f} s |")  # fmt: skip
        lines.append(f"| {label}: fitted exponent (CPU time ~ nodes**k) | | | | | | "
                     f"k = {exponent(dag, totals):.2f} |")  # fmt: skip
    return lines


def _loop_model(steps: int) -> tuple[list, list, list]:
    f = symdiff.trace(lambda a, b: loop(a, b, symdiff.math.cos, steps), "a b")
    return [f, *symdiff.gradient(f, "a b")], ["a", "b"], []


def _brusselator_model(n: int) -> tuple[list, list, list]:
    alpha = symdiff.Sym("alpha")
    outputs, states = brusselator(n, symdiff.Sym, alpha)
    return outputs, states, [alpha]


def peers_at_1000() -> list[str]:
    lines = ["| 1000-step loop gradient | build time | value and gradient at (0.3, 0.5) |",
             "|---|---|---|"]  # fmt: skip
    start = time.perf_counter()
    outputs, inputs, _ = _loop_model(1000)
    traced = time.perf_counter() - start
    codegen, compiler, function = timed_compile(outputs, inputs)
    values = function(np.array([0.3, 0.5]))
    lines.append(f"| symdiff trace + gradient | {traced:.2f} s | |")
    lines.append(f"| symdiff compile_vector c (codegen {codegen:.2f} s + compiler "
                 f"{compiler:.2f} s; CPU {function.cpu:.2f} s) | {codegen + compiler:.2f} s | "
                 f"{_fmt(values)} |")  # fmt: skip
    start, cpu = time.perf_counter(), cpu_seconds()
    (old,) = compile_many([(outputs, inputs, "f")], cache_dir=tempfile.mkdtemp())
    lines.append(f"| symdiff compile_many c (before: ctypes, -O3; CPU {cpu_seconds() - cpu:.2f} s)"
                 f" | {time.perf_counter() - start:.2f} s | {_fmt(old(0.3, 0.5))} |")  # fmt: skip
    try:
        import symengine as se
    except ImportError:
        lines.append("| SymEngine | not installed | |")
    else:
        a, b = se.symbols("a b")

        def symengine_build() -> Any:
            z = loop(a, b, se.cos, 1000)
            return se.Lambdify([a, b], [z, z.diff(a), z.diff(b)], backend="llvm", cse=True)

        cpu = cpu_seconds()
        status, lam, seconds = capped(120, symengine_build)
        got = _fmt(lam([0.3, 0.5])) if status == "ok" else status
        lines.append(f"| SymEngine {se.__version__} diff + Lambdify(llvm, cse; CPU "
                     f"{cpu_seconds() - cpu:.2f} s) | {seconds:.2f} s | {got} |")  # fmt: skip
    try:
        import casadi as ca
    except ImportError:
        lines.append("| CasADi | not installed | |")
    else:
        start = time.perf_counter()
        a, b = ca.SX.sym("a"), ca.SX.sym("b")
        z = loop(a, b, ca.cos, 1000)
        function = ca.Function("f", [a, b], [z, ca.gradient(z, ca.vertcat(a, b))])
        seconds = time.perf_counter() - start
        value, gradient = function(0.3, 0.5)
        got = _fmt([float(value), *np.asarray(gradient).ravel()])
        lines.append(f"| CasADi {ca.__version__} SX + gradient + Function (interpreted) | "
                     f"{seconds:.3f} s | {got} |")  # fmt: skip
    return lines


def _ratio(value: float) -> str:
    return f"{value:.3f}x" if value < 0.1 else f"{value:.2f}x"


def _fmt(values: Any) -> str:
    return ", ".join(f"{float(v):.10f}" for v in values)


def call_overhead(rounds: int) -> list[str]:
    def plain(x: float, y: float) -> float:
        return x * y + 1

    cache = tempfile.mkdtemp()
    ext = symdiff.compile("x*y + 1", "x y", target="c", cache_dir=cache)
    (ctypes_f,) = compile_many([("x*y + 1", "x y", "g")], cache_dir=cache)
    python_f = symdiff.compile("x*y + 1", "x y", target="python")
    vector = symdiff.compile_vector(["x*y + 1"], "x y", target="c", cache_dir=cache)
    point, out = np.array([1.0, 2.0]), np.empty(1)
    calls: dict[str, Callable[[], Any]] = {
        "plain Python function f(x, y)": lambda: plain(1.0, 2.0),
        "symdiff compile c (extension module) f(x, y)": lambda: ext(1.0, 2.0),
        "symdiff compile python f(x, y)": lambda: python_f(1.0, 2.0),
        "symdiff compile_vector c f(x, out=out)": lambda: vector(point, None, out),
        "symdiff compile_vector c f(x)": lambda: vector(point),
        "symdiff compile_many c (ctypes) f(x, y)": lambda: ctypes_f(1.0, 2.0),
    }
    try:
        import symengine as se

        x, y = se.symbols("x y")
        lam = se.Lambdify([x, y], [x * y + 1], backend="llvm")
        calls[f"SymEngine {se.__version__} Lambdify(llvm) f([x, y])"] = lambda: lam(point)
    except ImportError:
        pass
    try:
        import casadi as ca

        cx, cy = ca.SX.sym("x"), ca.SX.sym("y")
        cf = ca.Function("f", [cx, cy], [cx * cy + 1])
        calls[f"CasADi {ca.__version__} Function f(x, y)"] = lambda: cf(1.0, 2.0)
    except ImportError:
        pass
    for call in calls.values():
        call()
    times = best(calls, 20000, rounds)
    reference = times["plain Python function f(x, y)"]
    lines = ["| one point of x*y + 1 | time per call | / plain Python call |", "|---|---|---|"]
    for label, seconds in times.items():
        lines.append(f"| {label} | {seconds * 1e9:,.0f} ns | {seconds / reference:.2f}x |")
    return lines


def rhs_calls(grids: list[int], rounds: int) -> list[str]:
    lines = ["| Brusselator RHS at one state | states | build | time per call | / hand NumPy |",
             "|---|---|---|---|---|"]  # fmt: skip
    for n in grids:
        lines += _rhs_rows(n, rounds)
    return lines


def _rhs_rows(n: int, rounds: int) -> list[str]:
    lines = []
    hand = hand_rhs(n)
    y = np.random.default_rng(n).uniform(0, 1, 2 * n * n)
    outputs, states, params = _brusselator_model(n)
    codegen, compiler, c_f = timed_compile(outputs, states, params)
    start = time.perf_counter()
    numpy_f = symdiff.compile_vector(outputs, states, params=params, target="numpy")
    numpy_build = time.perf_counter() - start
    start = time.perf_counter()
    plain_f = symdiff.compile_vector(outputs, states, params=params, target="numpy", reuse=False)
    plain_build = time.perf_counter() - start
    p, out = np.array([ALPHA]), np.empty(2 * n * n)
    expected = hand(y)
    assert np.allclose(c_f(y, p), expected, rtol=1e-13, atol=1e-13)
    assert np.allclose(numpy_f(y, p), expected, rtol=1e-13, atol=1e-13)
    calls: dict[str, tuple[float, Callable[[], Any]]] = {
        "hand-written NumPy": (0.0, lambda: hand(y)),
        "symdiff compile_vector c, out=": (codegen + compiler, lambda: c_f(y, p, out)),
        "symdiff compile_vector c": (codegen + compiler, lambda: c_f(y, p)),
        "symdiff compile_vector numpy": (numpy_build, lambda: numpy_f(y, p)),
        "symdiff compile_vector numpy, reuse=False": (plain_build, lambda: plain_f(y, p)),
    }
    try:
        import symengine as se

        start = time.perf_counter()
        se_out, se_states = brusselator(n, se.Symbol, ALPHA)
        lam = se.Lambdify(se_states, se_out, backend="llvm", cse=True)
        seconds = time.perf_counter() - start
        assert np.allclose(lam(y), expected, rtol=1e-13, atol=1e-13)
        calls[f"SymEngine {se.__version__} Lambdify(llvm, cse)"] = (seconds, lambda: lam(y))
    except ImportError:
        pass
    try:
        import casadi as ca

        start = time.perf_counter()
        state = ca.SX.sym("y", 2 * n * n)
        ca_out, _ = brusselator(n, _casadi_symbols(state), ALPHA)
        cf = ca.Function("rhs", [state], [ca.vertcat(*ca_out)])
        seconds = time.perf_counter() - start
        assert np.allclose(np.asarray(cf(y)).ravel(), expected, rtol=1e-13, atol=1e-13)
        calls[f"CasADi {ca.__version__} Function (interpreted)"] = (seconds, lambda: cf(y))
    except ImportError:
        pass
    times = best({k: v[1] for k, v in calls.items()}, 2000, rounds)
    reference = times["hand-written NumPy"]
    for label, seconds in times.items():
        build = f"{calls[label][0]:.2f} s" if calls[label][0] else ""
        lines.append(f"| {label} | {2 * n * n:,} | {build} | {seconds * 1e6:,.1f} us | "
                     f"{_ratio(seconds / reference)} |")  # fmt: skip
    return lines


def _casadi_symbols(state: Any) -> Callable[[str], Any]:
    counter = iter(range(state.shape[0]))
    return lambda name: state[next(counter)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds")
    parser.add_argument("--rhs", action="store_true", help="the Brusselator section only")
    options = parser.parse_args()
    steps = [125, 250, 500, 1000] if options.quick else [125, 250, 500, 1000, 2000, 4000]
    grids = [8, 16] if options.quick else [8, 16, 32]
    rounds = 3 if options.quick else 7
    import platform
    import subprocess

    compiler = subprocess.run(["cc", "--version"], capture_output=True, text=True).stdout
    command = "python benchmarks/bench_vector.py" + (" --quick" if options.quick else "")
    command += " --rhs" if options.rhs else ""
    print(f"Measured {datetime.date.today()} with `{command}` (numpy {np.__version__}, "
          f"Python {platform.python_version()}, {compiler.splitlines()[0] if compiler else 'cc'};"
          " 2 shared cores).\n")  # fmt: skip
    sections = [
        ("Compile time against size (compile_vector, target c, fresh cache)",
         lambda: compile_scaling(steps, grids)),
        ("The 1000-step loop gradient: build time against peers", peers_at_1000),
        ("Per-call overhead at one point", lambda: call_overhead(rounds)),
        ("Brusselator right-hand side against hand-written NumPy",
         lambda: rhs_calls(grids, rounds)),
    ]  # fmt: skip
    if options.rhs:
        sections = sections[-1:]
    for title, section in sections:
        print(f"{title}:\n")
        print("\n".join(section()), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
