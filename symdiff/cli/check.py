"""The check mode: ``symdiff "x**2*sin(x)" --check "2*x*sin(x) + x**2*cos(x)"``.

Prints the verdict (correct / incorrect / undecided) with its reason and any caveats, or with
``--format json`` the whole result; the exit status is 0 whatever the verdict.
"""

from __future__ import annotations

import symdiff

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from symdiff.cli.flags import Arguments


def run(args: Arguments, formula: str) -> str:
    result = symdiff.check(
        formula, args.check, args.wrt, order=args.order, functions=args.functions
    )
    if args.format == "json":
        import json  # (only this path needs it: start-up)

        return json.dumps(result.to_dict(), indent=2)
    return result.text()
