"""The evaluation trace: one row per DAG node, with the textbook values, tangents, adjoints."""

from __future__ import annotations

import math

from hypothesis import assume, given
from oracle import random_points
from strategies import VARIABLES, expressions

from symdiff import (
    EvaluationError,
    Sym,
    dag_size,
    evaluate,
    evaluation_trace,
    parse,
    postorder,
    sin,
)


def test_first_example_table() -> None:
    trace = evaluation_trace("x**2*y + y + 2", {"x": 3, "y": 4})
    assert str(trace).splitlines() == [
        "node  operation   value  tangent d/dx  adjoint",
        "2     constant        2             0",
        "y     input           4             0       10",
        "x     input           3             1       24",
        "v1    x ** 2          9             6        4",
        "v2    y * v1         36            24        1",
        "v3    2 + y + v2     42            24        1",
    ]


def test_log_example_rows() -> None:
    trace = evaluation_trace("log(x) + x*y - sin(y)", {"x": 2, "y": 5}, "y")
    output = trace.rows[-1]
    assert math.isclose(output.value, math.log(2) + 10 - math.sin(5))
    assert math.isclose(output.tangent, 2 - math.cos(5))  # d/dy
    assert trace.row("x").adjoint == 5.5
    assert math.isclose(trace.row("y").adjoint, 2 - math.cos(5))
    operations = {row.operation for row in trace.rows}
    assert {"sin(y)", "log(x)", "input", "constant"} <= operations
    assert "tangent d/dy" in str(trace).splitlines()[0]


def test_sigmoid_trace_has_the_textbook_steps() -> None:
    trace = evaluation_trace("1/(1+exp(-z))", {"z": 2})
    assert [row.operation for row in trace.rows if row.label.startswith("v")] == [
        "-z",
        "exp(v1)",
        "1 + v2",
        "1 / v3",
    ]
    y = 1 / (1 + math.exp(-2))
    assert math.isclose(trace.rows[-1].value, y)
    assert math.isclose(trace.row("z").adjoint, y**2 * math.exp(-2))
    assert math.isclose(trace.row("z").tangent, 1.0)


def test_direction_mapping_and_shared_nodes() -> None:
    f = parse("sin(x*y) + cos(x*y)")  # x*y is shared: one row
    trace = evaluation_trace(f, {"x": 1, "y": 2}, {"x": 1, "y": 1})
    assert sum(row.operation == "x * y" or row.operation == "y * x" for row in trace.rows) == 1
    assert "along x=1,y=1" in str(trace)
    expected = 3 * (math.cos(2) - math.sin(2))  # (d/dx + d/dy) at (1, 2)
    assert math.isclose(trace.rows[-1].tangent, expected)


@given(expressions())
def test_one_row_per_node_in_topological_order(f) -> None:
    checked = 0
    for point in random_points(VARIABLES, 3, seed=2):
        try:
            trace = evaluation_trace(f, point)
        except EvaluationError:
            continue
        assert len(trace.rows) == dag_size(f)
        assert [row.node for row in trace.rows] == postorder(f)
        labels = [row.label for row in trace.rows]
        assert len(set(labels)) == len(labels)
        assert trace.rows[-1].node is f
        assert trace.rows[-1].value == evaluate(f, point)
        assert trace.rows[-1].adjoint in (None, 1.0)
        checked += 1
    assume(checked > 0)


def test_deep_trace() -> None:
    f = Sym("x")
    for _ in range(10_000):
        f = sin(f)
    trace = evaluation_trace(f, {"x": 0.5})
    assert len(trace.rows) == 10_001
    assert trace.rows[-1].label == "v10000" and trace.rows[-1].operation == "sin(v9999)"
