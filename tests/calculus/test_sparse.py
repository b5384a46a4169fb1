"""Sparse Jacobians and Hessians, their patterns, and the symbolic JVP / VJP / HVP products.

Oracles: SymPy's dense derivatives, symdiff's dense ``jacobian``/``hessian`` entry by entry,
and finite-difference probing of the functions themselves for the patterns.
"""

from __future__ import annotations

import math
import random

import pytest
import sympy
from hypothesis import given, settings
from oracle import agree_numerically, symdiff_value, to_sympy
from strategies import VARIABLES, expressions

import symdiff
from symdiff import (
    Num,
    SparseMatrix,
    Sym,
    count_operations,
    evaluate,
    hessian,
    hessian_sparsity,
    hvp,
    jacobian,
    jacobian_sparsity,
    jvp_expr,
    parse,
    vjp_expr,
)
from symdiff.core.constructors import add

SYSTEMS = [
    ["x*y + z", "sin(x) - z**2", "exp(y)*z"],
    ["x**2*y", "atan2(y, x)", "log(1 + x**2)", "sqrt(y**2 + 1)*z"],
    ["sign(x)*y + abs(z)", "stop_gradient(x)*y", "x"],
    ["tanh(x*y*z)", "y", "3"],
]
SCALARS = [
    "x**2*y + y + 2",
    "exp(-(x**2 + y**2)/2)*sin(x*y) + z",
    "100*(y - x**2)**2 + (1 - x)**2 + z**3",
    "abs(x)*y + sign(z)*x + x**y",
    "log(x**2 + 1) + atan2(y, z)",
]


def _dense_equal(sparse: SparseMatrix, dense: tuple[tuple[symdiff.Expr, ...], ...]) -> None:
    m, n = sparse.shape
    assert (m, n) == (len(dense), len(dense[0]) if dense else 0)
    for i in range(m):
        for j in range(n):
            assert sparse[i, j] is dense[i][j], (i, j, sparse[i, j], dense[i][j])
    assert sparse.to_dense() == dense


@pytest.mark.parametrize("system", SYSTEMS)
def test_sparse_jacobian_equals_dense_entry_by_entry(system: list[str]) -> None:
    sparse = jacobian(system, VARIABLES, sparse=True)
    _dense_equal(sparse, jacobian(system, VARIABLES))
    assert all(e is not Num(0) for e in sparse.entries)  # zeros are never stored


@pytest.mark.parametrize("f", SCALARS)
def test_sparse_hessian_is_symmetric_and_equals_dense(f: str) -> None:
    sparse = hessian(f, VARIABLES, sparse=True)
    _dense_equal(sparse, hessian(f, VARIABLES))
    assert sparse.symmetric and all(r <= c for r, c, _ in sparse)  # each distinct entry once
    rows, cols, entries = sparse.full()
    assert len(set(zip(rows, cols, strict=True))) == len(rows)
    for r, c, e in zip(rows, cols, entries, strict=True):
        assert sparse[c, r] is e


@pytest.mark.parametrize("f", SCALARS)
def test_sparse_hessian_against_sympy(f: str) -> None:
    sparse = hessian(f, VARIABLES, sparse=True)
    xs = [sympy.Symbol(v, real=True) for v in VARIABLES]
    theirs = to_sympy(parse(f))
    for i in range(3):
        for j in range(3):
            expected = sympy.diff(theirs, xs[i], xs[j])
            if expected == 0:
                assert sparse[i, j] is Num(0), (i, j)
            else:
                agree_numerically(sparse[i, j], expected, VARIABLES, guard=parse(f))


@settings(max_examples=60)
@given(expressions(), expressions())
def test_random_systems_sparse_equals_dense(f: symdiff.Expr, g: symdiff.Expr) -> None:
    _dense_equal(jacobian([f, g], VARIABLES, sparse=True), jacobian([f, g], VARIABLES))
    _dense_equal(hessian(f, VARIABLES, sparse=True), hessian(f, VARIABLES))


def _probe(outputs: list[symdiff.Expr], point: dict[str, float], h: float = 1e-6) -> set:
    """The entries (k, j) where a central difference of output k in variable j is not 0."""
    found = set()
    for j, v in enumerate(VARIABLES):
        up, down = dict(point), dict(point)
        up[v] += h
        down[v] -= h
        for k, f in enumerate(outputs):
            a, b = symdiff_value(f, up), symdiff_value(f, down)
            if a is not None and b is not None and abs(a - b) / (2 * h) > 1e-6:
                found.add((k, j))
    return found


@pytest.mark.parametrize("system", SYSTEMS)
def test_jacobian_pattern_matches_finite_difference_probing(system: list[str]) -> None:
    # stop_gradient is by definition not what finite differences see: its derivative is 0
    outputs = [parse(f.replace("stop_gradient(x)", "2")) for f in system]
    pattern = jacobian_sparsity(outputs, VARIABLES)
    rng = random.Random(1)
    probed: set = set()
    for _ in range(4):
        probed |= _probe(outputs, {v: rng.uniform(0.3, 1.7) for v in VARIABLES})
    assert probed == set(pattern), (probed, pattern.pairs())


@pytest.mark.parametrize("f", SCALARS)
def test_hessian_pattern_matches_probing_of_the_gradient(f: str) -> None:
    gradient = list(symdiff.gradient(f, VARIABLES))
    pattern = hessian_sparsity(f, VARIABLES)
    rng = random.Random(2)
    probed: set = set()
    for _ in range(4):
        probed |= _probe(gradient, {v: rng.uniform(0.3, 1.7) for v in VARIABLES})
    assert probed == set(pattern), (sorted(probed), pattern.pairs())


def test_sparsity_object_and_scipy_structure() -> None:
    pattern = jacobian_sparsity("x*y, sin(z), x + z", "x y z")
    assert pattern.shape == (3, 3) and pattern.nnz == 5
    assert list(pattern) == [(0, 0), (2, 0), (0, 1), (1, 2), (2, 2)]  # CSC order
    assert pattern.indptr() == [0, 2, 3, 5]
    assert str(pattern) == "**.\n..*\n*.*"
    assert pattern.to_lists() == [[1, 1, 0], [0, 0, 1], [1, 0, 1]]
    matrix = pattern.to_scipy()
    assert matrix.format == "csc" and matrix.toarray().tolist() == [
        [1, 1, 0], [0, 0, 1], [1, 0, 1]
    ]  # fmt: skip
    J = jacobian("x*y, sin(z), x + z", "x y z", sparse=True)
    assert (J.pattern != matrix).nnz == 0
    assert J.rows == pattern.rows and J.cols == pattern.cols


def test_printing_and_latex() -> None:
    J = jacobian("x*y, sin(z)", "x y z", sparse=True)
    assert str(J).splitlines() == [
        "<SparseMatrix 2x3, 3 nonzeros>",
        "  [0, 0] (d/dx) = y",
        "  [0, 1] (d/dy) = x",
        "  [1, 2] (d/dz) = cos(z)",
    ]
    assert r"J_{1,2} &= \cos\left(z\right)" in J.to_latex()
    H = hessian("x**2*y", "x y", sparse=True)
    assert "[0, 1] (d/dx d/dy) = 2*x" in str(H)


def test_variables_absent_or_parameters() -> None:
    J = jacobian(["k*x"], "x y", sparse=True)  # k is a parameter, y unused
    assert J.shape == (1, 2) and list(J) == [(0, 0, Sym("k"))]
    with pytest.raises(IndexError):
        J[1, 0]


def _values(entries, point):
    return [evaluate(e, point) for e in entries]


def test_jvp_vjp_hvp_match_dense_products() -> None:
    system = ["x*y + z", "sin(x) - z**2", "exp(y)*z*x"]
    point = {"x": 0.7, "y": -0.4, "z": 1.3, "a": 0.2, "b": -1.1, "c": 0.5}
    J = [_values(row, point) for row in jacobian(system, VARIABLES)]
    v, w = [0.2, -1.1, 0.5], [0.2, -1.1, 0.5]
    jv = _values(jvp_expr(system, VARIABLES, "a b c"), point)
    wj = _values(vjp_expr(system, VARIABLES, "a b c"), point)
    for k in range(3):
        assert math.isclose(jv[k], sum(J[k][j] * v[j] for j in range(3)), rel_tol=1e-12)
        assert math.isclose(wj[k], sum(w[i] * J[i][k] for i in range(3)), rel_tol=1e-12)
    for f in SCALARS[:3]:
        H = [_values(row, point) for row in hessian(f, VARIABLES)]
        hv = _values(hvp(f, VARIABLES, "a b c"), point)
        for k in range(3):
            expected = sum(H[k][j] * v[j] for j in range(3))
            assert math.isclose(hv[k], expected, rel_tol=1e-10, abs_tol=1e-12)


def test_products_hold_a_direction_that_depends_on_the_variables_constant() -> None:
    # H v with v = (x, 1): v is a vector, not differentiated (H = [[2y, 2x], [2x, 0]])
    hv = hvp("x**2*y", "x y", ["x", 1])
    point = {"x": 1.5, "y": 2.0}
    assert _values(hv, point) == [2 * 2.0 * 1.5 + 2 * 1.5, 2 * 1.5**2]
    wj = vjp_expr(["x*y"], "x y", ["x"])  # x * grad(x*y) = (x*y, x**2)
    assert _values(wj, point) == [3.0, 2.25]
    with pytest.raises(ValueError, match="expected 2"):
        hvp("x*y", "x y", "a")


def _rosenbrock(n: int) -> tuple[symdiff.Expr, list[Sym]]:
    x = [Sym(f"x{i}") for i in range(n)]
    terms = [100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(n - 1)]
    return add(*terms), x


def _chain(n: int) -> tuple[symdiff.Expr, list[Sym]]:
    x = [Sym(f"x{i}") for i in range(n)]
    return add(*(symdiff.sin(x[i]) * x[i + 1] + x[i] ** 3 for i in range(n - 1))), x


@pytest.mark.parametrize("family", [_rosenbrock, _chain])
@pytest.mark.parametrize("n", [3, 10, 100, 1000])
def test_hvp_within_griewank_bound_of_four(family, n: int) -> None:
    f, x = family(n)
    v = [Sym(f"v{i}") for i in range(n)]
    assert count_operations(f, *hvp(f, x, v)) <= 4 * count_operations(f)


@pytest.mark.parametrize("n", [10, 100, 1000])
def test_hvp_cost_linear_in_f_for_coupled_objectives(n: int) -> None:
    # exp of a coupled sum: every Hessian row is dense-ish, yet H v stays O(ops(f))
    x = [Sym(f"x{i}") for i in range(n)]
    f = symdiff.exp(add(*(x[i] * x[i + 1] for i in range(n - 1))))
    v = [Sym(f"v{i}") for i in range(n)]
    assert count_operations(f, *hvp(f, x, v)) <= 7 * count_operations(f)


def test_sparse_hessian_of_rosenbrock_has_tridiagonal_pattern() -> None:
    f, x = _rosenbrock(200)
    H = hessian(f, x, sparse=True)
    assert H.nnz == 200 + 199  # upper triangle: diagonal + first super-diagonal
    assert len(H.full()[0]) == 598  # the 598 nonzeros of the issue
    assert H.sparsity == hessian_sparsity(f, x)


def _network(n: int) -> tuple[list[symdiff.Expr], list[Sym]]:
    x = [Sym(f"x{i}") for i in range(n)]
    k1, k2 = Sym("k1"), Sym("k2")
    return [k1 * x[i - 1] - k2 * x[i] * x[(i + 1) % n] for i in range(n)], x


def test_chain_network_pattern_is_exact() -> None:
    F, x = _network(500)
    pattern = jacobian_sparsity(F, x)
    assert set(pattern) == {(i, (i + d) % 500) for i in range(500) for d in (-1, 0, 1)}


@pytest.mark.soak
def test_soak_50000_state_network_sparse_jacobian() -> None:
    F, x = _network(50_000)
    J = jacobian(F, x, sparse=True)
    assert J.nnz == 150_000
    assert J[10, 11] is -Sym("k2") * x[10]
