"""Array targets: jax, torch, cupy and the array API standard.

Values are checked against the standard library's ``math`` (by hand, not symdiff); the
libraries' own differentiation is checked against symdiff's symbolic derivative.
"""

from __future__ import annotations

import builtins
import math
import pickle

import pytest

import symdiff

FORMULA = "log(1 + exp(x))*y + sin(x*y)"
POINTS = [(800.0, 2.0), (-3.0, 1.5), (0.5, -2.0)]


def truth(x: float, y: float) -> tuple[float, float, float]:
    softplus = max(x, 0) + math.log1p(math.exp(-abs(x)))
    sigmoid = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
    return (
        softplus * y + math.sin(x * y),
        sigmoid * y + y * math.cos(x * y),
        softplus + x * math.cos(x * y),
    )


def _check(value_and_grad, to_array, to_floats) -> None:
    xs = to_array([p[0] for p in POINTS])
    ys = to_array([p[1] for p in POINTS])
    value, (gx, gy) = value_and_grad(xs, ys)
    for k, point in enumerate(POINTS):
        want = truth(*point)
        for got, expected in zip((value, gx, gy), want, strict=True):
            assert math.isclose(to_floats(got)[k], expected, rel_tol=1e-12), (point, got)


def test_array_api_with_numpy() -> None:
    np = pytest.importorskip("numpy")
    if not hasattr(np.empty(0), "__array_namespace__"):
        pytest.skip("this NumPy does not implement the array API")
    function = symdiff.lambdify(FORMULA, "x y", grad=True, target="array_api")
    _check(function, np.asarray, lambda a: [float(v) for v in np.asarray(a)])
    assert "__array_namespace__" in function.source
    _check(pickle.loads(pickle.dumps(function)), np.asarray, list)


def test_jax_jit_vmap_grad() -> None:
    jax = pytest.importorskip("jax", reason="jax is not installed")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    function = symdiff.lambdify(FORMULA, "x y", grad=True, modules="jax")
    _check(jax.jit(function), lambda v: jnp.asarray(v, dtype=jnp.float64), list)
    value = symdiff.compile(FORMULA, "x y", target="jax")
    # jax differentiates the generated code; it agrees with symdiff's gradient (and with math)
    grad = jax.jit(jax.vmap(jax.grad(value, argnums=(0, 1))))
    gx, gy = grad(jnp.asarray([p[0] for p in POINTS]), jnp.asarray([p[1] for p in POINTS]))
    for k, point in enumerate(POINTS):
        assert math.isclose(float(gx[k]), truth(*point)[1], rel_tol=1e-12)
        assert math.isclose(float(gy[k]), truth(*point)[2], rel_tol=1e-12)
    again = pickle.loads(pickle.dumps(value))
    assert math.isclose(float(again(0.5, -2.0)), truth(0.5, -2.0)[0], rel_tol=1e-12)


def test_torch_autograd_and_compile() -> None:
    torch = pytest.importorskip("torch", reason="torch is not installed")
    function = symdiff.lambdify(FORMULA, "x y", grad=True, modules="torch")
    _check(function, lambda v: torch.tensor(v, dtype=torch.float64), lambda t: t.tolist())
    value = symdiff.compile(FORMULA, "x y", target="torch")
    x = torch.tensor([p[0] for p in POINTS], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([p[1] for p in POINTS], dtype=torch.float64, requires_grad=True)
    value(x, y).sum().backward()  # torch differentiates the generated code
    for k, point in enumerate(POINTS):
        assert math.isclose(float(x.grad[k]), truth(*point)[1], rel_tol=1e-12)
        assert math.isclose(float(y.grad[k]), truth(*point)[2], rel_tol=1e-12)
    compiled = torch.compile(function, backend="aot_eager", fullgraph=True)
    _check(compiled, lambda v: torch.tensor(v, dtype=torch.float64), lambda t: t.tolist())
    _check(pickle.loads(pickle.dumps(function)), lambda v: torch.tensor(v, dtype=torch.float64),
           lambda t: t.tolist())  # fmt: skip


def test_torch_constant_and_partial_outputs_broadcast() -> None:
    torch = pytest.importorskip("torch", reason="torch is not installed")
    function = symdiff.compile(["x*y", "2*x", "3"], "x y", target="torch")
    x = torch.tensor([1.0, 2.0], dtype=torch.float64)
    y = torch.tensor([[1.0], [3.0]], dtype=torch.float64)
    products, doubled, three = function(x, y)
    assert products.shape == doubled.shape == three.shape == (2, 2)
    assert three.tolist() == [[3.0, 3.0], [3.0, 3.0]] and doubled.tolist()[1] == [2.0, 4.0]


@pytest.mark.parametrize("target", ["jax", "torch", "cupy", "array_api"])
def test_generated_text(target: str) -> None:
    """The code for every target is valid Python naming only its library (CuPy: no GPU here)."""
    exprs = [symdiff.parse(FORMULA), symdiff.parse("sqrt(x**2 + y**2)")]
    source = symdiff.codegen(exprs, "x y", target)
    builtins.compile(source, target, "exec")
    library = {"jax": "jnp.", "torch": "torch.", "cupy": "cp.", "array_api": "xp."}[target]
    assert library in source and "np." not in source.replace("jnp.", "")
    assert "math." not in source


def test_cupy_when_a_gpu_is_present() -> None:
    cupy = pytest.importorskip("cupy", reason="CuPy is not installed (no GPU here)")
    try:
        cupy.cuda.runtime.getDeviceCount()
    except Exception as error:
        pytest.skip(f"no GPU: {error}")
    function = symdiff.lambdify(FORMULA, "x y", grad=True, modules="cupy")
    _check(function, lambda v: cupy.asarray(v, dtype=cupy.float64), lambda a: a.get().tolist())


def test_unknown_modules_name() -> None:
    with pytest.raises(symdiff.CodegenError, match="unknown modules 'tensorflow'"):
        symdiff.lambdify("x", "x", modules="tensorflow")
