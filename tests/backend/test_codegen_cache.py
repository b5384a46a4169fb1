"""The C build cache under attack and in broken environments.

A cached library is native code that ``compile`` loads, so nothing in the cache is trusted:
truncated, empty, garbage and foreign libraries (another formula's, with or without its record,
with a forged record) are never used for the wrong formula, a directory others could write is
refused, and every environment fault is a ``CodegenError``.  Loading a damaged library can kill
the process (SIGBUS on a truncated ``.so``), so those cases run in a subprocess: a crash fails
the test instead of killing pytest.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import symdiff
from symdiff import CodegenError
from symdiff.backend.build import CacheWarning, default_cache_dir

pytestmark = pytest.mark.skipif(
    not any(shutil.which(c) for c in ("cc", "gcc", "clang")),
    reason="no C compiler (cc, gcc or clang) on PATH: the C target cannot be built here",
)

FORMULA, OTHER = "x*x + 1", "3*x - 7"  # at x = 3: 10 and 2


#: How a subprocess compiles and calls a formula at x = 3, per kind of cached artefact:
#: ``compile`` builds an extension module (where Python.h is installed), ``compile_many`` a
#: ctypes library of array drivers, ``compile_vector`` a vector-convention extension module.
KINDS = {
    "compile": 'f = symdiff.compile({formula!r}, "x", target="c", cache_dir={cache!r})\n'
    "print(repr(float(f(3.0))))",
    "compile_many": "from symdiff.backend import compile_many\n"
    'f = compile_many([({formula!r}, "x", "f")], cache_dir={cache!r})[0]\n'
    "print(repr(float(f(3.0))))",
    "compile_vector": 'f = symdiff.compile_vector([{formula!r}], "x", target="c",\n'
    "                           cache_dir={cache!r})\n"
    "print(repr(float(f([3.0])[0])))",
}


def value_in_subprocess(
    cache: Path, formula: str = FORMULA, kind: str = "compile"
) -> subprocess.CompletedProcess:
    """Compile and call ``formula`` at x = 3 in a fresh interpreter."""
    code = "import symdiff\n" + KINDS[kind].format(formula=formula, cache=str(cache))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )


def build(cache: Path, formula: str = FORMULA, kind: str = "compile") -> tuple[Path, Path]:
    """Compile ``formula`` into ``cache``; returns the new (record, library) files."""
    before = set(cache.iterdir()) if cache.exists() else set()
    # Built in another process: this one must never map a library the test then damages (a
    # truncated file that is mapped here would kill pytest with SIGBUS when it is touched).
    result = value_in_subprocess(cache, formula, kind)
    assert result.returncode == 0, result.stderr[-2000:]
    new = set(cache.iterdir()) - before
    (record,) = [p for p in new if p.suffix == ".json"]
    (library,) = [p for p in new if p.suffix == ".so"]
    return record, library


def assert_rebuilt_and_right(cache: Path, expected: float = 10.0, kind: str = "compile") -> None:
    result = value_in_subprocess(cache, kind=kind)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert float(result.stdout) == expected
    assert "CacheWarning" in result.stderr and "rebuilding" in result.stderr
    again = value_in_subprocess(cache, kind=kind)  # the rebuilt entry is trusted again
    assert again.returncode == 0 and float(again.stdout) == expected and not again.stderr


def test_a_fresh_cache_is_private_and_reused(tmp_path):
    cache = tmp_path / "new" / "cache"
    record, library = build(cache)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    fields = json.loads(record.read_text())
    assert fields["size"] == library.stat().st_size
    stamp = library.stat().st_mtime_ns
    result = value_in_subprocess(cache)
    assert result.returncode == 0 and float(result.stdout) == 10.0 and not result.stderr
    assert library.stat().st_mtime_ns == stamp  # loaded from the cache, not rebuilt


@pytest.mark.parametrize("size", [0, 1, 64, 4096, "half"])
def test_truncated_library_is_rebuilt_not_loaded(tmp_path, size):
    _, library = build(tmp_path)
    length = library.stat().st_size // 2 if size == "half" else size
    os.truncate(library, length)
    assert_rebuilt_and_right(tmp_path)


def test_garbage_library_is_rebuilt(tmp_path):
    _, library = build(tmp_path)
    size = library.stat().st_size
    library.write_bytes(os.urandom(size))
    assert_rebuilt_and_right(tmp_path)
    library.write_bytes(b"\x7fELF" + b"\0" * 60)  # an ELF header and nothing else
    assert_rebuilt_and_right(tmp_path)


def test_another_formulas_library_under_the_name_is_rebuilt(tmp_path):
    _, library = build(tmp_path)
    _, foreign = build(tmp_path, OTHER)
    shutil.copyfile(foreign, library)
    assert_rebuilt_and_right(tmp_path)


def test_another_formulas_library_with_its_record_is_rebuilt(tmp_path):
    record, library = build(tmp_path)
    foreign_record, foreign = build(tmp_path, OTHER)
    shutil.copyfile(foreign, library)
    shutil.copyfile(foreign_record, record)
    assert_rebuilt_and_right(tmp_path)


def test_forged_record_is_caught_by_the_embedded_key(tmp_path):
    # the record claims another formula's library for this one: only the key inside it tells
    record, library = build(tmp_path)
    foreign_record, foreign = build(tmp_path, OTHER)
    forged = {
        **json.loads(foreign_record.read_text()),
        "key": json.loads(record.read_text())["key"],
    }
    library.unlink()
    shutil.copyfile(foreign, tmp_path / f"{record.stem}_{forged['sha256'][:16]}.so")
    record.write_text(json.dumps(forged))
    with pytest.warns(CacheWarning, match="another formula"):
        f = symdiff.compile(FORMULA, "x", target="c", cache_dir=tmp_path)
    assert float(f(3.0)) == 10.0


@pytest.mark.parametrize("kind", ["compile_many", "compile_vector"])
@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign", "writable"])
def test_every_kind_of_artefact_is_checked(tmp_path, kind, damage):
    # ctypes libraries and vector extension modules go through the same checks as compile's
    record, library = build(tmp_path, kind=kind)
    if damage == "truncated":
        os.truncate(library, library.stat().st_size // 2)
    elif damage == "garbage":
        library.write_bytes(os.urandom(library.stat().st_size))
    elif damage == "foreign":
        foreign_record, foreign = build(tmp_path, OTHER, kind=kind)
        shutil.copyfile(foreign, library)
        shutil.copyfile(foreign_record, record)
    else:
        library.chmod(0o777)
    assert_rebuilt_and_right(tmp_path, kind=kind)


def test_library_writable_by_others_is_rebuilt(tmp_path):
    _, library = build(tmp_path)
    library.chmod(0o777)
    assert_rebuilt_and_right(tmp_path)


def test_library_without_record_is_not_trusted(tmp_path):
    record, _ = build(tmp_path)
    record.unlink()  # as after a crash between writing the library and its record
    result = value_in_subprocess(tmp_path)
    assert result.returncode == 0 and float(result.stdout) == 10.0


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_cache_directory_writable_by_others_is_refused(tmp_path, mode):
    cache = tmp_path / "shared"
    cache.mkdir()
    cache.chmod(mode)
    with pytest.raises(CodegenError, match=r"refusing the C build cache.*others may write"):
        symdiff.compile(FORMULA, "x", target="c", cache_dir=cache)
    assert not list(cache.iterdir())


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_cache_directory_of_another_user_is_refused(tmp_path):
    cache = tmp_path / "theirs"
    cache.mkdir(mode=0o700)
    os.chown(cache, 65534, 65534)
    with pytest.raises(CodegenError, match="belongs to user id 65534"):
        symdiff.compile(FORMULA, "x", target="c", cache_dir=cache)


def test_default_cache_directory_is_made_private(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "symdiff").mkdir(mode=0o755)
    (tmp_path / "symdiff").chmod(0o755)
    assert default_cache_dir() == tmp_path / "symdiff"
    assert float(symdiff.compile(FORMULA, "x", target="c")(3.0)) == 10.0
    assert stat.S_IMODE((tmp_path / "symdiff").stat().st_mode) == 0o700


def test_concurrent_builds_of_one_formula(tmp_path):
    code = (
        "import symdiff, sys; f = symdiff.compile('x*x + 1', 'x', target='c', "
        "cache_dir=sys.argv[1]); print(float(f(3.0)))"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]  # fmt: skip
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0 and float(out) == 10.0, err
        assert "CacheWarning" not in err


# --- environment faults: each is a CodegenError with a clear message ----------------------------


def test_cache_path_is_a_file(tmp_path):
    path = tmp_path / "file"
    path.write_text("")
    with pytest.raises(CodegenError, match="exists but is not a directory"):
        symdiff.compile(FORMULA, "x", target="c", cache_dir=path)


def test_cache_path_below_a_file(tmp_path):
    path = tmp_path / "file"
    path.write_text("")
    with pytest.raises(CodegenError, match=r"could not create the C build cache.*Not a directory"):
        symdiff.compile(FORMULA, "x", target="c", cache_dir=path / "cache")


@pytest.mark.parametrize("variable", ["XDG_CACHE_HOME", "HOME"])
def test_home_or_xdg_cache_home_is_a_file(tmp_path, monkeypatch, variable):
    path = tmp_path / "file"
    path.write_text("")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv(variable, str(path))
    with pytest.raises(CodegenError, match="could not create the C build cache"):
        symdiff.compile(FORMULA, "x", target="c")


def fake_compiler(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-cc"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_compiler_that_succeeds_but_writes_nothing(tmp_path):
    cc = fake_compiler(tmp_path, "exit 0")
    with pytest.raises(CodegenError, match="reported success but wrote no library"):
        symdiff.compile(FORMULA, "x", target="c", compiler=cc, cache_dir=tmp_path / "cache")


def test_compiler_that_writes_an_empty_library(tmp_path):
    cc = fake_compiler(tmp_path, 'while [ "$1" != -o ]; do shift; done; : > "$2"')
    with pytest.raises(CodegenError, match="wrote an empty library"):
        symdiff.compile(FORMULA, "x", target="c", compiler=cc, cache_dir=tmp_path / "cache")


def test_compiler_that_writes_garbage(tmp_path):
    cc = fake_compiler(tmp_path, 'while [ "$1" != -o ]; do shift; done; echo junk > "$2"')
    cache = tmp_path / "cache"
    with pytest.raises(CodegenError, match="could not load the C library"):
        symdiff.compile(FORMULA, "x", target="c", compiler=cc, cache_dir=cache)
    assert not list(cache.iterdir())  # nothing unloadable is kept


def test_compiler_that_fails(tmp_path):
    cc = fake_compiler(tmp_path, "echo 'no such thing' >&2; exit 3")
    with pytest.raises(CodegenError, match=r"(?s)failed \(exit 3\).*no such thing"):
        symdiff.compile(FORMULA, "x", target="c", compiler=cc, cache_dir=tmp_path / "cache")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write")
def test_cache_directory_not_writable(tmp_path):
    cache = tmp_path / "locked"
    cache.mkdir(mode=0o500)
    with pytest.raises(CodegenError, match="could not build a C library"):
        symdiff.compile(FORMULA, "x", target="c", cache_dir=cache)


def test_no_warning_on_an_intact_cache(tmp_path):
    build(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(symdiff.compile(FORMULA, "x", target="c", cache_dir=tmp_path)(3.0)) == 10.0
