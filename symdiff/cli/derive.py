"""The default mode: print the derivative of a formula."""

from __future__ import annotations

import argparse

import symdiff
from symdiff import SymdiffError, diff, parse
from symdiff.cli.options import shared_form, use_cse, variables_of


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
    if use_cse([result], getattr(args, "cse", "auto"), fmt):
        return shared_form([result], ["result"], fmt)  # a shared DAG: name repeated parts once
    return symdiff.format_expr(result, fmt)
