"""The two readers of the command line made from one option table (``symdiff.cli.flags``): the
fast path, which reads the common command lines without argparse, and the argparse parser.

Wherever the fast path gives arguments they are argparse's; everything else it leaves to
argparse (returns None).  The expected namespaces come from argparse itself.
"""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from symdiff.cli import build_parser
from symdiff.cli.flags import GROUPS, TOP, given_groups, parse_common
from symdiff.cli.usage import formulas_last


def _by_argparse(argv: list[str]) -> dict[str, object]:
    parser = build_parser()
    return vars(parser.parse_args(formulas_last(parser, argv)))


def _one_value(settings: dict[str, object]) -> str:
    """A value that the option accepts."""
    choices = settings.get("choices")
    if choices:
        return str(list(choices)[-1])  # type: ignore[call-overload]
    return "3" if settings.get("type") is int else "y"


def _each_option() -> list[list[str]]:
    """Every flag of the table once (with a value when it takes one)."""
    lines = []
    for _, _, options in GROUPS:
        for flags, settings in options:
            for flag in flags:
                takes_value = settings.get("action", "store") in ("store", "append")
                lines.append([flag, _one_value(settings)] if takes_value else [flag])
    return lines


COMMON = [
    [],
    ["x**2*y+y+2"],
    ["x**2*y+y+2", "--wrt", "x"],
    ["--wrt", "x", "x**2*y+y+2"],
    ["x**2*y**3", "--wrt", "x", "--wrt", "y"],
    ["x**2*y**3", "-w", "x", "-w", "y", "-n", "2"],
    ["x**3", "--wrt", "x", "--order", "2"],
    ["x**3", "--order", " 2 "],  # int(" 2 ") is 2 for both
    ["x**3", "--order", "0"],
    ["x**2*exp(x)", "--no-simplify"],
    ["sin(x)**2", "--format", "latex"],
    ["sin(x)**2", "-f", "json", "--cse", "never"],
    ["x*y + sin(x)", "--grad"],
    ["x*y + sin(x)", "--grad", "--emit", "c", "--name", "energy"],
    ["x**2*sin(x)", "--steps"],
    ["x + 1", "--steps=all"],
    ["x + 1", "--steps", "--steps=all"],  # the last one wins
    ["x**2*y+y+2", "--at", "x=3,y=4", "--method", "all"],
    ["f(g(x))", "--functions", "f,g", "--wrt", "x"],
    ["x**2 + y**2 = 25", "--implicit", "y", "--wrt", "x", "--use-relation"],
    ["x**2", "--check", "2*x", "--debug"],
    ["log(1+exp(x))", "--accuracy", "--points", "20", "--seed", "1", "--code", "stable"],
    ["-"],
    ["-", "--wrt", "x"],
    ["", "--wrt", "x"],  # an empty formula is a formula (a parse error later)
    ["x", "--wrt", ""],
    ["x y"],
    *_each_option(),
    *(["x**2", *a, *b] for a, b in itertools.combinations(_each_option()[:8], 2)),
]


@pytest.mark.parametrize("argv", COMMON, ids=" ".join)
def test_the_fast_path_gives_what_argparse_gives(argv: list[str]) -> None:
    fast = parse_common(argv)
    assert fast is not None, argv
    assert vars(fast) == _by_argparse(argv)


LEFT_TO_ARGPARSE = [
    ["--help"],
    ["-h"],
    ["--version"],
    ["x", "--hess"],  # an abbreviation of --hessian
    ["x", "--wrt=y"],
    ["x", "-wy"],
    ["--", "--x"],
    ["-x**2", "--wrt", "x"],  # a formula starting with '-'
    ["---x"],
    ["x", "--wrt"],  # a missing value
    ["x", "--wrt", "-y"],  # a value starting with '-'
    ["x", "--order", "-1"],
    ["x", "--order", "two"],  # refused by its type
    ["x", "--format", "pdf"],  # refused by its choices
    ["x", "--frmat", "latex"],  # unknown
    ["x", "y"],  # two formulas
    ["x", "-", "--wrt", "x"],
]


@pytest.mark.parametrize("argv", LEFT_TO_ARGPARSE, ids=" ".join)
def test_the_fast_path_leaves_the_rest_to_argparse(argv: list[str]) -> None:
    assert parse_common(argv) is None


def test_every_flag_of_argparse_is_in_the_table() -> None:
    table = {f for flags, _ in (*TOP, *(o for _, _, opts in GROUPS for o in opts)) for f in flags}
    parser = build_parser()
    from_argparse = {f for action in parser._actions for f in action.option_strings}
    assert from_argparse - table == {"-h", "--help"}
    titles = {group.title for group in parser._action_groups}
    assert {title for _, title, _ in GROUPS} <= titles


def test_the_groups_given_are_the_same_for_both_readers() -> None:
    for argv in COMMON:
        parser = build_parser()
        namespace = parser.parse_args(formulas_last(parser, argv))
        assert given_groups(parse_common(argv)) == given_groups(namespace), argv


def test_the_common_command_imports_no_argparse() -> None:
    """``symdiff FORMULA --wrt x`` runs without argparse (and what it imports), the modes it
    does not use, ``typing``, ``weakref`` and the high-order sweep; ``--version`` still gets
    argparse.  (Modules the interpreter
    loaded before, as an editable install's finder does, do not count.)"""
    avoided = (
        "argparse", "gettext", "locale", "typing", "dataclasses", "inspect", "textwrap",
        "difflib", "shutil", "contextlib", "weakref", "importlib", "symdiff.cli.usage",
        "symdiff.cli.grad", "symdiff.cli.steps", "symdiff.cli.point", "symdiff.cli.emit",
        "symdiff.cli.accuracy", "symdiff.calculus.high_order",
    )  # fmt: skip
    code = (
        "import sys\nbefore = set(sys.modules)\nfrom symdiff.cli import main\n"
        "assert main(['x**2*y+y+2', '--wrt', 'x']) == 0\n"
        f"loaded = sorted(set({avoided!r}) & set(sys.modules) - before)\n"
        "assert not loaded, loaded\n"
        "main(['--version'])\nassert 'argparse' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "2*x*y\nsymdiff 0.1.0\n"
