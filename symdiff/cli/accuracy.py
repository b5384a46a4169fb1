"""The accuracy mode: ``symdiff "log(1+exp(x))" --accuracy`` measures the generated code.

A thin shell over ``symdiff.compare_accuracy`` / ``symdiff.error_report``: the value and every
gradient entry, compiled for ``--target``, are evaluated at ``--points`` random points of
``--domain`` and compared with mpmath; one table row per output and kind of code (the stable
code, the default of ``compile``, and the literal code), or with ``--format json`` the reports.
"""

from __future__ import annotations

import symdiff
from symdiff import SymdiffError
from symdiff.cli.flags import DEFAULT_POINTS, group_flags
from symdiff.cli.options import read_formula

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from symdiff.cli.flags import Arguments


def clash(args: Arguments) -> str | None:
    """The option that means nothing with ``--accuracy`` (it measures the value and the whole
    gradient of one formula as text or JSON), or None."""
    if not args.accuracy:
        return None
    given = {
        "--implicit": args.implicit, "--check": args.check, "--emit": args.emit,
        "--at": args.at is not None, "--method": args.method, "--trace": args.trace,
        "--graph": args.graph, "--steps": args.steps, "--jacobian": args.jacobian,
        "--hessian": args.hessian, "--wrt": args.wrt, "--order": (args.order or 1) != 1,
        f"--format {args.format}": args.format in ("latex", "tree"),
    }  # fmt: skip
    return next((option for option, value in given.items() if value), None)


def run(args: Arguments, formula: str) -> str:
    if not args.accuracy:
        given = [
            flag for flag in group_flags("accuracy")[1:] if getattr(args, flag[2:]) is not None
        ]
        verb = "goes" if len(given) == 1 else "go"
        raise SymdiffError(f"{' and '.join(given)} {verb} with --accuracy: add it")
    expr = read_formula(args, formula)
    settings: dict[str, Any] = {
        "target": args.target or "numpy",
        "points": DEFAULT_POINTS if args.points is None else args.points,
        "seed": args.seed or 0,
    }
    code = args.code or "both"
    if code == "both":
        result = symdiff.compare_accuracy(expr, args.domain, **settings)
    else:
        report = symdiff.error_report(expr, args.domain, stable=code == "stable", **settings)
        result = symdiff.AccuracyComparison([report])
    if args.format == "json":
        import json  # (only this path needs it: start-up)

        return json.dumps(result.to_dict(), indent=2, allow_nan=False)
    return str(result)
