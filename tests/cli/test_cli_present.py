"""The command's presentation: formats, steps, help, bad flags, colour, progress, interactive."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pexpect
import pytest

from symdiff import from_json, parse
from symdiff.cli import build_parser, main
from symdiff.cli.progress import Progress, Working

SYMDIFF = shutil.which("symdiff")
needs_command = pytest.mark.skipif(SYMDIFF is None, reason="the symdiff command is not installed")


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as stop:  # argparse's exits (--help, usage errors)
        status = int(stop.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_formats_of_a_derivative(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main(capsys, "x**2*y", "--wrt", "y")[1] == "x**2\n"
    assert run_main(capsys, "x/y", "--wrt", "y", "--format", "latex")[1] == "-\\frac{x}{y^{2}}\n"
    status, out, _ = run_main(capsys, "x**2*sin(x)", "--wrt", "x", "--format", "json")
    text = run_main(capsys, "x**2*sin(x)", "--wrt", "x")[1]
    assert status == 0 and from_json(out) is parse(text)
    tree = run_main(capsys, "x**2*y", "--wrt", "x", "-f", "tree")[1]  # 2*x*y
    assert tree.splitlines()[0] == "mul" and "`-- " in tree


def test_steps_text_and_latex(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "x**2*sin(x)/exp(x)", "--steps")
    lines = out.splitlines()
    assert status == 0
    assert lines[0] == "d/dx x**2*sin(x)/exp(x), read as x**2*exp(-x)*sin(x)"
    assert lines[1].startswith("1.   power rule: (x**n)' = n*x**(n - 1)")
    assert any("product rule: (u*v)' = u'*v + u*v'   [uses" in line for line in lines)
    assert lines[-1].startswith("result: ")
    latex = run_main(capsys, "x**2*sin(x)", "--steps", "--format", "latex")[1]
    assert latex.startswith("\\begin{align*}") and latex.rstrip().endswith("\\end{align*}")
    brief = run_main(capsys, "x + 1", "--steps")[1]
    full = run_main(capsys, "x + 1", "--steps=all")[1]
    assert "variable rule" not in brief and "variable rule: x' = 1" in full
    assert "constant rule: c' = 0" in full


def test_steps_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    steps = json.loads(run_main(capsys, "sin(x**2)", "--steps", "-f", "json")[1])
    assert [s["rule"] for s in steps][:2] == ["power", "chain"]
    assert steps[1]["uses"] == [1]


def test_steps_refuse_several_variables(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(capsys, "x*y", "--steps", "--wrt", "x", "--wrt", "y")
    assert status == 2 and "single --wrt" in err


def test_help_reads_like_a_man_page(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "--help")
    assert status == 0
    for option in ("--steps", "--format", "--wrt", "--grad", "--hessian", "--at", "--emit"):
        assert option in out
    epilog = out[out.index("examples:") :]
    wanted = ("--steps", "--format latex", "--grad", "--hessian", "--at", "--emit", "NO_COLOR")
    for option in wanted:
        assert option in epilog, option


def test_bad_flag_gives_one_line_error_and_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(capsys, "x**2", "--frmat", "latex")
    assert status == 2 and out == ""
    first, hint = err.splitlines()
    assert first.startswith("symdiff: error: unrecognized arguments: --frmat")
    assert hint.startswith("hint: did you mean --format?")
    status, _, err = run_main(capsys, "x**2", "--format", "pdf")
    assert status == 2 and len(err.splitlines()) == 2 and "invalid choice" in err


def test_every_option_has_help() -> None:
    for action in build_parser()._actions:
        assert action.help, action.option_strings


@needs_command
def test_piped_output_has_no_colour_and_no_progress() -> None:
    batch = "".join(f"x**{n}*sin(x)\n" for n in range(300))
    for args in (["-", "--wrt", "x"], ["-", "--steps"]):
        result = subprocess.run(
            [SYMDIFF, *args], input=batch, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x1b" not in result.stderr
        assert "\r" not in result.stderr and "formulas done" not in result.stderr
    assert result.stdout.count("result:") == 300
    many = "+".join(f"sin(x{i})*x{i + 1}" for i in range(150))  # a Hessian of 151 variables
    result = subprocess.run([SYMDIFF, many, "--hessian"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "" and "\x1b" not in result.stdout


def _spawn(args: list[str], tmp_path: Path, **env: str) -> pexpect.spawn:
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update(HOME=str(tmp_path), TERM="xterm", **env)
    return pexpect.spawn(SYMDIFF, args, env=environment, encoding="utf-8", timeout=30)


@needs_command
def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    child = _spawn(["x**2*sin(x)", "--steps"], tmp_path)
    output = child.read()
    child.wait()
    assert "\x1b[" in output and "result:" in output
    child = _spawn(["x**2*sin(x)", "--steps"], tmp_path, NO_COLOR="1")
    output = child.read()
    assert "\x1b[" not in output and "result:" in output


@needs_command
def test_interactive_prompt(tmp_path: Path) -> None:
    child = _spawn([], tmp_path)
    child.expect("Ctrl-D to leave")
    child.expect_exact("symdiff> ")
    child.sendline("x**3")
    child.expect_exact("3*x**2")
    child.expect_exact("symdiff> ")
    child.sendline(":wrt y")
    child.expect_exact("d/dy> ")
    child.sendline("x*y**2")
    child.expect_exact("2*x*y")
    child.expect_exact("d/dy> ")
    child.sendline("sin(")
    child.expect("error")
    child.expect_exact("d/dy> ")
    child.sendline(":format latex")
    child.expect_exact("d/dy> ")
    child.sendline("x/y")
    child.expect_exact("-\\frac{x}{y^{2}}")
    child.expect_exact("d/dy> ")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "x*y**2" in (tmp_path / ".symdiff_history").read_text()


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_only_on_a_terminal_and_erases_itself() -> None:
    terminal = FakeTerminal()
    with Progress("hessian entries", total=10, stream=terminal, delay=0) as progress:
        progress.update(3)
    assert terminal.getvalue().startswith("\rhessian entries: 3/10")
    assert terminal.getvalue().endswith("\r\x1b[K")
    pipe = io.StringIO()
    with Progress("hessian entries", total=10, stream=pipe, delay=0) as progress:
        progress.update(3)
    assert pipe.getvalue() == ""


def test_working_line_on_a_terminal_only() -> None:
    terminal = FakeTerminal()
    with Working("symdiff: working", stream=terminal, delay=0):
        for _ in range(500):  # wait (boundedly) for the helper thread's first line
            if terminal.getvalue():
                break
            threading.Event().wait(0.01)
    assert terminal.getvalue().startswith("\rsymdiff: working (")
    assert terminal.getvalue().endswith("\r\x1b[K")
    pipe = io.StringIO()
    with Working("symdiff: working", stream=pipe, delay=0):
        pass
    assert pipe.getvalue() == ""
