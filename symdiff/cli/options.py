"""Option readers shared by the modes of the command (each mode imports these, not each other)."""

from __future__ import annotations

import argparse

import symdiff
from symdiff import Expr, SymdiffError, cse_text, dag_size, tree_size

#: Below this many printed nodes the plain form is always readable enough.
SMALL_OUTPUT = 60


def variables_of(args: argparse.Namespace, expr: Expr) -> list[str]:
    """The ``--wrt`` names, or the single free variable; a clear error otherwise."""
    if args.wrt:
        return args.wrt
    free = [s.name for s in expr.free_symbols]
    if len(free) > 1:
        raise SymdiffError(
            f"the formula has several variables ({', '.join(free)}): choose one with --wrt"
        )
    return free


#: Formats that write each shared node once by themselves (JSON references, the tree's ``[k]``
#: marks): never a huge tree, so they need no CSE form.
SHARING_FORMATS = ("json", "tree")


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
    return cse_latex(entries, labels) if fmt == "latex" else cse_text(entries, labels)


def cse_latex(exprs: list[Expr], labels: list[str]) -> str:
    r"""The CSE form as a LaTeX ``aligned`` block: ``\mathrm{t0} &= …`` rows, then the labels."""
    bindings, reduced = symdiff.cse(exprs)
    rows = [f"{symdiff.to_latex(name)} &= {symdiff.to_latex(value)}" for name, value in bindings]
    rows += [
        rf"\text{{{label}}} &= {symdiff.to_latex(value)}"
        for label, value in zip(labels, reduced, strict=True)
    ]
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
