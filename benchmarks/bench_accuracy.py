"""Accuracy benchmark: generated NumPy code for ~30 formulas and their gradients against mpmath.

For each formula, the value and the gradient are compiled with ``stable=True`` (the default)
and ``stable=False`` (the literal formula) and evaluated at random points of the formula's
range; ``symdiff.error_report`` compares every output with mpmath (the literal formula at a
precision raised until two precisions agree).  Reported per formula, over all its outputs:

- non-finite: outputs that are inf/nan where the true value is a finite float64 (target 0);
- median and max error in ulps of the correctly rounded true value (target median <= 4);
- speed: time of the stable code / time of the literal code at 10**6 points (target <= 1.2).

    python benchmarks/bench_accuracy.py --quick          # 300 points per formula
    python benchmarks/bench_accuracy.py --points 100000  # more points (mpmath: ~2 ms a point)
    python benchmarks/bench_accuracy.py --speed          # only the speed column (no mpmath)
"""

from __future__ import annotations

import argparse
import datetime
import math
import sys
import time
import warnings

import numpy as np

import symdiff
from symdiff.backend.accuracy import sample

W = (-1000.0, 1000.0)
POSITIVE = (1e-3, 1e3, "log")
#: name, formula, domain (``error_report``'s intervals).
FORMULAS = [
    ("softplus", "log(1 + exp(x))", {"x": W}),
    ("sigmoid", "1/(1 + exp(-x))", {"x": W}),
    ("sigmoid (exp form)", "exp(x)/(exp(x) + 1)", {"x": W}),
    ("log-sigmoid", "-log(1 + exp(-x))", {"x": W}),
    ("logsumexp 2", "log(exp(x) + exp(y))", {"x": W, "y": W}),
    ("logsumexp 3", "log(exp(x) + exp(y) + exp(z))", {"x": W, "y": W, "z": W}),
    ("softmax 2", "exp(x)/(exp(x) + exp(y))", {"x": W, "y": W}),
    ("softmax 3", "exp(x)/(exp(x) + exp(y) + exp(z))", {"x": W, "y": W, "z": W}),
    ("BCE with logits", "y*log(1 + exp(-x)) + (1 - y)*log(1 + exp(x))", {"x": W, "y": (0, 1)}),
    (
        "BCE of sigmoid",
        "-(y*log(1/(1 + exp(-x))) + (1 - y)*log(1 - 1/(1 + exp(-x))))",
        {"x": (-30, 30), "y": (0, 1)},
    ),
    ("logistic regression", "log(1 + exp(-y*x))", {"x": W, "y": (-1, 1)}),
    (
        "normal log-lik",
        "-log(s) - 0.5*log(2*pi) - (x - m)**2/(2*s**2)",
        {"x": W, "m": W, "s": POSITIVE},
    ),
    (
        "normal pdf",
        "exp(-(x - m)**2/(2*s**2))/(s*sqrt(2*pi))",
        {"x": (-50, 50), "m": (-50, 50), "s": (0.1, 100, "log")},
    ),
    (
        "logistic log-pdf",
        "-(x - m)/s - log(s) - 2*log(1 + exp(-(x - m)/s))",
        {"x": W, "m": W, "s": POSITIVE},
    ),
    ("Poisson log-lik", "k*log(l) - l", {"k": (0, 100), "l": POSITIVE}),
    ("Poisson (log link)", "k*x - exp(x)", {"k": (0, 100), "x": (-50, 50)}),
    ("Student-t kernel", "log(1 + x**2/n)", {"x": (1e-8, 1e8, "±log"), "n": (1, 30)}),
    (
        "Black-Scholes call",
        "S*(1 + erf((log(S/K) + (r + v**2/2)*T)/(v*sqrt(2*T))))/2"
        " - K*exp(-r*T)*(1 + erf((log(S/K) + (r - v**2/2)*T)/(v*sqrt(2*T))))/2",
        {"S": (50, 150), "K": (50, 150), "r": (0, 0.1), "v": (0.1, 0.5), "T": (0.1, 2)},
    ),
    ("Planck", "x**3/(exp(x) - 1)", {"x": (1e-6, 700, "log")}),
    ("expm1", "exp(x) - 1", {"x": (1e-20, 1, "±log")}),
    ("log1p", "log(1 + x)", {"x": (1e-20, 1e3, "log")}),
    ("1 - cos", "1 - cos(x)", {"x": (1e-10, 1, "±log")}),
    ("1 - x**2", "1 - x**2", {"x": (-1, 1)}),
    ("hypot", "sqrt(x**2 + y**2)", {"x": (1e-300, 1e300, "±log"), "y": (1e-300, 1e300, "±log")}),
    ("sqrt(1 + x**2)", "sqrt(1 + x**2)", {"x": (1e-5, 1e300, "±log")}),
    ("log cosh", "log(cosh(x))", {"x": W}),
    ("tanh", "tanh(x)", {"x": (-40, 40)}),
    ("swish", "x/(1 + exp(-x))", {"x": W}),
    ("mish", "x*tanh(log(1 + exp(x)))", {"x": (-50, 50)}),
    ("x log x", "x*log(x)", {"x": (1e-300, 1e300, "log")}),
]


def _time(function, args, rounds: int) -> float:
    best = math.inf
    for _ in range(rounds):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best


def speed(formula: str, domain: dict, n: int, rounds: int) -> tuple[float, float]:
    """Seconds per call of the stable and the literal value-and-gradient code at ``n`` points."""
    names = sorted(domain)
    grid = sample(domain, names, n, seed=1)
    args = [grid[:, i] for i in range(len(names))]
    both = [symdiff.lambdify(formula, names, grad=True, stable=s) for s in (True, False)]
    with np.errstate(all="ignore"):
        both[0](*args), both[1](*args)  # warm up (imports, first allocations)
        stable = literal = math.inf
        for _ in range(rounds):  # interleaved: load bursts hit both
            stable = min(stable, _time(both[0], args, 1))
            literal = min(literal, _time(both[1], args, 1))
    return stable, literal


def speed_table(n: int, rounds: int, only: str | None) -> None:
    """The speed column alone, with the times (the accuracy run takes mpmath hours)."""
    print("| formula | stable | literal | stable/literal |")
    print("|---|---|---|---|")
    ratios = []
    for name, formula, domain in FORMULAS:
        if only and only not in name:
            continue
        stable, literal = speed(formula, domain, n, rounds)
        ratios.append(stable / literal)
        print(f"| {name} | {stable * 1e3:.2f} ms | {literal * 1e3:.2f} ms | "
              f"{stable / literal:.2f} |", flush=True)  # fmt: skip
    geomean = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(
        f"\ngeomean {geomean:.2f}, max {max(ratios):.2f}, "
        f"{sum(r > 1.2 for r in ratios)} formula(s) above 1.2"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 points, 10**5 for speed")
    parser.add_argument("--points", type=int, default=3000, help="points per formula")
    parser.add_argument("--only", help="formulas whose name contains this")
    parser.add_argument("--speed", action="store_true", help="only the speed column")
    parser.add_argument("--rounds", type=int, help="interleaved timing rounds")
    options = parser.parse_args()
    points = 300 if options.quick else options.points
    speed_points, rounds = (10**5, 5) if options.quick else (10**6, 9)
    rounds = options.rounds or rounds
    print(
        f"# accuracy, {datetime.date.today()}, {points} points per formula, "
        f"speed at {speed_points} points: python benchmarks/bench_accuracy.py "
        f"{' '.join(sys.argv[1:])}"
    )
    if options.speed:
        speed_table(speed_points, rounds, options.only)
        return 0
    print(
        "| formula | outputs | non-finite stable (literal) | median ulp | max ulp "
        "| literal max ulp | speed stable/literal |"
    )
    print("|---|---|---|---|---|---|---|")
    failures = 0
    for name, formula, domain in FORMULAS:
        if options.only and options.only not in name:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            good = symdiff.error_report(formula, domain, points=points)
            bad = symdiff.error_report(formula, domain, points=points, stable=False)
        ulps = [u for o in good.outputs for u in o.ulps]
        median = float(np.median(ulps)) if ulps else math.nan
        nonfinite = sum(o.nonfinite for o in good.outputs)
        literal_nonfinite = sum(o.nonfinite for o in bad.outputs)
        stable, literal = speed(formula, domain, speed_points, rounds)
        ratio = stable / literal
        failures += nonfinite > 0 or median > 4
        print(
            f"| {name} | {len(good.outputs)} | {nonfinite} ({literal_nonfinite}) | "
            f"{median:.2g} | {max(o.max_ulp for o in good.outputs):.3g} | "
            f"{max(o.max_ulp for o in bad.outputs):.3g} | {ratio:.2f} |",
            flush=True,
        )
    print(f"\n{failures} formula(s) with non-finite outputs or a median above 4 ulp")
    return 0


if __name__ == "__main__":
    sys.exit(main())
