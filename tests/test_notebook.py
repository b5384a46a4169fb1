"""The notebook in examples/ runs, and its results display as LaTeX with formula reprs."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "displays.ipynb"


def test_notebook_runs_and_displays_latex(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat", reason="nbformat is in the test extra")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is in the test extra")
    pytest.importorskip("ipykernel", reason="ipykernel is in the test extra")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        notebook, timeout=120, resources={"metadata": {"path": tmp_path}}
    ).execute()
    results = [
        output["data"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "execute_result"
    ]
    assert len(results) == 6  # f, df, the gradient, the Hessian, the Jacobian, the derivation
    for data in results:
        assert "text/latex" in data, data
        assert "Add(" not in data["text/plain"] and "Sym(" not in data["text/plain"]
    assert r"\begin{pmatrix}" in results[3]["text/latex"]  # the Hessian is a matrix
    assert results[0]["text/plain"] == "parse('x**2*exp(-x)*sin(x)')"
