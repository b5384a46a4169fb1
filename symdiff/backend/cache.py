"""The C build cache: a private directory of compiled libraries, none of them trusted.

Libraries land in ``cache_dir`` (default ``$XDG_CACHE_HOME/symdiff`` or ``~/.cache/symdiff``)
under a name derived from the SHA-256 of the source, compiler, flags and CPU (the *key*), so the
same source is compiled once per machine.  Nothing found there is trusted:

- the directory must be owned by the user and writable by nobody else (the default one is
  created, and kept, mode 0700);
- each build writes, atomically and in this order, the library ``symdiff_<key>_<digest>.so``
  (named by the SHA-256 of its contents) and the record ``symdiff_<key>.json`` (key, size,
  SHA-256); before ``dlopen`` the library is hashed and must match the record, so a truncated,
  empty or garbage file, or another formula's library copied under the name, is never loaded;
- the library embeds its key (``symdiff_build_key()``), checked after loading (``build.py``);
- an entry that fails a check is deleted and rebuilt, with a ``CacheWarning``.

This module keeps the directory, the keys, the records and the checks; ``build.py`` runs the
compiler and loads what this module has verified.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any, NamedTuple

from symdiff.core.errors import CodegenError

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


def entry_for(
    directory: Path, source: str, cc: str, flags: tuple, extra: tuple, vector: bool
) -> Entry:
    """The entry of ``source`` built by ``cc`` with ``flags`` (``vector``: for this CPU only)."""
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


def discard(entry: Entry, reason: str) -> None:
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


def cached(entry: Entry) -> Path | None:
    """``check``, discarding a damaged entry (then None: it must be built again)."""
    try:
        return check(entry)
    except Damaged as damage:
        discard(entry, str(damage))
        return None


def commit(entry: Entry, built: Path, scratch: Path) -> str:
    """Move the freshly built library ``built`` into the cache under ``entry``, then write its
    record (each step atomic; until the record names the library, nothing is trusted).
    Returns an error message if the library is empty, or ""."""
    with open(built, "rb") as file:
        digest, size = _digest(file)
    if not size:
        return "the C compiler reported success but wrote an empty library"
    record = scratch / "record.json"
    fields = {"format": RECORD_FORMAT, "key": entry.key, "size": size, "sha256": digest}
    record.write_text(json.dumps(fields))
    os.replace(built, entry.library(digest))  # atomic: readers never see a partial file
    os.replace(record, entry.record)  # last: until it names the library, nothing is trusted
    return ""
