"""The four methods side by side: same numbers, counted work, the comparison table."""

from __future__ import annotations

import math

import pytest

from symdiff import compare_methods, dag_size, gradient, methods_table, parse, partials_at

SHOPPING = ("price*count*tax", {"price": 100, "count": 2, "tax": 1.1})


@pytest.mark.parametrize("method", ["symbolic", "forward", "reverse", "numeric"])
def test_shopping_by_every_method(method: str) -> None:
    result = partials_at(*SHOPPING, method=method)
    assert math.isclose(result.value, 220)
    assert list(result.gradient) == ["price", "count", "tax"]
    expected = [2.2, 110, 200]
    assert all(
        math.isclose(got, want, rel_tol=1e-9)
        for got, want in zip(result.gradient.values(), expected, strict=True)
    )


def test_work_is_counted_structurally() -> None:
    f = parse("x**2*y + y + 2")  # 6 nodes: 2, y, x, x**2, y*x**2, the sum
    point = {"x": 3, "y": 4}
    symbolic, forward, reverse, numeric = compare_methods(f, point)
    assert symbolic.node_evaluations == dag_size(f, *gradient(f, ["x", "y"]))
    assert forward.node_evaluations == 2 * 6  # one sweep per variable
    assert reverse.node_evaluations == 6 + 3  # forward pass + the 3 operations backward
    assert numeric.function_evaluations == 1 + 2 * 2
    assert numeric.node_evaluations == 5 * 6


def test_wrt_and_unknown_method() -> None:
    assert partials_at("x*y", {"x": 2, "y": 3}, "reverse", wrt=["y"]).gradient == {"y": 2.0}
    with pytest.raises(ValueError, match="unknown method"):
        partials_at("x", {"x": 1}, "backprop")


def test_table_rows_and_errors() -> None:
    table = methods_table(compare_methods("x**2*y + y + 2", {"x": 3, "y": 4}))
    lines = table.splitlines()
    assert len(lines) == 2 + 4
    assert lines[1].startswith("|---")
    numeric_error = float(lines[-1].split("|")[4])
    assert 0 < numeric_error < 1e-9
