"""Gradient build against CasADi (C++): time and operation counts, in the same process run.

Families (issue 15, point 5): extended Rosenbrock, the chained ``sum sin(x[i]*x[i+1])*exp(x[i])``
and ``logsumexp = log(sum exp(x[i]))``, for n variables.  For each tool: the best of
``--repeat`` builds of the gradient of an ``f`` built beforehand (symdiff: ``gradient(f, xs)``,
one reverse sweep; CasADi: ``casadi.gradient(f, x)`` on ``SX``), and the operation count of
``f`` with its gradient (symdiff: ``count_operations(f, *g)``, n-1 per n-ary sum or product and
1 per power or call, over the shared DAG; CasADi: the instructions of ``Function([x], [f, g])``
other than inputs, outputs, constants and parameters).  Ratios are symdiff / CasADi: build time
(target <= 10 at n = 1000) and operations (target <= 1).  ``--profile`` adds where symdiff's
time goes at the largest n (cProfile, by module and function).

    python benchmarks/bench_gradient_casadi.py            # n = 10, 100, 1000; best of 5
    python benchmarks/bench_gradient_casadi.py --quick    # n = 100, 1000; best of 3
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import io
import pstats
import statistics
import sys
from collections.abc import Callable
from typing import Any

import casadi
from timing import best_time

import symdiff
from symdiff import Sym, count_operations, gradient
from symdiff.backend.lower import lower
from symdiff.core.constructors import add

FAMILIES = ("rosenbrock", "chained", "logsumexp")
#: CasADi instructions that are no arithmetic.
NOT_OPERATIONS = {casadi.OP_INPUT, casadi.OP_OUTPUT, casadi.OP_CONST, casadi.OP_PARAMETER}


def problem(kind: str, xs: list[Any], total: Callable[..., Any], lib: Any) -> Any:
    """The function of family ``kind`` over ``xs``, built with ``total`` (an n-ary sum) and the
    library's ``sin``, ``exp`` and ``log``."""
    n = len(xs)
    if kind == "rosenbrock":
        return total(
            *(100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1))
        )
    if kind == "chained":
        return total(*(lib.sin(xs[i] * xs[i + 1]) * lib.exp(xs[i]) for i in range(n - 1)))
    return lib.log(total(*(lib.exp(x) for x in xs)))


def _casadi_total(*terms: Any) -> Any:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def measure_symdiff(kind: str, n: int, repeat: int) -> tuple[float, int, int]:
    """Build seconds, DAG operations (``count_operations``) and the operations of the code
    generated for ``f`` and its gradient (``Program.operations``, counted like CasADi's
    instructions: a subtraction is one operation, not a multiplication by -1 and an addition)."""
    xs = [Sym(f"x{i}") for i in range(n)]
    f = problem(kind, xs, add, symdiff)
    gc.collect()
    seconds, g = best_time(lambda: gradient(f, xs), repeat)
    return seconds, count_operations(f, *g), lower([f, *g], xs).operations()


def measure_casadi(kind: str, n: int, repeat: int) -> tuple[float, int]:
    x = casadi.SX.sym("x", n)
    f = problem(kind, [x[i] for i in range(n)], _casadi_total, casadi)
    gc.collect()
    seconds, g = best_time(lambda: casadi.gradient(f, x), repeat)
    function = casadi.Function("f", [x], [f, g])
    ops = sum(
        function.instruction_id(k) not in NOT_OPERATIONS for k in range(function.n_instructions())
    )
    return seconds, ops


def profile(kind: str, n: int) -> str:
    """Where symdiff's gradient build spends its time: the top functions by own time."""
    xs = [Sym(f"x{i}") for i in range(n)]
    f = problem(kind, xs, add, symdiff)
    profiler = cProfile.Profile()
    profiler.enable()
    gradient(f, xs)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(12)
    lines = [line for line in out.getvalue().splitlines() if "/" in line or "ncalls" in line]
    return "\n".join(f"    {line.replace(str(symdiff.__path__[0]), 'symdiff')}" for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 100, 1000; best of 3")
    parser.add_argument("--repeat", type=int, default=None, help="builds per case (best of)")
    parser.add_argument("--profile", action="store_true", help="profile symdiff at the largest n")
    args = parser.parse_args(argv)
    sizes = (100, 1000) if args.quick else (10, 100, 1000)
    repeat = args.repeat or (3 if args.quick else 5)
    command = "python benchmarks/bench_gradient_casadi.py" + "".join(
        f" {a}" for a in (argv if argv is not None else sys.argv[1:])
    )
    print(
        f"Gradient build against CasADi, {datetime.date.today()}, `{command}` (CasADi "
        f"{casadi.__version__}, Python {sys.version.split()[0]}, best of {repeat})\n"
    )
    print("| family | n | symdiff ∇ (ms) | CasADi ∇ (ms) | time symdiff / CasADi "
          "| ops symdiff (DAG) | ops symdiff (code) | ops CasADi | ops symdiff / CasADi "
          "(DAG, code) |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    at_largest: dict[str, tuple[float, float]] = {}
    for kind in FAMILIES:
        for n in sizes:
            ours_s, ours_ops, code_ops = measure_symdiff(kind, n, repeat)
            theirs_s, theirs_ops = measure_casadi(kind, n, repeat)
            print(f"| {kind} | {n} | {ours_s * 1e3:.2f} | {theirs_s * 1e3:.3f} "
                  f"| {ours_s / theirs_s:.1f}x | {ours_ops} | {code_ops} | {theirs_ops} "
                  f"| {ours_ops / theirs_ops:.2f}, {code_ops / theirs_ops:.2f} |",
                  flush=True)  # fmt: skip
            if n == sizes[-1]:
                at_largest[kind] = (ours_s / theirs_s, code_ops / theirs_ops)
    n = sizes[-1]
    times = [t for t, _ in at_largest.values()]
    print(f"\n- n = {n}: build time symdiff / CasADi {min(times):.1f}x to {max(times):.1f}x "
          f"(median {statistics.median(times):.1f}x; target <= 10x)")  # fmt: skip
    worst = max(at_largest.items(), key=lambda item: item[1][1])
    print(f"- n = {n}: ops of symdiff's code / CasADi at most {worst[1][1]:.2f} ({worst[0]}; "
          "target <= 1)")  # fmt: skip
    if args.profile:
        for kind in FAMILIES:
            print(f"\nsymdiff gradient, {kind}, n = {n}, top functions by own time:\n")
            print(profile(kind, n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
