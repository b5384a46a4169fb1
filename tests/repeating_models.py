"""Models that repeat one formula over many indices, shared by the structure-reuse tests:
the extended Rosenbrock sum, a periodic 2-D Brusselator right-hand side, a chain network."""

from __future__ import annotations

from symdiff import Sym
from symdiff.core.constructors import add
from symdiff.core.nodes import Expr


def rosenbrock(n: int) -> tuple[Expr, list[Sym]]:
    x = [Sym(f"x{i}") for i in range(n)]
    terms = (100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(n - 1))
    return add(*terms), x


def brusselator(N: int) -> tuple[list[Expr], list[Sym]]:
    ys = [Sym(f"{c}{i}_{j}") for i in range(N) for j in range(N) for c in "uv"]

    def at(c: int, i: int, j: int) -> Sym:
        return ys[2 * ((i % N) * N + j % N) + c]

    F: list[Expr] = []
    for i in range(N):
        for j in range(N):
            u, v = at(0, i, j), at(1, i, j)
            lap = [add(at(c, i + 1, j), at(c, i - 1, j), at(c, i, j + 1), at(c, i, j - 1),
                       -4 * at(c, i, j)) for c in (0, 1)]  # fmt: skip
            F += [1 + u**2 * v - 4.4 * u + 0.18 * lap[0], 3.4 * u - u**2 * v + 0.18 * lap[1]]
    return F, ys


def network(n: int) -> tuple[list[Expr], list[Sym]]:
    x = [Sym(f"x{i}") for i in range(n)]
    k1, k2, k3 = Sym("k1"), Sym("k2"), Sym("k3")
    F = [k1 * x[i - 1] - k2 * x[i] * x[(i + 1) % n] + k3 * x[i] ** 2 / (1 + x[i]) for i in range(n)]
    return F, x
