"""The CSE form of shared DAGs: dependency order, faithful round trip, linear size."""

from __future__ import annotations

from hypothesis import given
from strategies import expressions

from symdiff import Expr, Sym, cse, cse_text, dag_size, gradient, parse, substitute, trace
from symdiff import math as sm


def rebuild(bindings: list[tuple[Sym, Expr]], reduced: list[Expr]) -> list[Expr]:
    """Substitute the bindings back, in order: the inverse of ``cse``."""
    values: dict[Sym, Expr] = {}
    for name, value in bindings:
        values[name] = substitute(value, values)
    return [substitute(root, values) for root in reduced]


def assert_dependency_order(bindings: list[tuple[Sym, Expr]], roots: list[Expr]) -> None:
    names = {name for name, _ in bindings}
    defined: set[Sym] = set()
    for name, value in bindings:
        assert not (set(value.free_symbols) & names) - defined, f"{name} uses a later name"
        defined.add(name)


def test_shared_node_is_named_once() -> None:
    f = parse("sin(x*y)*y")
    g = parse("sin(x*y)*x")
    bindings, reduced = cse([f, g])
    assert [(n.name, str(v)) for n, v in bindings] == [("t0", "sin(x*y)")]
    assert [str(r) for r in reduced] == ["t0*y", "t0*x"]
    assert rebuild(bindings, reduced) == [f, g]


def test_nothing_shared_means_no_bindings() -> None:
    f = parse("x*y + sin(z)")
    assert cse(f) == ([], [f])
    assert cse_text(f) == "result = x*y + sin(z)"


def test_names_avoid_the_formula_symbols() -> None:
    f = parse("exp(t0 + t1)*(t0 + t1)**2")
    bindings, reduced = cse(f)
    assert [n.name for n, _ in bindings] == ["t2"]
    assert rebuild(bindings, reduced) == [f]


def test_text_labels() -> None:
    text = cse_text([parse("cos(x*y)*y"), parse("cos(x*y)*x")], ["d/dx", "d/dy"])
    assert text == "t0 = cos(x*y)\nd/dx = t0*y\nd/dy = t0*x"


@given(expressions(), expressions())
def test_round_trip_on_random_gradients(f: Expr, g: Expr) -> None:
    roots = [*gradient(f, "x y z"), g, f]
    bindings, reduced = cse(roots)
    assert_dependency_order(bindings, roots)
    assert rebuild(bindings, reduced) == roots


def test_loop_gradient_is_linear_in_cse_form() -> None:
    def loop(a, b):
        z = 0
        for i in range(2_000):
            z = a * sm.cos(z + i) + z * b
        return z

    f = trace(loop)
    roots = [f, *gradient(f, "a b")]
    bindings, _ = cse(roots)
    assert len(bindings) <= dag_size(*roots)
    text = cse_text(roots, ["f", "d/da", "d/db"])
    assert len(text.splitlines()) == len(bindings) + 3
    assert len(text) < 60 * dag_size(*roots)  # linear in the DAG, not in the (huge) tree
    assert_dependency_order(bindings, roots)
