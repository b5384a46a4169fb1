"""No package code takes the truth value of an expression; ``trace`` of long sums (item 6).

``conftest.py`` makes ``Expr.__bool__`` raise for callers inside the package during the whole
suite, so any ``if expr:``, ``expr or ...``, ``not expr`` or ``any(exprs)`` that a test reaches
fails it (the family test).  The tests here reach the paths that did it: the growth of sums and
products of 16 or more terms.
"""

from __future__ import annotations

import math
import os

import pytest
from conftest import _PACKAGE, _TRUTH_TESTS, InternalTruthTest

import symdiff
from symdiff import Expr, TracingError, evaluate, gradient, trace
from symdiff import math as sm


def test_the_guard_is_installed_and_catches_package_code() -> None:
    x = symdiff.Sym("x")
    code = compile("bool(x)", os.path.join(_PACKAGE, "pretend_module.py"), "eval")
    with pytest.raises(InternalTruthTest, match=r"pretend_module\.py"):
        eval(code, {"x": x})
    _TRUTH_TESTS.pop()  # that one was on purpose
    assert bool(x) is True  # outside the package (and outside trace): an ordinary object


def test_the_reported_case() -> None:
    names = [f"x{i}" for i in range(20)]
    f = trace(lambda *x: sum(v**2 for v in x), names)
    assert len(f.args) == 20
    assert evaluate(f, {n: 1.0 for n in names}) == 20.0


N = 10_000


def _point(n: int) -> dict[str, float]:
    return {f"v{i}": 1 + (i % 7) / 10 for i in range(n)}


def test_trace_of_a_sum_of_ten_thousand_terms() -> None:
    names = [f"v{i}" for i in range(N)]
    f = trace(lambda *v: sum(t * t for t in v), names)
    assert isinstance(f, symdiff.Add) and len(f.args) == N
    point = _point(N)
    assert math.isclose(evaluate(f, point), math.fsum(t * t for t in point.values()))
    g = gradient(f, names[:3] + names[-2:])
    assert [evaluate(e, point) for e in g] == [2 * point[n] for n in names[:3] + names[-2:]]


def test_trace_of_a_product_of_ten_thousand_factors() -> None:
    names = [f"v{i}" for i in range(N)]
    f = trace(lambda *v: math.prod(v), names)
    assert isinstance(f, symdiff.Mul) and len(f.args) == N
    point = {n: 1.0 for n in names}
    assert evaluate(f, point) == 1.0


def test_trace_of_a_loop_of_ten_thousand_steps() -> None:
    def loop(a, b):
        s, p = 0, 1
        for i in range(N):
            s = s + sm.sin(a * i) * b
            p = p * (a + i)
        return s, p

    s, p = trace(loop)
    assert len(s.args) == N - 1  # the i = 0 term is 0
    assert len(p.args) == N
    assert math.isclose(evaluate(s, a=0.3, b=2), 2 * math.fsum(math.sin(0.3 * i) for i in range(N)))


def test_branching_is_still_refused() -> None:
    def branchy(x):
        total = sum(x * i for i in range(30))
        return total if total else -total

    with pytest.raises(TracingError, match="branches on a symbolic value"):
        trace(branchy)


def test_a_float_of_a_symbol_inside_trace_says_what_to_use() -> None:
    with pytest.raises(TracingError, match=r"(?s)needs a plain number.*symdiff\.math"):
        trace(lambda x: math.sin(x))


def test_expr_defines_no_truth_value_of_its_own() -> None:
    assert Expr.__bool__.__module__ == "conftest"  # installed for the suite, by the guard
