"""Readings that are legal but easy to get wrong: the answer on stdout, one plain warning line."""

from __future__ import annotations

import shutil
import subprocess

import pytest

SYMDIFF = shutil.which("symdiff")
pytestmark = pytest.mark.skipif(SYMDIFF is None, reason="the symdiff command is not installed")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert SYMDIFF is not None
    return subprocess.run(
        [SYMDIFF, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_two_names_side_by_side_warn_in_one_plain_line() -> None:
    result = run("x y", "--wrt", "x")
    assert result.returncode == 0
    assert result.stdout.strip() == "y"
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symdiff: warning: ")
    assert ".py:" not in result.stderr  # no Python source location or code line


def test_every_batch_line_gets_its_own_warning() -> None:
    result = run("-", "--wrt", "x", stdin="x y\nx y\nx**2\n")
    assert result.returncode == 0
    assert result.stdout.split() == ["y", "y", "2*x"]
    assert result.stderr.count("symdiff: warning: ") == 2


@pytest.mark.parametrize(
    ("name", "kind"), [("sin", "function"), ("pi", "constant"), ("e", "constant")]
)
def test_wrt_a_reserved_name_is_an_error_that_says_what_it_is(name: str, kind: str) -> None:
    result = run("x**2 + x", "--wrt", name)
    assert result.returncode == 2 and result.stdout == ""
    assert f"{name} is a {kind}" in result.stderr and f"Symbol('{name}')" in result.stderr


def test_wrt_symbol_spelling_differentiates_by_the_reserved_name() -> None:
    result = run("Symbol('e')**2", "--wrt", "Symbol('e')")
    assert result.returncode == 0 and result.stdout.strip() == "2*Symbol('e')"
