"""The default mode: print the derivative of a formula (in CSE form when it is large and shared)."""

from __future__ import annotations

import symdiff
from symdiff.cli.options import derivative, read_formula
from symdiff.cli.render import shared_form, use_cse

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from symdiff.cli.flags import Arguments


def run(args: Arguments, formula: str) -> str:
    result = derivative(args, read_formula(args, formula))
    if use_cse([result], args.cse, args.format):
        return shared_form([result], ["result"], args.format)  # name repeated parts once
    if args.format == "text":  # (the text writer alone: the others load only when asked for)
        return symdiff.to_str(result, args.functions)
    return symdiff.format_expr(result, args.format, args.functions)
