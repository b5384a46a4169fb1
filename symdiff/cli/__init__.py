"""The ``symdiff`` command: a thin argparse shell over the public API.

Each mode (derivative, gradient, code emission, …) is a module with ``add_arguments(parser)``,
``wants(args) -> bool`` and ``run(args, formula) -> str``; the shell reads formulas (an argument,
or one per line from stdin), dispatches to the first mode that wants the arguments, prints what
it returns, and turns every ``SymdiffError`` into a message with a caret and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from types import ModuleType

from symdiff.cli import derive, emit, grad, interactive, point, present

#: Modes in dispatch order; the plain derivative is the default and comes last.
MODES: tuple[ModuleType, ...] = (emit, grad, point, present, derive)

EXAMPLES = r"""
examples:
 derivatives (the default mode)
  symdiff "x**2*y+y+2" --wrt x            2*x*y
  symdiff "x**2*y+y+2" --wrt y            x**2 + 1
  symdiff "sin(x)^2"                      the only variable is x; ^ is power too
  symdiff "x**3" --wrt x --order 2        6*x
  symdiff "x**2*y**3" --wrt x --wrt y     mixed partial d2f/dydx: 6*x*y**2
  symdiff "-x**2" --wrt x                 a formula may start with '-'
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
 interactive
  symdiff                                 on a terminal: a prompt, one formula per line;
                                          :wrt y, :steps, :format latex, :help, Ctrl-D to leave

formulas: + - * / ** ^, implicit products (2x, 3(x+1)), functions sin cos tan sec csc cot
asin acos atan acot asec acsc sinh cosh tanh sech csch coth asinh acosh atanh acoth exp log ln
sqrt abs sign erf, log(x, b), atan2(y, x), stop_gradient/detach; constants pi and e (also E):
name a variable e1 or eps instead of e.

output: colour only on a terminal; progress of long batches on stderr only when it is a
terminal; piped output is plain.
environment: NO_COLOR (any value) turns colour off everywhere.
exit status: 0 success; 2 a bad formula or usage (one-line error and a hint on stderr);
1 an internal error (please report; --debug shows the traceback).
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every mode's options."""
    from symdiff import __version__

    parser = present.FriendlyParser(
        prog="symdiff",
        description="Differentiate formulas symbolically and print small, readable results.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("formula", nargs="?", help="the formula, or - to read one per line")
    parser.add_argument("--version", action="version", version=f"symdiff {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    for mode in MODES:
        mode.add_arguments(parser)
    return parser


def _formula_last(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """Move a formula that starts with '-' (``-x**2``) behind ``--`` so argparse keeps it."""
    known = set(parser._option_string_actions)
    taking_value = False
    for i, arg in enumerate(argv):
        if arg == "--":
            return argv
        if taking_value:
            taking_value = False
            continue
        option = arg.split("=", 1)[0]
        if option in known:
            action = parser._option_string_actions[option]
            taking_value = "=" not in arg and action.nargs != 0
            continue
        if arg.startswith("-") and arg != "-" and not arg.startswith("--"):  # --x is a bad flag
            return [*argv[:i], *argv[i + 1 :], "--", arg]
    return argv


def _error(message: str) -> None:
    print(f"symdiff: error: {message}", file=sys.stderr)


def run_one(args: argparse.Namespace, formula: str) -> str:
    """The output text for one formula, from the first mode that wants these arguments."""
    for mode in MODES:
        if mode.wants(args):
            return mode.run(args, formula)
    raise AssertionError("the derivative mode wants every argument set")


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 2 bad input or usage, 1 internal)."""
    from symdiff import SymdiffError

    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(_formula_last(parser, argv))
    try:
        if args.formula is None and sys.stdin.isatty() and sys.stdout.isatty():
            return interactive.run(args, run_one)
        if args.formula is None:
            parser.print_usage(sys.stderr)
            _error("give a formula, or - to read formulas from standard input")
            return 2
        if args.formula != "-":
            with present.Working("symdiff: working"):
                text = run_one(args, args.formula)
            print(text)
            return 0
        status = 0
        with present.Progress("formulas done", interleaved=True) as progress:
            for number, line in enumerate(sys.stdin, start=1):
                progress.update(number - 1)
                if not line.strip():
                    continue
                try:
                    print(run_one(args, line.rstrip("\n")), flush=True)
                except SymdiffError as error:
                    progress.close()
                    _error(f"line {number}: {error}")
                    status = 2
        return status
    except SymdiffError as error:
        _error(str(error))
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if args.debug:
            raise
        _error(f"internal error, please report: {type(error).__name__}: {error}")
        return 1
