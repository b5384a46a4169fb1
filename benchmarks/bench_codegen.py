"""Code generation benchmark: value and gradient over many points, generated code versus peers.

For the five REPRESENTATIVE corpus formulas and Rosenbrock (n = 10 and n = 100), the value and
the gradient are computed at 10**6 random points by

- symdiff numpy: ``symdiff.compile([f, *gradient(f)], args, target="numpy")``;
- symdiff c: the same, ``target="c"`` (compiled once, before timing; compile time reported);
- SymPy ``lambdify`` (NumPy/SciPy modules) of ``[f, *[diff(f, v) for v in vars]]``, without and
  with ``cse=True``;
- a hand-written NumPy implementation (the reference; its values are checked against SymPy);
- when jax is installed (float64): JAX's own AD, ``jax.jit(jax.vmap(jax.value_and_grad(f)))``
  of the formula (written with ``symdiff.compile(f, target="jax")``), and symdiff's gradient
  compiled for the jax target under ``jax.jit`` (arguments are JAX arrays made before timing).

Every timing is the minimum over interleaved rounds (the machine is shared: the minimum is the
least noisy estimate, and interleaving spreads bursts of load over all contenders).  Ratios
are time / hand-written NumPy time (lower is faster).

    python benchmarks/bench_codegen.py            # 10**6 points, 7 rounds
    python benchmarks/bench_codegen.py --quick    # 10**5 points, 3 rounds
"""

from __future__ import annotations

import argparse
import datetime
import gc
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sympy
from scipy.special import erf

import symdiff

sys.path.insert(0, str(Path(__file__).parent))
from corpus import REPRESENTATIVE, formula


@dataclass
class Problem:
    """A function, the variables of its gradient, the box of its points, a hand-written version."""

    name: str
    text: str
    variables: list[str]
    boxes: dict[str, tuple[float, float]]
    hand: Callable[..., tuple[Any, tuple[Any, ...]]]

    @property
    def args(self) -> list[str]:
        return list(self.boxes)


# --- hand-written NumPy value and gradient, as a careful NumPy user would write them ---------


def gaussian_pdf(x, mu, sigma):
    d = x - mu
    s2 = sigma * sigma
    g = np.exp(-d * d / (2 * s2)) / (sigma * np.sqrt(2 * np.pi))
    return g, (-g * d / s2, g * d / s2, g * (d * d / (s2 * sigma) - 1 / sigma))


def black_scholes_call(S, sigma, K, T, r):
    root_2t = np.sqrt(2 * T)
    log_sk = np.log(S / K)
    a1 = (log_sk + (r + sigma * sigma / 2) * T) / (sigma * root_2t)
    a2 = (log_sk + (r - sigma * sigma / 2) * T) / (sigma * root_2t)
    discounted = K * np.exp(-r * T)
    value = S * (1 + erf(a1)) / 2 - discounted * (1 + erf(a2)) / 2
    delta = (1 + erf(a1)) / 2
    vega = S * np.exp(-a1 * a1) * np.sqrt(T) / np.sqrt(2 * np.pi)
    return value, (delta, vega)


def planck_law(nu, T, c, h, k):
    e = np.exp(h * nu / (k * T))
    b = 2 * h * nu**3 / (c * c * (e - 1))
    q = b * (h / k) * e / (e - 1)
    return b, (3 * b / nu - q / T, q * nu / (T * T))


def logistic_loss(w0, w1, x, y):
    m = -y * (w0 * x + w1)
    e = np.exp(m)
    p = e / (1 + e)
    return np.log1p(e), (-p * y * x, -p * y)


def random_medium_0(x, y, z):
    n = (2 * y * z * z - y * y - x * y) * z
    w = 12 - x
    a = y**4 / (z**4 * w**3)
    root = np.sqrt(np.sin(np.tanh(4)) + z)
    xz = x + z
    b = root + (y + 5) / xz
    cs = np.cos(np.sin(z))
    d = a * b + x - cs * cs
    dn = (-y * z, 2 * z**3 - 2 * y * z - x * z, 6 * y * z * z - y * y - x * y)
    db_common = (y + 5) / (xz * xz)
    dd = (
        3 * a / w * b - a * db_common + 1,
        4 * a / y * b + a / xz,
        -4 * a / z * b + a * (0.5 / root - db_common) + 2 * cs * np.sin(np.sin(z)) * np.cos(z),
    )
    f = n / d
    return f, tuple((dni - f * ddi) / d for dni, ddi in zip(dn, dd, strict=True))


HAND = {f.__name__: f for f in (gaussian_pdf, black_scholes_call, planck_law, logistic_loss,
                                random_medium_0)}  # fmt: skip
BOXES = {
    "gaussian_pdf": {"x": (-2, 2), "mu": (-1, 1), "sigma": (0.5, 2)},
    "black_scholes_call": {
        "S": (0.5, 2),
        "sigma": (0.1, 0.5),
        "K": (0.5, 2),
        "T": (0.2, 2),
        "r": (0.0, 0.1),
    },
    "planck_law": {"nu": (0.5, 2), "T": (0.5, 2), "c": (0.5, 2), "h": (0.5, 2), "k": (0.5, 2)},
    "logistic_loss": {"w0": (-2, 2), "w1": (-2, 2), "x": (-2, 2), "y": (-2, 2)},
    "random_medium_0": {"x": (1.5, 2.5), "y": (0.5, 1.5), "z": (0.5, 1.5)},
}


def rosenbrock_text(n: int) -> str:
    return " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(n - 1))


def rosenbrock_hand(*rows):
    # the rows are views of one (n, points) array, which a NumPy user would pass directly
    base = rows[0].base
    x = base if base is not None and base.shape == (len(rows), rows[0].size) else np.stack(rows)
    a = x[1:] - x[:-1] ** 2
    b = 1 - x[:-1]
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * a - 2 * b
    g[1:] += 200 * a
    return np.sum(100 * a * a + b * b, axis=0), tuple(g)


def problems() -> list[Problem]:
    found = []
    for name in REPRESENTATIVE:
        entry = formula(name)
        found.append(Problem(name, entry.text, list(entry.variables), BOXES[name], HAND[name]))
    for n in (10, 100):
        names = [f"x{i}" for i in range(n)]
        found.append(Problem(f"rosenbrock_{n}", rosenbrock_text(n), names,
                             dict.fromkeys(names, (-2.0, 2.0)), rosenbrock_hand))  # fmt: skip
    return found


# --- the contenders ---------------------------------------------------------------------------


def best_times(functions: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Minimum wall time of each function over ``repeats`` rounds, in seconds.

    The rounds interleave the contenders, so a burst of load from other processes on the shared
    machine slows every contender of a round, not just one.
    """
    times: dict[str, list[float]] = {label: [] for label in functions}
    for _ in range(repeats):
        for label, function in functions.items():
            gc.collect()
            start = time.perf_counter()
            result = function()
            times[label].append(time.perf_counter() - start)
            del result
    return {label: min(values) for label, values in times.items()}


def flatten(result: Any) -> list[Any]:
    value, gradient = (
        result
        if len(result) == 2 and isinstance(result[1], tuple)
        else (result[0], tuple(result[1:]))
    )
    return [value, *gradient]


def max_relative_error(ours: list[Any], reference: list[Any]) -> float:
    worst = 0.0
    for a, b in zip(ours, reference, strict=True):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        scale = np.maximum(np.abs(b), 1e-300)
        worst = max(worst, float(np.max(np.abs(a - b) / np.maximum(scale, 1.0))))
    return worst


def contenders(problem: Problem) -> dict[str, tuple[Callable[..., Any], float]]:
    """name -> (callable over the argument arrays, seconds to build it)."""
    expr = symdiff.parse(problem.text)
    built: dict[str, tuple[Callable[..., Any], float]] = {}
    start = time.perf_counter()
    roots = [expr, *symdiff.gradient(expr, problem.variables)]
    gradient_seconds = time.perf_counter() - start
    for target in ("numpy", "c"):
        start = time.perf_counter()
        function = symdiff.compile(roots, problem.args, target=target)
        built[f"symdiff {target}"] = (function, gradient_seconds + time.perf_counter() - start)
    symbols = {name: sympy.Symbol(name, real=True) for name in problem.args}
    theirs = sympy.sympify(problem.text, locals={**symbols, "erf": sympy.erf, "pi": sympy.pi})
    start = time.perf_counter()
    exprs = [theirs, *(sympy.diff(theirs, symbols[v]) for v in problem.variables)]
    sympy_seconds = time.perf_counter() - start
    arguments = [symbols[name] for name in problem.args]
    for label, cse in (("SymPy lambdify", False), ("SymPy lambdify cse", True)):
        start = time.perf_counter()
        function = sympy.lambdify(arguments, exprs, modules=["scipy", "numpy"], cse=cse)
        built[label] = (function, sympy_seconds + time.perf_counter() - start)
    if JAX == "installed":
        built.update(jax_contenders(expr, roots, problem))
    return built


def jax_contenders(expr: Any, roots: list[Any], problem: Problem) -> dict[str, tuple]:
    """JAX's AD of the formula and symdiff's gradient on the jax target, both jitted; they take
    NumPy arrays and convert them (outside the timed call: see ``JaxCall``)."""
    import jax

    value = symdiff.compile(expr, problem.args, target="jax")
    positions = tuple(problem.args.index(v) for v in problem.variables)
    theirs = jax.jit(jax.vmap(jax.value_and_grad(value, argnums=positions)))
    ours = jax.jit(symdiff.compile(roots, problem.args, target="jax"))
    return {"jax jit(vmap(grad))": (JaxCall(theirs), 0.0), "symdiff jax": (JaxCall(ours), 0.0)}


class JaxCall:
    """Calls a jitted function on JAX copies of the arguments (made once, before timing)."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function, self.cache = function, None

    def __call__(self, *arrays: Any) -> Any:
        import jax

        if self.cache is None or self.cache[0] is not arrays[0]:
            self.cache = (arrays[0], [jax.numpy.asarray(a) for a in arrays])
            jax.block_until_ready(self.function(*self.cache[1]))  # compile outside the timing
        return jax.block_until_ready(self.function(*self.cache[1]))


def run(points: int, repeats: int) -> list[dict[str, Any]]:
    rows = []
    rng = np.random.default_rng(2026)
    for problem in problems():
        arrays = [rng.uniform(*problem.boxes[name], size=points) for name in problem.args]
        if problem.name.startswith("rosenbrock"):  # rows of one (n, points) array, as a user has
            stacked = np.stack(arrays)
            arrays = list(stacked)
        reference = flatten(problem.hand(*arrays))
        row: dict[str, Any] = {"problem": problem.name, "outputs": len(reference)}
        del reference
        sample = slice(0, min(points, 20000))
        check = flatten(problem.hand(*(a[sample] for a in arrays)))
        functions = {"hand-written NumPy": problem.hand}
        for label, (function, build) in contenders(problem).items():
            got = flatten(function(*arrays))
            error = max_relative_error([np.broadcast_to(g, (points,))[sample] for g in got], check)
            del got
            row[f"{label} error"] = error
            row[f"{label} build"] = build
            functions[label] = function
        calls = {label: (lambda f=f, a=arrays: f(*a)) for label, f in functions.items()}
        row.update(best_times(calls, repeats))
        rows.append(row)
        print(f"  {problem.name}: done", file=sys.stderr, flush=True)
        arrays.clear()
        gc.collect()
    return rows


def _jax_status() -> str:
    try:
        import jax
    except ImportError:
        return "not installed"
    jax.config.update("jax_enable_x64", True)
    return "installed"


JAX = _jax_status()
COLUMNS = ["symdiff numpy", "symdiff c", "SymPy lambdify", "SymPy lambdify cse"] + (
    ["jax jit(vmap(grad))", "symdiff jax"] if JAX == "installed" else []
)


def table(rows: list[dict[str, Any]], points: int) -> str:
    head = ["problem", "outputs", "hand-written NumPy", *COLUMNS] + ["jax"] * (JAX != "installed")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        hand = row["hand-written NumPy"]
        cells = [row["problem"], str(row["outputs"]), f"{hand * 1e3:.1f} ms"]
        for column in COLUMNS:
            cells.append(f"{row[column] * 1e3:.1f} ms ({row[column] / hand:.2f}x)")
        cells += [JAX] * (JAX != "installed")
        lines.append("| " + " | ".join(cells) + " |")
    checks = []
    for row in rows:
        hand, numpy_t, c_t = row["hand-written NumPy"], row["symdiff numpy"], row["symdiff c"]
        checks.append(
            f"| {row['problem']} | {numpy_t / hand:.2f}x {'yes' if numpy_t <= 1.2 * hand else 'NO'}"
            f" | {numpy_t / row['SymPy lambdify cse']:.2f}x "
            f"{'yes' if numpy_t < row['SymPy lambdify cse'] else 'NO'}"
            f" | {c_t / hand:.2f}x {'yes' if c_t < hand else 'NO'}"
            f" | {row['symdiff c build']:.2f} s | "
            + ", ".join(f"{row[c + ' error']:.0e}" for c in COLUMNS)
            + " |"
        )
    return "\n".join(
        [
            f"Value and gradient at {points:,} points; time per call (min over repeats) and ratio "
            "to the hand-written NumPy reference (lower is faster).",
            "",
            *lines,
            "",
            "| problem | numpy / hand <= 1.2 | numpy / SymPy cse < 1 | c / hand < 1 | "
            "symdiff c build (gradient + codegen + cc; ~0 when cached) | "
            "max rel. error vs hand (numpy, c, SymPy, SymPy cse) |",
            "|---|---|---|---|---|---|",
            *checks,
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10**5 points, 3 rounds")
    options = parser.parse_args(argv)
    points, repeats = (10**5, 3) if options.quick else (10**6, 7)
    print(f"## Code generation benchmark ({datetime.date.today()})", file=sys.stderr)
    rows = run(points, repeats)
    command = "python benchmarks/bench_codegen.py" + (" --quick" if options.quick else "")
    print(f"Measured {datetime.date.today()} with `{command}` (numpy {np.__version__}, "
          f"sympy {sympy.__version__}, Python {sys.version.split()[0]}).\n")  # fmt: skip
    print(table(rows, points))


if __name__ == "__main__":
    main()
