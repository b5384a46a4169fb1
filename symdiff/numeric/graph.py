"""Pictures of the computation graph: Graphviz DOT text, and SVG/PNG through the ``dot`` program.

One DOT node per DAG node, so a shared subexpression is drawn once with several out-edges.
Inputs are ellipses, operations boxes, the output a bold double box; edges run from arguments
to the operation that uses them.  At a point every node shows its value, and every node the
output depends on through the inputs shows its adjoint ``d output / d node``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from symdiff.core.errors import SymdiffError
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import postorder
from symdiff.numeric.ad import Point, as_point, reverse_sweep
from symdiff.numeric.evaluation import short_text
from symdiff.numeric.wengert import format_number

#: Output formats rendered by Graphviz (``dot -T<format>``); ``.dot`` is written directly.
RENDERED = ("svg", "png", "pdf")

#: Names of the arguments of operations whose argument order matters, for edge labels.
_ARGUMENT_NAMES: dict[str, tuple[str, ...]] = {"pow": ("base", "exponent"), "atan2": ("y", "x")}


def _operator(node: Expr) -> str:
    match node:
        case Sym(name):
            return name
        case Num():
            return str(node)
        case Add():
            return "+"
        case Mul():
            return "*"
        case Pow():
            return "pow"
        case Call(name):
            return name
    raise TypeError(f"no graph label for {type(node).__name__}")


def _quote(lines: list[str]) -> str:
    """A DOT string literal of ``lines`` joined by DOT's ``\\n`` line breaks."""
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"' + "\\n".join(escaped) + '"'


def to_dot(f: Any, point: Point | None = None, digits: int = 6) -> str:
    """The computation graph of ``f`` as DOT text, labelled with values and adjoints at ``point``.

    Adjoints are with respect to every variable named in ``point``.
    """
    from symdiff.formats.parser import parse_any

    root = parse_any(f)
    order = postorder(root)
    values: dict[Expr, float] = {}
    adjoints: dict[Expr, float] = {}
    if point is not None:
        sweep = reverse_sweep(root, as_point(point))
        values, adjoints = sweep.values, sweep.adjoints
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    # printing a huge formula only to cut it would cost more than the whole graph
    title = f"f = {short_text(root, 100)}" if len(order) <= 200 else f"f ({len(order)} nodes)"
    if point is not None:
        title += " at " + ", ".join(f"{k}={format_number(v)}" for k, v in as_point(point).items())
    lines = [
        "digraph computation {",
        "  rankdir=LR;",
        f'  label={_quote([title])}; labelloc=t; fontname="Helvetica"; fontsize=12;',
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    ]
    for node in order:
        label = [_operator(node)]
        if node in values and not isinstance(node, Num):
            label.append(f"= {format_number(values[node], digits)}")
        if node in adjoints:
            label.append(f"adj {format_number(adjoints[node], digits)}")
        match node:
            case Sym():
                style = 'shape=ellipse, style=filled, fillcolor="#d8ecff"'
            case Num():
                style = 'shape=plaintext, fontcolor="#555555"'
            case _:
                style = 'shape=box, style="rounded,filled", fillcolor="#f4f4f4"'
        if node is root:
            style = 'shape=box, peripheries=2, style="bold,filled", fillcolor="#ffe9c7"'
        lines.append(f"  {ids[node]} [label={_quote(label)}, {style}];")
    for node in order:
        names = _ARGUMENT_NAMES.get(_operator(node), ())
        for i, argument in enumerate(node.args):
            attributes = f" [label={_quote([names[i]])}]" if i < len(names) else ""
            lines.append(f"  {ids[argument]} -> {ids[node]}{attributes};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_graph(f: Any, path: str | Path, point: Point | None = None) -> Path:
    """Write the graph of ``f`` to ``path``: ``.dot`` text, or ``.svg``/``.png``/``.pdf``.

    Rendering runs Graphviz's ``dot`` program; a ``SymdiffError`` says so when it is missing.
    """
    import subprocess

    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("dot", "gv", *RENDERED):
        raise SymdiffError(
            f"cannot draw a graph as {path.name!r}: use a .dot, .svg, .png or .pdf file name"
        )
    text = to_dot(f, point)
    if suffix in ("dot", "gv"):
        path.write_text(text, encoding="utf-8")
        return path
    program = shutil.which("dot")
    if program is None:
        raise SymdiffError(
            f"drawing {path.name} needs Graphviz's 'dot' program, which is not installed "
            "(install the graphviz package, or write a .dot file instead)"
        )
    result = subprocess.run(
        [program, f"-T{suffix}", "-o", str(path)],
        input=text.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise SymdiffError(f"Graphviz 'dot' failed to draw {path.name}: {message}")
    return path
