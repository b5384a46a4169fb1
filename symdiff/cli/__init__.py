"""The ``symdiff`` command: a thin shell over the public API.

``flags`` holds the options as one table; the common command lines (``symdiff FORMULA --wrt x``)
are read from it directly, and everything else by the argparse parser ``arguments`` builds from
the same table (``--help``, errors, abbreviations).  ``arguments`` chooses the mode once from the
groups given; each mode (``derive``, ``grad``, ``emit``, ``point``, ``steps``, ``check``) is a
module with ``run(args, formula) -> str``, imported when it runs.  This shell reads formulas (an
argument, or one per line from stdin), prints what the mode returns, and turns every
``SymdiffError`` into a message with a caret and exit status 2.
"""

from __future__ import annotations

import sys
import warnings

import symdiff
from symdiff import FormulaWarning, SymdiffError, parse_variable
from symdiff.cli import output
from symdiff.cli.arguments import build_parser, choose_mode
from symdiff.cli.flags import Arguments, parse_common
from symdiff.cli.progress import Working

__all__ = ["build_parser", "command", "main"]


def run_one(args: Arguments, formula: str) -> str:
    """The output text of the mode the arguments choose (chosen again for each formula, as the
    interactive prompt may change the arguments)."""
    return choose_mode(args).run(args, formula)  # type: ignore[no-any-return]


def _read_arguments(argv: list[str]) -> Arguments | int:
    """The arguments, or the exit status when argparse has finished (``--help``, ``--version``,
    a usage error, already reported)."""
    args = parse_common(argv)  # the common command lines, without argparse (start-up)
    if args is not None:
        return args
    from symdiff.cli.usage import formulas_last

    parser = build_parser()
    try:
        return Arguments(**vars(parser.parse_args(formulas_last(parser, argv))))
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0 if done.code is None else 2


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status (see ``EXAMPLES``: 0, 1, 2 or 141)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", FormulaWarning)  # every batch line says its own
            warnings.showwarning = output.show_warning
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


def command() -> int:
    """The ``symdiff`` console script and ``python -m symdiff``: ``main()`` in a process that
    exits right after it.

    The objects still alive are first taken out of the cycle collector's sight
    (``gc.freeze``): at exit the interpreter would otherwise run full collections over every
    module's objects (about a tenth of ``symdiff "x**2" --wrt x``) to free memory that the
    operating system takes back anyway.  Exit handlers, reference counting and the flushing of
    standard output still run.  ``main`` itself never does this: tests and other callers run
    it in a process that goes on.
    """
    status = main()
    import gc

    gc.freeze()
    return status


def _main(argv: list[str] | None) -> int:
    if sys.stdout is None:  # started with file descriptor 1 closed: nothing could be shown
        raise output.OutputFailed("standard output is closed")
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:  # the web page (a variable named serve: write "(serve)")
        from symdiff.cli import serve  # (the other modules load only when used: start-up)

        try:
            return serve.main(argv[1:])
        except SymdiffError as error:
            output.error(str(error))
            return 2
    args = _read_arguments(argv)
    if isinstance(args, int):
        return args
    try:
        choose_mode(args)  # a meaningless combination of modes fails before any input
        if args.define:  # definitions first: the formula and --wrt may use their names
            symdiff.define_from_file(args.define)
        if args.wrt:  # --wrt sin, --wrt pi, --wrt 2x: an error that says what the name is
            args.wrt = [parse_variable(name).name for name in args.wrt]
        if args.formula is None and sys.stdin.isatty() and sys.stdout.isatty():
            from symdiff.cli import interactive

            return interactive.run(args, run_one)
        if args.formula is None and sys.stdin.isatty():
            build_parser().print_usage(sys.stderr)
            output.error("give a formula, or - to read formulas from standard input")
            return 2
        if args.formula is not None and args.formula != "-":
            with Working("symdiff: working"):
                text = run_one(args, args.formula)
            output.write(text)
            return 0
        from symdiff.cli import batch

        return batch.run(args, sys.stdin, run_one)  # "-", or no formula and piped input
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
