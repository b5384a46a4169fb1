"""Gradients, Jacobians and Hessians as tables, written as one JSON document or as LaTeX.

``table(args, formula)`` computes the rows (a gradient is one row; a Hessian is the full
symmetric matrix); ``as_json`` writes ``{"kind", "variables", "rows"}`` with each entry a tree
in the ``to_json`` schema, ``as_latex`` a ``\\frac{\\partial f}{\\partial x}`` list (gradient)
or a ``pmatrix`` (Jacobian, Hessian).  The point, emit and derivative modes share it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple  # (imported by the matrix modes only: start-up)

import symdiff
from symdiff import Expr, Sym
from symdiff.cli.options import read_formula

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from symdiff.cli.flags import Arguments


class Table(NamedTuple):
    """What a matrix mode computed: ``kind`` is gradient, jacobian or hessian."""

    kind: str
    functions: list[str]  # the formulas differentiated (one, or the Jacobian's rows)
    variables: list[str]
    rows: list[list[Any]]  # expressions, or floats: the values at a point (``--at``)


def table(args: Arguments, formula: str) -> Table:
    """The rows that ``--grad``, ``--jacobian`` or ``--hessian`` ask for."""
    variables = " ".join(args.wrt) if args.wrt else None
    if args.jacobian:
        vectors = symdiff.jacobian(formula, variables)
        names = [v.name for v in vectors[0].variables] if vectors else []
        functions = [part.strip() for part in symdiff.split_formulas(formula)]
        return Table("jacobian", functions, names, [list(r) for r in vectors])
    expr = read_formula(args, formula)
    if args.hessian:
        matrix = symdiff.hessian(expr, variables)
        names = [v.name for v in matrix[0].variables] if matrix else []
        return Table("hessian", [formula], names, [list(r) for r in matrix])
    vector = symdiff.gradient(expr, variables)
    return Table("gradient", [formula], [v.name for v in vector.variables], [list(vector)])


def _json_entry(entry: Expr | float, shown: Callable[[Expr], Expr]) -> str:
    import json  # (only the JSON output needs it: start-up)

    return json.dumps(entry) if isinstance(entry, float) else symdiff.to_json(shown(entry))


def _latex_entry(entry: Expr | float, shown: Callable[[Expr], Expr]) -> str:
    return symdiff.to_latex(symdiff.Num(entry) if isinstance(entry, float) else shown(entry))


def as_json(found: Table, shown: Callable[[Expr], Expr]) -> str:
    """One JSON document: ``{"kind": ..., "variables": [...], "rows": [[tree, ...], ...]}``
    (at a point, the entries are numbers)."""
    import json  # (only the JSON output needs it: start-up)

    rows = ",\n".join(
        "  [" + ", ".join(_json_entry(entry, shown) for entry in row) + "]" for row in found.rows
    )
    head = json.dumps({"kind": found.kind, "functions": found.functions,
                       "variables": found.variables})[:-1]  # fmt: skip
    return f'{head}, "rows": [\n{rows}\n]}}'


def _variable(name: str) -> str:
    return symdiff.to_latex(Sym(name))


def as_latex(found: Table, shown: Callable[[Expr], Expr]) -> str:
    r"""``\frac{\partial f}{\partial x} &= ...`` rows (gradient) or ``... = \begin{pmatrix}``."""
    if found.kind == "gradient":
        lines = [
            rf"\frac{{\partial f}}{{\partial {_variable(v)}}} &= {_latex_entry(e, shown)}"
            for v, e in zip(found.variables, found.rows[0], strict=True)
        ]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"
    body = " \\\\\n".join(
        " & ".join(_latex_entry(entry, shown) for entry in row) for row in found.rows
    )
    variables = ", ".join(_variable(v) for v in found.variables)
    if found.kind == "jacobian":
        functions = ", ".join(f"f_{{{k}}}" for k in range(1, len(found.rows) + 1))
        label = rf"\frac{{\partial ({functions})}}{{\partial ({variables})}}"
    else:
        label = rf"\frac{{\partial^{{2}} f}}{{\partial ({variables})^{{2}}}}"
    return f"{label} = \\begin{{pmatrix}}\n{body}\n\\end{{pmatrix}}"


def values_at(found: Table, point: dict[str, float]) -> Table:
    """The same table with each entry's value at ``point`` (floats)."""
    rows = [[symdiff.evaluate(entry, point) for entry in row] for row in found.rows]
    return found._replace(rows=rows)
