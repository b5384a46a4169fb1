"""Stable Python code and an inner overflow: where NumPy gives finite outputs, so does Python.

``math.exp(800)`` raises while NumPy and C give ``inf``; a formula whose inner value overflows
but whose result is finite must not raise in the ``python`` target (``python_ieee.py``).  The
oracle is the NumPy target of the same expressions (IEEE arithmetic), on random expressions
from the shared generator at points where ``exp`` and ``cosh`` overflow.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import expressions

import symdiff
from symdiff import gradient, parse
from symdiff.backend import python as python_target
from symdiff.backend.lower import lower

#: Points where exp, cosh and sinh overflow (or underflow) and ordinary ones.
POINTS = [(800.0, 1.0, -2.0), (-800.0, 0.5, 3.0), (750.0, -750.0, 1e10), (30.0, 720.0, -1.5),
          (1e200, 2.0, 0.25), (0.5, -1e5, 900.0)]  # fmt: skip


def test_an_inner_overflow_with_a_finite_result_returns_it() -> None:
    f = symdiff.compile(parse("x/(2 + exp(x*y)*sin(y))"), "x y", target="python")
    assert f(800.0, 1.0) == 0.0  # exp(800) is inf in IEEE arithmetic: 800/inf
    assert f(1.0, 1.0) == pytest.approx(1 / (2 + math.exp(1) * math.sin(1)), rel=1e-15)
    assert pickle.loads(pickle.dumps(f))(800.0, 1.0) == 0.0


def test_an_output_beyond_the_float_range_still_raises_the_original_error() -> None:
    both = symdiff.compile(["x/(2 + exp(x*y)*sin(y))", "exp(x)"], "x y", target="python")
    with pytest.raises(OverflowError, match="math range error"):
        both(800.0, 1.0)  # the second output is e**800
    with pytest.raises(OverflowError):  # literal code keeps math's behaviour
        symdiff.compile(parse("x/(2 + exp(x*y)*sin(y))"), "x y", "python", stable=False)(800, 1)


def test_code_without_overflowing_calls_is_unchanged() -> None:
    source = symdiff.codegen(parse("sin(x)*y + sqrt(x)"), "x y")
    assert "try:" not in source and "_IEEE" not in source
    assert "try:" in symdiff.codegen(parse("exp(x)*y"), "x y")


def test_the_row_loop_of_a_template_retries_too() -> None:
    x, y = symdiff.Sym("x"), symdiff.Sym("y")
    program = lower([parse("x/(2 + exp(x*y)*sin(y))")], [x, y], stable=frozenset(
        python_target.FUNCTIONS))  # fmt: skip
    namespace: dict = {}
    exec(python_target.loop_source(program, ["x", "y"], "f", ieee=True), namespace)
    assert namespace["f"]([1.0, 800.0], [1.0, 1.0])[1] == 0.0
    assert namespace["f"]([800.0], [-1.0]) == [400.0]


def _numpy_values(function, point) -> list[float] | None:
    with np.errstate(all="ignore"):
        try:
            outputs = function(*(np.array([p]) for p in point))
        except ZeroDivisionError:  # an undefined constant (acoth(0) as 1.0/0.0)
            return None
        values = [float(np.ravel(v)[0]) for v in outputs]
    return values if all(map(math.isfinite, values)) else None


@given(expressions())
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_python_is_finite_wherever_numpy_is(expr) -> None:
    names = ["x", "y", "z"]
    roots = [expr, *gradient(expr, names)]
    python = symdiff.compile(roots, names, target="python")
    numpy = symdiff.compile(roots, names, target="numpy")
    for point in POINTS:
        expected = _numpy_values(numpy, point)
        if expected is None:
            continue
        try:
            got = python(*point)
        except (ZeroDivisionError, ValueError):
            continue  # an underflow to 0 divided by, a domain error: not this property
        except OverflowError as error:  # pragma: no cover - the failure being tested for
            raise AssertionError(f"{expr} at {point}: OverflowError, NumPy {expected}") from error
        for ours, theirs in zip(got, expected, strict=True):
            assert math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-300), (str(expr), point)
