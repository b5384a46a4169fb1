"""``lambdify(grad=True, wrt=...)``: the gradient by the parameters only (data held fixed)."""

from __future__ import annotations

import pytest

import symdiff


def test_gradient_by_the_named_parameters_only() -> None:
    loss = symdiff.lambdify("(w*x + b - y)**2", "w b x y", grad=True, target="python", wrt="w b")
    value, grad = loss(2.0, 1.0, 3.0, 4.0)  # residual 2*3 + 1 - 4 = 3
    assert value == 9.0
    assert grad == (18.0, 6.0)  # 2*3*x, 2*3


def test_wrt_outside_the_arguments_is_an_error() -> None:
    with pytest.raises(symdiff.CodegenError, match="not among the arguments"):
        symdiff.lambdify("w*x", "w x", grad=True, wrt="v")
