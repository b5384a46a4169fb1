"""Code emission: ``--emit python|numpy|c`` prints the source of a function computing the
derivative (or, with ``--grad``, the value and the gradient together), arguments in name order.
"""

from __future__ import annotations

import argparse

import symdiff
from symdiff import Expr, SymdiffError, diff, parse
from symdiff.cli.options import variables_of

TARGETS = ("python", "numpy", "c")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("code generation")
    group.add_argument(
        "--emit", choices=TARGETS, metavar="TARGET",
        help="print a python, numpy or c function computing the derivative (with --grad: the "
        "value and the gradient together)",
    )  # fmt: skip
    group.add_argument(
        "--name", default="f", metavar="NAME",
        help="name of the emitted function (default f; reserved words get a trailing _)",
    )  # fmt: skip


def wants(args: argparse.Namespace) -> bool:
    return args.emit is not None


def run(args: argparse.Namespace, formula: str) -> str:
    expr = parse(formula)
    wrt = list(args.wrt or [])
    names = [s.name for s in expr.free_symbols]
    arguments = names + [name for name in dict.fromkeys(wrt) if name not in names]
    roots: Expr | list[Expr]
    if getattr(args, "grad", False):
        roots = [expr, *symdiff.gradient(expr, wrt or names)]
    else:
        order = getattr(args, "order", 1)
        if order < 0:
            raise SymdiffError("--order must be 0 or more")
        variables = variables_of(args, expr)
        tidy = getattr(args, "simplify", True)
        roots = diff(expr, *((v, order) for v in variables), simplify=tidy) if variables else expr
        roots = expr if order == 0 else roots
    return symdiff.codegen(roots, arguments, target=args.emit, name=args.name).rstrip("\n")
