"""How results are written: ``--format``, ``--cse``, colour, and the CSE form of shared results.

``--format text|latex|json|tree`` is read by every mode that prints an expression (through
``symdiff.format_expr``).  Colour is used only when the output is a terminal and ``NO_COLOR`` is
not set.  Large results that share much of their DAG print in CSE form (``t0 = ...`` lines).
"""

from __future__ import annotations

import os

import symdiff
from symdiff import Expr, SymdiffError, dag_size, tree_size

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO


#: Below this many printed nodes the plain form is always readable enough.
SMALL_OUTPUT = 60
#: Formats that write each shared node once by themselves (JSON references, the tree's ``[k]``
#: marks): never a huge tree, so they need no CSE form.
SHARING_FORMATS = ("json", "tree")


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal; never with ``NO_COLOR`` set (no-color.org) or ``TERM=dumb``."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def use_cse(entries: list[Expr], mode: str = "auto", fmt: str = "text") -> bool:
    """Whether to print the CSE form: forced, or the trees repeat much of a large DAG."""
    if fmt in SHARING_FORMATS:
        if mode == "always":
            raise SymdiffError(
                f"--cse names shared parts in text and latex output; --format {fmt} already "
                "writes each shared part once"
            )
        return False
    if mode != "auto":
        return mode == "always"
    printed = sum(tree_size(e) for e in entries)
    return printed > SMALL_OUTPUT and printed >= 2 * dag_size(*entries)


def shared_form(entries: list[Expr], labels: list[str], fmt: str = "text") -> str:
    """The CSE form (``t0 = ...`` lines, then ``label = ...``) as text or LaTeX."""
    return cse_latex(entries, labels) if fmt == "latex" else symdiff.cse_text(entries, labels)


def cse_latex(exprs: list[Expr], labels: list[str]) -> str:
    r"""The CSE form as a LaTeX ``aligned`` block: ``\mathrm{t0} &= …`` rows, then the labels."""
    bindings, reduced = symdiff.cse(exprs)
    rows = [f"{symdiff.to_latex(name)} &= {symdiff.to_latex(value)}" for name, value in bindings]
    rows += [
        rf"\text{{{label}}} &= {symdiff.to_latex(value)}"
        for label, value in zip(labels, reduced, strict=True)
    ]
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
