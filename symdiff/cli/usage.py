"""Reading the command line: argparse with friendly errors, and formulas that start with '-'.

``FriendlyParser`` reports a usage error in one line with a hint (a close option name, or
``--help``) and status 2; ``formulas_last`` keeps argparse from taking ``-x**2`` for an option.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from symdiff import FUNCTIONS
from symdiff.cli import output

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class FriendlyParser(argparse.ArgumentParser):
    """argparse with a one-line error, a hint (a close option name, or ``--help``), status 2,
    and ``--help``/``--version`` written through ``output`` (argparse would hide a failure)."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse sizes its help with shutil, whose import (with bz2 and lzma) costs more than
        # the rest of the start-up of a derivative; this is shutil.get_terminal_size's rule
        return self.formatter_class(prog=self.prog, width=_terminal_columns() - 2)  # type: ignore[call-arg]

    def _print_message(self, message: str, file: Any = None) -> None:
        if message and file is sys.stdout:
            output.write(message.rstrip("\n"))
        elif message:
            output.to_stderr(message)

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = "see 'symdiff --help' for the options and examples"
        if "unrecognized arguments:" in message:
            wrong = [w for w in message.split(":", 1)[1].split() if w.startswith("-") and w != "--"]
            known = [o for o in self._option_string_actions if o.startswith("--")]
            import difflib  # (only a usage error needs it: start-up)

            for word in wrong:
                close = difflib.get_close_matches(word.split("=", 1)[0], known, n=1, cutoff=0.6)
                if close:
                    hint = f"did you mean {close[0]}? ({hint})"
                    break
            else:
                if wrong:  # --x: a formula that looks like an option goes after --
                    hint = f"for the formula {wrong[0]}, write: symdiff -- '{wrong[0]}' ({hint})"
        self.exit(2, f"{self.prog}: error: {message}\nhint: {hint}\n")


def _function_list() -> str:
    """The unary functions of the vocabulary, wrapped for the help text."""
    import textwrap  # (only --help needs it: start-up)

    names = [n for n, row in FUNCTIONS.items() if row.arity == 1 and n != "stop_gradient"]
    return textwrap.fill(" ".join(names), width=96, subsequent_indent="")


class CommandParser(FriendlyParser):
    """The command's parser: the epilog's function list is written only when help is shown."""

    def format_help(self) -> str:
        if self.epilog and "FUNCTION_LIST" in self.epilog:
            self.epilog = self.epilog.replace("FUNCTION_LIST", _function_list())
        return super().format_help()


def _terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it: ``$COLUMNS`` when it is a
    positive number, else the size of standard output's terminal, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


#: A word that looks like a long option (``--name`` or ``--name=value``); anything else that
#: starts with '-' and is not one of the options is a formula.
LONG_OPTION = r"(?s)--[A-Za-z][A-Za-z0-9-]*(=.*)?\Z"  # (compiled on first use: start-up)


def _option(parser: argparse.ArgumentParser, word: str) -> argparse.Action | None:
    """The option ``word`` names (exactly, or as the unique abbreviation argparse accepts)."""
    name = word.split("=", 1)[0] if word.startswith("--") else word
    actions = parser._option_string_actions
    if name in actions:
        return actions[name]
    if word.startswith("--"):
        matches = {actions[o] for o in actions if o.startswith(name) and o.startswith("--")}
        if len(matches) == 1:
            return matches.pop()
    return None


def formulas_last(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """Move formulas that start with '-' behind ``--`` so argparse never takes them for options.

    A word starting with '-' is an option if it names one (``-w``, ``--wrt``, ``--wrt=x``, an
    abbreviation like ``--hess``) or looks like a long option (``--frobnicate``: a usage error
    with a hint); every other one is a formula: ``-x**2``, ``-2*x``, ``---x``, ``-(x+1)``,
    ``-x-y``, 10,000 dashes and an ``x``.  (A formula that looks like an option, ``--x``,
    goes after ``--``: ``symdiff -- --x``.)
    """
    options: list[str] = []
    formulas: list[str] = []
    taking_value = False
    for i, word in enumerate(argv):
        if word == "--":
            return [*options, *argv[i : i + 1], *formulas, *argv[i + 1 :]]
        if taking_value:
            options.append(word)
            taking_value = False
            continue
        action = _option(parser, word) if word.startswith("-") else None
        if action is not None:
            options.append(word)
            taking_value = "=" not in word and action.nargs != 0
        elif word.startswith("-") and word != "-" and not re.match(LONG_OPTION, word):
            formulas.append(word)
        else:
            options.append(word)
    return [*options, "--", *formulas] if formulas else options
