"""The check mode: ``symdiff "x**2*sin(x)" --check "2*x*sin(x) + x**2*cos(x)"``.

Prints the verdict (correct / incorrect / undecided) with its reason and any caveats, or with
``--format json`` the whole result; the exit status is 0 whatever the verdict.
"""

from __future__ import annotations

import argparse

import symdiff

TITLE = "check an answer"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(TITLE)
    group.add_argument(
        "--check", metavar="ANSWER",
        help="say whether ANSWER is the derivative (--wrt, --order) of the formula, with a proof "
        "or a counterexample point",
    )  # fmt: skip


def run(args: argparse.Namespace, formula: str) -> str:
    result = symdiff.check(
        formula, args.check, args.wrt, order=args.order, functions=args.functions
    )
    if args.format == "json":
        import json  # (only this path needs it: start-up)

        return json.dumps(result.to_dict(), indent=2)
    return result.text()
