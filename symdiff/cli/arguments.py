"""The command's arguments: the argparse parser made from the option table (``flags``), and the
choice of the mode, made in one place from the groups whose options were given.

Shared groups (``options``: what to differentiate; ``render``: how to write it) are read by
every mode.  A mode's own group selects it; ``MODES`` says which wins when several are given
(``--grad --at`` is the point mode, which prints the gradient at the point; ``--grad --emit``
compiles the value and gradient together), and ``choose_mode`` rejects the combinations that
mean nothing.  Without a mode's option the derivative mode runs.  A mode's module is imported
only when it runs (start-up), and argparse only when the parser is built.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from symdiff import SymdiffError
from symdiff.cli.flags import GROUPS, TOP, given_groups

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from types import ModuleType

    from symdiff.cli.flags import Arguments

#: Modes by precedence (modules of ``symdiff.cli``), each selected by the options of its group.
MODES: tuple[str, ...] = ("implicit", "check", "accuracy", "emit", "point", "grad", "steps")
#: What runs when no mode's option is given.
DEFAULT_MODE = "derive"
_TITLES = {module: title for module, title, _ in GROUPS}

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
 unknown and user-defined functions, implicit derivatives
  symdiff "f(g(x))" --functions f,g --wrt x    chain rule through unknown functions
  symdiff "softclip(x, 2)" --define defs.txt    defs.txt: softclip(x, k) = log(1 + exp(k*x))/k
  symdiff "x**2 + y**2 = 25" --implicit y --wrt x            -x/y
  symdiff "x**2*sin(x)" --check "2*x*sin(x) + x**2*cos(x)"   correct, with a proof
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
  symdiff "x*y, sin(z)" --jacobian --sparse        the pattern, then only the nonzeros
 code generation
  symdiff "x**2*sin(x)" --emit python     def f(x): return x*(2.0*math.sin(x) + ...)
  symdiff "x*y + sin(x)" --grad --emit c --name energy     value and gradient in one C function
  symdiff "exp(-x**2)" --emit numpy       a vectorised NumPy function
 accuracy of the generated code (needs NumPy and mpmath)
  symdiff "log(1+exp(x))" --accuracy      ulps, worst relative error and where, non-finite
                                          outputs: stable code (the default) and literal code
  symdiff "x*log(y)" --accuracy --domain x=-1:1,y=1e-9:1e9:log --target c --points 200
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: the formula and the top-level options, then each group of ``flags``."""
    import argparse  # (only what the fast path leaves to argparse needs it: start-up)

    from symdiff.cli.usage import CommandParser

    parser = CommandParser(
        prog="symdiff",
        description="Differentiate formulas symbolically and print small, readable results.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for flags, settings in TOP:
        parser.add_argument(*flags, **settings)
    for _, title, options in GROUPS:
        group = parser.add_argument_group(title)
        for flags, settings in options:
            group.add_argument(*flags, **settings)
    return parser


def mode_module(name: str) -> ModuleType:
    """The module ``symdiff.cli.<name>`` (a mode is imported when it runs: start-up)."""
    module = f"symdiff.cli.{name}"
    __import__(module)  # (importlib.import_module, without importing importlib: start-up)
    return sys.modules[module]


def choose_mode(args: Arguments) -> ModuleType:
    """The mode these arguments ask for: the first of ``MODES`` whose group was given."""
    given = given_groups(args)
    mode = next((mode for mode in MODES if _TITLES[mode] in given), DEFAULT_MODE)
    for clash, message in CLASHES:
        if clash(args):
            raise SymdiffError(message(args))
    return mode_module(mode)


def _accuracy_clash(args: Arguments) -> str | None:
    return mode_module("accuracy").clash(args) if args.accuracy else None  # type: ignore[no-any-return]


def _steps_with_matrix(args: Arguments) -> bool:
    return bool(args.steps and (args.jacobian or args.hessian))


Test = Callable[["Arguments"], bool]
Message = Callable[["Arguments"], str]

#: Combinations of modes and formats that mean nothing: (test, message naming both).
CLASHES: tuple[tuple[Test, Message], ...] = (
    (lambda a: _accuracy_clash(a) is not None,
     lambda a: f"--accuracy measures the code of the formula and its whole gradient (text or "
     f"json); {_accuracy_clash(a)} asks for something else: use one at a time"),
    (lambda a: bool(a.emit and a.at is not None),
     lambda a: f"--emit {a.emit} writes code and --at computes values at a point: "
     "use one at a time"),
    (lambda a: bool(a.emit and a.steps),
     lambda a: f"--emit {a.emit} writes code and --steps explains the derivative: "
     "use one at a time"),
    (lambda a: bool(a.emit and a.format != "text"),
     lambda a: f"--emit {a.emit} writes {a.emit} source; --format {a.format} is for "
     "formulas: drop one"),
    (lambda a: bool(a.steps and a.at is not None),
     lambda _: "--steps explains the derivative and --at computes values at a point: use one "
     "at a time"),
    (_steps_with_matrix,
     lambda a: f"--steps explains one derivative (or each --grad entry), not a "
     f"{'Jacobian' if a.jacobian else 'Hessian'}: use --steps --wrt VAR for one entry"),
    (lambda a: bool(a.steps and a.format == "tree"),
     lambda _: "--steps writes text, latex or json; --format tree draws one formula: "
     "drop --steps"),
    (lambda a: bool((a.order or 1) > 1 and (a.grad or a.jacobian or a.hessian)),
     lambda a: f"--order {a.order} asks for one derivative of order {a.order}; "
     f"{'--grad' if a.grad else '--jacobian' if a.jacobian else '--hessian'} lists first "
     "(or second) partials: use --wrt VAR --order N, or drop --order"),
    (lambda a: bool(a.at is not None and a.format == "tree"),
     lambda _: "--at prints numbers; --format tree draws formulas: use text, latex or json"),
)  # fmt: skip
