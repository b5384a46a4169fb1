"""DOT output of the computation graph: structure, labels, and rendering by Graphviz."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import symdiff.numeric.graph
from symdiff import Sym, SymdiffError, dag_size, parse, sin, to_dot, write_graph

LOG_EXAMPLE = "log(x) + x*y - sin(y)"
HAS_DOT = shutil.which("dot") is not None
NEEDS_DOT = pytest.mark.skipif(not HAS_DOT, reason="Graphviz's 'dot' program is not installed")

NODE = re.compile(r'^\s*(n\d+) \[label="((?:[^"\\]|\\.)*)"', re.MULTILINE)
EDGE = re.compile(r"^\s*(n\d+) -> (n\d+)", re.MULTILINE)


def nodes_of(text: str) -> dict[str, list[str]]:
    """DOT node id -> the lines of its label."""
    return {node: label.split("\\n") for node, label in NODE.findall(text)}


def test_log_example_structure_and_labels() -> None:
    f = parse(LOG_EXAMPLE)
    text = to_dot(f, {"x": 2, "y": 5})
    nodes = nodes_of(text)
    assert len(nodes) == dag_size(f) == 8
    labels = {lines[0]: lines[1:] for lines in nodes.values() if lines[0] != "*"}
    assert labels["x"] == ["= 2", "adj 5.5"]
    assert labels["y"] == ["= 5", "adj 1.71634"]  # 2 - cos(5)
    assert labels["log"] == ["= 0.693147", "adj 1"]
    assert labels["sin"] == ["= -0.958924", "adj -1"]
    assert labels["+"] == ["= 11.6521", "adj 1"]  # log(2) + 10 - sin(5)
    edges = EDGE.findall(text)
    assert len(edges) == sum(len(node.args) for node in symdiff.postorder(f))
    assert "f = x*y + log(x) - sin(y) at x=2, y=5" in text


def test_shared_subexpressions_are_drawn_once() -> None:
    f = parse("exp(x*y) + sin(x*y) + log(x*y)")
    text = to_dot(f)
    nodes = nodes_of(text)
    assert len(nodes) == dag_size(f)
    product = [node for node, lines in nodes.items() if lines == ["*"]]
    out_edges = {node: sum(1 for a, _ in EDGE.findall(text) if a == node) for node in product}
    assert max(out_edges.values()) >= 3  # x*y feeds exp, sin and log
    assert "adj" not in text and "= " not in text.replace("f = ", "")


def test_power_edges_name_base_and_exponent() -> None:
    text = to_dot("x**y")
    assert '[label="base"]' in text and '[label="exponent"]' in text


def test_write_dot_file(tmp_path: Path) -> None:
    path = write_graph(LOG_EXAMPLE, tmp_path / "g.dot", {"x": 2, "y": 5})
    assert path.read_text() == to_dot(LOG_EXAMPLE, {"x": 2, "y": 5})


@NEEDS_DOT
def test_dot_accepts_the_output(tmp_path: Path) -> None:
    text = to_dot(LOG_EXAMPLE, {"x": 2, "y": 5})
    result = subprocess.run(["dot", "-Tplain"], input=text, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    drawn = [line for line in result.stdout.splitlines() if line.startswith("node ")]
    assert len(drawn) == 8


@NEEDS_DOT
@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_rendered_pictures(tmp_path: Path, suffix: str) -> None:
    path = write_graph(LOG_EXAMPLE, tmp_path / f"g.{suffix}", {"x": 2, "y": 5})
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in data
    if suffix == "svg":
        assert b"adj 5.5" in data


def test_missing_dot_program_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(symdiff.numeric.graph.shutil, "which", lambda name: None)
    with pytest.raises(SymdiffError, match="Graphviz's 'dot' program"):
        write_graph("x*y", tmp_path / "g.svg")
    write_graph("x*y", tmp_path / "g.dot")  # DOT text needs no Graphviz


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(SymdiffError, match=r"\.dot, \.svg"):
        write_graph("x", tmp_path / "g.jpeg")


def test_deep_graph() -> None:
    f = Sym("x")
    for _ in range(10_000):
        f = sin(f)
    nodes = nodes_of(to_dot(f, {"x": 0.5}))
    assert len(nodes) == 10_001
    assert nodes["n10000"][0] == "sin" and nodes["n0"][0] == "x"
