"""Option readers shared by the modes of the command (each mode imports these, not each other)."""

from __future__ import annotations

import argparse

from symdiff import Expr, SymdiffError, dag_size, tree_size

#: Below this many printed nodes the plain form is always readable enough.
SMALL_OUTPUT = 60


def variables_of(args: argparse.Namespace, expr: Expr) -> list[str]:
    """The ``--wrt`` names, or the single free variable; a clear error otherwise."""
    if args.wrt:
        return args.wrt
    free = [s.name for s in expr.free_symbols]
    if len(free) > 1:
        raise SymdiffError(
            f"the formula has several variables ({', '.join(free)}): choose one with --wrt"
        )
    return free


def use_cse(entries: list[Expr], mode: str = "auto") -> bool:
    """Whether to print the CSE form: forced, or the trees repeat much of a large DAG."""
    if mode != "auto":
        return mode == "always"
    printed = sum(tree_size(e) for e in entries)
    return printed > SMALL_OUTPUT and printed >= 2 * dag_size(*entries)
