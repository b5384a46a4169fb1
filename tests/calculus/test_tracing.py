"""Tracing Python functions (loops, branches on numbers) and differentiating the result."""

from __future__ import annotations

import math

import pytest

from symdiff import (
    Expr,
    Sym,
    SymdiffError,
    TracingError,
    dag_size,
    evaluate,
    gradient,
    hessian,
    jacobian,
    trace,
)
from symdiff import math as sm


def my_func(a, b, steps=1000):
    z = 0
    for i in range(steps):
        z = a * sm.cos(z + i) + z * b
    return z


def central(fn, point: list[float], i: int, h: float = 1e-6) -> float:
    """Central difference of the plain Python function (run on floats) in argument ``i``."""
    up, down = list(point), list(point)
    up[i] += h
    down[i] -= h
    return (fn(*up) - fn(*down)) / (2 * h)


def test_classic_loop_gradient() -> None:
    f = trace(my_func, "a b")
    assert dag_size(f) < 10 * 1000  # O(1,000) nodes; the printed tree would have ~2**1000
    g = gradient(f, "a b")
    assert dag_size(f, *g) < 3 * dag_size(f)
    for point in ([0.3, 0.5], [-0.7, 0.2], [0.1, -0.4]):
        values = dict(zip("ab", point, strict=True))
        assert math.isclose(evaluate(f, values), my_func(*point), rel_tol=1e-12)
        for i in range(2):
            assert math.isclose(evaluate(g[i], values), central(my_func, point, i), rel_tol=1e-6)


def test_ten_thousand_step_loop() -> None:
    f = trace(my_func, "a b", steps=10_000)
    g = gradient(f, "a b")
    point = [0.3, 0.5]
    values = {"a": 0.3, "b": 0.5}
    for i in range(2):
        fn = lambda a, b: my_func(a, b, steps=10_000)  # noqa: E731 -- a one-line adapter
        assert math.isclose(evaluate(g[i], values), central(fn, point, i), rel_tol=1e-6)


def test_default_variables_are_the_parameters() -> None:
    def f(x, y):
        return x * y + sm.sin(x)

    assert str(trace(f)) == "x*y + sin(x)"
    assert str(trace(f, ["p", "q"])) == "p*q + sin(p)"


def test_branches_on_numbers_are_taken() -> None:
    def poly(x, degree):
        total = 0
        for k in range(degree + 1):
            if k % 2 == 0:
                total = total + x**k
        return total

    assert str(trace(poly, "x", degree=4)) == "x**4 + x**2 + 1"


def test_branch_on_symbolic_value_is_refused() -> None:
    def relu(x):
        if x > 0:
            return x
        return 0

    with pytest.raises(TracingError, match=r"relu branches on a symbolic value .*if x > 0"):
        trace(relu)


def test_truth_of_symbolic_value_is_refused() -> None:
    def f(x):
        return x if x else 1

    with pytest.raises(TracingError, match="truth value"):
        trace(f)
    # outside tracing, expressions stay truthy like any object
    assert bool(Sym("x"))


def test_while_on_symbolic_value_is_refused() -> None:
    def f(x):
        while x < 10:
            x = x * 2
        return x

    with pytest.raises(SymdiffError):
        trace(f)


def test_several_outputs_give_a_jacobian() -> None:
    def polar(r, t):
        return [r * sm.cos(t), r * sm.sin(t)]

    outputs = trace(polar)
    assert isinstance(outputs, tuple) and len(outputs) == 2
    rows = jacobian(outputs, "r t")
    point = [1.5, 0.4]
    values = dict(zip("rt", point, strict=True))
    for k in range(2):
        component = lambda r, t, k=k: polar(r, t)[k]  # noqa: E731 -- a one-line adapter
        for i in range(2):
            expected = central(component, point, i)
            assert math.isclose(evaluate(rows[k][i], values), expected, rel_tol=1e-6)


def test_hessian_of_traced_function() -> None:
    def softplus_chain(x, y):
        z = x
        for _ in range(5):
            z = sm.log(1 + sm.exp(z * y))
        return z

    f = trace(softplus_chain)
    matrix = hessian(f)
    point = [0.4, 0.9]
    values = {"x": 0.4, "y": 0.9}
    h = 1e-4
    for i in range(2):
        for j in range(2):

            def slope(*p, j=j):
                return central(softplus_chain, list(p), j, 1e-5)

            expected = central(slope, point, i, h)
            assert math.isclose(evaluate(matrix[i][j], values), expected, rel_tol=1e-4)


def test_stop_gradient_in_traced_function() -> None:
    def f(x, y):
        return x * sm.stop_gradient(x * y) + sm.detach(y)

    g = gradient(trace(f), "x y")
    assert [str(e) for e in g] == ["stop_gradient(x*y)", "0"]
    assert f(2.0, 3.0) == 2.0 * 6.0 + 3.0  # on numbers, stop_gradient is the identity


def test_non_numeric_result_is_refused() -> None:
    with pytest.raises(TracingError, match="returned str"):
        trace(lambda x: "x")


def test_constant_result_becomes_a_number() -> None:
    f = trace(lambda x: 3)
    assert isinstance(f, Expr) and str(f) == "3"


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("sin", (0.5,), math.sin(0.5)),
        ("exp", (1,), math.e),
        ("tanh", (0.3,), math.tanh(0.3)),
        ("atan2", (1.0, -2.0), math.atan2(1.0, -2.0)),
        ("log", (8, 2), 3.0),
        ("sqrt", (9,), 3.0),
        ("abs", (-2.5,), 2.5),
    ],
)
def test_math_functions_on_numbers(name: str, args: tuple, expected: float) -> None:
    result = getattr(sm, name)(*args)
    assert isinstance(result, float) and math.isclose(result, expected)


def test_math_functions_on_expressions() -> None:
    x = Sym("x")
    assert str(sm.sin(x)) == "sin(x)"
    assert str(sm.sqrt(x)) == "sqrt(x)"
    assert str(sm.log(x)) == "log(x)"
    assert str(sm.atan2(x, 1)) == "atan2(x, 1)"
    assert sm.pi == math.pi
