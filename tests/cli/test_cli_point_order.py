"""``--order N --at``: the pure N-th partials at the point (once, silently the first ones)."""

import json
import subprocess
import sys

import pytest
import sympy

FORMULA = "x**3*y + exp(2*y)*sin(x)"
POINT = {"x": 0.7, "y": -0.3}


def _cli(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "symdiff", FORMULA, *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("order", [2, 3])
def test_order_at_a_point_gives_the_nth_partials(order: int) -> None:
    result = _cli("--order", str(order), "--at", "x=0.7,y=-0.3", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    x, y = sympy.symbols("x y")
    f = x**3 * y + sympy.exp(2 * y) * sympy.sin(x)
    for name, symbol in (("x", x), ("y", y)):
        expected = float(sympy.diff(f, symbol, order).subs({x: 0.7, y: -0.3}))
        assert document["partials"][name] == pytest.approx(expected, rel=1e-12)
    assert document["order"] == order


@pytest.mark.parametrize(
    "extra", [["--method", "forward"], ["--method", "all"], ["--trace"], ["--grad"], ["--hessian"]]
)
def test_order_with_a_first_derivative_mode_is_refused(extra: list[str]) -> None:
    result = _cli("--order", "2", "--at", "x=0.7,y=-0.3", *extra)
    assert result.returncode == 2
    assert "--order 2" in result.stderr and not result.stdout
