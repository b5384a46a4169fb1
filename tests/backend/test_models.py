"""compile_objective / compile_system inside scipy.optimize and scipy.integrate.solve_ivp.

Oracles: the known minimisers, finite-difference derivatives of the compiled values, and
solve_ivp runs with SciPy's own finite-difference Jacobian on hand-written right-hand sides.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.integrate as si
import scipy.optimize as so

import symdiff
from symdiff import CodegenError, compile_objective, compile_system
from symdiff.core.constructors import add


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


POWELL = "(x0 + 10*x1)**2 + 5*(x2 - x3)**2 + (x1 - 2*x2)**4 + 10*(x0 - x3)**4"


def _fd_gradient(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])


@pytest.mark.parametrize("target", ["python", "numpy"])
def test_objective_values_and_derivatives_against_finite_differences(target: str) -> None:
    obj = compile_objective(rosenbrock, 6, target=target)
    x = np.array([-1.2, 1.0, 0.3, -0.5, 0.8, 1.1])
    assert obj(x) == pytest.approx(rosenbrock(list(x)))
    assert np.allclose(obj.grad(x), _fd_gradient(obj, x), rtol=1e-6)
    value, grad = obj.value_and_grad(x)
    assert value == obj(x) and np.array_equal(grad, obj.grad(x))
    H = obj.hess(x)
    assert H.format == "csc" and H.nnz == 6 + 2 * 5
    fd_hessian = np.array([_fd_gradient(lambda y, i=i: obj.grad(y)[i], x) for i in range(6)])
    assert np.allclose(H.toarray(), fd_hessian, rtol=1e-5, atol=1e-4)
    p = np.linspace(-1, 1, 6)
    assert np.allclose(obj.hessp(x, p), H @ p)
    assert (obj.hess_sparsity != (H != 0)).nnz == 0


@pytest.mark.parametrize("method", ["trust-constr", "Newton-CG"])
def test_rosenbrock_minimised_with_hess_and_hessp(method: str) -> None:
    obj = compile_objective(rosenbrock, 10)
    x0 = np.tile([-1.2, 1.0], 5)
    with_hess = so.minimize(obj, x0, jac=obj.grad, hess=obj.hess, method=method, tol=1e-10)
    assert np.allclose(with_hess.x, 1.0, atol=1e-4)
    with_hessp = so.minimize(obj, x0, jac=obj.grad, hessp=obj.hessp, method=method, tol=1e-10)
    assert np.allclose(with_hessp.x, 1.0, atol=1e-4)


def test_value_and_grad_is_scipys_jac_true_shape() -> None:
    obj = compile_objective("100*(y - x**2)**2 + (1 - x)**2", "x y")
    result = so.minimize(obj.value_and_grad, [-1.2, 1.0], jac=True, method="BFGS")
    assert result.success and np.allclose(result.x, [1.0, 1.0], atol=1e-5)


@pytest.mark.parametrize("method", ["trust-constr", "Newton-CG"])
def test_powell_singular_from_a_formula_string(method: str) -> None:
    obj = compile_objective(POWELL, "x0 x1 x2 x3")
    result = so.minimize(obj, [3.0, -1.0, 0.0, 1.0], jac=obj.grad, hess=obj.hess, method=method)
    assert obj(result.x) < 1e-6 and np.allclose(result.x, 0.0, atol=5e-2)  # singular minimum


def test_objective_parameters_by_default_and_by_args() -> None:
    obj = compile_objective("a*(x - b)**2 + y**2", "x y", params={"a": 2.0, "b": 1.0})
    assert obj([3.0, 1.0]) == 9.0
    assert obj([3.0, 1.0], 1.0, 0.0) == 10.0
    result = so.minimize(obj, [0.0, 0.0], args=(5.0, -2.0), jac=obj.grad, hess=obj.hess,
                         method="trust-constr")  # fmt: skip
    assert np.allclose(result.x, [-2.0, 0.0], atol=1e-6)
    needs_values = compile_objective("a*x**2", "x", params="a")
    with pytest.raises(TypeError, match="parameters a"):
        needs_values([1.0])


def test_traced_objective_with_a_parameter_list() -> None:
    obj = compile_objective(lambda x, p: p[0] * (x[0] - 1) ** 2 + x[1] ** 2, 2, params="k")
    assert obj([3.0, 2.0], 2.0) == 12.0
    with pytest.raises(CodegenError, match="one output"):
        compile_objective(lambda x: (x[0], x[1]), 2)


ROBERTSON = "-k1*y0 + k3*y1*y2, k1*y0 - k2*y1**2 - k3*y1*y2, k2*y1**2"
RATES = {"k1": 0.04, "k2": 3e7, "k3": 1e4}


def _robertson_reference(t, y):
    return [
        -0.04 * y[0] + 1e4 * y[1] * y[2],
        0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] ** 2,
        3e7 * y[1] ** 2,
    ]


@pytest.mark.parametrize("method", ["BDF", "Radau"])
def test_robertson_kinetics_with_the_sparse_jacobian(method: str) -> None:
    rhs = compile_system(ROBERTSON, "y0 y1 y2", params=RATES)
    y0 = [1.0, 0.0, 0.0]
    ours = si.solve_ivp(rhs, (0, 1e4), y0, method=method, jac=rhs.jac, rtol=1e-7, atol=1e-10)
    theirs = si.solve_ivp(_robertson_reference, (0, 1e4), y0, method=method, rtol=1e-7,
                          atol=1e-10)  # fmt: skip
    assert ours.success and ours.njev > 0
    assert np.allclose(ours.y[:, -1], theirs.y[:, -1], rtol=1e-4, atol=1e-9)
    assert rhs.jac_sparsity.toarray().tolist() == [[1, 1, 1], [1, 1, 1], [0, 1, 0]]


def brusselator(N: int, alpha: float = 0.02, A: float = 1.0, B: float = 3.4):
    """The 2-D Brusselator on a periodic N x N grid, written as a traced Python function."""
    a = alpha * (N - 1) ** 2

    def rhs(t, y):
        def u(i, j):
            return y[2 * ((i % N) * N + j % N)]

        def v(i, j):
            return y[2 * ((i % N) * N + j % N) + 1]

        out = []
        for i in range(N):
            for j in range(N):
                lap_u = u(i + 1, j) + u(i - 1, j) + u(i, j + 1) + u(i, j - 1) - 4 * u(i, j)
                lap_v = v(i + 1, j) + v(i - 1, j) + v(i, j + 1) + v(i, j - 1) - 4 * v(i, j)
                uuv = u(i, j) ** 2 * v(i, j)
                out += [A + uuv - (B + 1) * u(i, j) + a * lap_u, B * u(i, j) - uuv + a * lap_v]
        return out

    return rhs


@pytest.mark.parametrize("method", ["BDF", "Radau"])
def test_small_brusselator_traced_matches_finite_difference_jacobian(method: str) -> None:
    N = 4
    fn = brusselator(N)
    rhs = compile_system(fn, 2 * N * N)
    rng = np.random.default_rng(0)
    y = rng.uniform(0.5, 3.0, 2 * N * N)
    assert np.allclose(rhs(0.0, y), [float(v) for v in fn(0.0, list(y))])
    J = rhs.jac(0.0, y)
    fd = np.array([(rhs(0, y + 1e-6 * e) - rhs(0, y - 1e-6 * e)) / 2e-6 for e in np.eye(y.size)])
    assert np.allclose(J.toarray(), fd.T, rtol=1e-6, atol=1e-6)
    assert J.nnz == rhs.jacobian.nnz == 2 * N * N * 5 + 2 * N * N  # 5-point stencil + coupling
    y0 = np.tile([1.0, 3.0], N * N) + 0.1 * np.sin(np.arange(2 * N * N))
    ours = si.solve_ivp(rhs, (0, 2), y0, method=method, jac=rhs.jac, rtol=1e-6, atol=1e-9)
    theirs = si.solve_ivp(rhs, (0, 2), y0, method=method, jac_sparsity=rhs.jac_sparsity,
                          rtol=1e-6, atol=1e-9)  # fmt: skip
    assert ours.success and np.allclose(ours.y[:, -1], theirs.y[:, -1], rtol=1e-4)


def test_system_from_expressions_with_time_and_batch_points() -> None:
    y0, y1 = symdiff.symbols("y0 y1")
    rhs = compile_system([y1, -y0 + symdiff.sin(symdiff.Sym("t"))], [y0, y1])
    assert rhs(np.pi / 2, [1.0, 2.0]).tolist() == [2.0, 0.0]
    assert rhs.jac(0.0, [1.0, 2.0]).toarray().tolist() == [[0.0, 1.0], [-1.0, 0.0]]
    with pytest.raises(CodegenError, match="right-hand sides"):
        compile_system("y0, y1", "y0")


def test_large_sparse_objective_hessian_is_linear_in_nonzeros() -> None:
    x = [symdiff.Sym(f"x{i}") for i in range(2000)]
    f = add(*(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(1999)))
    obj = compile_objective(f, x)
    H = obj.hess(np.ones(2000))
    assert H.nnz == 2000 + 2 * 1999
    assert np.allclose(H.diagonal()[:3], [802.0, 1002.0, 1002.0])
