"""Stable evaluation rows (backend/stable.py): every row at arguments where the literal formula
overflows or cancels, against mpmath at 50 digits; soundness at ordinary arguments."""

from __future__ import annotations

import math
import random
import warnings

import mpmath
import pytest
from c_compiler import needs_compiler

import symdiff
from symdiff.backend.stable import ROWS

mp = mpmath.mp
mp.dps = 50

# (row, formula, arguments, the true value from mpmath)
CASES = [
    ("log1p", "log(1 + x)", {"x": 1e-20}, lambda x: mp.log(1 + x)),
    ("log1p", "log(1 - x)", {"x": 3e-18}, lambda x: mp.log(1 - x)),
    ("expm1", "exp(x) - 1", {"x": 1e-20}, lambda x: mp.expm1(x)),
    ("expm1", "1 - exp(x)", {"x": -2e-19}, lambda x: -mp.expm1(x)),
    ("expm1", "y + exp(x) - 1", {"x": 1e-20, "y": 1e-21}, lambda x, y: y + mp.expm1(x)),
    ("softplus", "log(1 + exp(x))", {"x": 800.0}, lambda x: mp.log(1 + mp.exp(x))),
    ("softplus", "log(1 + exp(x))", {"x": -700.0}, lambda x: mp.log1p(mp.exp(x))),
    ("softplus", "log1p(exp(x))", {"x": 750.0}, lambda x: mp.log(1 + mp.exp(x))),
    (
        "logaddexp",
        "log(exp(x) + exp(y))",
        {"x": 1000.0, "y": 1000.0},
        lambda x, y: mp.log(mp.exp(x) + mp.exp(y)),
    ),
    (
        "logaddexp",
        "log(exp(x) + exp(y))",
        {"x": -1000.0, "y": -1001.0},
        lambda x, y: mp.log(mp.exp(x) + mp.exp(y)),
    ),
    (
        "logaddexp",
        "log(exp(x) + exp(y) + exp(z))",
        {"x": 900.0, "y": 901.0, "z": -5.0},
        lambda x, y, z: mp.log(mp.exp(x) + mp.exp(y) + mp.exp(z)),
    ),
    ("log-of-power", "log((1 + exp(x))**3)", {"x": 800.0}, lambda x: 3 * mp.log(1 + mp.exp(x))),
    ("log-sigmoid", "log(1/(1 + exp(-x)))", {"x": -800.0}, lambda x: -mp.log(1 + mp.exp(-x))),
    ("log-one-minus-exp", "log(1 - exp(x))", {"x": -1e-20}, lambda x: mp.log(-mp.expm1(x))),
    ("exp-ratio", "exp(x)/(exp(x) + 1)", {"x": 800.0}, lambda x: 1 / (1 + mp.exp(-x))),
    ("exp-ratio", "1/(1 + exp(-x))", {"x": -710.0}, lambda x: 1 / (1 + mp.exp(-x))),
    (
        "exp-ratio",
        "exp(x)/(exp(x) + exp(y))",
        {"x": 1000.0, "y": 1000.0},
        lambda x, y: mp.exp(x) / (mp.exp(x) + mp.exp(y)),
    ),
    (
        "exp-ratio",
        "exp(x)/(1 + exp(x))**2",
        {"x": 700.0},
        lambda x: mp.exp(x) / (1 + mp.exp(x)) ** 2,
    ),
    (
        "exp-ratio",
        "x*exp(-x)/(1 + exp(-x))**2",
        {"x": -700.0},
        lambda x: x * mp.exp(-x) / (1 + mp.exp(-x)) ** 2,
    ),
    (
        "exp-ratio",
        "exp(z)/(exp(x) + exp(y) + exp(z))",
        {"x": 1000.0, "y": 999.0, "z": 998.0},
        lambda x, y, z: mp.exp(z) / (mp.exp(x) + mp.exp(y) + mp.exp(z)),
    ),
    ("log-cosh", "log(cosh(x))", {"x": -800.0}, lambda x: mp.log(mp.cosh(x))),
    ("one-minus-sigmoid", "1 - 1/(1 + exp(-x))", {"x": 710.0}, lambda x: 1 / (1 + mp.exp(x))),
    (
        "one-minus-sigmoid",
        "log(1 - 1/(1 + exp(-x)))",
        {"x": 800.0},
        lambda x: mp.log(1 - 1 / (1 + mp.exp(-x))),
    ),
    (
        "sigmoid-complement",
        "1/(1 + exp(-x)) - 1/(1 + exp(-x))**2",
        {"x": 40.0},
        lambda x: 1 / (1 + mp.exp(-x)) - 1 / (1 + mp.exp(-x)) ** 2,
    ),
    (
        "distribute-exp",
        "exp(x)*(1/(exp(x) + exp(y)) - exp(x)/(exp(x) + exp(y))**2)",
        {"x": 800.0, "y": 790.0},
        lambda x, y: (
            mp.exp(x) * (1 / (mp.exp(x) + mp.exp(y)) - mp.exp(x) / (mp.exp(x) + mp.exp(y)) ** 2)
        ),
    ),
    ("tanh", "sinh(x)/cosh(x)", {"x": 800.0}, lambda x: mp.tanh(x)),
    ("one-minus-tanh-squared", "1 - tanh(x)**2", {"x": 30.0}, lambda x: 1 - mp.tanh(x) ** 2),
    ("reciprocal-hyperbolic", "sech(x)", {"x": 720.0}, lambda x: mp.sech(x)),
    ("reciprocal-hyperbolic", "csch(x)", {"x": -715.0}, lambda x: mp.csch(x)),
    ("reciprocal-hyperbolic", "1/cosh(x)**2", {"x": 360.0}, lambda x: mp.sech(x) ** 2),
    ("reciprocal-hyperbolic", "csch(exp(x))", {"x": 6.6}, lambda x: mp.csch(mp.exp(x))),
    ("one-minus-cos", "1 - cos(x)", {"x": 1e-10}, lambda x: 1 - mp.cos(x)),
    ("one-minus-cos", "cos(x) - 1", {"x": 3e-9}, lambda x: mp.cos(x) - 1),
    ("difference-of-squares", "1 - x**2", {"x": 1 - 2**-40}, lambda x: 1 - x**2),
    ("difference-of-squares", "x**2 - y**2", {"x": 1e8 + 1, "y": 1e8}, lambda x, y: x**2 - y**2),
    ("hypot", "sqrt(x**2 + y**2)", {"x": 1e200, "y": 3e200}, lambda x, y: mp.sqrt(x**2 + y**2)),
    ("hypot", "x/sqrt(x**2 + 1)", {"x": 1e300}, lambda x: x / mp.sqrt(x**2 + 1)),
    (
        "hypot",
        "1/sqrt(x**2 + y**2)",
        {"x": 1e200, "y": 2e200},
        lambda x, y: 1 / mp.sqrt(x**2 + y**2),
    ),
]
# cases that need a helper C lacks (logaddexp, hypot): the others run in C too
NEEDS_HELPER = {
    "logaddexp",
    "hypot",
    "log-cosh",
    "log-of-power",
}
TARGETS = ["python", "numpy"]


def _literal(formula: str, target: str, values: list[float]) -> float:
    function = symdiff.compile(formula, list(values_names(formula)), target, stable=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(function(*values))
        except (OverflowError, ValueError, ZeroDivisionError):
            return math.nan


def values_names(formula: str) -> list[str]:
    return sorted(s.name for s in symdiff.free_symbols(symdiff.parse(formula)))


def _close(got: float, true: mpmath.mpf, rel: float = 4e-16) -> bool:
    """Within ``rel`` of the truth (or within a few subnormal steps of it)."""
    return math.isfinite(got) and abs(mp.mpf(got) - true) <= rel * abs(true) + 1e-322


def test_every_row_has_a_case() -> None:
    assert {name for name, _ in ROWS} == {case[0] for case in CASES}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(("row", "formula", "point", "truth"), CASES)
def test_row_at_extreme_arguments(row, formula, point, truth, target) -> None:
    names = values_names(formula)
    values = [point[n] for n in names]
    true = truth(*(mp.mpf(v) for v in values))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # stable code raises no overflow/invalid warnings
        got = float(symdiff.compile(formula, names, target)(*values))
    assert _close(got, true, rel=8e-16), (row, got, true)
    # the case is meaningful: the literal formula gets it wrong (by more than a few ulps)
    assert not _close(_literal(formula, target, values), true, rel=1e-13), row


@pytest.mark.parametrize(
    ("row", "formula", "point", "truth"), [c for c in CASES if not NEEDS_HELPER & {c[0], c[1]}]
)
def test_row_in_c(row, formula, point, truth) -> None:
    names = values_names(formula)
    values = [point[n] for n in names]
    try:
        function = symdiff.compile(formula, names, "c")
    except symdiff.CodegenError as error:
        pytest.skip(f"no C compiler: {error}")
    true = truth(*(mp.mpf(v) for v in values))
    assert _close(float(function(*values)), true, rel=8e-16), row


@pytest.mark.parametrize(("row", "formula", "point", "truth"), CASES)
def test_row_is_sound_at_ordinary_arguments(row, formula, point, truth) -> None:
    """At moderate arguments the stable and literal code agree with the truth alike."""
    names = values_names(formula)
    stable = symdiff.compile(formula, names, "python")
    rng = random.Random(hash(formula) % 1000)
    for _ in range(20):
        values = [rng.uniform(-0.9, 0.9) for _ in names]
        try:
            true = truth(*(mp.mpf(v) for v in values))
        except (ValueError, ZeroDivisionError):
            continue
        if isinstance(true, mpmath.mpc) or not mp.isfinite(true):
            continue
        got = stable(*values)
        assert abs(mp.mpf(got) - true) <= 1e-13 * max(1, abs(true)), (formula, values)


def test_issue_examples() -> None:
    """Softplus' derivative at 800 is 1.0 and the logsumexp gradient at (1000, 1000) is 0.5."""
    softplus_derivative = symdiff.diff(symdiff.parse("log(1 + exp(x))"), "x")
    for target in TARGETS:
        assert symdiff.compile(softplus_derivative, "x", target)(800.0) == 1.0
        value_and_grad = symdiff.lambdify("log(exp(x) + exp(y))", "x y", grad=True, target=target)
        value, grad = value_and_grad(1000.0, 1000.0)
        assert float(grad[0]) == float(grad[1]) == 0.5
        assert abs(float(value) - (1000 + math.log(2))) < 1e-12


def test_printed_formula_stays_literal() -> None:
    derivative = symdiff.diff(symdiff.parse("log(1 + exp(x))"), "x")
    assert str(derivative) == "exp(x)/(exp(x) + 1)"
    literal = symdiff.codegen(derivative, "x", stable=False)
    assert "_sigmoid" not in literal and "math.exp(x)" in literal
    assert "_sigmoid(x)" in symdiff.codegen(derivative, "x")


def test_stable_false_overflows_as_before() -> None:
    derivative = symdiff.diff(symdiff.parse("log(1 + exp(x))"), "x")
    with pytest.raises(OverflowError):
        symdiff.compile(derivative, "x", "python", stable=False)(800.0)


def test_deep_expression_is_rewritten_iteratively() -> None:
    expr = symdiff.parse("x")
    for _ in range(10_000):
        expr = symdiff.log(1 + symdiff.exp(expr))
    assert symdiff.compile(expr, "x")(1.0) > 0  # no RecursionError


def test_rows_apply_only_to_their_kinds() -> None:
    """``stable.KINDS`` (which rows a node tries, by its kind) claims no more than the rows do:
    on every other kind of node, from the cases and their gradients, a row returns None."""
    from symdiff.backend.stable import KINDS
    from symdiff.backend.stable_terms import HELPERS, Context
    from symdiff.core.traverse import postorder

    assert set(KINDS) == {name for name, _ in ROWS}
    roots = [symdiff.parse(formula) for _, formula, _, _ in CASES]
    roots += [g for root in list(roots) for g in symdiff.gradient(root)]  # more shapes
    for ctx in (Context(frozenset()), Context(frozenset(HELPERS))):
        for node in postorder(*roots):
            for name, rule in ROWS:
                if node.args and not isinstance(node, KINDS[name]):
                    assert rule(node, ctx) is None, (name, node)


def test_rows_need_what_they_claim():
    """``stable.NEEDS`` (the functions a row's input must contain) claims no more than the rows
    do: wherever a row applies, on the cases, their gradients and helper-made DAGs, one of its
    functions is in the node's subtree."""
    from symdiff.backend.stable import NEEDS, stabilize
    from symdiff.backend.stable_terms import HELPERS, Context
    from symdiff.core.nodes import Call
    from symdiff.core.traverse import postorder

    assert set(NEEDS) == {name for name, _ in ROWS}
    roots = [symdiff.parse(formula) for _, formula, _, _ in CASES]
    roots += [g for root in list(roots) for g in symdiff.gradient(root)]
    roots += stabilize(roots, HELPERS)  # later passes see the helpers earlier ones made
    fired = set()
    for ctx in (Context(frozenset()), Context(frozenset(HELPERS))):
        for node in postorder(*roots):
            for name, rule in ROWS:
                if NEEDS[name] and rule(node, ctx) is not None:
                    fired.add(name)
                    names = {n.name for n in postorder(node) if type(n) is Call}
                    assert names.intersection(NEEDS[name]), (name, node)
    assert len(fired) >= len([n for n in NEEDS if NEEDS[n]]) - 2  # the check is not vacuous


@pytest.mark.parametrize("target", [*TARGETS, "c"])
def test_reciprocal_hyperbolics_near_their_pole_and_beyond_overflow(target) -> None:
    """sech, csch and negative powers of cosh, sinh: accurate at small and ordinary arguments
    (csch through expm1), tiny and finite beyond |x| = 710, and at the pole as 1/sinh(0) is."""
    formulas = {
        "sech(x)": mp.sech, "csch(x)": mp.csch, "sinh(x)**-3": lambda x: mp.csch(x) ** 3,
        "cosh(x)**-1*tanh(x)": lambda x: mp.sech(x) * mp.tanh(x),
    }  # fmt: skip
    for formula, truth in formulas.items():
        try:
            function = symdiff.compile(formula, "x", target)
        except symdiff.CodegenError as error:
            pytest.skip(f"no C compiler: {error}")
        for x in (-1e4, -709.5, -3.0, -1e-8, 1e-100, 0.25, 2.0, 30.0, 711.0, 1e4):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = float(function(x))
            assert _close(got, truth(mp.mpf(x)), rel=2e-15), (formula, x, got)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if target == "python":
            with pytest.raises(ZeroDivisionError):
                symdiff.compile("csch(x)", "x", target)(0.0)
        else:
            assert symdiff.compile("csch(x)", "x", target)(0.0) == math.inf


def test_a_ratio_of_exponentials_compiles_where_c_has_no_logaddexp() -> None:
    """exp(x)/(1 + exp(2*x)) is no sigmoid; its shifted form needs logaddexp, which C lacks:
    C gets the literal formula (once an AssertionError while stabilising)."""
    try:
        function = symdiff.compile("exp(x)/(1 + exp(2*x))", "x", "c")
    except symdiff.CodegenError as error:
        pytest.skip(f"no C compiler: {error}")
    for x in (-3.0, 0.0, 0.7, 20.0):
        true = mp.exp(x) / (1 + mp.exp(2 * x))
        assert _close(float(function(x)), true, rel=1e-15)


@pytest.mark.parametrize("target", TARGETS)
def test_constants_that_overflow_on_the_way_fold_to_their_value(target) -> None:
    """A constant subtree whose float evaluation overflows inside (``cosh(exp(8))``) is folded
    from the extended-range value, as ``evaluate`` gives it; one that overflows itself stays
    code (``exp(1000)``: inf in NumPy, OverflowError in Python, as before)."""
    roots = ["x + csch(exp(8))", "x*sech(cosh(30))", "x + 1/cosh(exp(7))**2"]
    function = symdiff.compile(roots, "x", target)
    assert [float(v) for v in function(2.0)] == [2.0, 0.0, 2.0]
    values = function(2.0)
    assert all(symdiff.evaluate(r, x=2.0) == float(v) for r, v in zip(roots, values, strict=True))
    big = symdiff.compile("x + exp(1000)", "x", target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if target == "python":
            with pytest.raises(OverflowError):
                big(1.0)
        else:
            assert big(1.0) == math.inf


#: Ratios of exponentials over a sum of three or more, and their truths.
SHIFTED_RATIOS = [
    ("exp(x)/(exp(x) + exp(y) + exp(z))", lambda x, y, z: mp.exp(x) / _s3(x, y, z)),
    ("exp(2*x)/(exp(x) + exp(y) + exp(z))**2", lambda x, y, z: mp.exp(2 * x) / _s3(x, y, z) ** 2),
    ("exp(x + y)/(exp(x) + exp(y) + exp(z))**2",
     lambda x, y, z: mp.exp(x + y) / _s3(x, y, z) ** 2),
    ("exp(x)/(exp(x) + exp(y) + exp(z))**2", lambda x, y, z: mp.exp(x) / _s3(x, y, z) ** 2),
    ("exp(y - z)/(1 + exp(x) + exp(y))",
     lambda x, y, z: mp.exp(y - z) / (1 + mp.exp(x) + mp.exp(y))),
]  # fmt: skip
RATIO_POINTS = [(1000.0, 999.0, 998.0), (-1000.0, -1001.0, -990.0), (800.0, -800.0, 3.0),
                (0.5, -0.25, 1e-3), (700.0, 710.0, 705.0), (-1000.0, -700.0, -710.0),
                (0.0, 800.0, -100.0)]  # fmt: skip


def _s3(x, y, z):
    return mp.exp(x) + mp.exp(y) + mp.exp(z)


@pytest.mark.parametrize("target", [*TARGETS, pytest.param("c", marks=needs_compiler)])
@pytest.mark.parametrize(("formula", "truth"), SHIFTED_RATIOS)
def test_ratios_over_long_exp_sums_are_finite_and_accurate(target, formula, truth) -> None:
    """exp(A)/(exp(p) + exp(q) + …)**k shifted by the max exponent, in every target (C too,
    which has no logaddexp): a few ulps where the literal code gives inf/inf or 0/0."""
    function = symdiff.compile(formula, "x y z", target)
    literal_wrong = 0
    for point in RATIO_POINTS:
        true = truth(*(mp.mpf(v) for v in point))
        if abs(true) > 1.7e308:  # beyond float64 (exp(x)/S**2 at x = -1000 is exp(980))
            continue
        if abs(true) < 1e-300:  # underflows to (near) 0 in float64: checked as an absolute error
            assert abs(float(function(*point))) <= 1e-300
            continue
        assert _close(float(function(*point)), true, rel=2e-15), (formula, point)
        literal_wrong += not _close(_literal(formula, "numpy", list(point)), true, rel=2e-15)
    assert literal_wrong  # the cases are ones the literal formula gets wrong


def test_a_softmax_gradient_takes_one_exp_per_term() -> None:
    """The entries exp(a - m)/s share s's exps: no log-sum, no second exp per entry."""
    f = symdiff.parse("exp(x)/(exp(x) + exp(y) + exp(z) + exp(w))")
    source = symdiff.codegen([f, *symdiff.gradient(f, "x y z w")], "x y z w", target="numpy")
    body = source[source.index("def f(") :]
    assert body.count("_expu,") == 4 and "_logaddexp" not in body and "np.exp" not in body
