"""The implicit mode: ``symdiff "x**2 + y**2 = 25" --implicit y --wrt x`` prints ``-x/y``.

``--order N`` gives the N-th derivative, ``--steps`` the derivation (``F``, its partials, and
each order), ``--format`` writes the expressions as every other mode does.
"""

from __future__ import annotations

import symdiff
from symdiff import SymdiffError

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from symdiff.cli.flags import Arguments


def run(args: Arguments, formula: str) -> str:
    if args.implicit is None:
        raise SymdiffError("--use-relation goes with --implicit Y")
    if not args.wrt or len(args.wrt) != 1:
        raise SymdiffError("--implicit needs the one variable the function depends on: --wrt x")
    steps = symdiff.implicit_steps(
        formula, args.implicit, args.wrt[0], args.order, functions=args.functions,
        use_relation=args.use_relation,
    )  # fmt: skip
    if not args.steps:
        return symdiff.format_expr(steps[-1].expr, args.format, args.functions)
    lines = [f"{i}. {step.label}:  {symdiff.format_expr(step.expr, args.format, args.functions)}"
             for i, step in enumerate(steps, 1)]  # fmt: skip
    return "\n".join(
        [*lines, f"result: {symdiff.format_expr(steps[-1].expr, args.format, args.functions)}"]
    )
