"""Running the C compiler on generated source, and loading what the cache has verified.

``cache.py`` keeps the build cache (private directory, content-addressed records, digest checks
before ``dlopen``); this module picks the compiler and its flags, builds missing entries into
the cache, loads libraries with ``ctypes`` (checking the key each embeds), and wraps ``compile``'s
array drivers.  Every fault of the environment (a compiler that fails or writes nothing, a
library that cannot be loaded) is a ``CodegenError``.  ``numpy``, ``ctypes`` and
``subprocess`` are imported here only.

Flags by size (``recipe_for``): gcc's optimisers cost more than linear time in the size of a
function, so long programs are cut into blocks (``c.py``, ``c_vector.py``) and built with less
optimisation, whose loss at run time is small next to the compile time it saves.  Measured
with gcc 12 (user CPU seconds to compile; microseconds per point at run time):

- 1000-step loop gradient, 6,054 statements: -O0 0.68 s / 159 us, -Og 0.84 s / 88 us,
  -O1 1.35 s / 99 us, -O2 2.7 s / 99 us (its time is 2,000 calls of ``cos``);
- Brusselator right-hand side, 2,048 states: -Og 0.74 s / 9.4 us, -O1 1.41 s / 8.2 us,
  -O2 1.86 s / 5.3 us.

So: up to ``SMALL_LINES`` lines, ``-O3 -march=native`` with the points loop vectorised
(``SMALL``); up to ``MEDIUM_LINES``, ``-O2`` (``MEDIUM``, under a second); beyond, ``-Og``
(``LARGE``): it keeps values in registers and the straight-line simplifications, and drops
the passes whose cost grows fastest.  -O0 is never used: it stores every temporary to memory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from symdiff.backend.c import packed_driver, units_of
from symdiff.backend.cache import (
    LIBRARY_SUFFIX,
    TAG_FUNCTION,
    CacheWarning,
    Entry,
    cache_directory,
    cached,
    commit,
    default_cache_dir,
    discard,
    entry_for,
    environment,
    remove,
    tagged,
)
from symdiff.core.errors import CodegenError

__all__ = ["CacheWarning", "CompiledFunction", "build_library", "default_cache_dir", "tagged"]

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
#: Flags by size of a unit (in lines of C: statements plus outputs), each as (vector flags,
#: portable flags); see the module docstring for the measurements behind them.
SMALL = (VECTOR_FLAGS, FLAGS)
MEDIUM = (tuple("-O2" if f == "-O3" else f for f in VECTOR_FLAGS), FLAGS)
#: gcc passes that find nothing in generated code (already CSE'd, no aliasing to learn, no
#: dead stores) yet cost 15-20% of a large unit's compile time; gcc-only, so vector build only.
IDLE_PASSES = ("-fno-tree-fre", "-fno-tree-dse", "-fno-ipa-modref", "-fno-ipa-pure-const",
               "-fno-ipa-reference")  # fmt: skip
LARGE = (
    tuple("-Og" if f == "-O3" else f for f in VECTOR_FLAGS) + IDLE_PASSES,
    tuple("-Og" if f == "-O2" else f for f in FLAGS),
)
#: Largest units built with ``SMALL`` and ``MEDIUM`` flags.
SMALL_LINES, MEDIUM_LINES = 300, 1500


def recipe_for(lines: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The flags for a unit of ``lines`` lines: ``SMALL``, ``MEDIUM`` or ``LARGE``."""
    if lines <= SMALL_LINES:
        return SMALL
    return MEDIUM if lines <= MEDIUM_LINES else LARGE


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


def build_library(
    source: str, compiler: str | None = None, cache_dir: str | os.PathLike | None = None,
    vector: bool = True,
) -> Path:  # fmt: skip
    """Compile ``source`` into a shared library (or reuse the cached one) and return its path.

    The vector build is tried first (unless ``vector=False``), then the portable one.
    """
    return _build(source, compiler, cache_dir, vector)[1]


Flags = tuple[str, ...]


def _build(source: str, compiler: str | None, cache_dir: str | os.PathLike | None,
           vector: bool, recipe: tuple[Flags, Flags] = SMALL,
           include: Flags = ()) -> tuple[Entry, Path]:  # fmt: skip
    """The entry of ``source`` and its verified library's path (built if needed): ``recipe``
    holds the vector and the portable flags, ``include`` further flags for both."""
    cc = find_compiler(compiler)
    directory = cache_directory(cache_dir)
    attempts: list[tuple[Flags, Flags]] = [(recipe[1] + include, ())]
    if vector:
        attempts.insert(0, (recipe[0] + include, VECTOR_LIBRARIES))
    entries = [(entry_for(directory, source, cc, f, x, vector), f, x) for f, x in attempts]
    for entry, _, _ in entries:
        found = cached(entry)
        if found:
            return entry, found
    failure = ""
    for entry, flags, extra in entries:
        first, further = units_of(source)
        failure = _compile(cc, [tagged(first, entry.key), *further], entry, flags, extra)
        found = None if failure else cached(entry)
        if found:
            return entry, found
    raise CodegenError(failure or "the C build cache rejected the library just built")


def _compile(cc: str, units: list[str], entry: Entry, flags: tuple, extra: tuple) -> str:
    """Build ``entry`` from its translation ``units`` (library, then its record, each written
    atomically); returns an error message when the compiler fails, or "" on success.  Several
    units are compiled side by side, one per core, then linked."""
    directory = entry.record.parent
    with (
        environment(f"build a C library in {directory}"),
        tempfile.TemporaryDirectory(dir=directory) as scratch,
    ):
        built = Path(scratch) / f"generated{LIBRARY_SUFFIX}"
        files = []
        for number, unit in enumerate(units):
            files.append(Path(scratch) / f"generated_{number}.c")
            files[-1].write_text(unit)
        if len(files) == 1:
            commands = [[cc, *flags, "-o", str(built), str(files[0]), *extra, "-lm"]]
        else:
            compile_only = [f for f in flags if f != "-shared"]
            commands = [[cc, *compile_only, "-c", "-o", f"{f}.o", str(f)] for f in files]
        failure = _run_all(cc, commands)
        if not failure and len(files) > 1:
            objects = [f"{f}.o" for f in files]
            link = [cc, *flags, "-o", str(built), *objects, *extra, "-lm"]
            failure = _run_all(cc, [link])
        if failure:
            return failure
        if not built.is_file():
            return f"the C compiler {cc} reported success but wrote no library"
        failure = commit(entry, built, Path(scratch))
        if failure:
            return f"{failure} ({cc})"
    return ""


def _run_all(cc: str, commands: list[list[str]]) -> str:
    """Run the compiler ``commands``, as many at a time as this process has cores; the first
    failure's message, or ""."""
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    def run(command: list[str]) -> str:
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as error:
            return f"could not run the C compiler {cc}: {error}"
        if result.returncode != 0:
            message = result.stderr[-2000:]
            return f"the C compiler {cc} failed (exit {result.returncode}):\n{message}"
        return ""

    if len(commands) == 1:
        return run(commands[0])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with ThreadPoolExecutor(max_workers=max(min(cores or 1, len(commands)), 1)) as pool:
        failures = list(pool.map(run, commands))
    return next((f for f in failures if f), "")


def _load(entry: Entry, path: Path) -> Any:
    """``ctypes.CDLL`` of a checked library, or None if its embedded key is not ``entry.key``.

    (Between the check and the load only a writer of the private directory could swap the
    file, and symdiff itself only ever replaces a library by a complete one of the same name,
    hence of the same contents.)"""
    import ctypes

    try:
        library = ctypes.CDLL(str(path))
    except OSError as error:
        remove(entry)  # built here, yet unloadable: the compiler wrote something else
        raise CodegenError(f"could not load the C library {path}: {error}") from None
    try:
        tag = getattr(library, TAG_FUNCTION)
        tag.restype = ctypes.c_char_p
        key = tag()
    except AttributeError:
        key = None
    if key != entry.key.encode():
        discard(entry, "it is the library of another formula")
        return None
    return library


def load_library(
    source: str, compiler: str | None = None, cache_dir: str | os.PathLike | None = None
) -> Any:
    """The loaded, verified library of ``source``, built or taken from the cache."""
    return load_verified(source, compiler, cache_dir)[0]


def load_verified(
    source: str, compiler: str | None = None, cache_dir: str | os.PathLike | None = None,
    recipe: tuple[Flags, Flags] = SMALL, include: Flags = (),
) -> tuple[Any, Path]:  # fmt: skip
    """The loaded library of ``source`` (digest and key checked) and its path."""
    for _ in range(2):  # the second round rebuilds an entry that failed its check after loading
        entry, path = _build(source, compiler, cache_dir, True, recipe, include)
        library = _load(entry, path)
        if library is not None:
            return library, path
    raise CodegenError("the C build cache keeps failing its checks: something is rewriting it")


class CompiledFunction:
    """A callable over NumPy arrays (or scalars) backed by a generated C array driver."""

    def __init__(self, library: Any, c_name: str, arity: int, outputs: int, single: bool,
                 source: str) -> None:  # fmt: skip
        import ctypes

        self._driver = getattr(library, packed_driver(c_name))
        self._driver.restype = None
        self._driver.argtypes = [ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
        self._pointers = ctypes.c_void_p * arity
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
            arrays = list(np.broadcast_arrays(*arrays))
        shape = arrays[0].shape if arrays else ()
        flat = [np.ascontiguousarray(a).reshape(-1) for a in arrays]
        count = int(np.prod(shape, dtype=np.int64))
        out = np.empty((self.outputs, count), dtype=np.float64)
        pointers = self._pointers(*(a.ctypes.data for a in flat))
        self._driver(count, pointers, out.ctypes.data)
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
    library = load_library(source, compiler, cache_dir)
    return [CompiledFunction(library, *spec, source=source) for spec in functions]
