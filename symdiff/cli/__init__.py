"""The ``symdiff`` command: a thin argparse shell over the public API.

Each mode (derivative, gradient, code emission, …) is a module with ``add_arguments(parser)``,
``wants(args) -> bool`` and ``run(args, formula) -> str``; the shell reads formulas (an argument,
or one per line from stdin), dispatches to the first mode that wants the arguments, prints what
it returns, and turns every ``SymdiffError`` into a message with a caret and exit status 2.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from types import ModuleType

from symdiff.cli import check, derive, emit, grad, interactive, output, point, present, serve

#: Modes in dispatch order; the plain derivative is the default and comes last.
MODES: tuple[ModuleType, ...] = (check, emit, grad, point, present, derive)

EXAMPLES = r"""
examples:
 derivatives (the default mode)
  symdiff "x**2*y+y+2" --wrt x            2*x*y
  symdiff "x**2*y+y+2" --wrt y            x**2 + 1
  symdiff "sin(x)^2"                      the only variable is x; ^ is power too
  symdiff "x**3" --wrt x --order 2        6*x
  symdiff "x**2*y**3" --wrt x --wrt y     mixed partial d2f/dydx: 6*x*y**2
  symdiff "-x**2" --wrt x                 a formula may start with '-' ("---x" too);
  symdiff -- --x                          one that looks like an option goes after --
  symdiff "x**2*exp(x)" --no-simplify     the raw derivative, before simplification
  echo "exp(-x**2/2)" | symdiff - --wrt x one result per input line
 step by step, and other output formats
  symdiff "x**2*sin(x)/exp(x)" --steps    numbered steps, each naming its rule
  symdiff "x + 1" --steps=all             also the trivial steps (constants, x itself)
  symdiff "x**2*sin(x)" --steps --format latex     the steps as an align* block
  symdiff "x/y" --wrt y --format latex    -\frac{x}{y^{2}}
  symdiff "sin(x)**2" --format json       the tree ({"op": "mul", "args": [...]})
  symdiff "sin(x)**2" --format tree       an indented picture of the result
 gradient, Hessian, Jacobian
  symdiff "x*y + sin(x)" --grad           d/dx = y + cos(x), d/dy = x
  symdiff "x**2*y**3" --hessian           d2/dx2, d2/dxdy, d2/dy2
  symdiff "x*y, x + y**2" --jacobian      df1/dx ... df2/dy
 code generation
  symdiff "x**2*sin(x)" --emit python     def f(x): return x*(2.0*math.sin(x) + ...)
  symdiff "x*y + sin(x)" --grad --emit c --name energy     value and gradient in one C function
  symdiff "exp(-x**2)" --emit numpy       a vectorised NumPy function
 values at a point
  symdiff "x**2*y+y+2" --at x=3,y=4       f = 42, df/dx = 24, df/dy = 10
  symdiff "x**2*y+y+2" --at x=3,y=4 --method all     symbolic, forward, reverse, numeric
  symdiff "log(x)+x*y-sin(y)" --at x=2,y=5 --trace --graph g.svg
 check an answer
  symdiff "x**2*sin(x)" --check "2*x*sin(x) + x**2*cos(x)"    correct, with a proof
  symdiff "sin(x)**2" --check "2*sin(x)"  incorrect: at x = 1, d/dx f = 0.909297 but ...
 a derivative calculator in the browser
  symdiff serve                           http://127.0.0.1:8000/ (--port, --host, --open)
 interactive
  symdiff                                 on a terminal: a prompt, one formula per line;
                                          :wrt y, :steps, :format latex, :help, Ctrl-D to leave

formulas: + - * / ** ^, implicit products (2x, 3(x+1)), and the functions
FUNCTION_LIST
ln sqrt, log(x, b), atan2(y, x), stop_gradient/detach; constants pi and e (also E):
name a variable e1 or eps instead of e.

output: colour only on a terminal; progress of long batches on stderr only when it is a
terminal; piped output is plain.
environment: NO_COLOR (any value) turns colour off everywhere.
exit status: 0 success; 2 a bad formula or usage (one-line error and a hint on stderr);
1 the output could not be written (disk full, closed) or an internal error (please report;
--debug shows the traceback); 141 the reader of the output went away (symdiff - < file | head -1):
quietly, as the shell reports a program stopped by SIGPIPE.
"""


def _function_list() -> str:
    """The unary functions of the vocabulary, wrapped for the help text."""
    from symdiff import FUNCTIONS

    names = [n for n, row in FUNCTIONS.items() if row.arity == 1 and n != "stop_gradient"]
    return textwrap.fill(" ".join(names), width=96, subsequent_indent="")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every mode's options."""
    from symdiff import __version__

    parser = present.FriendlyParser(
        prog="symdiff",
        description="Differentiate formulas symbolically and print small, readable results.",
        epilog=EXAMPLES.replace("FUNCTION_LIST", _function_list()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("formula", nargs="?", help="the formula, or - to read one per line")
    parser.add_argument("--version", action="version", version=f"symdiff {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    for mode in MODES:
        mode.add_arguments(parser)
    return parser


#: A word that looks like a long option (``--name`` or ``--name=value``); anything else that
#: starts with '-' and is not one of the options is a formula.
LONG_OPTION = re.compile(r"--[A-Za-z][A-Za-z0-9-]*(=.*)?\Z", re.DOTALL)


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


def _formula_last(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
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
        elif word.startswith("-") and word != "-" and not LONG_OPTION.match(word):
            formulas.append(word)
        else:
            options.append(word)
    return [*options, "--", *formulas] if formulas else options


def run_one(args: argparse.Namespace, formula: str) -> str:
    """The output text for one formula, from the first mode that wants these arguments."""
    for mode in MODES:
        if mode.wants(args):
            return mode.run(args, formula)
    raise AssertionError("the derivative mode wants every argument set")


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status (see ``EXAMPLES``: 0, 1, 2 or 141)."""
    try:
        status = _main(argv)
        output.flush()
        return status
    except output.ReaderGone:
        output.detach()
        return output.BROKEN_PIPE_STATUS
    except output.OutputFailed as failure:
        output.detach()
        output.error(f"cannot write the output: {failure}")
        return output.WRITE_FAILED_STATUS


def _main(argv: list[str] | None) -> int:
    from symdiff import SymdiffError

    if sys.stdout is None:  # started with file descriptor 1 closed: nothing could be shown
        raise output.OutputFailed("standard output is closed")
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:  # the web page (a variable named serve: write "(serve)")
        try:
            return serve.main(argv[1:])
        except SymdiffError as error:
            output.error(str(error))
            return 2
    parser = build_parser()
    try:
        args = parser.parse_args(_formula_last(parser, argv))
    except SystemExit as done:  # --help, --version, or a usage error (already reported)
        return done.code if isinstance(done.code, int) else 0 if done.code is None else 2
    try:
        if args.formula is None and sys.stdin.isatty() and sys.stdout.isatty():
            return interactive.run(args, run_one)
        if args.formula is None:
            parser.print_usage(sys.stderr)
            output.error("give a formula, or - to read formulas from standard input")
            return 2
        if args.formula != "-":
            with present.Working("symdiff: working"):
                text = run_one(args, args.formula)
            output.write(text)
            return 0
        status = 0
        with present.Progress("formulas done", interleaved=True) as progress:
            for number, line in enumerate(sys.stdin, start=1):
                progress.update(number - 1)
                if not line.strip():
                    continue
                try:
                    output.write(run_one(args, line.rstrip("\n")))
                except SymdiffError as error:
                    progress.close()
                    output.error(f"line {number}: {error}")
                    status = 2
        return status
    except SymdiffError as error:
        output.error(str(error))
        return 2
    except KeyboardInterrupt:
        return 130
    except (output.ReaderGone, output.OutputFailed):
        raise
    except Exception as error:
        if args.debug:
            raise
        output.error(f"internal error, please report: {type(error).__name__}: {error}")
        return 1
