"""The interactive prompt: ``symdiff`` with no arguments on a terminal.

One formula per line; ``:wrt y`` switches the variable, ``:steps`` toggles explanations,
``:format latex`` changes the output format, ``:help`` lists the commands, Ctrl-D leaves.
Line editing and a history kept in ``~/.symdiff_history`` come from ``readline`` when Python
has it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable

from symdiff import SymdiffError, parse_variable
from symdiff.cli.flags import FORMAT_CHOICES

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from symdiff.cli.flags import Arguments

HISTORY_FILE = "~/.symdiff_history"

COMMANDS = """\
  FORMULA           differentiate it (x**2*sin(x), 2x + 3(x+1), atan2(y, x), ...)
  :wrt VAR          differentiate with respect to VAR from now on (:wrt alone: automatic)
  :steps            explain each derivative step by step (again to turn it off)
  :format FORMAT    write results as text, latex, json or tree
  :help             this list
  Ctrl-D or :quit   leave"""


def _setup_history() -> Callable[[], None]:
    """Load the history with readline, if available; returns the function that saves it."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Python built without readline
        return lambda: None
    path = os.path.expanduser(HISTORY_FILE)
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(1000)

    def save() -> None:
        with contextlib.suppress(OSError):
            readline.write_history_file(path)

    return save


def _prompt(args: Arguments) -> str:
    return f"d/d{args.wrt[0]}> " if args.wrt else "symdiff> "


def _command(args: Arguments, line: str) -> str | None:
    """Apply a ``:command``; returns what to print, or ``None`` to leave."""
    name, _, value = line[1:].partition(" ")
    value = value.strip()
    match name:
        case "q" | "quit" | "exit":
            return None
        case "wrt":
            try:
                args.wrt = [parse_variable(value).name] if value else None
            except SymdiffError as error:
                return f"error: {error}"
            return f"differentiating with respect to {value}" if value else "variable: automatic"
        case "steps":
            args.steps = None if args.steps else "brief"
            return "steps on" if args.steps else "steps off"
        case "format" if value in FORMAT_CHOICES:
            args.format = value
            return f"format: {value}"
        case "help" | "h" | "?":
            return COMMANDS
    return f"unknown command {line!r}; :help lists the commands"


def run(args: Arguments, run_one: Callable[[Arguments, str], str]) -> int:
    """Read formulas until end of input; every error is reported and the prompt comes back."""
    import copy  # (only the prompt needs it: start-up)

    args = copy.copy(args)
    save_history = _setup_history()
    print("symdiff: one formula per line; :wrt y to switch variable, :help, Ctrl-D to leave")
    try:
        while True:
            try:
                line = input(_prompt(args)).strip()
            except EOFError:
                print()
                return 0
            except KeyboardInterrupt:  # Ctrl-C drops the current line, as in a shell
                print()
                continue
            if not line:
                continue
            if line.startswith(":"):
                reply = _command(args, line)
                if reply is None:
                    return 0
                print(reply)
                continue
            try:
                print(run_one(args, line))
            except SymdiffError as error:  # at the prompt the option is the :wrt command
                print(f"error: {error}".replace("--wrt", ":wrt"), file=sys.stderr)
    finally:
        save_history()
