"""One entry point for every output format: ``format_expr(expr, "latex")``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from symdiff.core.nodes import Expr
from symdiff.formats.jsonio import to_json
from symdiff.formats.latex import to_latex
from symdiff.formats.text import to_str
from symdiff.formats.treeview import to_tree

#: Output formats by name: ``text`` (Python/SymPy syntax), ``latex``, ``json`` and ``tree``.
FORMATS: dict[str, Callable[[Expr], str]] = {
    "text": to_str,
    "latex": to_latex,
    "json": to_json,
    "tree": to_tree,
}


def format_expr(expr: Expr, fmt: str = "text", functions: Any = None) -> str:
    """``expr`` written in the format named ``fmt`` (one of ``FORMATS``); the text format
    writes the unknown ``functions`` its reader declares as ``f(x)``, ``f'(x)`` (``to_str``)."""
    if fmt == "text" and functions:
        return to_str(expr, functions)
    try:
        writer = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}") from None
    return writer(expr)
