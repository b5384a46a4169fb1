"""Speed of the NumPy target: value and gradient at 10**6 points against hand-written NumPy.

Six value-and-gradient problems (issue #14, section 4), each computed at 10**6 random points
(every argument is an array) by

- symdiff numpy: ``symdiff.lambdify(f, args, grad=True, wrt=..., target="numpy")``;
- hand-written NumPy: value and gradient written by hand, with shared temporaries (below);
- SymPy ``lambdify(cse=True)`` of ``[f, *[diff(f, v) for v in wrt]]`` (SciPy/NumPy modules);
- when jax is installed (float64): ``jax.jit(jax.vmap(jax.value_and_grad(f, argnums)))`` of a
  ``jax.numpy`` version of ``f`` (arguments are JAX arrays made before timing).

All results are checked against the hand-written values (relative error <= 1e-9) before
timing, so every contender computes the same numbers.  Every timing is the minimum over
interleaved rounds (the machine is shared); ratios are time / hand-written NumPy time.

    python benchmarks/bench_numpy_target.py            # 10**6 points, 9 rounds
    python benchmarks/bench_numpy_target.py --quick    # 10**5 points, 3 rounds
    python benchmarks/bench_numpy_target.py --source   # also print the generated NumPy code
"""

from __future__ import annotations

import argparse
import datetime
import gc
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy
from scipy.special import erf, expit

import symdiff


@dataclass
class Problem:
    """A formula, its arguments and their boxes, the gradient's variables, the hand version."""

    name: str
    text: str
    boxes: dict[str, tuple[float, float]]
    wrt: list[str]
    hand: Callable[..., tuple[Any, tuple[Any, ...]]]
    jax: Callable[[Any], Callable[..., Any]]

    @property
    def args(self) -> list[str]:
        return list(self.boxes)


# --- hand-written NumPy value and gradient, as a careful NumPy user would write them ---------

ROOT_2PI = math.sqrt(2 * math.pi)


def gaussian_pdf(x, mu, sigma):
    d = x - mu
    inv_s = 1.0 / sigma
    z = d * inv_s
    g = np.exp(-0.5 * z * z) * inv_s / ROOT_2PI
    gz = g * z * inv_s
    return g, (-gz, gz, g * (z * z - 1.0) * inv_s)


def logistic_loss(w0, w1, x, y):
    m = -y * (w0 * x + w1)
    p = expit(m)
    py = -p * y
    return np.logaddexp(0.0, m), (py * x, py)


def tanh_unit(x, w1, b1, w2, b2):
    h = np.tanh(w1 * x + b1)
    o = np.tanh(w2 * h + b2)
    do = 1.0 - o * o
    dh = do * w2 * (1.0 - h * h)
    return o, (dh * x, dh, do * h, do)


def rosenbrock(x, y):
    a = y - x * x
    b = 1.0 - x
    return b * b + 100.0 * a * a, (-2.0 * b - 400.0 * x * a, 200.0 * a)


def softplus(x):
    return np.logaddexp(0.0, x), (expit(x),)


def black_scholes_call(S, sigma, K, T, r):
    root_t = np.sqrt(T)
    sig_t = sigma * root_t
    d1 = (np.log(S / K) + (r + 0.5 * sigma * sigma) * T) / sig_t
    n1 = 0.5 * (1.0 + erf(d1 * (1 / math.sqrt(2))))
    n2 = 0.5 * (1.0 + erf((d1 - sig_t) * (1 / math.sqrt(2))))
    value = S * n1 - K * np.exp(-r * T) * n2
    vega = S * np.exp(-0.5 * d1 * d1) * root_t / ROOT_2PI
    return value, (n1, vega)


# --- the same formulas in jax.numpy, for JAX's own AD -----------------------------------------


def jax_gaussian_pdf(jnp):
    return lambda x, mu, sigma: jnp.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * ROOT_2PI)


def jax_logistic_loss(jnp):
    return lambda w0, w1, x, y: jnp.logaddexp(0.0, -y * (w0 * x + w1))


def jax_tanh_unit(jnp):
    return lambda x, w1, b1, w2, b2: jnp.tanh(w2 * jnp.tanh(w1 * x + b1) + b2)


def jax_rosenbrock(jnp):
    return lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2


def jax_softplus(jnp):
    return lambda x: jnp.logaddexp(0.0, x)


def jax_black_scholes_call(jnp):
    from jax.scipy.special import erf as jerf

    def price(S, sigma, K, T, r):
        d1 = (jnp.log(S / K) + (r + sigma**2 / 2) * T) / (sigma * jnp.sqrt(T))
        d2 = d1 - sigma * jnp.sqrt(T)
        n1 = (1 + jerf(d1 / jnp.sqrt(2.0))) / 2
        n2 = (1 + jerf(d2 / jnp.sqrt(2.0))) / 2
        return S * n1 - K * jnp.exp(-r * T) * n2

    return price


BS_D1 = "(log(S/K) + (r + sigma**2/2)*T)/(sigma*sqrt(T))"
BS_D2 = f"({BS_D1} - sigma*sqrt(T))"
PROBLEMS = [
    Problem("gaussian_pdf", "exp(-(x - mu)**2/(2*sigma**2))/(sigma*sqrt(2*pi))",
            {"x": (-2, 2), "mu": (-1, 1), "sigma": (0.5, 2)}, ["x", "mu", "sigma"],
            gaussian_pdf, jax_gaussian_pdf),
    Problem("logistic_loss", "log(1 + exp(-y*(w0*x + w1)))",
            {"w0": (-2, 2), "w1": (-2, 2), "x": (-2, 2), "y": (-2, 2)}, ["w0", "w1"],
            logistic_loss, jax_logistic_loss),
    Problem("tanh_unit_2layer", "tanh(w2*tanh(w1*x + b1) + b2)",
            {"x": (-2, 2), "w1": (-1, 1), "b1": (-1, 1), "w2": (-1, 1), "b2": (-1, 1)},
            ["w1", "b1", "w2", "b2"], tanh_unit, jax_tanh_unit),
    Problem("rosenbrock_2d", "(1 - x)**2 + 100*(y - x**2)**2",
            {"x": (-2, 2), "y": (-1, 3)}, ["x", "y"], rosenbrock, jax_rosenbrock),
    Problem("softplus", "log(1 + exp(x))", {"x": (-20, 20)}, ["x"], softplus, jax_softplus),
    Problem("black_scholes_call",
            f"S*(1 + erf({BS_D1}/sqrt(2)))/2 - K*exp(-r*T)*(1 + erf({BS_D2}/sqrt(2)))/2",
            {"S": (0.5, 2), "sigma": (0.1, 0.5), "K": (0.5, 2), "T": (0.2, 2), "r": (0.0, 0.1)},
            ["S", "sigma"], black_scholes_call, jax_black_scholes_call),
]  # fmt: skip


# --- the contenders ---------------------------------------------------------------------------


def symdiff_numpy(problem: Problem) -> Callable[..., Any]:
    return symdiff.lambdify(problem.text, problem.args, grad=True, wrt=problem.wrt)


def generated_source(problem: Problem) -> str:
    expr = symdiff.parse(problem.text)
    roots = [expr, *symdiff.gradient(expr, problem.wrt)]
    return symdiff.codegen(roots, problem.args, target="numpy", name=problem.name)


def sympy_cse(problem: Problem) -> Callable[..., Any]:
    symbols = {name: sympy.Symbol(name, real=True) for name in problem.args}
    theirs = sympy.sympify(problem.text, locals={**symbols, "erf": sympy.erf, "pi": sympy.pi})
    exprs = [theirs, *(sympy.diff(theirs, symbols[v]) for v in problem.wrt)]
    arguments = [symbols[name] for name in problem.args]
    return sympy.lambdify(arguments, exprs, modules=["scipy", "numpy"], cse=True)


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


def jax_contender(problem: Problem) -> Callable[..., Any]:
    import jax

    f = problem.jax(jax.numpy)
    positions = tuple(problem.args.index(v) for v in problem.wrt)
    return JaxCall(jax.jit(jax.vmap(jax.value_and_grad(f, argnums=positions))))


def _jax_status() -> str:
    try:
        import jax
    except ImportError:
        return "not installed"
    jax.config.update("jax_enable_x64", True)
    return "installed"


JAX = _jax_status()
COLUMNS = ["symdiff numpy", "SymPy lambdify cse"] + ["jax jit(vmap(grad))"] * (JAX == "installed")


def flatten(result: Any) -> list[Any]:
    """``[value, *gradient]`` from ``(value, gradient)`` or a flat list of outputs."""
    if len(result) == 2 and isinstance(result[1], tuple):
        return [result[0], *result[1]]
    return list(result)


def check_close(label: str, ours: list[Any], reference: list[Any], points: int) -> None:
    """Every output of ``ours`` within 1e-9 relative (1e-12 absolute) of the reference."""
    assert len(ours) == len(reference), (label, len(ours), len(reference))
    for index, (a, b) in enumerate(zip(ours, reference, strict=True)):
        a = np.broadcast_to(np.asarray(a, dtype=float), (points,))
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=f"{label} output {index}")


def best_times(functions: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Minimum wall time of each function over ``repeats`` interleaved rounds, in seconds."""
    times: dict[str, list[float]] = {label: [] for label in functions}
    for _ in range(repeats):
        for label, function in functions.items():
            gc.collect()
            start = time.perf_counter()
            result = function()
            times[label].append(time.perf_counter() - start)
            del result
    return {label: min(values) for label, values in times.items()}


def run(points: int, repeats: int) -> list[dict[str, Any]]:
    rows = []
    rng = np.random.default_rng(2026)
    for problem in PROBLEMS:
        arrays = [rng.uniform(*problem.boxes[name], size=points) for name in problem.args]
        reference = flatten(problem.hand(*arrays))
        functions: dict[str, Callable[..., Any]] = {
            "hand-written NumPy": problem.hand,
            "symdiff numpy": symdiff_numpy(problem),
            "SymPy lambdify cse": sympy_cse(problem),
        }
        if JAX == "installed":
            functions["jax jit(vmap(grad))"] = jax_contender(problem)
        for label, function in functions.items():
            check_close(f"{problem.name}: {label}", flatten(function(*arrays)), reference, points)
        del reference
        calls = {label: (lambda f=f, a=arrays: f(*a)) for label, f in functions.items()}
        row: dict[str, Any] = {"problem": problem.name, "outputs": 1 + len(problem.wrt)}
        row.update(best_times(calls, repeats))
        rows.append(row)
        print(f"  {problem.name}: done", file=sys.stderr, flush=True)
        arrays.clear()
        gc.collect()
    return rows


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def table(rows: list[dict[str, Any]], points: int) -> str:
    head = ["problem", "outputs", "hand-written NumPy", *COLUMNS, "numpy / SymPy cse"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        hand = row["hand-written NumPy"]
        cells = [row["problem"], str(row["outputs"]), f"{hand * 1e3:.2f} ms"]
        for column in COLUMNS:
            cells.append(f"{row[column] * 1e3:.2f} ms ({row[column] / hand:.2f}x)")
        cells.append(f"{row['symdiff numpy'] / row['SymPy lambdify cse']:.2f}x")
        lines.append("| " + " | ".join(cells) + " |")
    means = [
        "geomean",
        "",
        "1.00x",
        *(f"{geomean([r[c] / r['hand-written NumPy'] for r in rows]):.2f}x" for c in COLUMNS),
        f"{geomean([r['symdiff numpy'] / r['SymPy lambdify cse'] for r in rows]):.2f}x",
    ]
    lines.append("| " + " | ".join(means) + " |")
    return "\n".join(
        [
            f"Value and gradient at {points:,} points; time per call (min over interleaved "
            "rounds) and ratio to hand-written NumPy (lower is faster).",
            "",
            *lines,
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10**5 points, 3 rounds")
    parser.add_argument("--source", action="store_true", help="print the generated NumPy code")
    options = parser.parse_args(argv)
    if options.source:
        for problem in PROBLEMS:
            print(generated_source(problem))
    points, repeats = (10**5, 3) if options.quick else (10**6, 9)
    rows = run(points, repeats)
    command = "python benchmarks/bench_numpy_target.py" + " --quick" * options.quick
    jax_version = ""
    if JAX == "installed":
        import jax

        jax_version = f", jax {jax.__version__}"
    print(
        f"Measured {datetime.date.today()} with `{command}` (numpy {np.__version__}, "
        f"sympy {sympy.__version__}{jax_version}, Python {sys.version.split()[0]}).\n"
    )
    print(table(rows, points))


if __name__ == "__main__":
    main()
