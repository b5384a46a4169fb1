"""The default mode: print the derivative of a formula."""

from __future__ import annotations

import argparse

import symdiff
from symdiff import SymdiffError, cse_text, diff, parse

from symdiff.cli.grad import use_cse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("derivative")
    group.add_argument(
        "--wrt", "-w", action="append", metavar="VAR",
        help="differentiate with respect to VAR (repeat for mixed partials; optional when the "
        "formula has one variable)",
    )  # fmt: skip
    group.add_argument(
        "--order", "-n", type=int, default=1, metavar="N",
        help="differentiate N times with respect to each --wrt variable (default 1)",
    )  # fmt: skip
    group.add_argument(
        "--no-simplify", dest="simplify", action="store_false",
        help="print the raw derivative (by default it is simplified)",
    )  # fmt: skip


def wants(args: argparse.Namespace) -> bool:
    return True


def variables_of(args: argparse.Namespace, expr) -> list[str]:
    """The ``--wrt`` names, or the single free variable; a clear error otherwise."""
    if args.wrt:
        return args.wrt
    free = [s.name for s in expr.free_symbols]
    if len(free) > 1:
        raise SymdiffError(
            f"the formula has several variables ({', '.join(free)}): choose one with --wrt"
        )
    return free


def run(args: argparse.Namespace, formula: str) -> str:
    if args.order < 0:
        raise SymdiffError("--order must be 0 or more")
    expr = parse(formula)
    names = variables_of(args, expr)
    fmt = getattr(args, "format", None) or "text"
    tidy = getattr(args, "simplify", True)
    if not names:
        result = diff(expr, ("x", args.order), simplify=tidy) if args.order else expr
    else:
        result = diff(expr, *((name, args.order) for name in names), simplify=tidy)
    if fmt == "text" and use_cse([result], getattr(args, "cse", "auto")):
        return cse_text([result], ["result"])  # a shared DAG: name repeated parts once
    return symdiff.format_expr(result, fmt)
