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

from symdiff.core.errors import CodegenError

COMPILERS = ("cc", "gcc", "clang")
#: Portable build: any C99 compiler.
FLAGS = ("-std=c99", "-O2", "-fPIC", "-shared")
#: Vector build, tried first: the driver loop is vectorised for this CPU, with glibc's libmvec
#: for exp, log, sin… (at most 4 ulp from the scalar libm).  IEEE semantics are kept: no
#: -ffast-math, only -fno-math-errno (errno is never read).  If it fails to build (no libmvec,
#: another compiler), the portable build is used.
VECTOR_FLAGS = (
    "-std=c99", "-O3", "-march=native", "-fno-math-errno", "-fopenmp-simd",
    "-fno-semantic-interposition", "-fPIC", "-shared", "-DSYMDIFF_VECTOR_MATH",
)  # fmt: skip
VECTOR_LIBRARIES = ("-lmvec",)


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


def _machine() -> str:
    """What a -march=native library depends on: the CPU's feature flags where readable."""
    import platform

    try:
        with open("/proc/cpuinfo") as cpuinfo:
            flags = next((line for line in cpuinfo if line.startswith("flags")), "")
    except OSError:
        flags = ""
    return f"{platform.machine()} {platform.processor()} {flags}"


def build_library(
    source: str, compiler: str | None = None, cache_dir: str | os.PathLike | None = None,
    vector: bool = True,
) -> Path:  # fmt: skip
    """Compile ``source`` into a shared library (or reuse the cached one) and return its path.

    The vector build is tried first (unless ``vector=False``), then the portable one.
    """
    cc = find_compiler(compiler)
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    suffix = ".dll" if sys.platform == "win32" else ".so"
    attempts = [(FLAGS, ())]
    if vector:
        attempts.insert(0, (VECTOR_FLAGS, VECTOR_LIBRARIES))
    libraries = []
    for flags, extra in attempts:
        key = "\0".join((source, cc, *flags, *extra, sys.platform, _machine() * vector))
        library = directory / f"symdiff_{hashlib.sha256(key.encode()).hexdigest()[:32]}{suffix}"
        if library.exists():
            return library
        libraries.append((library, flags, extra))
    directory.mkdir(parents=True, exist_ok=True)
    failure = ""
    for library, flags, extra in libraries:
        failure = _compile(cc, source, library, flags, extra)
        if not failure:
            return library
    raise CodegenError(failure)


def _compile(cc: str, source: str, library: Path, flags: tuple, extra: tuple) -> str:
    """Build ``library``; returns an error message, or "" on success."""
    import subprocess

    with tempfile.TemporaryDirectory(dir=library.parent) as scratch:
        c_file = Path(scratch) / "generated.c"
        c_file.write_text(source)
        built = Path(scratch) / f"generated{library.suffix}"
        command = [cc, *flags, "-o", str(built), str(c_file), *extra, "-lm"]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except OSError as error:
            return f"could not run the C compiler {cc}: {error}"
        if result.returncode != 0:
            return (
                f"the C compiler {cc} failed (exit {result.returncode}):\n{result.stderr[-2000:]}"
            )
        os.replace(built, library)  # atomic: concurrent builders never see a partial file
    return ""


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
