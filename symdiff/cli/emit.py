"""Code emission: ``--emit python|numpy|c`` prints the source of a function computing the
derivative (or, with ``--grad``, the value and the gradient together; with ``--jacobian`` or
``--hessian``, the matrix as a 2-D array), arguments in name order.
"""

from __future__ import annotations

import symdiff
from symdiff import Expr
from symdiff.cli import sparse
from symdiff.cli.options import derivative, read_formula

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from symdiff.cli.flags import Arguments


def run(args: Arguments, formula: str) -> str:
    if args.sparse:  # --jacobian/--hessian --sparse: code filling a CSC data array
        return sparse.emit(args, formula)
    if args.jacobian or args.hessian:  # a function returning the matrix as a 2-D array
        from symdiff.cli import tables  # (only the matrix modes need it: start-up)

        found = tables.table(args, formula)
        rows = [[symdiff.simplify(e, goal="compact") for e in row] for row in found.rows]
        source = symdiff.codegen(rows, found.variables, target=args.emit, name=args.name)
        return source.rstrip("\n")
    expr = read_formula(args, formula)
    wrt = list(args.wrt or [])
    names = [s.name for s in expr.free_symbols]
    arguments = names + [name for name in dict.fromkeys(wrt) if name not in names]
    # with --grad: the value and the gradient, sharing their work in one function
    roots: Expr | list[Expr] = (
        [expr, *symdiff.gradient(expr, wrt or names)]
        if args.grad
        else derivative(args, expr, goal="compact")
    )
    return symdiff.codegen(roots, arguments, target=args.emit, name=args.name).rstrip("\n")
