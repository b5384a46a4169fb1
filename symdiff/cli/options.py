"""What to differentiate: ``--wrt``, ``--order``, ``--no-simplify``, read alike by every mode,
and the derivative they ask for (the derivative mode prints it, ``--emit`` compiles it)."""

from __future__ import annotations

import warnings

import symdiff
from symdiff import Expr, FormulaWarning, SymdiffError

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from symdiff.cli.flags import Arguments


def warn_absent(names: list[str], *exprs: Expr) -> None:
    """A warning for each ``--wrt`` name that is not a variable of the formula (a typo like
    ``--wrt X`` for ``x`` would otherwise print a silent 0), naming the formula's variables."""
    present = list(dict.fromkeys(s.name for e in exprs for s in e.free_symbols))
    for name in dict.fromkeys(names):
        if name not in present:
            variables = (
                f"the formula's variables: {', '.join(present)}" if present else "it has none"
            )
            warnings.warn(
                FormulaWarning(
                    f"{name} does not occur in the formula, so its derivative by {name} is 0 "
                    f"({variables})"
                ),
                stacklevel=2,
            )


def read_formula(args: Arguments, formula: str) -> Expr:
    """The formula parsed with the unknown functions of ``--functions``."""
    return symdiff.parse(formula, functions=getattr(args, "functions", None))


def variables_of(args: Arguments, expr: Expr) -> list[str]:
    """The ``--wrt`` names, or the single free variable; a clear error otherwise."""
    if args.wrt:
        warn_absent(list(args.wrt), expr)
        return list(args.wrt)
    free = [s.name for s in expr.free_symbols]
    if len(free) > 1:
        raise SymdiffError(
            f"the formula has several variables ({', '.join(free)}): choose one with --wrt"
        )
    return free


def derivative(args: Arguments, expr: Expr, goal: str = "readable") -> Expr:
    """The derivative ``--wrt`` / ``--order`` / ``--no-simplify`` ask for (order 0: ``expr``),
    simplified for ``goal``: ``readable`` to print, ``compact`` to compile."""
    if args.order < 0:
        raise SymdiffError("--order must be 0 or more")
    names = variables_of(args, expr)
    # "auto": the API's default, so the derivative printed is what symdiff.diff returns
    simplify: bool | str = ("auto" if goal == "readable" else goal) if args.simplify else False
    if not names:  # a constant: its derivatives with respect to anything are 0
        return symdiff.diff(expr, ("x", args.order), simplify=simplify) if args.order else expr
    return symdiff.diff(expr, *((name, args.order) for name in names), simplify=simplify)
