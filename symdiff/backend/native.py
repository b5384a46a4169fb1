"""Loading ``compile_vector``'s C units: a CPython extension module where ``Python.h`` is
installed (``extension.py``), else a ``ctypes`` library; either way one C call per batch."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from symdiff.backend import c
from symdiff.backend.build import load_verified, recipe_for
from symdiff.backend.c_vector import ENTRY, vector_source
from symdiff.backend.extension import available, load_module
from symdiff.backend.extension_c import module_source
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
    unit, lines = vector_source(program, inputs, names)
    if available() if extension is None else extension:
        source, name = module_source(
            unit, inputs=inputs, params=len(symbols) - inputs, outputs=len(roots), single=False,
            call=f"{ENTRY}(1, _v, _v + {inputs}, _o);",
        )  # fmt: skip
        module = load_module(source, name, lines, compiler, cache_dir)
        module.set_fallback(None, np.empty)
        return module.vector, module.vector, source
    import ctypes

    library, _ = load_verified(unit, compiler, cache_dir, recipe_for(lines))
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
    NumPy does) go through ``c.py``'s vectorised array driver in one call."""
    import functools

    import numpy as np

    arity, outputs = len(symbols), len(roots)
    function_c = c.CFunction(lower(roots, symbols), tuple(s.name for s in symbols), name)
    packed = c.packed_driver(function_c.c_name)
    call = (
        f"{{ const double *_ptrs[{max(arity, 1)}];\n"
        f"      for (Py_ssize_t _k = 0; _k < {arity}; ++_k)\n          _ptrs[_k] = &_v[_k];\n"
        f"      {packed}(1, _ptrs, _o); }}"
    )
    source, module_name = module_source(
        c.translation_unit([function_c]), inputs=arity, params=0, outputs=outputs,
        single=single, call=call, packed=packed, name=name,
    )  # fmt: skip
    lines = len(function_c.program.statements) + outputs
    module = load_module(source, module_name, lines, compiler, cache_dir)

    def arrays(*args: Any) -> Any:
        if len(args) != arity:
            raise TypeError(f"{name} takes {arity} arguments, got {len(args)}")
        values = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in args))
        shape = values[0].shape if values else ()
        flat = [np.ascontiguousarray(v).reshape(-1) for v in values]
        out = np.empty((outputs, int(np.prod(shape, dtype=np.int64))))
        module.columns(out, *flat)
        results = [row.reshape(shape) if shape else row[0] for row in out]
        return results[0] if single else tuple(results)

    module.set_fallback(arrays, np.empty)
    function: Any = functools.partial(module.point)  # a partial takes attributes, a builtin not
    function.__name__ = name
    function.source = source
    function.arity, function.outputs, function.single = arity, outputs, single
    function.module = module
    return function
