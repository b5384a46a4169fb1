"""The command's output under ordinary adversity, formulas that start with '-', huge derivatives.

- A reader that goes away (``| head -1``) ends the command quietly with status 141; a write that
  fails (``/dev/full``, a closed stdout) is one line on stderr and status 1; never a traceback.
- Every word starting with '-' that is not an option is a formula.
- A derivative whose tree form is huge (``sin`` nested deep: the tree grows with the square of
  the depth) is printed in a form linear in its DAG by every output path, or refused with a
  reason (``--steps``).  Expected values are computed here with ``math``, not by symdiff.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys

import pytest

from symdiff import evaluate, from_json, parse
from symdiff.cli import main

SYMDIFF = shutil.which("symdiff")
needs_command = pytest.mark.skipif(SYMDIFF is None, reason="the symdiff command is not installed")


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- 14: broken pipes and failed writes -----------------------------------------------------


@needs_command
def test_reader_that_goes_away_ends_quietly(tmp_path):
    formulas = tmp_path / "formulas.txt"
    formulas.write_text("".join(f"x**{k}\n" for k in range(2, 20_000)))
    with open(formulas) as stdin:
        process = subprocess.Popen(
            [SYMDIFF, "-"], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        first = process.stdout.readline()
        process.stdout.close()  # as `head -1` does
        stderr = process.stderr.read().decode()
        status = process.wait(timeout=120)
    assert first == b"2*x\n"
    assert status == 141, stderr
    assert stderr == ""


@needs_command
def test_shell_pipeline_into_head(tmp_path):
    formulas = tmp_path / "formulas.txt"
    formulas.write_text("".join(f"x**{k}\n" for k in range(2, 20_000)))
    script = f'"{SYMDIFF}" - < "{formulas}" | head -1; echo "status=${{PIPESTATUS[0]}}"'
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.stdout == "2*x\nstatus=141\n"
    assert result.stderr == ""


@needs_command
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["x**2"], ["--help"], ["--version"], ["-"]])
def test_disk_full_is_one_line_and_status_1(args):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [SYMDIFF, *args], input="x**3\n", stdout=full, stderr=subprocess.PIPE, text=True,
            timeout=60, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "symdiff: error: cannot write the output: No space left on device\n"


@needs_command
@pytest.mark.parametrize("args", ["x**2", "--help", "- <<< x"])
def test_closed_stdout_is_one_line_and_status_1(args):
    result = subprocess.run(
        ["bash", "-c", f'"{SYMDIFF}" {args} >&-'], capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "symdiff: error: cannot write the output: standard output is closed\n"


class FailingStdout:
    """A stdout that buffers what is written and fails with ``error`` when it is flushed."""

    def __init__(self, error: OSError) -> None:
        self.error = error
        self.pending = ""

    def write(self, text: str) -> int:
        self.pending += text
        return len(text)

    def flush(self) -> None:
        if self.pending:
            raise self.error


def test_broken_pipe_in_process(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", FailingStdout(BrokenPipeError(32, "Broken pipe")))
    assert main(["x**2"]) == 141
    assert main(["--help"]) == 141
    assert capsys.readouterr().err == ""


def test_write_error_in_process(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", FailingStdout(OSError(5, "Input/output error")))
    assert main(["x**2"]) == 1
    assert (
        capsys.readouterr().err == "symdiff: error: cannot write the output: Input/output error\n"
    )


def test_bad_formula_with_failing_stdout_is_still_a_usage_error(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", FailingStdout(OSError(28, "No space left on device")))
    assert main(["x+"]) == 2
    assert "unexpected end of input" in capsys.readouterr().err


# --- 17: every formula that starts with '-' is a formula ------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["-x**2"], "-2*x"),
        (["--", "-x"], "-1"),
        (["---x"], "-1"),
        (["----x"], "1"),
        (["-" * 10_000 + "x"], "1"),  # an even number of signs
        (["-" * 10_001 + "x"], "-1"),
        (["-(x + 1)**2"], "-2*x - 2"),
        (["-2*x"], "-2"),
        (["-x*y", "--wrt", "y"], "-x"),
        (["--wrt", "y", "-x*y"], "-x"),
        (["-x*y", "-w", "y"], "-x"),
        (["-x*y", "--wr", "y"], "-x"),  # an abbreviation argparse accepts
        (["-n", "2", "-x**3"], "-6*x"),
        (["-x**3", "--order=2"], "-6*x"),
        (["--", "--x"], "1"),
        (["-x", "--"], "-1"),
    ],
)
def test_formulas_starting_with_a_dash(capsys, argv, expected):
    status, out, err = run_main(capsys, *argv)
    assert (status, out, err) == (0, expected + "\n", "")


def test_a_word_that_looks_like_an_option_is_one(capsys):
    status, _, err = run_main(capsys, "--frobnicate")
    assert status == 2 and "unrecognized arguments: --frobnicate" in err


def test_option_lookalike_hint_says_how_to_write_the_formula(capsys):
    status, _, err = run_main(capsys, "--x")
    assert status == 2 and "symdiff -- '--x'" in err


@needs_command
def test_ten_thousand_dashes_from_the_shell():
    result = subprocess.run(
        [SYMDIFF, "-" * 10_000 + "x**2"], capture_output=True, text=True, timeout=60, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "2*x\n", "")


# --- 16: derivatives whose tree form is huge --------------------------------------------------

DEPTH = 1_000
DEEP = "sin(" * DEPTH + "x" + ")" * DEPTH
AT = 0.3


def deep_derivative(x: float = AT) -> float:
    """d/dx of sin nested DEPTH times: the product of cos over the chain (computed here)."""
    product, inner = 1.0, x
    for _ in range(DEPTH):
        product *= math.cos(inner)
        inner = math.sin(inner)
    return product


def value_of_cse_text(text: str) -> float:
    """Evaluate ``t0 = ...`` lines in order, then ``result = ...``."""
    point = {"x": AT}
    for line in text.splitlines():
        name, _, formula = line.partition(" = ")
        point[name] = evaluate(parse(formula), point)
    return point["result"]


def bounded(text: str) -> bool:
    """Linear in the DAG (about 2 nodes per level), far below the tree (DEPTH**2 / 2 nodes)."""
    return len(text) < 400 * DEPTH


def test_text_is_the_cse_form(capsys):
    status, out, _ = run_main(capsys, DEEP)
    assert status == 0 and bounded(out) and out.startswith("t0 = ")
    assert math.isclose(value_of_cse_text(out), deep_derivative(), rel_tol=1e-12)


def test_latex_is_an_aligned_cse_block(capsys):
    status, out, _ = run_main(capsys, DEEP, "--format", "latex")
    assert status == 0 and bounded(out)
    lines = out.splitlines()
    assert lines[0] == r"\begin{aligned}" and lines[-1] == r"\end{aligned}"
    assert lines[-2].startswith(r"\text{result} &= ")
    assert len(lines) > DEPTH // 2  # one row per shared subexpression


@pytest.mark.parametrize("fmt", ["json", "tree"])
def test_json_and_tree_write_shared_nodes_once(capsys, fmt):
    status, out, _ = run_main(capsys, DEEP, "--format", fmt)
    assert status == 0 and bounded(out)
    if fmt == "json":
        value = evaluate(from_json(out), x=AT)
        assert math.isclose(value, deep_derivative(), rel_tol=1e-12)
        assert '"ref"' in out
    else:
        assert "(shared, shown above)" in out


def test_cse_always_with_a_sharing_format_says_why_not(capsys):
    status, _, err = run_main(capsys, "x**2", "--format", "json", "--cse", "always")
    assert status == 2 and "already writes each shared part once" in err


@pytest.mark.parametrize("fmt", ["text", "latex", "json"])
def test_steps_refuse_with_a_reason(capsys, fmt):
    status, out, err = run_main(capsys, DEEP, "--steps", "--format", fmt)
    assert status == 2 and out == ""
    assert "would print" in err and "drop --steps" in err
    big = "sin(" * 2_500 + "x" + ")" * 2_500
    status, out, err = run_main(capsys, big, "--steps", "--format", fmt)
    assert status == 2 and "up to 2,000 distinct subexpressions" in err


def test_steps_of_an_ordinary_formula_still_work(capsys):
    status, out, _ = run_main(capsys, "sin(sin(sin(x)))", "--steps")
    assert status == 0 and "result:" in out


def test_values_at_a_point(capsys):
    status, out, _ = run_main(capsys, DEEP, "--at", f"x={AT}")
    assert status == 0 and bounded(out)
    (line,) = [row for row in out.splitlines() if row.startswith("df/dx")]
    assert math.isclose(float(line.split("=")[1]), deep_derivative(), rel_tol=1e-9)


def test_grad_formats(capsys):
    for fmt in ("text", "latex", "json", "tree"):
        status, out, _ = run_main(capsys, DEEP, "--grad", "--format", fmt)
        assert status == 0 and bounded(out), fmt
    status, out, _ = run_main(capsys, DEEP, "--grad", "--format", "latex")
    assert out.startswith(r"\begin{aligned}") and r"\text{d/dx} &= " in out


def test_emitted_code(capsys):
    status, out, _ = run_main(capsys, DEEP, "--emit", "python")
    assert status == 0 and bounded(out)
    namespace: dict = {}
    exec(out, namespace)
    assert math.isclose(namespace["f"](AT), deep_derivative(), rel_tol=1e-12)


def test_small_derivatives_keep_their_plain_forms(capsys):
    assert run_main(capsys, "x**3", "--format", "json")[1].startswith('{"op"')
    status, out, _ = run_main(capsys, "x**3", "--format", "json")
    assert status == 0 and from_json(out) is parse("3*x**2")
    assert run_main(capsys, "x**3", "--format", "latex")[1] == "3 x^{2}\n"
