"""Every mode with every output: ``{--wrt, --grad, --jacobian, --hessian, --at, --steps,
--accuracy}`` by ``{--format text/latex/json/tree, --emit python/numpy/c}``, and ``--accuracy``
with every other mode.

Each cell either works (JSON is one valid document, LaTeX uses ``\\frac{\\partial`` and
``pmatrix``, emitted code runs and returns 2-D arrays for matrices, C compiles) or exits 2 with
a message that names both options.  The expected values come from the formulas by hand.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from symdiff.cli import main

F = "x**2*y"  # gradient (2*x*y, x**2), Hessian [[2*y, 2*x], [2*x, 0]]
J = "x*y, x + y**2"  # Jacobian [[y, x], [1, 2*y]]
MODES = {
    "--wrt": ["--wrt", "x"],
    "--grad": ["--grad"],
    "--jacobian": ["--jacobian"],
    "--hessian": ["--hessian"],
    "--at": ["--at", "x=1,y=2"],
    "--steps": ["--steps", "--wrt", "x"],
    "--accuracy": ["--accuracy", "--points", "5"],
}
OUTPUTS = {f"--format {f}": ["--format", f] for f in ("text", "latex", "json", "tree")} | {
    f"--emit {t}": ["--emit", t] for t in ("python", "numpy", "c")
}
#: The cells refused on purpose (exit 2, the message names both options).
REFUSED = {
    ("--at", "--format tree"), ("--at", "--emit python"), ("--at", "--emit numpy"),
    ("--at", "--emit c"), ("--steps", "--format tree"), ("--steps", "--emit python"),
    ("--steps", "--emit numpy"), ("--steps", "--emit c"), ("--accuracy", "--format latex"),
    ("--accuracy", "--format tree"), ("--accuracy", "--emit python"),
    ("--accuracy", "--emit numpy"), ("--accuracy", "--emit c"),
}  # fmt: skip
#: At x=1, y=2: the expected values of each mode's entries (row by row).
VALUES = {
    "--wrt": [[4.0]],
    "--grad": [[4.0, 1.0]],
    "--jacobian": [[2.0, 1.0], [1.0, 4.0]],
    "--hessian": [[4.0, 2.0], [2.0, 0.0]],
}


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _values(tree: object) -> float:
    """The value at x=1, y=2 of a JSON tree (a tiny evaluator of the schema, for checking)."""
    import symdiff

    return symdiff.evaluate(symdiff.from_json(json.dumps(tree)), {"x": 1.0, "y": 2.0})


def _check_emitted(mode: str, target: str, source: str, tmp_path: Path) -> None:
    if target == "c":
        if shutil.which("cc") is None:
            pytest.skip("no C compiler")
        path = tmp_path / "f.c"
        path.write_text(source)
        subprocess.run(["cc", "-c", "-o", str(tmp_path / "f.o"), str(path)], check=True)
        if mode in ("--jacobian", "--hessian"):
            assert "double[2][2]" in source
        return
    namespace: dict[str, object] = {}
    exec(compile(source, "<emitted>", "exec"), namespace)
    f = namespace["f"]
    got = f(1.0, 2.0)  # type: ignore[operator]
    if mode == "--grad":  # value and gradient together
        assert np.allclose(np.asarray(got, dtype=float), [2.0, 4.0, 1.0])
    elif mode in ("--jacobian", "--hessian"):
        array = np.asarray(got, dtype=float)
        assert array.shape == (2, 2)
        assert np.allclose(array, VALUES[mode])
        if target == "numpy":
            assert f(np.array([1.0, 1.0, 1.0]), 2.0).shape == (2, 2, 3)  # type: ignore[operator]
    else:
        assert np.isclose(float(got), VALUES[mode][0][0])  # type: ignore[arg-type]


def _check_format(mode: str, fmt: str, out: str) -> None:
    if fmt == "json":
        document = json.loads(out)  # one valid document
        if mode in ("--grad", "--jacobian", "--hessian"):
            rows = [[_values(tree) for tree in row] for row in document["rows"]]
            assert rows == VALUES[mode]
        elif mode == "--at":
            assert document["value"] == 2.0 and document["gradient"] == {"x": 4.0, "y": 1.0}
        elif mode == "--steps":
            assert isinstance(document, list) and document
        elif mode == "--accuracy":  # the stable and the literal report, value and gradient
            labels = [[o["label"] for o in r["outputs"]] for r in document["reports"]]
            assert labels == [["f", "df/dx", "df/dy"]] * 2
        else:
            assert _values(document) == 4.0
    elif fmt == "latex":
        if mode in ("--grad", "--at"):
            assert r"\frac{\partial f}{\partial x}" in out
        if mode in ("--jacobian", "--hessian"):
            assert r"\begin{pmatrix}" in out and r"\frac{\partial" in out
        assert "d/dx" not in out and "df1" not in out  # no plain-text labels in LaTeX
    elif fmt == "text":
        assert out.strip()


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("mode", list(MODES))
def test_every_cell_works_or_names_the_combination(
    mode: str, output: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    formula = J if mode == "--jacobian" else F
    status, out, err = _run(capsys, [formula, *MODES[mode], *OUTPUTS[output]])
    if (mode, output) in REFUSED:
        assert status == 2, out
        assert mode in err and output.split()[0] in err, err
        return
    assert status == 0, err
    kind, value = output.split()
    if kind == "--emit":
        _check_emitted(mode, value, out, tmp_path)
    else:
        _check_format(mode, value, out)


@pytest.mark.parametrize("mode", [m for m in MODES if m not in ("--accuracy", "--grad")])
def test_accuracy_with_another_mode_names_both(
    mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    formula = J if mode == "--jacobian" else F
    status, out, err = _run(capsys, [formula, *MODES["--accuracy"], *MODES[mode]])
    assert status == 2, out
    assert "--accuracy" in err and mode in err and len(err.splitlines()) == 1, err


def test_accuracy_with_grad_measures_the_gradient(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, [F, *MODES["--accuracy"], "--grad"])
    assert status == 0, err
    assert "df/dx" in out and "df/dy" in out


def test_matrices_at_a_point(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, [F, "--hessian", "--at", "x=1,y=2"])
    assert status == 0
    assert out.splitlines() == ["d2/dx2 = 4.0", "d2/dxdy = 2.0", "d2/dy2 = 0.0"]
    status, out, _ = _run(capsys, [J, "--jacobian", "--at", "x=1,y=2", "--format", "json"])
    assert status == 0 and json.loads(out)["rows"] == VALUES["--jacobian"]


def test_grad_steps_explains_each_component(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, [F, "--grad", "--steps"])
    assert status == 0
    assert "d/dx x**2*y" in out and "d/dy x**2*y" in out
    status, out, _ = _run(capsys, [F, "--grad", "--steps", "--format", "json"])
    assert status == 0 and set(json.loads(out)) == {"x", "y"}
    status, _, err = _run(capsys, [F, "--hessian", "--steps"])
    assert status == 2 and "--steps" in err and "Hessian" in err


def test_matrix_latex_compiles_with_pdflatex(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    blocks = []
    for argv in ([F, "--grad"], [J, "--jacobian"], [F, "--hessian"], [F, "--at", "x=1,y=2"]):
        status, out, _ = _run(capsys, [*argv, "--format", "latex"])
        assert status == 0
        blocks.append(f"\\[\n{out}\\]")
    status, steps, _ = _run(capsys, [F, "--grad", "--steps", "--format", "latex"])
    assert status == 0
    document = "\n".join([
        r"\documentclass{article}\usepackage{amsmath}\begin{document}", *blocks, steps,
        r"\end{document}",
    ])  # fmt: skip
    (tmp_path / "m.tex").write_text(document)
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "m.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:]
