"""Gradients, Jacobians and Hessians from the reverse sweep, against SymPy and hand values."""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import assume, given, settings
from oracle import agree_numerically, to_sympy
from strategies import UNARY, VARIABLES, expressions

from symdiff import (
    Sym,
    count_operations,
    dag_size,
    derivative,
    evaluate,
    gradient,
    hessian,
    jacobian,
    parse,
    sin,
    stop_gradient,
)
from symdiff.cli import main
from symdiff.core.constructors import add

# SymPy's reading of stop_gradient is the identity, so its derivative would differ from ours
DIFFERENTIABLE = tuple(name for name in UNARY if name != "stop_gradient")
SYMPY_VARIABLES = [sympy.Symbol(v, real=True) for v in VARIABLES]

CASES = [
    "x**2*y + y + 2",
    "log(x) + x*y - sin(y)",
    "x**y",
    "exp(-(x**2 + y**2)/2)*sin(x*y)",
    "atan2(y, x) + sqrt(x**2 + y**2)",
    "tanh(x*y + 1)**3/(1 + x**2)",
    "x*y*z*sin(x*y*z)",
    "(x + y + z)**5",
    "2**x + y**(1/3) + pi**z",
    "log(x, 2)*abs(y) + erf(x*z)",
]


def _points_checked(ours, theirs, guard) -> int:
    return agree_numerically(ours, theirs, list(VARIABLES), guard=guard, points=10)


@pytest.mark.parametrize("text", CASES)
def test_gradient_against_sympy(text: str) -> None:
    f = parse(text)
    g = gradient(f, "x y z")
    theirs = to_sympy(f)
    for entry, symbol in zip(g, SYMPY_VARIABLES, strict=True):
        assert _points_checked(entry, sympy.diff(theirs, symbol), f) >= 3


@pytest.mark.parametrize("text", CASES[:7])
def test_hessian_against_sympy(text: str) -> None:
    f = parse(text)
    matrix = hessian(f, "x y z")
    expected = sympy.hessian(to_sympy(f), SYMPY_VARIABLES)
    for i in range(3):
        for j in range(3):
            assert _points_checked(matrix[i][j], expected[i, j], f) >= 3


def test_jacobian_against_sympy() -> None:
    texts = ["x*y*z", "atan2(y, x)", "exp(x)*cos(z) - y**2"]
    rows = jacobian(", ".join(texts), "x y z")
    assert len(rows) == 3
    for row, text in zip(rows, texts, strict=True):
        theirs = to_sympy(parse(text))
        for entry, symbol in zip(row, SYMPY_VARIABLES, strict=True):
            assert _points_checked(entry, sympy.diff(theirs, symbol), parse(text)) >= 3


@given(expressions(functions=DIFFERENTIABLE))
def test_random_gradients_against_sympy(f) -> None:
    theirs = to_sympy(f)
    checked = 0
    for entry, symbol in zip(gradient(f, VARIABLES), SYMPY_VARIABLES, strict=True):
        checked += agree_numerically(entry, sympy.diff(theirs, symbol), VARIABLES, f, points=4)
    assume(checked > 0)


@given(expressions(functions=DIFFERENTIABLE, max_leaves=6))
def test_random_hessians_against_sympy(f) -> None:
    matrix = hessian(f, VARIABLES)
    expected = sympy.hessian(to_sympy(f), SYMPY_VARIABLES)
    checked = 0
    for i in range(3):
        for j in range(i, 3):
            checked += agree_numerically(matrix[i][j], expected[i, j], VARIABLES, f, points=3)
    assume(checked > 0)


@settings(max_examples=40)  # two expressions and SymPy per example: the costliest oracle test
@given(expressions(functions=DIFFERENTIABLE, max_leaves=8), expressions(max_leaves=8))
def test_random_jacobians_against_sympy(f, g) -> None:
    rows = jacobian([f, g], VARIABLES)
    checked = 0
    for row, source in zip(rows, (f, g), strict=True):
        theirs = to_sympy(source)
        if source is g and "stop_gradient" in str(g):
            continue
        for entry, symbol in zip(row, SYMPY_VARIABLES, strict=True):
            checked += agree_numerically(entry, sympy.diff(theirs, symbol), VARIABLES, source, 3)
    assume(checked > 0)


def test_hessian_is_symmetric_by_construction() -> None:
    matrix = hessian("x**3*y**2*z + sin(x*z)", "x y z")
    for i in range(3):
        for j in range(3):
            assert matrix[i][j] is matrix[j][i]
    assert str(matrix[0][1]) == "6*x**2*y*z"  # d2/dxdy of x**3*y**2*z by hand


def test_vector_keeps_its_variables() -> None:
    g = gradient("x**2*y + y")
    assert [v.name for v in g.variables] == ["x", "y"]  # sorted free symbols by default
    assert {k: str(e) for k, e in g.as_dict().items()} == {"x": "2*x*y", "y": "x**2 + 1"}
    assert isinstance(g, tuple)
    assert str(gradient("x*y", "z")[0]) == "0"
    assert gradient("5") == ()
    assert [str(e) for e in gradient("x*y", [Sym("y"), "x"])] == ["x", "y"]
    assert [str(e) for e in gradient("x*y", "y, x")] == ["x", "y"]
    with pytest.raises(TypeError, match="jacobian"):
        gradient([parse("x"), parse("y")])


def test_repeated_children_accumulate() -> None:
    # x*x is x**2 canonically, but sin(x)*x + x and x**x send several contributions to x
    assert str(gradient("x + x*sin(x) + x")[0]) == str(parse("2 + sin(x) + x*cos(x)"))
    value = evaluate(gradient("x**x")[0], x=2.0)
    assert math.isclose(value, 4 * (math.log(2) + 1))  # d/dx x**x = x**x*(log x + 1)


def test_stop_gradient_is_honoured() -> None:
    x, y = Sym("x"), Sym("y")
    g = gradient(x * stop_gradient(x * y) + y, "x y")
    assert str(g[0]) == "stop_gradient(x*y)"
    assert str(g[1]) == "1"
    assert gradient(stop_gradient(x * y), "x y") == (parse("0"), parse("0"))
    parsed = gradient("x*detach(x**2)")
    assert str(parsed[0]) == "stop_gradient(x**2)"
    # second derivatives stop too: d2/dx2 of x**2*stop_gradient(x) is 2*stop_gradient(x)
    assert str(hessian("x**2*detach(x)")[0][0]) == "2*stop_gradient(x)"


def test_higher_and_mixed_derivative_alias() -> None:
    f = parse("x**4*y**2 + sin(x)*y")
    ours = derivative(f, ("x", 3), "y")
    x, y = sympy.symbols("x y", real=True)
    theirs = sympy.diff(to_sympy(f), x, 3, y)
    assert agree_numerically(ours, theirs, ["x", "y"], points=5) == 5


def rosenbrock(n: int):
    xs = [Sym(f"x{i}") for i in range(n)]
    terms = [100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1)]
    return add(*terms), xs


def test_cheap_gradient_bound_on_rosenbrock_1000() -> None:
    f, xs = rosenbrock(1000)
    g = gradient(f, xs)
    assert len(g) == 1000
    assert dag_size(f, *g) <= 3 * dag_size(f)
    assert count_operations(f, *g) <= 4 * count_operations(f)
    # hand-computed: at x = (1, ..., 1) the gradient vanishes; at 0 only x0 and x1 move
    ones = {x.name: 1.0 for x in xs}
    assert all(evaluate(entry, ones) == 0 for entry in g[:5])
    zeros = {x.name: 0.0 for x in xs}
    assert [evaluate(entry, zeros) for entry in g[:3]] == [-2.0, -2.0, -2.0]
    assert evaluate(g[999], zeros) == 0.0


def test_ten_thousand_term_sum() -> None:
    x = Sym("x")
    f = add(*(sin(k * x) for k in range(1, 10_001)))
    (g,) = gradient(f, "x")
    expected = sum(k * math.cos(k * 0.001) for k in range(1, 10_001))
    assert math.isclose(evaluate(g, x=0.001), expected, rel_tol=1e-9)


def test_ten_thousand_deep_chain() -> None:
    x, y = Sym("x"), Sym("y")
    f = x
    for _ in range(10_000):
        f = sin(f) + f * y
    g = gradient(f, "x y")
    assert dag_size(f, *g) <= 5 * dag_size(f)
    # the same recurrence by hand: value, d/dx and d/dy carried forward in floats
    value, by_x, by_y, yv = 0.3, 1.0, 0.0, 0.5
    for _ in range(10_000):
        by_x, by_y = math.cos(value) * by_x + yv * by_x, math.cos(value) * by_y + yv * by_y + value
        value = math.sin(value) + value * yv
    point = {"x": 0.3, "y": 0.5}
    assert math.isclose(evaluate(g[0], point), by_x, rel_tol=1e-9, abs_tol=1e-300)
    assert math.isclose(evaluate(g[1], point), by_y, rel_tol=1e-9)


def test_ten_thousand_deep_unary_chain() -> None:
    f = Sym("x")
    for _ in range(10_000):
        f = sin(f)
    (g,) = gradient(f, "x")
    # pending partials are multiplied out once, so the gradient is one product of 10,000 cosines
    assert count_operations(f, g) <= 3 * count_operations(f)
    value, slope = 0.7, 1.0
    for _ in range(10_000):
        value, slope = math.sin(value), slope * math.cos(value)
    assert math.isclose(evaluate(g, x=0.7), slope, rel_tol=1e-9)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["x*y + sin(x)", "--grad"], "d/dx = y + cos(x)\nd/dy = x"),
        (["x*y*z", "--grad", "--wrt", "z", "--wrt", "x"], "d/dz = x*y\nd/dx = y*z"),
        (["x*y, x + y**2", "--jacobian"], "df1/dx = y\ndf1/dy = x\ndf2/dx = 1\ndf2/dy = 2*y"),
        (["x**2*y**3", "--hessian"], "d2/dx2 = 2*y**3\nd2/dxdy = 6*x*y**2\nd2/dy2 = 6*x**2*y"),
        (["sin(x*y)", "--grad", "--cse", "always"], "t0 = cos(x*y)\nd/dx = t0*y\nd/dy = t0*x"),
    ],
)
def test_cli(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == expected


def test_cli_chooses_cse_for_shared_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sin(cos(exp(x*y)))*exp(x*y)*tanh(x*y)", "--grad"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "t0 = x*y"
    # f = g(x*y), so df/dx = g'(x*y)*y and df/dy = g'(x*y)*x: one shared part, scaled
    dx, dy = (line.split(" = ", 1)[1] for line in lines[-2:])
    assert lines[-2].startswith("d/dx = ") and lines[-1].startswith("d/dy = ")
    assert dx.endswith("*y") and dy.endswith("*x") and dx[:-2] == dy[:-2]


def test_cli_without_variables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["5", "--grad"]) == 2
    assert "no variables" in capsys.readouterr().err


def test_cli_grad_at_a_point_is_the_point_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x**2*y", "--grad", "--at", "x=1,y=2"]) == 0
    out = capsys.readouterr().out
    assert "4" in out and "d/dx =" not in out  # d/dx of x**2*y at (1, 2) is 4
    # the Hessian of x**2*y at (1, 2): d2/dx2 = 2*y = 4, d2/dxdy = 2*x = 2, d2/dy2 = 0
    assert main(["x**2*y", "--hessian", "--at", "x=1,y=2"]) == 0
    rows = dict(line.split(" = ") for line in capsys.readouterr().out.splitlines())
    assert {k: float(v) for k, v in rows.items()} == {"d2/dx2": 4, "d2/dxdy": 2, "d2/dy2": 0}


def test_cli_simplifies_small_entries_for_display(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["(x + 1)**2*y", "--grad", "--no-simplify"]) == 0
    raw = capsys.readouterr().out.strip().splitlines()
    assert raw == ["d/dx = y*(2*x + 2)", "d/dy = (x + 1)**2"]
    assert main(["(x + 1)**2*y", "--grad"]) == 0
    tidy = capsys.readouterr().out.strip().splitlines()
    assert tidy[0] != raw[0] and tidy[0].startswith("d/dx = ")
    shown = parse(tidy[0].removeprefix("d/dx = "))
    assert evaluate(shown, x=0.7, y=1.3) == pytest.approx(2 * 1.3 * 1.7)


def test_zero_to_a_symbolic_power_is_constant() -> None:
    # 0**x is 0 for x > 0 (and undefined elsewhere): no log(0) in its derivatives
    assert [str(e) for e in gradient("0**x + y**x", "x")] == [str(parse("y**x*log(y)"))]
    assert str(hessian("0**x")[0][0]) == "0"
