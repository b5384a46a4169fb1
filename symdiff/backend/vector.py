"""``compile_vector``: many outputs of one vector argument, the calling convention of solvers.

``f = compile_vector(outputs, inputs, params=...)`` is called as ``f(x, p=None, out=None)``:
``x`` is a 1-D float64 array with one entry per input (``f`` returns one entry per output) or
a 2-D array of shape ``(points, inputs)`` (``f`` returns ``(points, outputs)``); ``p`` holds
the parameters (1-D, the same for every point); ``out`` is filled in place and returned when
given (it must be a C-contiguous float64 array of the result's shape), so a solver's buffer,
or the ``data`` array of a ``scipy.sparse`` matrix whose nonzeros are the outputs in CSC/CSR
order, is written without a copy.

Targets: ``python`` (floats, a loop over points), ``numpy`` (one vectorised call over all
points) and ``c`` (one compiled call, the points loop inside C: ``c_vector.py``, ``native.py``).
"""

from __future__ import annotations

import builtins
import dataclasses
import os
from collections.abc import Callable, Sequence
from typing import Any

from symdiff.backend import c
from symdiff.backend import numpy as numpy_target
from symdiff.backend import python as python_target
from symdiff.backend.compiling import prepare, symbols_of
from symdiff.backend.lower import lower
from symdiff.backend.stable import stabilize
from symdiff.backend.templated import templated_kernel
from symdiff.core.errors import CodegenError
from symdiff.core.nodes import Expr, Sym
from symdiff.core.traverse import no_collection

#: A target's kernel: fills ``out`` (points by outputs) from ``x`` (points by inputs) and ``p``.
Kernel = Callable[[Any, Any, Any], Any]
TARGETS = ("python", "numpy", "c")


class VectorFunction:
    """``f(x, p=None, out=None)``: the outputs at ``x`` (1-D: one point; 2-D: a row per point)."""

    def __init__(self, kernel: Kernel, inputs: int, params: int, outputs: int, target: str,
                 source: str, direct: Kernel | None = None) -> None:  # fmt: skip
        self._kernel = kernel
        self._direct = direct
        if direct is not None:
            import numpy as np

            self._no_params = np.zeros(0)
        self.inputs, self.params, self.outputs = inputs, params, outputs
        self.target = target
        self.source = source

    def __repr__(self) -> str:
        return (
            f"<VectorFunction {self.target}: {self.inputs} inputs, {self.params} params "
            f"-> {self.outputs} outputs>"
        )

    def __call__(self, x: Any, p: Any = None, out: Any = None) -> Any:
        if self._direct is not None:  # float64 arrays of the right shapes go straight to C
            result = self._direct(x, self._no_params if p is None else p, out)
            if result is not NotImplemented:
                return result
        import numpy as np

        points = np.asarray(x, dtype=np.float64)
        if points.ndim not in (1, 2) or points.shape[-1] != self.inputs:
            raise ValueError(
                f"x must have shape ({self.inputs},) or (points, {self.inputs}), not {points.shape}"
            )
        points = np.ascontiguousarray(points)
        params = np.zeros(0) if p is None and not self.params else np.asarray(p, np.float64)
        if params.shape != (self.params,):
            raise ValueError(f"p must have shape ({self.params},), not {params.shape}")
        params = np.ascontiguousarray(params)
        shape = (*points.shape[:-1], self.outputs)
        if out is None:
            out = np.empty(shape)
        elif not (
            isinstance(out, np.ndarray)
            and out.shape == shape
            and out.dtype == np.float64
            and out.flags.c_contiguous
            and out.flags.writeable
        ):
            raise ValueError(f"out must be a writable C-contiguous float64 array of shape {shape}")
        rows = points.reshape(-1, self.inputs)
        self._kernel(rows, params, out.reshape(len(rows), self.outputs))
        return out


def _python_kernel(function: Callable[..., Any]) -> Kernel:
    def kernel(x: Any, p: Any, out: Any) -> None:
        fixed = p.tolist()
        for row, values in enumerate(x.tolist()):
            out[row] = function(*values, *fixed)

    return kernel


def _numpy_kernel(function: Callable[..., Any]) -> Kernel:
    def kernel(x: Any, p: Any, out: Any) -> None:
        # one point: floats, not arrays of one element (each NumPy operation on an array costs
        # an allocation and a dispatch, so a long program would cost milliseconds)
        if len(x) == 1:
            out[0] = function(*x[0].tolist(), *p.tolist())
            return
        for column, result in enumerate(function(*x.T, *p)):
            out[:, column] = result

    return kernel


def compile_vector(
    outputs: Sequence[Expr | str], inputs: Sequence[Sym | str] | str, *,
    params: Sequence[Sym | str] | str = (), target: str = "numpy",
    compiler: str | None = None, cache_dir: str | os.PathLike | None = None, stable: bool = True,
    reuse: bool = True,
) -> VectorFunction:  # fmt: skip
    """A ``VectorFunction`` computing ``outputs`` (in order) from the vector of ``inputs``.

    ``params`` are further symbols passed as the second argument (``p``).  Every free symbol of
    the outputs must be an input or a parameter.  ``compiler`` and ``cache_dir`` are for
    ``target="c"`` (as in ``compile``); ``stable`` as in ``codegen`` (stable equivalents of
    formulas that overflow or cancel, the default).  With ``reuse`` (the default; ``python``
    and ``numpy``) outputs that repeat one formula are computed by one template per shape
    (``templated.py``); ``reuse=False`` writes every output out.

    >>> f = compile_vector(["x*y", "x + y"], "x y", target="python")
    >>> f([2.0, 3.0]).tolist()
    [6.0, 5.0]
    """
    if target not in TARGETS:
        raise CodegenError(f"unknown target {target!r}: choose one of {', '.join(TARGETS)}")
    if isinstance(outputs, Expr | str):
        raise CodegenError("compile_vector takes a sequence of outputs, not one expression")
    with no_collection():  # walks, trees and source text of big models: acyclic objects only
        return _compile_vector(outputs, inputs, params, target, compiler, cache_dir, stable, reuse)


def _compile_vector(
    outputs: Sequence[Expr | str], inputs: Sequence[Sym | str] | str,
    params: Sequence[Sym | str] | str, target: str, compiler: str | None,
    cache_dir: str | os.PathLike | None, stable: bool, reuse: bool = True,
) -> VectorFunction:  # fmt: skip
    symbols = [*symbols_of(inputs), *symbols_of(params)]
    roots, symbols, _ = prepare(list(outputs), symbols) if outputs else ([], symbols, False)
    if len(set(symbols)) != len(symbols):
        raise CodegenError("an input or parameter is named twice")
    count_params = len(symbols_of(params))
    count_in = len(symbols) - count_params
    if not roots:
        return VectorFunction(lambda x, p, out: None, count_in, count_params, 0, target, "")
    if target == "c":
        from symdiff.backend.native import c_kernel

        if stable:  # C prints no helper: the stable DAG is made of vocabulary functions
            roots = stabilize(roots, c.FUNCTIONS)
        kernel, direct, source = c_kernel(roots, symbols, count_in, compiler, cache_dir)
        return VectorFunction(kernel, count_in, count_params, len(roots), target, source, direct)

    def build(roots: list[Expr], symbols: list[Sym], name: str, single: bool) -> Any:
        return _python_function(roots, symbols, target, stable, name, single)

    templated = templated_kernel(roots, symbols, target, build) if reuse else None
    if templated is not None:
        kernel, source = templated
        return VectorFunction(kernel, count_in, count_params, len(roots), target, source)
    function, source = _python_function(roots, symbols, target, stable)
    wrap = _python_kernel if target == "python" else _numpy_kernel
    return VectorFunction(wrap(function), count_in, count_params, len(roots), target, source)


def _python_function(
    roots: list[Expr], symbols: list[Sym], target: str, stable: bool, name: str = "f",
    single: bool = False,
) -> tuple[Any, str]:  # fmt: skip
    """The ``python`` or ``numpy`` function of all symbols, and its source.

    For NumPy every output is marked as depending on every argument: the kernel stores each
    output into its column of ``out``, which broadcasts, so the generated code need not
    (``np.broadcast_to`` per output costs microseconds, and right-hand sides have thousands of
    outputs that each read a few states)."""
    printed = numpy_target.FUNCTIONS if target == "numpy" else python_target.FUNCTIONS
    program = lower(roots, symbols, target == "numpy", frozenset(printed) if stable else None)
    if target == "numpy":
        everything = frozenset(range(len(symbols)))
        program = dataclasses.replace(program, output_symbols=(everything,) * len(roots))
    names = [s.name for s in symbols]
    if target == "python" and single and symbols:  # a template: a loop over the members
        source = python_target.loop_source(program, names, name, ieee=stable)
    elif target == "python":
        source = python_target.source(program, names, name, single, ieee=stable)
    else:
        source = numpy_target.source(program, names, name, single)
    namespace: dict[str, Any] = {}
    exec(builtins.compile(source, f"<symdiff vector {target}>", "exec"), namespace)
    return namespace[python_target.function_name(name)], source
