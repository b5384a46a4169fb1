"""Loading ``compile_vector``'s C units: a CPython extension module where ``Python.h`` is
installed (``extension.py``), else a ``ctypes`` library; either way one C call per batch."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from symdiff.backend.build import LARGE, SMALL, load_verified
from symdiff.backend.c_vector import ENTRY, vector_source
from symdiff.backend.extension import available, load_module, module_source
from symdiff.backend.lower import lower
from symdiff.core.nodes import Expr, Sym

Kernel = Callable[[Any, Any, Any], Any]


def c_kernel(
    roots: Sequence[Expr], symbols: Sequence[Sym], inputs: int, compiler: str | None,
    cache_dir: str | os.PathLike | None, extension: bool | None = None,
) -> tuple[Kernel, Kernel | None, str]:  # fmt: skip
    """The kernel filling ``out`` (points by outputs), a direct entry (``x, p, out`` straight to
    C, ``NotImplemented`` unless they are float64 arrays of the right shapes) or None, and the
    C source.  ``extension`` None: an extension module where one can be built."""
    import numpy as np

    program = lower(roots, symbols)
    names = [s.name for s in symbols]
    unit, large = vector_source(program, inputs, names)
    if available() if extension is None else extension:
        source, name = module_source(unit, inputs, len(symbols) - inputs, len(roots), False)
        module = load_module(source, name, large, compiler, cache_dir)
        module.set_fallback(None, np.empty)
        return module.vector, module.vector, source
    import ctypes

    library, _ = load_verified(unit, compiler, cache_dir, LARGE if large else SMALL)
    entry = getattr(library, ENTRY)
    entry.restype = ctypes.c_int
    entry.argtypes = [ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]

    def kernel(x: Any, p: Any, out: Any) -> None:
        if entry(len(x), x.ctypes.data, p.ctypes.data, out.ctypes.data):
            raise MemoryError("no memory for the scratch array of a generated C function")

    kernel.library = library  # type: ignore[attr-defined]  # keeps it loaded while in use
    return kernel, None, unit


def scalar_function(
    roots: Sequence[Expr], symbols: Sequence[Sym], single: bool, name: str,
    compiler: str | None, cache_dir: str | os.PathLike | None,
) -> Callable[..., Any]:  # fmt: skip
    """``compile``'s C callable as an extension module's ``METH_FASTCALL`` function: floats in,
    a float (``single``) or a tuple out, at the cost of a builtin call; arrays (broadcast as
    NumPy does) go through one ``vector`` call over all points."""
    import functools

    import numpy as np

    arity, outputs = len(symbols), len(roots)
    unit, large = vector_source(lower(roots, symbols), arity, [s.name for s in symbols])
    source, module_name = module_source(unit, arity, 0, outputs, single, name)
    module = load_module(source, module_name, large, compiler, cache_dir)
    no_params = np.zeros(0)

    def arrays(*args: Any) -> Any:
        if len(args) != arity:
            raise TypeError(f"{name} takes {arity} arguments, got {len(args)}")
        values = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in args))
        shape = values[0].shape if values else ()
        x = np.empty((int(np.prod(shape, dtype=np.int64)), arity))
        for column, value in enumerate(values):
            x[:, column] = value.reshape(-1)
        rows = module.vector(x, no_params, None).T.copy()
        results = [row.reshape(shape) if shape else row[0] for row in rows]
        return results[0] if single else tuple(results)

    module.set_fallback(arrays, np.empty)
    function: Any = functools.partial(module.point)  # a partial takes attributes, a builtin not
    function.__name__ = name
    function.source = source
    function.arity, function.outputs, function.single = arity, outputs, single
    function.module = module
    return function
