"""``--sparse`` with ``--jacobian`` / ``--hessian``: the pattern, then only the nonzeros.

``symdiff "x*y, sin(z)" --jacobian --sparse`` prints the pattern (a picture of ``*`` and
``.`` up to 60 columns) and one line per nonzero; with ``--emit`` it prints a function that
fills the CSC ``data`` array, after comments giving the shape and the index arrays.
"""

from __future__ import annotations

import symdiff
from symdiff import Expr, SymdiffError

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:  # (a name only: importing it at start-up would load the calculus)
    from symdiff import SparseMatrix
    from symdiff.cli.flags import Arguments

#: The comment marker of each ``--emit`` target.
COMMENT = {"python": "#", "numpy": "#", "c": "//"}


def matrix(args: Arguments, formula: str) -> SparseMatrix:
    """The sparse Jacobian or Hessian that ``--jacobian``/``--hessian`` ask for."""
    variables = " ".join(args.wrt) if args.wrt else None
    if args.jacobian:
        return symdiff.jacobian(formula, variables, sparse=True)
    if args.hessian:
        return symdiff.hessian(formula, variables, sparse=True)
    raise SymdiffError("--sparse goes with --jacobian or --hessian")


def entries(args: Arguments, formula: str) -> tuple[str, list[str], list[Expr]]:
    """The pattern as text, and a label and an expression for each stored nonzero (row by
    row)."""
    found = matrix(args, formula)
    names = [v.name for v in found.variables]
    labels, chosen = [], []
    for r, c, entry in sorted(found, key=lambda item: item[:2]):  # row by row, for reading
        chosen.append(entry)
        if found.symmetric:
            labels.append(f"d2/d{names[r]}2" if r == c else f"d2/d{names[r]}d{names[c]}")
        else:
            labels.append(f"df{r + 1}/d{names[c]}" if found.shape[0] > 1 else f"d/d{names[c]}")
    kind = "Hessian (upper triangle stored)" if found.symmetric else "Jacobian"
    pattern = found.sparsity
    head = f"{kind} {found.shape[0]}x{found.shape[1]}, {pattern.nnz} nonzeros, columns {names}"
    picture = str(pattern) if pattern.shape[1] <= 60 and pattern.shape[0] <= 60 else ""
    text = head + (
        "\n" + "\n".join(f"  {line}" for line in picture.splitlines()) if picture else ""
    )
    return text, labels, chosen


def emit(args: Arguments, formula: str) -> str:
    """Source of a function returning the nonzeros in CSC order, with its index arrays."""
    found = matrix(args, formula)
    rows, _, values = found.full()
    if not values:
        raise SymdiffError("every entry is 0: there is nothing to compute")
    pattern = found.sparsity
    mark = COMMENT[args.emit]
    header = [
        f"{mark} CSC data of a {found.shape[0]}x{found.shape[1]} sparse "
        f"{'Hessian' if found.symmetric else 'Jacobian'} with {len(values)} nonzeros",
        f"{mark} columns: {' '.join(v.name for v in found.variables)}",
        f"{mark} indices (row of each entry): {list(rows)}",
        f"{mark} indptr (column pointers): {pattern.indptr()}",
    ]
    names = sorted({s.name for s in symdiff.free_symbols(*values)} | {
        v.name for v in found.variables
    })  # fmt: skip
    header.append(f"{mark} arguments: {' '.join(names)}")
    source = symdiff.codegen(list(values), names, target=args.emit, name=args.name)
    return "\n".join(header) + "\n" + source.rstrip("\n")
