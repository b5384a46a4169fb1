"""The NumPy target's helpers (``numpy_helpers.HELPER_SOURCE``) at extreme arguments, against
mpmath at 50 digits or closed forms: the exp split below -707, log1p of tiny numbers, the
in-place softplus/sigmoid/sech²/logaddexp, the scaled hypot and ``_fresh2``."""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np
import pytest

import symdiff
from symdiff.backend.numpy_helpers import HELPER_SOURCE

mp = mpmath.mp
mp.dps = 50

#: Where NumPy's exp changes path (-707.7), exp underflows (-708.4, -745.1), the split's second
#: factor is clamped (-1414), softplus/sigmoid clamp (709), and ordinary points.
EXTREMES = [-1e4, -1500.0, -1414.5, -1413.9, -1000.5, -800.0, -745.5, -745.1, -720.0, -708.5,
            -707.9, -707.0, -700.0, -40.0, -1.0, -1e-300, 0.0, 1e-20, 1.0, 30.0, 40.0, 700.0,
            709.5, 710.0, 1e4]  # fmt: skip


@pytest.fixture(scope="module")
def h() -> dict[str, Any]:
    namespace: dict[str, Any] = {"np": np}
    for name, source in HELPER_SOURCE.items():
        if name != "_erf":
            exec(source, namespace)
    return namespace


def ulps(got: float, true: Any) -> float:
    """Error of ``got`` in ulps of the float64 nearest ``true`` (0 only matches 0)."""
    near = float(true)
    if near == 0 or not np.isfinite(near):
        return 0.0 if got == near else np.inf
    return float(abs(mp.mpf(got) - true) / np.spacing(abs(near)))


def check(got: Any, xs: list[float], true: Any, bound: float) -> None:
    for x, g in zip(xs, np.asarray(got).tolist(), strict=True):
        assert ulps(g, true(mp.mpf(x))) <= bound, (x, g, float(true(mp.mpf(x))))


def test_expu_is_exp_also_below_the_fast_range(h: dict[str, Any]) -> None:
    xs = np.array(EXTREMES[:-2])
    before = xs.copy()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        check(h["_expu"](xs), list(before), mp.exp, 1.0)
        np.testing.assert_array_equal(xs, before)  # without out=, the argument is kept
        buffer = xs.copy()
        assert h["_expu"](buffer, out=buffer) is buffer
        check(buffer, list(before), mp.exp, 1.0)
    assert h["_expu"](-800.0) == 0.0 and h["_expu"](np.float32(-1.0)).dtype == np.float32
    special = h["_expu"](np.array([-np.inf, np.inf, np.nan]))
    assert special[0] == 0.0 and special[1] == np.inf and np.isnan(special[2])


def test_fused_exp_and_softplus_at_extreme_arguments(h: dict[str, Any]) -> None:
    for xs in (EXTREMES, [x for x in EXTREMES if x <= 709]):  # with and without the clamp
        u = np.array(xs)
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            e = h["_exp709"](u)
            check(e, xs, lambda x: mp.exp(min(x, 709)), 1.0)
            check(h["_softplus_from"](u, e), xs, lambda x: mp.log1p(mp.exp(x)), 1.0)
            buffer = u.copy()
            assert h["_exp709"](buffer, out=buffer) is buffer
    assert h["_softplus_from"](800.0, h["_exp709"](800.0)) == 800.0


def test_log1p_pos_of_tiny_and_ordinary_numbers(h: dict[str, Any]) -> None:
    es = [0.0, 5e-324, 1e-310, 1e-300, 2.0**-70, 2.0**-60, 1e-18, 1e-10, 1e-3, 0.5, 1.0, 1e300]
    e = np.array(es)
    check(h["_log1p_pos"](e), es, mp.log1p, 1.0)
    assert list(e) == es and h["_log1p_pos"](np.array([np.inf]))[0] == np.inf


@pytest.mark.parametrize(
    ("name", "true", "bound"),
    [
        ("_softplus", lambda x: mp.log1p(mp.exp(x)), 2.0),
        ("_sigmoid", lambda x: 1 / (1 + mp.exp(-x)), 2.0),
        ("_sech2", lambda x: 1 / mp.cosh(x) ** 2, 2.0),
    ],
)
def test_one_argument_helpers_at_extreme_arguments(
    h: dict[str, Any], name: str, true: Any, bound: float
) -> None:
    xs = np.array(EXTREMES)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        check(h[name](xs), EXTREMES, true, bound)
        for x in (-800.0, 0.5, 750.0):
            check([h[name](x)], [x], true, bound)  # the scalar path
    single = h[name](np.array([-3.0, 0.0, 2.0], dtype=np.float32))  # the plain formula
    assert single.dtype == np.float32
    np.testing.assert_allclose(single, [float(true(mp.mpf(x))) for x in (-3, 0, 2)], rtol=1e-6)
    ends = h[name](np.array([-np.inf, np.inf]))
    assert list(ends) == {"_softplus": [0.0, np.inf], "_sigmoid": [0.0, 1.0]}.get(name, [0, 0])


def test_logaddexp_without_slow_paths_or_spurious_values(h: dict[str, Any]) -> None:
    pairs = [(0.0, -800.0), (0.0, -720.0), (-800.0, -800.0), (1e-300, -1000.0), (1000.0, 1000.0),
             (5.0, 5.0 - 1e-10), (-745.0, -745.0), (3e-320, -740.0), (-1e4, 1e-3),
             (709.0, -709.0), (0.0, 0.0)]  # fmt: skip
    a, b = (np.array(column) for column in zip(*pairs, strict=True))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        got = h["_logaddexp"](a, b)
    for (x, y), g in zip(pairs, got.tolist(), strict=True):
        top, low = mp.mpf(max(x, y)), mp.mpf(min(x, y))
        assert ulps(g, top + mp.log1p(mp.exp(low - top))) <= 1.0, (x, y, g)
    far = h["_logaddexp"](np.array([5.0, -800.0, 1e-289, 700.0]), np.array([-1e3, -1600, -800, 1]))
    assert list(far) == [5.0, -800.0, 1e-289, 700.0]  # every |max| large: the clamped path
    with np.errstate(invalid="ignore"):  # inf - inf inside, as in np.logaddexp
        ends = h["_logaddexp"](np.array([-np.inf, np.inf, -np.inf]), np.array([-np.inf, np.inf, 2]))
    assert list(ends) == [-np.inf, np.inf, 2.0]
    assert h["_logaddexp"](0.0, -800.0) == 0.0


def test_finite_clamps_infinities_of_float64_only(h: dict[str, Any]) -> None:
    top = np.finfo(np.float64).max
    got = h["_finite"](np.array([np.inf, -np.inf, np.nan, 1.0, -top]))
    assert list(got[[0, 1, 3, 4]]) == [top, -top, 1.0, -top] and np.isnan(got[2])
    assert h["_finite"](-np.inf) == -top
    single = np.array([np.inf], dtype=np.float32)
    with np.errstate(over="raise"):
        assert h["_finite"](single) is single


def test_hypot_scaled_by_powers_of_two(h: dict[str, Any]) -> None:
    rng = np.random.default_rng(3)
    a, b = (rng.choice([-1.0, 1.0], 200) * 10 ** rng.uniform(-320, 308, 200) for _ in range(2))
    a[:4], b[:4] = [5e-324, 0.0, 1e308, 3.0], [5e-324, 0.0, -1e308, 4.0]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        got = h["_hypot"](a, b)
        ones = h["_hypot"](1.0, a)
        columns = h["_hypot"](a[:3, None], b[None, :5])  # broadcast
    for x, y, g, one in zip(a.tolist(), b.tolist(), got.tolist(), ones.tolist(), strict=True):
        assert ulps(g, mp.hypot(x, y)) <= 1.0, (x, y, g)
        assert ulps(one, mp.hypot(1, x)) <= 1.0, (x, one)
    assert columns.shape == (3, 5) and ulps(columns[2, 3], mp.hypot(a[2], b[3])) <= 1.0
    assert list(h["_hypot"](np.array([np.inf, -np.inf]), np.array([1.0, np.inf]))) == [np.inf] * 2
    assert list(h["_hypot"](np.array([3.0, -4.0, 0.0]), 4.0)) == [5.0, float(mp.sqrt(32)), 4.0]


def test_fresh2_writes_only_into_a_float64_array_of_the_result_shape(h: dict[str, Any]) -> None:
    x, fresh = np.array([1.0, -2.0, 3.0]), np.array([0.5, 0.5, 0.5])
    assert h["_fresh2"](np.maximum, x, fresh) is fresh and list(fresh) == [1.0, 0.5, 3.0]
    small = np.array([0.5])
    assert list(h["_fresh2"](np.maximum, x, small)) == [1.0, 0.5, 3.0] and small[0] == 0.5
    single = np.array([0.5, 0.5, 0.5], dtype=np.float32)
    assert h["_fresh2"](np.minimum, x, single).dtype == np.float64 and single[0] == 0.5
    assert h["_fresh2"](np.minimum, 2.0, 1.0) == 1.0


def test_generated_code_uses_the_fast_exp_where_arguments_underflow() -> None:
    source = symdiff.codegen(["exp(x)/(exp(x) + exp(y) + exp(z))"], "x y z", target="numpy")
    assert "_expu" in source and "def _expu" in source
    f = symdiff.lambdify("exp(x)/(exp(x) + exp(y) + exp(z))", "x y z", grad=True)
    with np.errstate(over="raise", divide="raise"):
        value, grad = f(np.array([0.0, -800.0]), np.array([-800.0, 0.0]), np.array([-1e3, 0.0]))
    assert value[0] == 1.0 and ulps(value[1], mp.exp(-800) / 2) <= 2
    assert ulps(grad[0][1], mp.exp(-800) / 2) <= 4


def test_softmax_entries_share_one_shifted_sum() -> None:
    f = symdiff.parse("log(exp(x) + exp(y) + exp(z))")
    source = symdiff.codegen([f, *symdiff.gradient(f, "x y z")], "x y z", target="numpy")
    body = source[source.index("def f(") :]
    # one exp per exponent, exp(a - m), shared by the value m + log1p(sum - 1) (accurate
    # where the log-sum is tiny) and the gradient's entries exp(a - m)/sum
    assert body.count("_expu,") == 3 and body.count("_log1p_rest(") == 1
    assert "_logaddexp" not in body and "np.exp" not in body
    g = symdiff.lambdify(f, "x y z", grad=True)
    point = (np.array([1000.0, -1e3, 0.0, 3.0]), np.array([999.0, 5.0, -40.0, 3.0]),
             np.array([998.0, -745.0, -40.0, -1e-300]))  # fmt: skip
    value, grad = g(*point)
    for i in range(4):
        x, y, z = (mp.mpf(float(a[i])) for a in point)
        total = mp.exp(x) + mp.exp(y) + mp.exp(z)
        assert ulps(value[i], mp.log(total)) <= 1
        for entry, a in zip(grad, (x, y, z), strict=True):
            assert ulps(entry[i], mp.exp(a) / total) <= 2, (i, entry[i], mp.exp(a) / total)
    inf = np.inf
    with np.errstate(invalid="ignore", divide="ignore"):  # inf - inf and 0/0 inside
        ends, _ = g(np.array([inf, -inf, inf]), np.array([1, -inf, -inf]), np.array([inf, -inf, 2]))
    assert list(ends) == [inf, -inf, inf]
    with np.errstate(invalid="ignore"):
        assert np.isnan(g(np.array([np.nan]), np.array([1.0]), np.array([2.0]))[0][0])


#: Formulas whose stable code calls every helper (fused softplus/sigmoid, logaddexp, the
#: max-shifted softmax, hypot of two arrays and of an array and a number, sech², softplus).
HELPER_FORMULAS = [
    "log(1 + exp(x))", "log(exp(x) + exp(y) + exp(z))", "sqrt(x**2 + y**2)",
    "sqrt(1 + x**2)", "tanh(x*y)", "y*log(1 + exp(-x)) + (1 - y)*log(1 + exp(x))",
    "exp(x)/(exp(x) + exp(y))",
]  # fmt: skip


@pytest.mark.parametrize("text", HELPER_FORMULAS)
def test_helpers_take_the_plain_path_for_dask_float32_and_scalars(text: str) -> None:
    dask_array = pytest.importorskip("dask.array")
    names = sorted({"x", "y", "z"} & set(text))
    f = symdiff.lambdify(text, names, grad=True)
    rng = np.random.default_rng(7)
    arrays = [rng.uniform(-3, 3, (20, 6)) for _ in names]
    value, grad = f(*arrays)
    lazy_value, lazy_grad = f(*(dask_array.from_array(a, chunks=(5, 3)) for a in arrays))
    single_value, _ = f(*(a.astype(np.float32) for a in arrays))
    point_value, point_grad = f(*(float(a[2, 1]) for a in arrays))
    for got, want in zip([lazy_value, *lazy_grad], [value, *grad], strict=True):
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-14)
    np.testing.assert_allclose(single_value, value, rtol=1e-5)
    for got, want in zip([point_value, *point_grad], [value, *grad], strict=True):
        np.testing.assert_allclose(got, want[2, 1], rtol=1e-14)
