"""High-order derivatives and long sums: symdiff against SymEngine, in the same process.

For each formula and order the table gives the time of ``symdiff.diff(f, ("x", n))`` (Leibniz
over the DAG, reusing lower orders), of differentiating ``n`` times in a row (what symdiff did
before; capped), of ``symengine.diff(f, x, n)``, and of ``symdiff.derivative_at`` (the value at
a point without the formula), with the DAG sizes and the ratio symdiff / SymEngine.  The values
at a point are compared (relative difference).  The second table builds sums and products of
n terms in a Python loop (``s = s + t``), as ``trace`` does.

    python benchmarks/bench_high_order.py           # full run
    python benchmarks/bench_high_order.py --quick   # fewer cases, shorter caps
"""

from __future__ import annotations

import argparse
import datetime
import math
import multiprocessing
import resource
import sys
from typing import Any

import symengine
from timing import best_time, capped

import symdiff
from symdiff import Sym, dag_size, derivative_at, diff, evaluate, parse
from symdiff.calculus.forward import derivative_wrt

CASES = [
    ("sin(sin(sin(sin(x))))", 10, 0.7),
    ("x**x", 10, 1.3),
    ("x**x", 20, 1.3),
    ("x**x", 30, 1.3),
    ("exp(x**2)*log(x)", 15, 1.2),
    ("tan(x)", 20, 0.4),
    ("atan(x)*sqrt(1 + x**2)", 12, 0.6),
]
QUICK = [CASES[0], CASES[1], CASES[3]]


def repeated(f: Any, n: int) -> Any:
    x = Sym("x")
    for _ in range(n):
        f = derivative_wrt(f, x)
    return f


def _child(work: Any, args: tuple, out: Any) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # SymEngine's trees can explode
    out.send(work(*args))


def in_child(cap: float, work: Any, *args: Any) -> Any:
    """``work(*args)`` in a child process, or None past ``cap`` seconds or 4 GB (SymEngine's
    C++ cannot be interrupted by a signal)."""
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_child, args=(work, args, send))
    child.start()
    result = receive.recv() if receive.poll(cap) else None
    child.kill()
    child.join()
    return result


def symengine_derivative(text: str, order: int, at: float, repeats: int) -> tuple[float, float]:
    """SymEngine's best time for the derivative, and its value at ``at``."""
    x = symengine.Symbol("x")
    g = symengine.sympify(text.replace("**", "^"))
    seconds, d = best_time(lambda: symengine.diff(g, x, order), repeats)
    return seconds, float(d.subs({x: at}).evalf())


def row(text: str, order: int, at: float, cap: float, repeats: int) -> dict[str, Any]:
    f = parse(text)
    ours_time, ours = best_time(lambda: diff(f, ("x", order), simplify=False), repeats)
    status, old, old_time = capped(cap, lambda: repeated(f, order))
    theirs_time, theirs_value = in_child(cap, symengine_derivative, text, order, at, repeats) or (
        None,
        None,
    )
    at_time, value_at = best_time(lambda: derivative_at(f, {"x": at}, "x", order), repeats)
    ours_value = evaluate(ours, x=at)
    reference = ours_value if theirs_value is None else theirs_value
    return {
        "case": f"{text}, order {order}",
        "symdiff": ours_time,
        "nodes": dag_size(ours),
        "repeated": old_time if status == "ok" else None,
        "repeated_nodes": dag_size(old) if status == "ok" else None,
        "symengine": theirs_time,
        "ratio": None if theirs_time is None else ours_time / theirs_time,
        "derivative_at": at_time,
        "agree": max(abs(ours_value - reference), abs(value_at - reference))
        / max(1.0, abs(reference)),
    }


def _ms(seconds: float | None, cap: float) -> str:
    return f"> {cap:.0f} s" if seconds is None else f"{1000 * seconds:.1f} ms"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(rows: list[dict[str, Any]], cap: float) -> str:
    lines = [
        "| case | symdiff diff | nodes | repeated (before) | nodes | SymEngine | symdiff/SymEngine "
        "| derivative_at | rel. diff |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {_ms(r['symdiff'], cap)} | {r['nodes']} | "
            f"{_ms(r['repeated'], cap)} | {r['repeated_nodes'] or '-'} | "
            f"{_ms(r['symengine'], cap)} | {_ratio(r['ratio'])} | {_ms(r['derivative_at'], cap)} | "
            f"{r['agree']:.1e} |"
        )
    return "\n".join(lines)


def _loop(items: list, start: Any, step: Any) -> Any:
    value = start
    for item in items:
        value = step(value, item)
    return value


STEPS = {
    "s = s + v": (lambda s, v: s + v, 0),
    "s = s + (v - 1)**2": (lambda s, v: s + (v - 1) ** 2, 0),
    "p = p * (v + 1)": (lambda s, v: s * (v + 1), 1),
}


def _symengine_loop(label: str, n: int) -> float:
    step, start = STEPS[label]
    engine = [symengine.Symbol(f"v{i}") for i in range(n)]
    return best_time(lambda: _loop(engine, start, step), 1)[0]


def sums(n: int, cap: float) -> list[str]:
    names = [Sym(f"v{i}") for i in range(n)]
    rows = []
    for label, (step, start) in STEPS.items():
        ours, _ = best_time(lambda step=step, start=start: _loop(names, start, step), 1)
        theirs = in_child(cap, _symengine_loop, label, n)
        ratio = "-" if theirs is None else f"{ours / theirs:.2f}"
        rows.append(f"| {label}, n = {n:,} | {ours:.3f} s | {_s(theirs, cap)} | {ratio} |")
    text = "+".join(["x"] * n)
    parse_time, _ = best_time(lambda: parse(text), 1)
    rows.append(f"| parse 'x+x+...' ({len(text):,} chars) | {parse_time:.3f} s | - | - |")
    return rows


def _s(seconds: float | None, cap: float) -> str:
    return f"> {cap:.0f} s" if seconds is None else f"{seconds:.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer cases, shorter caps")
    args = parser.parse_args()
    cases, cap, repeats = (QUICK, 5.0, 1) if args.quick else (CASES, 60.0, 3)
    print(f"# high-order derivatives, {datetime.date.today()}, Python {sys.version.split()[0]}, "
          f"symdiff {symdiff.__version__}, SymEngine {symengine.__version__}")  # fmt: skip
    print(f"# command: python benchmarks/bench_high_order.py{' --quick' * args.quick}\n")
    rows = [row(text, order, at, cap, repeats) for text, order, at in cases]
    print(table(rows, cap))
    ratios = [r["ratio"] for r in rows if r["ratio"] is not None]
    geometric = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"\ngeometric mean symdiff/SymEngine where SymEngine finished: {geometric:.2f}x")
    print("(rel. diff: symdiff's value and derivative_at's against SymEngine's, else each other)\n")
    print("| build | symdiff | SymEngine | ratio |\n|---|---:|---:|---:|")
    for n in (10_000,) if args.quick else (10_000, 100_000):
        print("\n".join(sums(n, cap)))


if __name__ == "__main__":
    main()
