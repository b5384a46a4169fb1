"""Gradient, Hessian and Jacobian modes: one derivative per line, or the CSE form when shared.

``symdiff "x*y + sin(x)" --grad`` prints ``d/dx = y + cos(x)`` and ``d/dy = x``.  When the
entries share so much that writing them out as trees would repeat work (tree size at least twice
the DAG size), the output names the shared subexpressions once: ``t0 = ...`` lines first (in
LaTeX an ``aligned`` block); JSON and the tree picture write shared nodes once by themselves.
Entries are simplified for display by the size rule of the derivative mode and ``symdiff.diff``
(``symdiff.SIMPLIFY_LIMIT``; ``--no-simplify``: raw).
"""

from __future__ import annotations

from collections.abc import Callable

import symdiff
from symdiff import Expr, SymdiffError, tree_size
from symdiff.cli import sparse, steps
from symdiff.cli.options import read_formula, warn_absent
from symdiff.cli.progress import Progress
from symdiff.cli.render import shared_form, use_cse

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from symdiff.cli.flags import Arguments


def _wanted_variables(args: Arguments) -> str | None:
    return " ".join(args.wrt) if args.wrt else None


def _entries(args: Arguments, formula: str) -> tuple[list[str], list[Expr]]:
    """Labels and derivative expressions for the requested mode."""
    variables = _wanted_variables(args)
    if args.wrt:
        parts = symdiff.split_formulas(formula) if args.jacobian else [formula]
        warn_absent(list(args.wrt), *(read_formula(args, part) for part in parts))
    if args.jacobian:
        rows = symdiff.jacobian(formula, variables)
        many = len(rows) > 1
        labels, entries = [], []
        for k, row in enumerate(rows, start=1):
            for v, entry in zip(row.variables, row, strict=True):
                labels.append(f"df{k}/d{v.name}" if many else f"d/d{v.name}")
                entries.append(entry)
        return labels, entries
    if args.hessian:
        matrix = symdiff.hessian(read_formula(args, formula), variables)
        names = [v.name for v in matrix[0].variables] if matrix else []
        labels, entries = [], []
        for i, a in enumerate(names):
            for j in range(i, len(names)):
                b = names[j]
                labels.append(f"d2/d{a}2" if i == j else f"d2/d{a}d{b}")
                entries.append(matrix[i][j])
        return labels, entries
    vector = symdiff.gradient(read_formula(args, formula), variables)
    return [f"d/d{v.name}" for v in vector.variables], list(vector)


def labelled_entries(args: Arguments, formula: str) -> tuple[list[str], list[Expr]]:
    """``(labels, entries)`` as the text output lists them (``d2/dxdy``, ``df1/dx``)."""
    return _entries(args, formula)


def _display(args: Arguments) -> Callable[[Expr], Expr]:
    """How an entry is shown: simplified for display by the size rule of ``symdiff.diff``
    (``symdiff.SIMPLIFY_LIMIT``; ``--no-simplify``: raw)."""

    memo: dict[Expr, Expr] = {}  # entries repeat (a Hessian's two triangles), and modes ask twice

    def shown(entry: Expr) -> Expr:
        if entry not in memo:
            small = args.simplify and tree_size(entry) <= symdiff.SIMPLIFY_LIMIT
            memo[entry] = symdiff.simplify(entry) if small else entry
        return memo[entry]

    return shown


def run(args: Arguments, formula: str) -> str:
    if args.steps:  # --grad --steps: the steps of each component in turn
        return steps.per_variable(args, formula)
    if args.format in ("json", "latex") and not args.sparse:
        from symdiff.cli import tables  # (only these formats need it: start-up)

        found = tables.table(args, formula)
        if not found.variables:
            raise SymdiffError(
                "the formula has no variables to differentiate by (name some with --wrt)"
            )
        display = _display(args)
        if args.format == "json":
            return tables.as_json(found, display)
        displayed = [display(e) for row in found.rows for e in row]
        if not use_cse(displayed, args.cse, args.format):
            return tables.as_latex(found, display)
    head = ""
    if args.sparse:
        head, labels, entries = sparse.entries(args, formula)
        head += "\n"
    else:
        labels, entries = _entries(args, formula)
    if not entries:
        raise SymdiffError(
            "the formula has no variables to differentiate by (name some with --wrt)"
        )
    shown = _display(args)
    with Progress("simplifying entries", total=len(entries)) as progress:
        displayed = []
        for done, entry in enumerate(entries):
            progress.update(done)  # only on a terminal stderr, and only for slow work
            displayed.append(shown(entry))
    # the CSE form of what is displayed: the simplified entries, not the raw ones, which may
    # share a term that simplification removes (exp(-z)*exp(z) in a logistic loss)
    if use_cse(displayed, args.cse, args.format):
        return head + shared_form(displayed, labels, args.format)
    lines = [
        f"{label} = {symdiff.format_expr(entry, args.format, args.functions)}"
        for label, entry in zip(labels, displayed, strict=True)
    ]
    return head + "\n".join(lines)
