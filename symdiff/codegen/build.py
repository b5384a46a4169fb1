"""Building C source into a shared library (cached by source hash) and calling it on arrays.

The library lands in ``cache_dir`` (default ``$XDG_CACHE_HOME/symdiff`` or ``~/.cache/symdiff``)
under a name derived from the SHA-256 of the source, compiler and flags, so the same source is
compiled once per machine.  ``numpy``, ``ctypes`` and ``subprocess`` are imported here only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import CodegenError

COMPILERS = ("cc", "gcc", "clang")
FLAGS = ("-std=c99", "-O2", "-fPIC", "-shared")


def find_compiler(compiler: str | None = None) -> str:
    """The path of ``compiler``, or of the first of ``cc``, ``gcc``, ``clang`` found."""
    candidates = (compiler,) if compiler else COMPILERS
    for candidate in candidates:
        path = shutil.which(candidate)
        if path:
            return path
    raise CodegenError(
        f"no C compiler found (looked for {', '.join(candidates)} on PATH): install one "
        "(e.g. gcc) or use target='numpy'"
    )


def default_cache_dir() -> Path:
    """Where compiled libraries are kept between runs."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "symdiff"


def build_library(
    source: str, compiler: str | None = None, cache_dir: str | os.PathLike | None = None
) -> Path:
    """Compile ``source`` into a shared library (or reuse the cached one) and return its path."""
    import subprocess

    cc = find_compiler(compiler)
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = hashlib.sha256("\0".join((source, cc, *FLAGS, sys.platform)).encode()).hexdigest()
    suffix = ".dll" if sys.platform == "win32" else ".so"
    library = directory / f"symdiff_{key[:32]}{suffix}"
    if library.exists():
        return library
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        c_file = Path(scratch) / "generated.c"
        c_file.write_text(source)
        built = Path(scratch) / f"generated{suffix}"
        command = [cc, *FLAGS, "-o", str(built), str(c_file), "-lm"]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except OSError as error:
            raise CodegenError(f"could not run the C compiler {cc}: {error}") from None
        if result.returncode != 0:
            raise CodegenError(
                f"the C compiler {cc} failed (exit {result.returncode}):\n" + result.stderr[-2000:]
            )
        os.replace(built, library)  # atomic: concurrent builders never see a partial file
    return library


class CompiledFunction:
    """A callable over NumPy arrays (or scalars) backed by a generated C array driver."""

    def __init__(self, library: Any, c_name: str, arity: int, outputs: int, single: bool,
                 source: str) -> None:  # fmt: skip
        import ctypes

        self._driver = getattr(library, f"{c_name}_array")
        self._driver.restype = None
        self._driver.argtypes = [ctypes.c_long] + [ctypes.c_void_p] * (arity + 1)
        self._library = library  # keeps the library loaded as long as the function lives
        self.arity = arity
        self.outputs = outputs
        self.single = single
        self.source = source
        self.__name__ = c_name

    def __call__(self, *args: Any) -> Any:
        import numpy as np

        if len(args) != self.arity:
            raise TypeError(f"{self.__name__} takes {self.arity} arguments, got {len(args)}")
        arrays = [np.asarray(a, dtype=np.float64) for a in args]
        if arrays:
            arrays = np.broadcast_arrays(*arrays)
        shape = arrays[0].shape if arrays else ()
        flat = [np.ascontiguousarray(a).reshape(-1) for a in arrays]
        count = int(np.prod(shape, dtype=np.int64))
        out = np.empty((self.outputs, count), dtype=np.float64)
        self._driver(count, *(a.ctypes.data for a in flat), out.ctypes.data)
        results = [row.reshape(shape) for row in out]
        if not shape:
            results = [row[()] for row in results]
        return results[0] if self.single else tuple(results)


def load_functions(
    source: str,
    functions: Sequence[tuple[str, int, int, bool]],
    compiler: str | None = None,
    cache_dir: str | os.PathLike | None = None,
) -> list[CompiledFunction]:
    """Build ``source`` and wrap each ``(c_name, arity, outputs, single)`` as a callable."""
    import ctypes

    library = ctypes.CDLL(str(build_library(source, compiler, cache_dir)))
    return [CompiledFunction(library, *spec, source=source) for spec in functions]
