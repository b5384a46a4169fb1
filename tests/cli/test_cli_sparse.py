"""``--jacobian/--hessian --sparse``: the pattern and the nonzeros, and ``--emit`` of them."""

from __future__ import annotations

import math
import shutil
import subprocess

import pytest

from symdiff import evaluate, jacobian
from symdiff.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_sparse_jacobian_prints_pattern_and_nonzeros(capsys) -> None:
    status, out, _ = _run(capsys, "x*y, sin(z), x + z", "--jacobian", "--sparse")
    assert status == 0
    assert out.splitlines() == [
        "Jacobian 3x3, 5 nonzeros, columns ['x', 'y', 'z']",
        "  **.",
        "  ..*",
        "  *.*",
        "df1/dx = y",
        "df1/dy = x",
        "df2/dz = cos(z)",
        "df3/dx = 1",
        "df3/dz = 1",
    ]


def test_sparse_hessian_prints_each_distinct_nonzero_once(capsys) -> None:
    status, out, _ = _run(capsys, "x**2*y + sin(z)*y", "--hessian", "--sparse")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "Hessian (upper triangle stored) 3x3, 6 nonzeros, columns ['x', 'y', 'z']"
    assert lines[4:] == ["d2/dx2 = 2*y", "d2/dxdy = 2*x", "d2/dydz = cos(z)", "d2/dz2 = -y*sin(z)"]


def test_sparse_respects_wrt(capsys) -> None:
    status, out, _ = _run(capsys, "x*y*k", "--hessian", "--sparse", "--wrt", "x", "--wrt", "y")
    assert status == 0 and out.splitlines()[-1] == "d2/dxdy = k"


def test_sparse_without_a_matrix_mode_is_a_clear_error(capsys) -> None:
    status, _, err = _run(capsys, "x*y", "--grad", "--sparse")
    assert status == 2 and "--sparse goes with --jacobian or --hessian" in err


def test_emit_python_fills_the_csc_data_array(capsys) -> None:
    status, out, _ = _run(capsys, "x*y, sin(z), x + z", "--jacobian", "--sparse", "--emit",
                          "python", "--name", "jac")  # fmt: skip
    assert status == 0
    assert "# indices (row of each entry): [0, 2, 0, 1, 2]" in out
    assert "# indptr (column pointers): [0, 2, 3, 5]" in out
    namespace: dict = {}
    exec(out, namespace)
    point = {"x": 0.3, "y": -1.2, "z": 0.7}
    data = namespace["jac"](**point)
    J = jacobian("x*y, sin(z), x + z", "x y z")
    expected = [J[0][0], J[2][0], J[0][1], J[1][2], J[2][2]]
    assert all(math.isclose(d, evaluate(e, point)) for d, e in zip(data, expected, strict=True))


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_emit_c_of_a_sparse_hessian_compiles(capsys, tmp_path) -> None:
    status, out, _ = _run(capsys, "x**2*y + sin(z)*y", "--hessian", "--sparse", "--emit", "c",
                          "--name", "hess")  # fmt: skip
    assert status == 0 and "// indptr (column pointers): [0, 2, 4, 6]" in out
    source = tmp_path / "hess.c"
    source.write_text(out)
    subprocess.run(["cc", "-c", str(source), "-o", str(tmp_path / "hess.o")], check=True)
    assert (tmp_path / "hess.o").stat().st_size > 0
