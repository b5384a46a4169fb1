"""Generated C as a CPython extension module: calls without ``ctypes`` marshalling.

``ctypes`` costs microseconds per call (argument conversion, a pointer array, NumPy's
``.ctypes``); a ``METH_FASTCALL`` function of a real extension module costs what a builtin
costs.  The module (C text in ``extension_c.py``) has

- ``point(*values)``: inputs then parameters as Python floats (or ints), returns a float (one
  output, ``single``) or a tuple; any other argument (arrays, NumPy scalars, wrong count) goes
  to a Python ``fallback`` set with ``set_fallback``, which handles broadcasting and errors;
- for ``compile_vector``, ``vector(x, p, out)``: ``x``, ``p`` C-contiguous float64 buffers
  (``x`` 1-D or 2-D with ``inputs`` columns), ``out`` one of the result's shape or ``None``
  (then allocated by calling the ``empty`` set with ``set_fallback``, i.e. ``numpy.empty``).
  Anything else returns ``NotImplemented`` and the caller takes its general (converting) path;
- for ``compile``, ``columns(out, *arrays)``: ``c.py``'s array driver over one flat array per
  argument (``out`` holds the outputs one after another), the GIL released while it runs.

The module goes through the same build cache as every C library (``cache.py``: private
directory, digest checked before loading, embedded key checked after), built with the
interpreter's include directory; it is imported from the verified path under a name derived
from its source.  Without ``Python.h`` (no development headers), ``available()`` is False and
callers use ``ctypes``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from symdiff.backend.build import load_verified, recipe_for


def include_directory() -> Path | None:
    """The interpreter's ``Python.h`` directory, or None if its headers are not installed."""
    import sysconfig

    include = sysconfig.get_paths().get("include")
    if include and (Path(include) / "Python.h").is_file():
        return Path(include)
    return None


def available() -> bool:
    """Whether extension modules can be built here (CPython with its headers)."""
    import platform

    return platform.python_implementation() == "CPython" and include_directory() is not None


def load_module(source: str, module: str, lines: int, compiler: str | None,
                cache_dir: str | os.PathLike | None) -> Any:  # fmt: skip
    """Build (or take from the cache) and import the extension module ``module``."""
    import importlib.machinery
    import importlib.util

    include = ("-I" + str(include_directory()),)
    library, path = load_verified(source, compiler, cache_dir, recipe_for(lines), include)
    loader = importlib.machinery.ExtensionFileLoader(module, str(path))
    spec = importlib.util.spec_from_file_location(module, str(path), loader=loader)
    assert spec is not None
    extension: Any = importlib.util.module_from_spec(spec)
    loader.exec_module(extension)
    extension.__symdiff_library__ = library  # keeps the checked handle alive
    return extension
