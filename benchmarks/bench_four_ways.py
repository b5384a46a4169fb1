"""The full gradient at one point, four ways and by SymPy, in the same process.

Problem: ``f = sum sin(x[i]*x[i+1]) * exp(x[i]/n)`` over n variables (a chain, so every
variable has two neighbours).  For each n the table gives the time of the whole gradient at
one point by symdiff's symbolic (diff each variable, evaluate the shared DAG), forward mode (one
dual-number sweep per variable), reverse mode (one forward, one backward sweep) and numeric
(central differences) methods, and by SymPy (``sympy.diff`` per variable, then
``lambdify`` and one call), with the ratio to symdiff's reverse mode and the node visits that
symdiff counts.  Reverse mode costs a constant multiple of one evaluation; forward mode and
differences cost n times that.  SymPy runs under a time cap.

    python benchmarks/bench_four_ways.py            # n = 10, 100, 1000; SymPy cap 30 s
    python benchmarks/bench_four_ways.py --quick    # n = 10, 100; SymPy cap 5 s
"""

from __future__ import annotations

import argparse
import math

import sympy
from timing import best_time, capped

import symdiff
from symdiff import Sym, partials_at
from symdiff.core.constructors import add
from symdiff.numeric.finite_differences import max_relative_error
from symdiff.numeric.methods import METHODS


def problem(n: int) -> tuple[symdiff.Expr, dict[str, float]]:
    xs = [Sym(f"x{i}") for i in range(n)]
    f = add(*(symdiff.sin(xs[i] * xs[i + 1]) * symdiff.exp(xs[i] / n) for i in range(n - 1)))
    point = {f"x{i}": 0.5 + 0.25 * math.sin(i) for i in range(n)}
    return f, point


def sympy_gradient(text: str, point: dict[str, float]) -> list[float]:
    names = list(point)
    symbols = sympy.symbols(names)
    f = sympy.sympify(text, locals=dict(zip(names, symbols, strict=True)))
    partials = [sympy.diff(f, s) for s in symbols]
    function = sympy.lambdify(symbols, partials, modules="math")
    return [float(v) for v in function(*point.values())]


def measure(n: int, cap: float) -> list[str]:
    """The table rows for one size."""
    f, point = problem(n)
    repeat = 3 if n <= 100 else 1
    times: dict[str, float] = {}
    results = {}
    for method in METHODS:
        times[method], results[method] = best_time(
            lambda method=method: partials_at(f, point, method), repeat
        )
    reference = results["symbolic"].gradient
    rows = []
    for method in METHODS:
        result = results[method]
        error = max_relative_error(result.gradient, reference)
        ratio = times[method] / times["reverse"]
        rows.append(
            f"| {n} | symdiff {method} | {times[method]:.4f} | {ratio:.1f}x "
            f"| {result.node_evaluations} | {error:.1e} |"
        )
    status, theirs, seconds = capped(cap, lambda: sympy_gradient(str(f), point))
    if status != "ok":
        seconds = None
    if seconds is None:
        rows.append(f"| {n} | SymPy diff + lambdify | > {cap:g} (cap) | - | - | - |")
    else:
        error = max_relative_error(dict(zip(point, theirs, strict=True)), reference)
        ratio = seconds / times["reverse"]
        rows.append(
            f"| {n} | SymPy diff + lambdify | {seconds:.4f} | {ratio:.1f}x | - | {error:.1e} |"
        )
    return rows


def run(sizes: list[int], cap: float) -> None:
    print("| n | method | time (s) | vs reverse | node visits | max rel. error vs symbolic |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        print("\n".join(measure(n, cap)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 10, 100 and a 5 s SymPy cap")
    args = parser.parse_args()
    run([10, 100] if args.quick else [10, 100, 1000], 5.0 if args.quick else 30.0)


if __name__ == "__main__":
    main()
