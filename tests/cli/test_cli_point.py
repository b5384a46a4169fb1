"""The CLI point mode: --at, --method, --trace, --graph."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from symdiff.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_value_and_partials(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "x**2*y + y + 2", "--at", "x=3,y=4")
    assert status == 0
    assert out.splitlines() == ["f = 42", "df/dx = 24", "df/dy = 10"]


@pytest.mark.parametrize("method", ["symbolic", "forward", "reverse", "numeric"])
def test_each_method(capsys: pytest.CaptureFixture[str], method: str) -> None:
    status, out, _ = run(capsys, "log(x) + x*y - sin(y)", "--at", "x=2,y=5", "--method", method)
    assert status == 0
    lines = dict(line.split(" = ") for line in out.splitlines())
    assert math.isclose(float(lines["f"]), math.log(2) + 10 - math.sin(5))
    assert math.isclose(float(lines["df/dx"]), 5.5, rel_tol=1e-9)
    assert math.isclose(float(lines["df/dy"]), 2 - math.cos(5), rel_tol=1e-9)


def test_method_all_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "x**2*y + y + 2", "--at", "x=3,y=4", "--method", "all")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split("|")[1:-1] == [
        " method   ",
        " df/dx ",
        " df/dy              ",
        " max rel. error ",
        " cost                          ",
    ]
    rows = {line.split("|")[1].strip(): line.split("|")[2:-1] for line in lines[2:]}
    assert list(rows) == ["symbolic", "forward", "reverse", "numeric"]
    for method, cells in rows.items():
        assert float(cells[0]) == pytest.approx(24, rel=1e-9), method
        assert float(cells[1]) == pytest.approx(10, rel=1e-9), method
    assert rows["reverse"][2].strip() == "0"
    assert "calls of f" in rows["numeric"][3]
    assert float(rows["numeric"][2]) < 1e-8


def test_trace_and_wrt(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "x**2*y + y + 2", "--at", "x=3,y=4", "--trace", "--wrt", "y")
    assert status == 0
    head, table = out.split("\n\n")
    assert head.splitlines() == ["f = 42", "df/dy = 10"]
    assert table.splitlines()[0].split() == [
        "node",
        "operation",
        "value",
        "tangent",
        "d/dy",
        "adjoint",
    ]
    assert len(table.splitlines()) == 1 + 6


def test_graph_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "g.dot"
    status, out, _ = run(capsys, "log(x) + x*y - sin(y)", "--at", "x=2,y=5", "--graph", str(path))
    assert status == 0 and out.rstrip().endswith(f"wrote {path}")
    assert "adj 5.5" in path.read_text()
    status, out, _ = run(capsys, "x*y", "--graph", str(path))  # no point: structure only
    assert status == 0 and out.strip() == f"wrote {path}"
    assert "adj" not in path.read_text()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["x*y", "--at", "x=3"], "no value for y"),
        (["x*y", "--at", "x=3,y"], "name=value pairs"),
        (["x*y", "--at", "x=3,x=4,y=1"], "gives x twice"),
        (["x*y", "--trace"], "--trace needs a point"),
        (["x*y", "--method", "all"], "--method needs a point"),
        (["x*y", "--at", "x=1,y=2", "--wrt", "z"], "--wrt z needs a value"),
        (["log(x)", "--at", "x=-1", "--method", "all"], r"log(x) is undefined"),
        (["x*y", "--graph", "g.txt"], "use a .dot, .svg"),
    ],
)
def test_errors(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert message in err


def test_values_may_be_formulas(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "sin(x) + atan2(y, 1)", "--at", "x=pi/2, y=atan2(0, 1)")
    assert status == 0
    assert out.splitlines()[0] == "f = 1"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's 'dot' is not installed")
def test_installed_command_draws_svg(tmp_path: Path) -> None:
    path = tmp_path / "g.svg"
    command = [sys.executable, "-m", "symdiff", "log(x)+x*y-sin(y)", "--at", "x=2,y=5"]
    result = subprocess.run([*command, "--graph", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "df/dx = 5.5" in result.stdout
    assert b"<svg" in path.read_bytes()


def test_method_all_reports_a_failing_method(capsys: pytest.CaptureFixture[str]) -> None:
    # central differences at 1e-7 step over 0, outside the domain of log; the others work
    status, out, _ = run(capsys, "log(x)", "--at", "x=1e-7", "--method", "all")
    assert status == 0
    rows = {line.split("|")[1].strip(): line for line in out.splitlines()[2:]}
    assert "failed: log(x) is undefined" in rows["numeric"]
    assert "10000000.0" in rows["reverse"]


def test_output_is_the_same_under_two_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        path = tmp_path / f"g{seed}.dot"
        command = [sys.executable, "-m", "symdiff", "log(x)+x*y-sin(y)+exp(x*y)", "--at"]
        command += ["x=2,y=5", "--method", "all", "--trace", "--graph", str(path)]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        outputs.append((result.stdout.replace(str(path), "G"), path.read_text()))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("formula", "point"), [("-x**2", "x=0"), ("-sin(x)*y", "x=0,y=2"), ("x*y", "x=-0.0,y=3")]
)
def test_a_zero_prints_without_a_sign(capsys: pytest.CaptureFixture[str], formula: str,
                                      point: str) -> None:  # fmt: skip
    status, out, _ = run(capsys, formula, "--at", point)
    assert status == 0
    values = [line.split(" = ")[1] for line in out.splitlines() if line.startswith("f = ")]
    assert values == ["0"]
    assert "-0" not in out.replace("-0.", "")
