"""The installed ``symdiff`` command, run as users run it (subprocess), and ``main`` in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from symdiff.cli import main

SYMDIFF = shutil.which("symdiff")
pytestmark = pytest.mark.skipif(SYMDIFF is None, reason="the symdiff command is not installed")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SYMDIFF, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["x**2*y+y+2", "--wrt", "x"], "2*x*y"),
        (["x**2*y+y+2", "--wrt", "y"], "x**2 + 1"),
        (["sin(x)^2", "--wrt", "x"], "2*sin(x)*cos(x)|2*cos(x)*sin(x)|sin(2*x)"),
        (["x**3", "--wrt", "x", "--order", "2"], "6*x"),
        (["x**2*y**3", "--wrt", "x", "--wrt", "y"], "6*x*y**2"),
        (["-x**2", "--wrt", "x"], "-2*x"),
        (["--wrt", "x", "-x**3"], "-3*x**2"),
        (["x**2+3x+2"], "2*x + 3"),
    ],
)
def test_derivatives(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in expected.split("|")
    assert result.stderr == ""


def test_stdin_one_result_per_line_and_errors_keep_going() -> None:
    result = run("-", "--wrt", "x", stdin="exp(-x**2/2)\nx+\nx**3\n")
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines == ["-x*exp(-x**2/2)", "# error", "3*x**2"]  # lines up with the input
    assert "line 2" in result.stderr and "^" in result.stderr
    assert "at line 1" not in result.stderr and "at column 3" in result.stderr
    assert "Traceback" not in result.stderr


def test_batch_output_lines_up_with_blank_and_comment_lines() -> None:
    text = "x**2\n\n# a comment\nx**3  # cube\nsin(\nlog(x)\n"
    result = run("--wrt", "x", stdin=text)  # no "-": piped input is read anyway
    assert result.returncode == 2
    assert result.stdout.split("\n")[:-1] == ["2*x", "", "", "3*x**2", "# error", "1/x"]
    assert len(result.stdout.split("\n")) - 1 == len(text.split("\n")) - 1


def test_several_variables_without_wrt_names_them() -> None:
    result = run("log(x)+x*y-sin(y)")
    assert result.returncode == 2
    assert "x, y" in result.stderr and "--wrt" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("formula", ["x+", "sin(x, y)", "foo(x)", "2**10**10**10 +", "x $ y"])
def test_bad_input_is_a_short_message_with_a_caret(formula: str) -> None:
    result = run(formula, "--wrt", "x")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("symdiff: error: ")
    assert "^" in result.stderr and "Traceback" not in result.stderr


def test_huge_constants_answer_quickly() -> None:
    result = run("2**10**10**10*x", "--wrt", "x")
    assert result.returncode == 0
    assert result.stdout.strip() == "2**(10**10000000000)"


def test_help_and_version() -> None:
    help_text = run("--help")
    assert (
        help_text.returncode == 0 and "--wrt" in help_text.stdout and "examples" in help_text.stdout
    )
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("symdiff ")


def test_unknown_option_is_a_usage_error() -> None:
    result = run("x", "--frobnicate")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "symdiff", "x**3", "--wrt", "x"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0 and result.stdout.strip() == "3*x**2"


def test_main_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x*y", "--wrt", "y"]) == 0
    assert capsys.readouterr().out.strip() == "x"
    assert main(["x*", "--wrt", "x"]) == 2
    assert "unexpected end of input" in capsys.readouterr().err


def test_same_output_under_different_hash_seeds() -> None:
    formula = "sin(x*y)*exp(z)/(x**2 + y**2 + z**2) + log(x + y)*atan2(z, y)"
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [SYMDIFF, formula, "--wrt", "x", "--no-simplify"]
            if "--no-simplify" in run("--help").stdout
            else [SYMDIFF, formula, "--wrt", "x"],
            capture_output=True, text=True, timeout=60, env=env, check=True,
        ).stdout  # fmt: skip
        outputs.add(out)
    assert len(outputs) == 1
