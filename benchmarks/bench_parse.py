"""Parsing, and parsing plus one derivative, on the benchmark corpus: symdiff, SymEngine, SymPy.

For every formula of the corpus (``corpus.CORPUS``) and its first variable, each tool reads the
text and (second table) differentiates it once; the time of a formula is the best of
``--repeat`` runs, and the table gives, per size class, the median time of each tool and the
median of the per-formula ratios symdiff / peer (above 1: symdiff is slower).  Nothing is
kept between runs, so every parse builds its nodes anew.  SymEngine (``symengine.sympify``)
runs where installed (``pip install -e ".[bench]"``); SymPy (``sympy.sympify`` and ``diff``)
with ``--sympy`` (slow on the large random formulas).

    python benchmarks/bench_parse.py              # 7 runs per formula
    python benchmarks/bench_parse.py --quick      # 3 runs per formula
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

from corpus import CORPUS

import symdiff


def _best(work: Callable[..., Any], repeat: int, *args: Any) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work(*args)
        best = min(best, time.perf_counter() - start)
    return best


def _tools(with_sympy: bool) -> dict[str, tuple[Callable[[str], Any], Callable[[str, str], Any]]]:
    """Each tool's ``parse(text)`` and ``parse_and_diff(text, variable)``."""
    tools: dict[str, tuple[Callable[[str], Any], Callable[[str, str], Any]]] = {
        "symdiff": (
            symdiff.parse,
            lambda text, x: symdiff.diff(symdiff.parse(text), x, simplify=False),
        ),
    }
    if importlib.util.find_spec("symengine") is not None:
        import symengine

        def se_diff(text: str, x: str) -> Any:
            return symengine.sympify(text).diff(symengine.Symbol(x))

        tools["SymEngine"] = (symengine.sympify, se_diff)
    if with_sympy and importlib.util.find_spec("sympy") is not None:
        import sympy

        names = {n: sympy.Symbol(n) for n in ("E", "S", "N", "Q", "I", "O", "beta", "gamma")}

        def sp_parse(text: str) -> Any:
            return sympy.sympify(text.replace("^", "**"), locals=names)

        def sp_diff(text: str, x: str) -> Any:
            return sp_parse(text).diff(sympy.Symbol(x))

        tools["SymPy"] = (sp_parse, sp_diff)
    return tools


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs per formula")
    parser.add_argument("--repeat", type=int, default=None, help="runs per formula (best of)")
    parser.add_argument("--sympy", action="store_true", help="also time SymPy")
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 7)
    tools = _tools(args.sympy)
    warnings.simplefilter("ignore")  # (x y products in random formulas warn)
    rows: dict[str, list[dict[str, tuple[float, float]]]] = {}
    for formula in CORPUS:
        x = formula.variables[0]
        times: dict[str, tuple[float, float]] = {}
        for name, (parse, parse_and_diff) in tools.items():
            try:
                parse(formula.text)
            except Exception:  # a peer that cannot read the formula sits this one out
                continue
            times[name] = (
                _best(parse, repeat, formula.text),
                _best(parse_and_diff, repeat, formula.text, x),
            )
        rows.setdefault(formula.size_class, []).append(times)
    peers = [n for n in tools if n != "symdiff"]
    for column, title in ((0, "parse"), (1, "parse + diff")):
        print(f"\n{title} ({repeat} runs per formula, best; medians over the formulas)\n")
        header = " | ".join(f"{p} | symdiff / {p}" for p in peers)
        print(f"| size class | formulas | symdiff | {header} |")
        print("|---|---:|---:|" + "---:|---:|" * len(peers))
        for size_class, entries in [*rows.items(), ("all", [t for v in rows.values() for t in v])]:
            ours = statistics.median(t["symdiff"][column] for t in entries)
            cells = [f"{size_class} | {len(entries)} | {ours * 1e6:.0f} us"]
            for peer in peers:
                both = [t for t in entries if peer in t]
                if not both:
                    cells.append("- | -")
                    continue
                theirs = statistics.median(t[peer][column] for t in both)
                ratio = statistics.median(t["symdiff"][column] / t[peer][column] for t in both)
                cells.append(f"{theirs * 1e6:.0f} us | {ratio:.3g}x")
            print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
