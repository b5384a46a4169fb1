"""Structure reuse in sparse derivatives: one sweep per shape, renamed per repeat.

Oracle: the per-row path (``reuse=False``), entry by entry and node by node (the renamed
entries must be the very nodes the per-row sweeps build), and central differences of the
gradient for the values.
"""

from __future__ import annotations

import random

import pytest
from repeating_models import brusselator, network, rosenbrock

from symdiff import Sym, evaluate, parse
from symdiff.calculus.reuse import row_adjoints, term_adjoints
from symdiff.calculus.reverse import adjoints
from symdiff.calculus.sparse import SparseMatrix, sparse_hessian, sparse_jacobian
from symdiff.core.constructors import add
from symdiff.core.nodes import Expr


def random_sum(seed: int, n: int = 30, terms: int = 120) -> tuple[Expr, list[Sym]]:
    """Terms ``(a - x_i)**2 * exp(x_j)``, softplus-like logs and products, repeated."""
    rng = random.Random(seed)
    kinds = [
        "({a} - x{i})**2*exp(x{j})",
        "log(1 + exp(x{i} - x{j}))",
        "{a}*x{i}*x{j}**3",
        "sin(x{i})*({a} - x{j})**3",
    ]
    text = []
    for _ in range(terms):
        i, j = rng.sample(range(n), 2)
        a = rng.choice(["1", "2", "1/2", "0.25"])
        text.append(rng.choice(kinds).format(a=a, i=i, j=j))
    return parse(" + ".join(text)), [Sym(f"x{i}") for i in range(n)]


def identical(a: SparseMatrix, b: SparseMatrix) -> None:
    assert a.shape == b.shape and a.rows == b.rows and a.cols == b.cols
    for r, c, e, f in zip(a.rows, a.cols, a.entries, b.entries, strict=True):
        assert e is f, (r, c, str(e), str(f))


OBJECTIVES = [rosenbrock(40), *(random_sum(seed) for seed in range(4))]
SYSTEMS = [brusselator(4), brusselator(5), network(30)]


@pytest.mark.parametrize("model", range(len(OBJECTIVES)))
def test_hessian_nodes_are_the_per_row_nodes(model: int) -> None:
    f, x = OBJECTIVES[model]
    identical(sparse_hessian(f, x), sparse_hessian(f, x, reuse=False))


@pytest.mark.parametrize("model", range(len(SYSTEMS)))
def test_jacobian_nodes_are_the_per_row_nodes(model: int) -> None:
    F, x = SYSTEMS[model]
    identical(sparse_jacobian(F, x), sparse_jacobian(F, x, reuse=False))


@pytest.mark.parametrize("model", range(len(OBJECTIVES)))
def test_gradient_of_grouped_terms_is_the_sweep(model: int) -> None:
    f, x = OBJECTIVES[model]
    grouped, plain = term_adjoints(f, x), adjoints(f, x)
    assert list(grouped) == list(plain) or set(grouped) == set(plain)
    assert all(grouped[v] is plain[v] for v in plain)


def test_hessian_against_central_differences() -> None:
    f, x = rosenbrock(12)
    H = sparse_hessian(f, x)
    gradient = adjoints(f, x)
    rng = random.Random(3)
    point = {v.name: rng.uniform(-1.5, 1.5) for v in x}
    h = 1e-5
    for r, c, entry in H:
        up = dict(point, **{x[c].name: point[x[c].name] + h})
        down = dict(point, **{x[c].name: point[x[c].name] - h})
        g = gradient[x[r]]
        estimate = (evaluate(g, up) - evaluate(g, down)) / (2 * h)
        assert abs(evaluate(entry, point) - estimate) <= 1e-5 * (1 + abs(estimate))


def test_entangled_terms_take_the_plain_sweep() -> None:
    # sin(x_i) is a term and inside another term: its adjoint gathers from both
    x = [Sym(f"x{i}") for i in range(12)]
    f = add(*(parse(f"sin(x{i})") for i in range(12)),
            *(parse(f"sin(x{i})**2*x{(i + 1) % 12}") for i in range(12)))  # fmt: skip
    grouped, plain = term_adjoints(f, x), adjoints(f, x)
    assert all(grouped[v] is plain[v] for v in plain) and set(grouped) == set(plain)


def test_rows_of_unique_or_large_shapes_fall_back() -> None:
    x = [Sym(f"x{i}") for i in range(60)]
    big = add(*(parse(f"sin(x{i})") for i in range(60)))  # more symbols than a shape holds
    rows = [(big, x), (parse("x0*x1"), x[:2]), (parse("exp(x2)"), x[2:3])]
    tables = row_adjoints(rows)
    for (row, columns), table in zip(rows, tables, strict=True):
        assert table == adjoints(row, columns)


def test_parameters_keep_their_names() -> None:
    F, x = network(20)
    J = sparse_jacobian(F, x)
    assert {s.name for e in J.entries for s in e.free_symbols} <= {
        *(v.name for v in x), "k1", "k2", "k3",
    }  # fmt: skip
    identical(J, sparse_jacobian(F, x, reuse=False))


def test_one_sweep_per_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    from symdiff.calculus import reuse

    calls = [0]
    sweep = reuse.adjoints

    def counting(f: Expr, variables: list[Sym]) -> dict[Sym, Expr]:
        calls[0] += 1
        return sweep(f, variables)

    monkeypatch.setattr(reuse, "adjoints", counting)
    F, x = brusselator(6)  # 72 rows of two formulas (periodic: no boundary rows)
    sparse_jacobian(F, x)
    assert calls[0] == 2


def chained(n: int) -> tuple[Expr, list[Sym]]:
    """Terms of three shapes over overlapping windows, none sharing a node with another."""
    text = [f"log(1 + exp(x{i} - x{i + 1})) + (x{i}*x{i + 2} - 1)**2" for i in range(n - 2)]
    text += [f"sin(x{i})*x{(i + 3) % n}**3" for i in range(n)]
    return parse(" + ".join(text)), [Sym(f"x{i}") for i in range(n)]


@pytest.mark.parametrize("model", [rosenbrock(40), chained(25)])
def test_hessian_from_term_templates_is_the_row_sweep(model) -> None:
    from symdiff.calculus.reuse import Terms

    f, x = model
    assert Terms(f, x).hessian() is not None  # the path under test is taken
    identical(sparse_hessian(f, x), sparse_hessian(f, x, reuse=False))


@pytest.mark.parametrize("model", [*OBJECTIVES, chained(25)])
def test_hvp_of_grouped_terms_has_the_sweeps_values(model) -> None:
    from symdiff import evaluate, hvp

    f, x = model
    directions = [Sym(f"d{i}") for i in range(len(x))]
    grouped, plain = hvp(f, x, directions), hvp(f, x, directions, reuse=False)
    rng = random.Random(5)
    for _ in range(3):
        point = {s.name: rng.uniform(-1.5, 1.5) for s in [*x, *directions]}
        for a, b in zip(grouped, plain, strict=True):
            want = evaluate(b, point)
            assert abs(evaluate(a, point) - want) <= 1e-12 * (1 + abs(want))


def test_hvp_with_number_directions_takes_the_plain_sweep() -> None:
    from symdiff import hvp

    f, x = rosenbrock(12)
    ones = [1] * len(x)
    assert list(hvp(f, x, ones)) == list(hvp(f, x, ones, reuse=False))
