"""Sparse models benchmark: stiff ODEs and large objectives, against finite differences,
JAX and SymPy, in the same process.

1. 2-D Brusselator (periodic N x N grid, 2*N*N states), N = 8/16/32/64: symdiff builds the
   right-hand side and its sparse Jacobian (``compile_system``), compiles both, then runs a
   full BDF and a full Radau solve with ``jac=rhs.jac``; the peer is SciPy's own sparse
   finite differences (``jac_sparsity``) on a hand-written vectorised NumPy right-hand side.
   The fitted exponent is that of build + compile time against the number of nonzeros.
2. Extended Rosenbrock, n = 10**4: the sparse Hessian built and compiled to CSC-filling code
   (``compile_objective``; the first ``obj.hess`` call), then Newton-CG (hess and hessp) and
   trust-constr solves.
3. The Jacobian pattern of a 50,000-state chain reaction network, without differentiating.
4. Peers where installed: JAX ``jacfwd`` (Brusselator Jacobian) and ``hessian`` (Rosenbrock),
   jit-compiled and dense; SymPy's ``Matrix.jacobian`` / ``hessian`` under a time cap.

Times are CPU seconds of this process (``time.process_time``), so that neighbours on a shared
machine do not count; JAX may use more than one thread, which CPU time includes.

    python benchmarks/bench_sparse.py            # N up to 64, SymPy cap 60 s
    python benchmarks/bench_sparse.py --quick    # N up to 32, smaller peers
"""

from __future__ import annotations

import argparse
import datetime
import math
import time
from typing import Any

import numpy as np
import scipy.integrate as si
import scipy.optimize as so
import scipy.sparse as sp
from timing import capped

import symdiff
from symdiff import Sym, compile_objective, compile_system, jacobian_sparsity
from symdiff.backend.vector import compile_vector
from symdiff.calculus.sparse import sparse_hessian
from symdiff.core.constructors import add

ALPHA, A, B, T_END = 0.02, 1.0, 3.4, 10.0
#: Radau's complex LU costs ~2 minutes per solve at 2,048 states already: larger N run BDF only.
RADAU_MAX = 32


def brusselator(N: int, total: Any = add) -> tuple[list[Any], list[Sym]]:
    """The symbolic right-hand side, states u, v interleaved per grid point."""
    ys = [Sym(f"{c}{i}_{j}") for i in range(N) for j in range(N) for c in "uv"]
    a = ALPHA * (N - 1) ** 2

    def u(i: int, j: int) -> Any:
        return ys[2 * ((i % N) * N + j % N)]

    def v(i: int, j: int) -> Any:
        return ys[2 * ((i % N) * N + j % N) + 1]

    F = []
    for i in range(N):
        for j in range(N):
            lap_u = total(u(i + 1, j), u(i - 1, j), u(i, j + 1), u(i, j - 1), -4 * u(i, j))
            lap_v = total(v(i + 1, j), v(i - 1, j), v(i, j + 1), v(i, j - 1), -4 * v(i, j))
            uuv = u(i, j) ** 2 * v(i, j)
            F += [A + uuv - (B + 1) * u(i, j) + a * lap_u, B * u(i, j) - uuv + a * lap_v]
    return F, ys


def numpy_brusselator(N: int) -> Any:
    """The hand-written vectorised right-hand side (what a user would write for FD)."""
    a = ALPHA * (N - 1) ** 2

    def lap(w: Any) -> Any:
        return np.roll(w, 1, 0) + np.roll(w, -1, 0) + np.roll(w, 1, 1) + np.roll(w, -1, 1) - 4 * w

    def rhs(t: float, y: Any) -> Any:
        g = y.reshape(N, N, 2)
        u, v = g[..., 0], g[..., 1]
        out = np.empty_like(g)
        out[..., 0] = A + u * u * v - (B + 1) * u + a * lap(u)
        out[..., 1] = B * u - u * u * v + a * lap(v)
        return out.ravel()

    return rhs


def stencil_sparsity(N: int) -> Any:
    """The Brusselator's Jacobian structure built by hand with scipy.sparse (the FD input)."""
    n = N * N
    grid = sp.eye(n, format="csr")
    for shift in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        idx = np.arange(n).reshape(N, N)
        moved = np.roll(idx, shift, (0, 1)).ravel()
        grid = grid + sp.csr_matrix((np.ones(n), (np.arange(n), moved)), shape=(n, n))
    return (sp.kron(grid, sp.eye(2)) + sp.kron(sp.eye(n), np.ones((2, 2)))).tocsc() != 0


def initial(N: int) -> Any:
    x = np.linspace(0, 1, N)
    u = 1 + np.sin(2 * np.pi * x)[:, None] * np.ones(N)
    return np.stack([u, np.full((N, N), 3.0)], axis=-1).ravel()


def timed(work: Any) -> tuple[float, Any]:
    """CPU seconds of this process (the machine is shared: wall time counts the neighbours)."""
    start = time.process_time()
    result = work()
    return time.process_time() - start, result


def solve(fun: Any, y0: Any, method: str, **options: Any) -> tuple[float, Any]:
    return timed(lambda: si.solve_ivp(fun, (0, T_END), y0, method=method, rtol=1e-6,
                                      atol=1e-8, **options))  # fmt: skip


def built(N: int, target: str) -> tuple[Any, Any, Any, float, float]:
    """``(rhs, J, y0, build s, compile s)``: the system and its sparse Jacobian built, then
    compiled by their first calls (CPU seconds)."""
    F, ys = brusselator(N)
    y0 = initial(N)
    t_build, rhs = timed(lambda: compile_system(F, ys, target=target))
    t_jac, J = timed(lambda: rhs.jacobian)
    t_compile, _ = timed(lambda: (rhs(0.0, y0), rhs.jac(0.0, y0)))
    return rhs, J, y0, t_build + t_jac, t_compile


def bench_brusselator(sizes: list[int], target: str) -> list[tuple[int, float]]:
    print(f"## 2-D Brusselator, t in [0, {T_END}], rtol 1e-6 (symdiff target {target})\n")
    print(
        "| N | states | nonzeros | build s | compile s | BDF s | Radau s | symdiff total s "
        "| FD BDF s | FD Radau s | FD total s | FD / symdiff | max abs diff |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    fits = []
    for N in sizes:
        rhs, J, y0, build, t_compile = built(N, target)
        t_bdf, ours = solve(rhs, y0, "BDF", jac=rhs.jac)
        radau = N <= RADAU_MAX
        t_radau, _ = solve(rhs, y0, "Radau", jac=rhs.jac) if radau else (0.0, None)
        fd_rhs, pattern = numpy_brusselator(N), stencil_sparsity(N)
        assert (pattern != (rhs.jac_sparsity != 0)).nnz == 0
        f_bdf, theirs = solve(fd_rhs, y0, "BDF", jac_sparsity=pattern)
        f_radau, _ = solve(fd_rhs, y0, "Radau", jac_sparsity=pattern) if radau else (0.0, None)
        total = build + t_compile + t_bdf + t_radau
        diff = np.abs(ours.y[:, -1] - theirs.y[:, -1]).max()
        print(f"| {N} | {2 * N * N} | {J.nnz} | {build:.2f} | {t_compile:.2f} | {t_bdf:.2f} | "
              f"{t_radau:.2f} | {total:.2f} | {f_bdf:.2f} | {f_radau:.2f} | "
              f"{f_bdf + f_radau:.2f} | {(f_bdf + f_radau) / total:.2f}x | "
              f"{diff:.1e} |")  # fmt: skip
        fits.append((J.nnz, build + t_compile))
    return fits


def bench_build(sizes: list[int], target: str) -> list[tuple[int, float]]:
    """Build (system and sparse Jacobian) and compile (first calls) only, no solves."""
    print(f"## 2-D Brusselator: build + compile only, CPU s (symdiff target {target})\n")
    print("| N | states | nonzeros | build s | compile s | total s |")
    print("|---|---|---|---|---|---|")
    fits = []
    for N in sizes:
        _, J, _, build, t_compile = built(N, target)
        print(f"| {N} | {2 * N * N} | {J.nnz} | {build:.2f} | {t_compile:.2f} | "
              f"{build + t_compile:.2f} |")  # fmt: skip
        fits.append((J.nnz, build + t_compile))
    return fits


def exponent(points: list[tuple[int, float]]) -> float:
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def rosenbrock(x: list[Any], total: Any = add) -> Any:
    return total(*(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1)))


def bench_rosenbrock(n: int) -> None:
    print(f"\n## Extended Rosenbrock, n = {n}\n")
    x = [Sym(f"x{i}") for i in range(n)]
    t_f, f = timed(lambda: rosenbrock(x))
    t_obj, obj = timed(lambda: compile_objective(f, x))
    t_hess, H = timed(lambda: obj.hessian)
    x0 = np.tile([-1.2, 1.0], n // 2)
    t_hc, Hx = timed(lambda: obj.hess(x0))
    t_rest, _ = timed(lambda: (obj.value_and_grad(x0), obj.hessp(x0, x0)))
    print(f"- objective built from {n} terms: {t_f:.2f} s")
    print(f"- sparse Hessian built: {t_hess:.2f} s ({H.nnz} distinct nonzeros, "
          f"{Hx.nnz} in CSC); compiled + first call: {t_hc:.2f} s; "
          f"**build + compile {t_obj + t_hess + t_hc:.2f} s**")  # fmt: skip
    print(f"- gradient and hessp compiled + first calls: {t_rest:.2f} s")
    rosenbrock_without_reuse(n)
    print()
    print("| method | derivative | time s | iterations | f(x*) |\n|---|---|---|---|---|")
    for method, extra in (("Newton-CG", "hess"), ("Newton-CG", "hessp"), ("trust-constr", "hess")):
        given = {extra: getattr(obj, extra)}
        seconds, result = timed(lambda method=method, given=given: so.minimize(
            obj, x0, jac=obj.grad, method=method, **given))  # fmt: skip
        print(f"| {method} | {extra} | {seconds:.2f} | {result.nit} | {result.fun:.1e} |")


def rosenbrock_without_reuse(n: int) -> None:
    """The same build and compile with structure reuse off (``reuse=False``: one sweep and
    one statement per entry), fresh symbols so that no node of the run above is reused."""
    x = [Sym(f"y{i}") for i in range(n)]
    f = rosenbrock(x)
    t_hess, H = timed(lambda: sparse_hessian(f, x, reuse=False))
    x0 = np.tile([-1.2, 1.0], n // 2)
    t_hc, _ = timed(lambda: compile_vector(list(H.full()[2]), x, reuse=False, target="python")(x0))
    print(
        f"- without structure reuse (`reuse=False`): Hessian {t_hess:.2f} s, compiled + first "
        f"call {t_hc:.2f} s, **build + compile {t_hess + t_hc:.2f} s**"
    )


def network(n: int) -> tuple[list[Any], list[Sym]]:
    x = [Sym(f"x{i}") for i in range(n)]
    k1, k2, k3 = Sym("k1"), Sym("k2"), Sym("k3")
    F = [k1 * x[i - 1] - k2 * x[i] * x[(i + 1) % n] + k3 * x[i] ** 2 / (1 + x[i]) for i in range(n)]
    return F, x


def bench_pattern(n: int) -> None:
    F, x = network(n)
    seconds, pattern = timed(lambda: jacobian_sparsity(F, x))
    print(f"\n## Pattern of a {n}-state chain reaction network\n\n- `jacobian_sparsity`: "
          f"{seconds:.2f} s, {pattern.nnz} nonzeros (no derivative built)")  # fmt: skip


def bench_jax(N: int, n: int) -> None:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        print("\n(JAX not installed: pip install jax jaxlib)")
        return
    jax.config.update("jax_enable_x64", True)
    a = ALPHA * (N - 1) ** 2

    def lap(w: Any) -> Any:
        return (jnp.roll(w, 1, 0) + jnp.roll(w, -1, 0) + jnp.roll(w, 1, 1)
                + jnp.roll(w, -1, 1) - 4 * w)  # fmt: skip

    def rhs(y: Any) -> Any:
        g = y.reshape(N, N, 2)
        u, v = g[..., 0], g[..., 1]
        return jnp.stack([A + u * u * v - (B + 1) * u + a * lap(u),
                          B * u - u * u * v + a * lap(v)], axis=-1).ravel()  # fmt: skip

    y0 = jnp.asarray(initial(N))
    jac = jax.jit(jax.jacfwd(rhs))
    t_first, _ = timed(lambda: jac(y0).block_until_ready())
    t_call, _ = timed(lambda: jac(y0).block_until_ready())
    F, ys = brusselator(N)
    system = compile_system(F, ys)
    t_ours, _ = timed(lambda: (system.jacobian, system.jac(0.0, np.asarray(y0))))
    t_ours_call, _ = timed(lambda: system.jac(0.0, np.asarray(y0)))
    print(f"\n## JAX {jax.__version__} (x64, jit, dense)\n")
    print(
        "| problem | JAX trace+compile+call s | JAX call s | symdiff build+compile+call s "
        "| symdiff call s |\n|---|---|---|---|---|"
    )
    print(f"| Brusselator N={N} jacfwd ({2 * N * N}^2 dense) | {t_first:.2f} | {t_call:.4f} | "
          f"{t_ours:.2f} | {t_ours_call:.4f} |")  # fmt: skip

    def rosen(x: Any) -> Any:
        return jnp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)

    x0 = jnp.asarray(np.tile([-1.2, 1.0], n // 2))
    hess = jax.jit(jax.hessian(rosen))
    t_first, _ = timed(lambda: hess(x0).block_until_ready())
    t_call, _ = timed(lambda: hess(x0).block_until_ready())
    xs = [Sym(f"x{i}") for i in range(n)]
    obj = compile_objective(rosenbrock(xs), xs)
    t_ours, _ = timed(lambda: obj.hess(np.asarray(x0)))
    t_ours_call, _ = timed(lambda: obj.hess(np.asarray(x0)))
    print(f"| Rosenbrock n={n} hessian ({n}^2 dense) | {t_first:.2f} | {t_call:.4f} | "
          f"{t_ours:.2f} | {t_ours_call:.4f} |")  # fmt: skip


def bench_sympy(N: int, n: int, cap: float) -> None:
    try:
        import sympy
    except ImportError:
        print("\n(SymPy not installed)")
        return
    print(f"\n## SymPy {sympy.__version__} (dense Matrix.jacobian / hessian, cap {cap:.0f} s)\n")
    print("| problem | SymPy s | symdiff sparse build s |\n|---|---|---|")
    F, ys = brusselator(N)
    sym_ys = [sympy.Symbol(s.name) for s in ys]
    sym_F = [sympy.sympify(str(f)) for f in F]
    status, _, seconds = capped(cap, lambda: sympy.Matrix(sym_F).jacobian(sym_ys))
    ours, _ = timed(lambda: symdiff.jacobian(F, ys, sparse=True))
    print(f"| Brusselator N={N} Jacobian | {seconds:.2f} ({status}) | {ours:.3f} |")
    xs = [Sym(f"x{i}") for i in range(n)]
    f = rosenbrock(xs)
    sym_xs = [sympy.Symbol(s.name) for s in xs]
    sym_f = sympy.sympify(str(f))
    status, _, seconds = capped(cap, lambda: sympy.hessian(sym_f, sym_xs))
    ours, _ = timed(lambda: symdiff.hessian(f, xs, sparse=True))
    print(f"| Rosenbrock n={n} Hessian | {seconds:.2f} ({status}) | {ours:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, shorter caps")
    parser.add_argument("--target", default="python", choices=("python", "numpy", "c"))
    parser.add_argument(
        "--build-only", action="store_true", help="Brusselator build + compile, N = 8 ... 64"
    )
    parser.add_argument("--rosenbrock", action="store_true", help="the Rosenbrock part only")
    options = parser.parse_args()
    sizes = [8, 16, 32] if options.quick else [8, 16, 32, 64]
    command = "python benchmarks/bench_sparse.py" + (" --quick" if options.quick else "")
    command += " --build-only" if options.build_only else ""
    command += " --rosenbrock" if options.rosenbrock else ""
    print(f"# bench_sparse ({datetime.date.today()}, `{command}`)\n")
    if options.rosenbrock:
        bench_rosenbrock(10_000)
        return
    if options.build_only:
        fits = bench_build([8, 16, 32, 64], options.target)
        print(f"\nfitted exponent of build + compile vs nonzeros: **{exponent(fits):.2f}**")
        return
    fits = bench_brusselator(sizes, options.target)
    print(f"\nfitted exponent of build + compile vs nonzeros: **{exponent(fits):.2f}**")
    bench_rosenbrock(10_000)
    bench_pattern(50_000)
    bench_jax(16 if options.quick else 32, 1000 if options.quick else 2000)
    bench_sympy(8, 100 if options.quick else 200, 20 if options.quick else 60)


if __name__ == "__main__":
    main()
