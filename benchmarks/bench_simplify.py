"""Benchmark: symdiff's simplified derivatives against SymPy's, in size and in time.

For every corpus case ``d text / d variable`` it measures, in the same process:

* symdiff: ``parse`` + ``diff`` + ``simplify`` (median of 3 runs);
* SymPy: ``sympify`` + ``diff`` (median of 3 runs, cache cleared before each);
* SymPy: ``sympify`` + ``diff`` + ``simplify`` (once, with a per-case time cap; a timeout counts);
* the size of each result in SymPy's ``count_ops`` (symdiff's output crosses over as text).

When SymPy's ``simplify`` times out, its result is taken to be the unsimplified derivative (the
best SymPy had within the cap) and its time is the cap (so time ratios are lower bounds).

Run: ``python benchmarks/bench_simplify.py`` (full) or ``--quick`` (a short subset).
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy  # benchmarks may import SymPy; the package never does
from corpus import CASES, Case
from sympy.core.cache import clear_cache
from timing import CapExceeded, time_cap

import symdiff

SPECIAL = {"abs": sympy.Abs, "sign": sympy.sign, "erf": sympy.erf, "atan2": sympy.atan2}
SPECIAL.update({"E": sympy.E, "pi": sympy.pi, "sqrt": sympy.sqrt, "exp": sympy.exp})


def sympy_names(text: str) -> dict[str, Any]:
    """Every non-function identifier of ``text`` as a real SymPy symbol (even ``S`` or ``beta``)."""
    names: dict[str, Any] = dict(SPECIAL)
    for token in set(re.findall(r"\b([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()", text)):
        if token not in ("E", "pi"):
            names[token] = sympy.Symbol(token, real=True)
    return names


def to_sympy(text: str) -> sympy.Expr:
    """SymPy's reading of a formula over real symbols."""
    return sympy.sympify(text, locals=sympy_names(text))


def median_time(
    run: Callable[[], Any], repeat: int, before: Callable[[], None]
) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


class Row(NamedTuple):
    case: Case
    symdiff_s: float
    sympy_diff_s: float
    sympy_simplify_s: float
    timed_out: bool
    symdiff_ops: int
    sympy_diff_ops: int
    sympy_simplify_ops: int  # the diff's ops when simplify timed out


def measure(case: Case, cap: float, repeat: int) -> Row:
    """All columns for one case."""

    def ours() -> Any:
        return symdiff.simplify(
            symdiff.diff(symdiff.parse(case.text), case.variable, simplify=False), goal="compact"
        )

    names = sympy_names(case.text)
    variable = names.get(case.variable, sympy.Symbol(case.variable, real=True))

    def theirs() -> Any:
        return sympy.diff(sympy.sympify(case.text, locals=names), variable)

    ours_s, result = median_time(ours, repeat, lambda: None)
    diff_s, derivative = median_time(theirs, repeat, clear_cache)
    clear_cache()
    timed_out = False
    start = time.perf_counter()
    try:
        with time_cap(cap):
            simplified = sympy.simplify(theirs())
        simplify_s = time.perf_counter() - start
    except CapExceeded:
        timed_out, simplified, simplify_s = True, derivative, cap
    return Row(
        case,
        ours_s,
        diff_s,
        simplify_s,
        timed_out,
        int(sympy.count_ops(to_sympy(str(result)))),
        int(sympy.count_ops(derivative)),
        int(sympy.count_ops(simplified)),
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def case_table(rows: list[Row]) -> str:
    lines = [
        "| case | d/d | symdiff ms | SymPy diff ms | SymPy diff+simplify ms | ops symdiff | "
        "ops SymPy diff | ops SymPy simplify |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        capped = " (timeout)" if r.timed_out else ""
        lines.append(
            f"| {r.case.name} | {r.case.variable} | {_ms(r.symdiff_s)} | {_ms(r.sympy_diff_s)} | "
            f"{'≥' if r.timed_out else ''}{_ms(r.sympy_simplify_s)}{capped} | {r.symdiff_ops} | "
            f"{r.sympy_diff_ops} | {r.sympy_simplify_ops} |"
        )
    return "\n".join(lines)


def summary_table(rows: list[Row]) -> str:
    classes = ["classic", "small", "medium", "large"]
    groups = [(c, [r for r in rows if r.case.size_class == c]) for c in classes]
    groups = [(c, g) for c, g in groups if g] + [("**all**", rows)]
    lines = [
        "| class | cases | symdiff median ms | SymPy diff / symdiff (median) | "
        "SymPy diff+simplify / symdiff (median) | simplify timeouts | "
        "symdiff ops ≤ SymPy simplify | fewer | total ops symdiff | total ops SymPy simplify |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, group in groups:
        ratio_diff = statistics.median(r.sympy_diff_s / r.symdiff_s for r in group)
        ratio_simplify = statistics.median(
            (r.sympy_diff_s + r.sympy_simplify_s) / r.symdiff_s for r in group
        )
        at_most = sum(r.symdiff_ops <= r.sympy_simplify_ops for r in group)
        fewer = sum(r.symdiff_ops < r.sympy_simplify_ops for r in group)
        lines.append(
            f"| {name} | {len(group)} | {_ms(statistics.median(r.symdiff_s for r in group))} | "
            f"{ratio_diff:.1f}x | {ratio_simplify:.0f}x | {sum(r.timed_out for r in group)} | "
            f"{at_most}/{len(group)} ({100 * at_most / len(group):.0f}%) | {fewer} | "
            f"{sum(r.symdiff_ops for r in group)} | {sum(r.sympy_simplify_ops for r in group)} |"
        )
    return "\n".join(lines)


def targets(rows: list[Row]) -> str:
    """The issue's targets, measured."""
    n = len(rows)
    at_most = sum(r.symdiff_ops <= r.sympy_simplify_ops for r in rows)
    ours, theirs = sum(r.symdiff_ops for r in rows), sum(r.sympy_simplify_ops for r in rows)
    finished = [r for r in rows if not r.timed_out]
    at_most_finished = sum(r.symdiff_ops <= r.sympy_simplify_ops for r in finished)
    ratio_simplify = statistics.median(
        (r.sympy_diff_s + r.sympy_simplify_s) / r.symdiff_s for r in rows
    )
    ratio_diff = statistics.median(r.sympy_diff_s / r.symdiff_s for r in rows)
    total_simplify = sum(r.sympy_diff_s + r.sympy_simplify_s for r in rows)
    total_ours = sum(r.symdiff_s for r in rows)
    geo = math.exp(statistics.fmean(math.log(r.sympy_diff_s / r.symdiff_s) for r in rows))
    return "\n".join(
        [
            f"- ops ≤ SymPy simplify in {at_most}/{n} cases "
            f"({100 * at_most / n:.0f}%; target ≥ 90%)"
            f"; {at_most_finished}/{len(finished)} among cases where SymPy's simplify finished",
            f"- total ops: symdiff {ours} vs SymPy simplify {theirs} (target: fewer)",
            f"- speed vs SymPy diff+simplify: median {ratio_simplify:.0f}x, total time "
            f"{total_simplify / total_ours:.0f}x (target ≥ 30x)",
            f"- speed vs SymPy sympify+diff: median {ratio_diff:.1f}x, geometric mean {geo:.1f}x "
            "(target > 1x)",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short subset, 2 s cap")
    parser.add_argument("--cap", type=float, default=None, help="SymPy simplify cap, seconds")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs (median)")
    parser.add_argument("--cases", action="store_true", help="also print the per-case table")
    args = parser.parse_args(argv)
    cap = args.cap if args.cap is not None else (2.0 if args.quick else 10.0)
    cases = CASES
    if args.quick:
        cases = [c for c in CASES if c.size_class == "classic"][::3] + [
            c for c in CASES if c.size_class != "classic" and c.name.endswith("_0")
        ]
    symdiff.diff(symdiff.parse("sin(x)*exp(x)/(1 + x**2)"), "x")  # warm-up
    rows = []
    for case in cases:
        rows.append(measure(case, cap, args.repeat))
        print(f"  {case.name} d/d{case.variable}: {rows[-1].symdiff_ops} vs "
              f"{rows[-1].sympy_simplify_ops} ops", file=sys.stderr)  # fmt: skip
    command = "python benchmarks/bench_simplify.py" + " ".join([""] + (argv or sys.argv[1:]))
    print(
        f"Simplifier benchmark, {date.today().isoformat()}, `{command}` (SymPy "
        f"{sympy.__version__}, Python {sys.version.split()[0]}, cap {cap:g} s)\n"
    )
    print(summary_table(rows))
    print()
    print(targets(rows))
    if args.cases:
        print()
        print(case_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
