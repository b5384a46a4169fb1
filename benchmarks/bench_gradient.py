"""Gradient benchmark: symdiff's reverse sweep against SymPy, in the same process.

Problems: extended Rosenbrock and a chained ``sum sin(x[i]*x[i+1])*exp(x[i])`` for n variables,
and the loop ``z = a*cos(z + i) + z*b`` run N times.  For each, the table gives the time to build
the gradient, the operation counts of f alone and of f with its gradient (symdiff: the shared
DAG, which is the CSE form; SymPy: the list of derivative trees, and after ``sympy.cse``), and
the ratio ops(f and gradient) / ops(f) (for SymPy after cse: ops(cse(f, gradient)) /
ops(cse(f))).  Each tool counts with its own counter: symdiff's ``count_operations`` (n-1 per
n-ary sum or product, 1 per power or call) and ``sympy.count_ops``.  SymPy work runs under a
time cap (SIGALRM); timeouts and RecursionErrors are counted.  Build-time exponents are fitted
on log-log scales.

    python benchmarks/bench_gradient.py            # n, N = 10, 100, 1000; SymPy cap 20 s
    python benchmarks/bench_gradient.py --quick    # n, N = 10, 100; SymPy cap 3 s
"""

from __future__ import annotations

import argparse
import datetime
import gc
import math
import sys
from collections.abc import Callable
from typing import Any

import sympy
from timing import best_time, capped

import symdiff
from symdiff import Sym, count_operations, gradient, trace
from symdiff import math as sm
from symdiff.core.constructors import add

# --- the problems, written once for symdiff and once for SymPy -------------------------------


def rosenbrock(xs: list, total: Callable) -> Any:
    return total(
        *(100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(len(xs) - 1))
    )


def chained(xs: list, total: Callable, sin: Callable, exp: Callable) -> Any:
    return total(*(sin(xs[i] * xs[i + 1]) * exp(xs[i]) for i in range(len(xs) - 1)))


def loop(a: Any, b: Any, steps: int, cos: Callable) -> Any:
    z = 0
    for i in range(steps):
        z = a * cos(z + i) + z * b
    return z


def symdiff_problem(kind: str, n: int) -> tuple[Any, list[Sym]]:
    if kind == "loop":
        f = trace(lambda a, b: loop(a, b, n, sm.cos))
        return f, [Sym("a"), Sym("b")]
    xs = [Sym(f"x{i}") for i in range(n)]
    if kind == "rosenbrock":
        return rosenbrock(xs, add), xs
    return chained(xs, add, symdiff.sin, symdiff.exp), xs


def sympy_problem(kind: str, n: int) -> tuple[Any, list]:
    if kind == "loop":
        a, b = sympy.symbols("a b", real=True)
        return loop(a, b, n, sympy.cos), [a, b]
    xs = list(sympy.symbols(f"x0:{n}", real=True))
    if kind == "rosenbrock":
        return rosenbrock(xs, sympy.Add), xs
    return chained(xs, sympy.Add, sympy.sin, sympy.exp), xs


# --- measurements -------------------------------------------------------------------------------


def measure_symdiff(kind: str, n: int, repeats: int) -> dict[str, Any]:
    build_f, (f, xs) = best_time(lambda: symdiff_problem(kind, n), 1)
    seconds, g = best_time(lambda: gradient(f, xs), repeats)
    ops_f = count_operations(f)
    ops_all = count_operations(f, *g)
    return {"f_s": build_f, "grad_s": seconds, "ops_f": ops_f, "ops_all": ops_all,
            "ratio": ops_all / ops_f}  # fmt: skip


def _cse_ops(roots: list) -> int:
    bindings, reduced = sympy.cse(roots)
    return sum(sympy.count_ops(value) for _, value in bindings) + sympy.count_ops(reduced)


def measure_sympy(kind: str, n: int, cap: float) -> dict[str, Any]:
    row: dict[str, Any] = {}
    status, built, _ = capped(cap, lambda: sympy_problem(kind, n))
    if status != "ok":  # even building f can blow up: SymPy's canonical ordering walks trees
        return {"status": f"building f: {status}"}
    f, xs = built
    status, ops_f, _ = capped(cap, lambda: sympy.count_ops(f))
    row["ops_f"] = ops_f if status == "ok" else status
    status, grads, seconds = capped(cap, lambda: [sympy.diff(f, x) for x in xs])
    row["grad_s"], row["status"] = seconds, status
    if status != "ok":
        return row
    status, ops_g, _ = capped(cap, lambda: sympy.count_ops(grads))
    if status == "ok" and isinstance(row["ops_f"], int):
        row["ops_all"] = row["ops_f"] + ops_g
        row["ratio"] = row["ops_all"] / row["ops_f"]
    status, ops_cse, seconds = capped(cap, lambda: (_cse_ops([f]), _cse_ops([f, *grads])))
    row["cse_s"], row["cse_status"] = seconds, status
    if status == "ok":
        row["ops_f_cse"], row["ops_cse"] = ops_cse
        row["ratio_cse"] = row["ops_cse"] / row["ops_f_cse"]
    return row


def fitted_exponent(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(time) against log(n)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def _seconds(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else "—"


def _number(value: Any, digits: int = 2) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value) if value is not None else "—"


def table(rows: list[tuple[str, int, dict, dict]], cap: float) -> str:
    header = (
        "| problem | n | symdiff ∇ build (s) | ops f | ops f+∇f (shared DAG = CSE) | ratio "
        f"| SymPy ∇ (s, cap {cap:g}) | SymPy ops f | SymPy ops f+∇f (trees) | ratio "
        "| SymPy cse (s) | SymPy ops f (cse) | SymPy ops f+∇f (cse) | ratio |"
    )
    lines = [header, "|" + "---|" * 14]
    for kind, n, ours, theirs in rows:
        status = theirs.get("status", "ok")
        grad = _seconds(theirs.get("grad_s")) if status == "ok" else status
        cse_status = theirs.get("cse_status", "—")
        cse_time = _seconds(theirs.get("cse_s")) if cse_status == "ok" else cse_status
        lines.append(
            f"| {kind} | {n} | {ours['grad_s']:.4f} | {ours['ops_f']} | {ours['ops_all']} "
            f"| {ours['ratio']:.2f} | {grad} | {_number(theirs.get('ops_f'))} "
            f"| {_number(theirs.get('ops_all'))} | {_number(theirs.get('ratio'))} "
            f"| {cse_time} | {_number(theirs.get('ops_f_cse'))} | {_number(theirs.get('ops_cse'))} "
            f"| {_number(theirs.get('ratio_cse'))} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 10, 100 and a 3 s SymPy cap")
    parser.add_argument("--cap", type=float, default=None, help="SymPy time cap in seconds")
    parser.add_argument("--no-sympy", action="store_true", help="skip the SymPy columns")
    args = parser.parse_args(argv)
    sizes = (10, 100) if args.quick else (10, 100, 1000)
    cap = args.cap or (3.0 if args.quick else 20.0)
    cases = [(kind, n) for kind in ("rosenbrock", "chained", "loop") for n in sizes]
    # symdiff first, each run after a full collection: SymPy's caches keep millions of objects
    # alive, and every garbage collection after that would walk them inside symdiff's timings
    measured = {}
    for kind, n in cases:
        gc.collect()
        ours = measured[kind, n] = measure_symdiff(kind, n, repeats=3)
        print(f"  symdiff {kind} n={n}: {ours['grad_s']:.4f} s, ratio {ours['ratio']:.2f}",
              file=sys.stderr)  # fmt: skip
    rows = []
    failures = {"timeout": 0, "RecursionError": 0}
    for kind, n in cases:
        sympy.core.cache.clear_cache()
        gc.collect()
        theirs = {} if args.no_sympy else measure_sympy(kind, n, cap)
        for key in ("status", "cse_status"):
            for failure in failures:
                failures[failure] += str(theirs.get(key, "")).endswith(failure)
        print(f"  SymPy {kind} n={n}: {theirs.get('status')}", file=sys.stderr)
        rows.append((kind, n, measured[kind, n], theirs))
    print(
        f"Run {datetime.date.today()}, Python {sys.version.split()[0]}, SymPy {sympy.__version__}"
    )
    print(f"command: python benchmarks/bench_gradient.py{' --quick' if args.quick else ''}\n")
    print(table(rows, cap))
    print()
    for kind in ("rosenbrock", "chained", "loop"):
        ours = [(n, o["grad_s"]) for k, n, o, _ in rows if k == kind]
        theirs = [(n, t["grad_s"]) for k, n, _, t in rows if k == kind and t.get("status") == "ok"]
        line = f"- {kind}: symdiff build time ~ n^{fitted_exponent(ours):.2f}"
        line += f" (n >= 100: n^{fitted_exponent(ours[1:]):.2f})" if len(ours) > 2 else ""
        if len(theirs) > 1:
            line += f"; SymPy ~ n^{fitted_exponent(theirs):.2f} over n = {[n for n, _ in theirs]}"
        print(line)
    worst = max(o["ratio"] for _, _, o, _ in rows)
    print(f"- worst symdiff ratio ops(f and gradient)/ops(f): {worst:.2f} (target <= 4)")
    print(f"- SymPy steps over the cap: {failures['timeout']} timeouts, "
          f"{failures['RecursionError']} RecursionErrors")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
