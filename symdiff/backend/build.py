"""Building C source into a shared library (cached by source hash) and calling it on arrays.

The library lands in ``cache_dir`` (default ``$XDG_CACHE_HOME/symdiff`` or ``~/.cache/symdiff``)
under a name derived from the SHA-256 of the source, compiler, flags and CPU (the *key*), so the
same source is compiled once per machine.  Nothing found there is trusted:

- the directory must be owned by the user and writable by nobody else (the default one is
  created, and kept, mode 0700);
- each build writes, atomically and in this order, the library ``symdiff_<key>_<digest>.so``
  (named by the SHA-256 of its contents) and the record ``symdiff_<key>.json`` (key, size,
  SHA-256); before ``dlopen`` the library is hashed and must match the record, so a truncated,
  empty or garbage file, or another formula's library copied under the name, is never loaded;
- the library embeds its key (``symdiff_build_key()``), checked after loading;
- an entry that fails a check is deleted and rebuilt, with a ``CacheWarning``.

Every fault of the environment (unwritable or odd paths, a compiler that fails or writes
nothing, a library that cannot be loaded) is a ``CodegenError``.  ``numpy``, ``ctypes`` and
``subprocess`` are imported here only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, NamedTuple

from symdiff.backend.c import packed_driver
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
#: The function every cached library defines: it returns the library's key.
TAG_FUNCTION = "symdiff_build_key"
RECORD_FORMAT = 1
LIBRARY_SUFFIX = ".dll" if sys.platform == "win32" else ".so"
DIGEST = re.compile(r"[0-9a-f]{64}\Z")


class CacheWarning(RuntimeWarning):
    """A cached library failed its checks and was rebuilt."""


class Entry(NamedTuple):
    """One cached build: its key, and the record that names its library by content digest."""

    key: str
    record: Path

    def library(self, digest: str) -> Path:
        """The library whose SHA-256 is ``digest`` (the name carries it: a rebuilt library with
        other contents never reuses the name of one already loaded)."""
        return self.record.with_name(f"{self.record.stem}_{digest[:16]}{LIBRARY_SUFFIX}")


class Damaged(Exception):
    """A cached entry failed a check; the message says which."""


@contextlib.contextmanager
def environment(action: str) -> Iterator[None]:
    """Turn an ``OSError`` while doing ``action`` into a one-line ``CodegenError``."""
    try:
        yield
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        reason = error.strerror or str(error) or type(error).__name__
        raise CodegenError(f"could not {action}{where}: {reason}") from None


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


def _owner_problem(info: os.stat_result) -> str:
    """Why a file or directory with this ``stat`` may not be trusted ("" when it may).

    POSIX only: elsewhere (Windows) ownership and mode bits do not mean the same.
    """
    if not hasattr(os, "geteuid"):
        return ""
    if info.st_uid != os.geteuid():
        return f"it belongs to user id {info.st_uid}, not to you (id {os.geteuid()})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"others may write to it (mode {stat.S_IMODE(info.st_mode):o})"
    return ""


def cache_directory(cache_dir: str | os.PathLike | None = None) -> Path:
    """The cache directory, created mode 0700 if missing; refused if others could write it."""
    default = cache_dir is None
    directory = default_cache_dir() if cache_dir is None else Path(cache_dir)
    with environment("create the C build cache directory"):
        if directory.exists() and not directory.is_dir():
            raise CodegenError(f"the C build cache {directory} exists but is not a directory")
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.stat()
    problem = _owner_problem(info)
    if problem:
        raise CodegenError(
            f"refusing the C build cache {directory}: {problem}, so anyone could plant code in "
            "it; use a private directory (cache_dir=..., or chmod 700 it)"
        )
    if default and stat.S_IMODE(info.st_mode) != 0o700:
        with environment("make the C build cache directory private"):
            directory.chmod(0o700)
    return directory


def _machine() -> str:
    """What a -march=native library depends on: the CPU's feature flags where readable."""
    import platform

    try:
        with open("/proc/cpuinfo") as cpuinfo:
            flags = next((line for line in cpuinfo if line.startswith("flags")), "")
    except OSError:
        flags = ""
    return f"{platform.machine()} {platform.processor()} {flags}"


def tagged(source: str, key: str) -> str:
    """``source`` plus the function that makes the library name its own key."""
    return f'{source}\nconst char *{TAG_FUNCTION}(void)\n{{\n    return "{key}";\n}}\n'


def _entry(
    directory: Path, source: str, cc: str, flags: tuple, extra: tuple, vector: bool
) -> Entry:
    key_text = "\0".join((source, cc, *flags, *extra, sys.platform, _machine() * vector))
    key = hashlib.sha256(key_text.encode()).hexdigest()
    return Entry(key, directory / f"symdiff_{key[:32]}.json")


def _digest(file: Any) -> tuple[str, int]:
    """SHA-256 and size of what an open binary file holds from its start."""
    file.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := file.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _record(entry: Entry) -> dict[str, Any] | None:
    """The fields of ``entry``'s record, or None when it has none (not built yet)."""
    try:
        record = json.loads(entry.record.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise Damaged(f"its record is unreadable ({error})") from None
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        raise Damaged("its record is not one symdiff wrote")
    if record.get("key") != entry.key:
        raise Damaged("its record belongs to another build")
    if not isinstance(record.get("sha256"), str) or not DIGEST.match(record["sha256"]):
        raise Damaged("its record holds no library digest")
    return record


def check(entry: Entry) -> Path | None:
    """The path of ``entry``'s library if it is intact, None if it is not cached; ``Damaged``
    if the library is not the file the record describes."""
    record = _record(entry)
    if record is None:
        return None
    path = entry.library(record["sha256"])
    try:
        file = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise Damaged("its library is missing") from None
    except OSError as error:
        raise Damaged(error.strerror or str(error)) from None
    with file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Damaged("its library is not a regular file")
        problem = _owner_problem(info)
        if problem:
            raise Damaged(problem)
        digest, size = _digest(file)
    if (size, digest) != (record.get("size"), record["sha256"]):
        raise Damaged(f"its {size} bytes do not match its record: truncated or replaced")
    return path


def _discard(entry: Entry, reason: str) -> None:
    """Delete a cached entry (record and libraries) that failed a check, saying so."""
    warnings.warn(
        f"symdiff: the cached C library {entry.record.stem} failed its check ({reason}); "
        "rebuilding it",
        CacheWarning,
        stacklevel=_outside_symdiff(),
    )
    remove(entry)


def remove(entry: Entry) -> None:
    """Delete an entry's record and every library of its key."""
    libraries = entry.record.parent.glob(f"{entry.record.stem}_*{LIBRARY_SUFFIX}")
    for path in [entry.record, *libraries]:
        with environment("remove a bad cached library"), contextlib.suppress(FileNotFoundError):
            path.unlink()


def _outside_symdiff() -> int:
    """The ``stacklevel`` of the first caller outside the symdiff package (for warnings)."""
    package = str(Path(__file__).resolve().parents[1])
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def _cached(entry: Entry) -> Path | None:
    """``check``, discarding a damaged entry (then None: it must be built again)."""
    try:
        return check(entry)
    except Damaged as damage:
        _discard(entry, str(damage))
        return None


def build_library(
    source: str, compiler: str | None = None, cache_dir: str | os.PathLike | None = None,
    vector: bool = True,
) -> Path:  # fmt: skip
    """Compile ``source`` into a shared library (or reuse the cached one) and return its path.

    The vector build is tried first (unless ``vector=False``), then the portable one.
    """
    return _build(source, compiler, cache_dir, vector)[1]


def _build(source: str, compiler: str | None, cache_dir: str | os.PathLike | None,
           vector: bool) -> tuple[Entry, Path]:  # fmt: skip
    """The entry of ``source`` and its verified library's path (built if needed)."""
    cc = find_compiler(compiler)
    directory = cache_directory(cache_dir)
    attempts: list[tuple[tuple[str, ...], tuple[str, ...]]] = [(FLAGS, ())]
    if vector:
        attempts.insert(0, (VECTOR_FLAGS, VECTOR_LIBRARIES))
    entries = [(_entry(directory, source, cc, f, x, vector), f, x) for f, x in attempts]
    for entry, _, _ in entries:
        found = _cached(entry)
        if found:
            return entry, found
    failure = ""
    for entry, flags, extra in entries:
        failure = _compile(cc, tagged(source, entry.key), entry, flags, extra)
        found = None if failure else _cached(entry)
        if found:
            return entry, found
    raise CodegenError(failure or "the C build cache rejected the library just built")


def _compile(cc: str, source: str, entry: Entry, flags: tuple, extra: tuple) -> str:
    """Build ``entry`` (library, then its record, each written atomically); returns an error
    message when the compiler fails, or "" on success."""
    import subprocess

    directory = entry.record.parent
    with (
        environment(f"build a C library in {directory}"),
        tempfile.TemporaryDirectory(dir=directory) as scratch,
    ):
        c_file = Path(scratch) / "generated.c"
        c_file.write_text(source)
        built = Path(scratch) / f"generated{LIBRARY_SUFFIX}"
        command = [cc, *flags, "-o", str(built), str(c_file), *extra, "-lm"]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as error:
            return f"could not run the C compiler {cc}: {error}"
        if result.returncode != 0:
            return (
                f"the C compiler {cc} failed (exit {result.returncode}):\n{result.stderr[-2000:]}"
            )
        if not built.is_file():
            return f"the C compiler {cc} reported success but wrote no library"
        with open(built, "rb") as file:
            digest, size = _digest(file)
        if not size:
            return f"the C compiler {cc} reported success but wrote an empty library"
        record = Path(scratch) / "record.json"
        fields = {"format": RECORD_FORMAT, "key": entry.key, "size": size, "sha256": digest}
        record.write_text(json.dumps(fields))
        os.replace(built, entry.library(digest))  # atomic: readers never see a partial file
        os.replace(record, entry.record)  # last: until it names the library, nothing is trusted
    return ""


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
        _discard(entry, "it is the library of another formula")
        return None
    return library


def load_library(
    source: str, compiler: str | None = None, cache_dir: str | os.PathLike | None = None
) -> Any:
    """The loaded, verified library of ``source``, built or taken from the cache."""
    for _ in range(2):  # the second round rebuilds an entry that failed its check after loading
        library = _load(*_build(source, compiler, cache_dir, vector=True))
        if library is not None:
            return library
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
