"""Batch mode: one formula per input line, one output line per input line (``paste`` lines up).

A blank line or a ``#`` comment line gives an empty output line; text after `` #`` on a formula
line is a comment.  A line that fails prints the marker ``# error`` on standard output (so the
output still lines up, and reads back as a comment) and the message, with its caret, on
standard error as ``line N: ...`` (the position is the column of that line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from symdiff import ParseError, SymdiffError
from symdiff.cli import output
from symdiff.cli.progress import Progress

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from symdiff.cli.flags import Arguments

#: What a line that failed prints on standard output.
ERROR_MARKER = "# error"

_COMMENT = r"(^|\s)#.*$"  # (compiled on first use, by re's cache: start-up)


def formula_of(line: str) -> str:
    """The formula on an input line: without its newline and its ``#`` comment."""
    return re.sub(_COMMENT, "", line.rstrip("\n")).strip()


def message_of(error: SymdiffError, number: int) -> str:
    """``line N: message at column C`` and the caret (not "at line 1, column C")."""
    if isinstance(error, ParseError) and error.line:
        where = f" at column {error.column}" if error.line == 1 else f" at line {error.line}"
        context = error.context
        return f"line {number}: {error.message}{where}" + (f"\n{context}" if context else "")
    return f"line {number}: {error}"


def run(
    args: Arguments,
    lines: Iterable[str],
    run_one: Callable[[Arguments, str], str],
) -> int:
    """Answer each line; the exit status is 2 when some line failed, else 0."""
    status = 0
    with Progress("formulas done", interleaved=True) as progress:
        for number, line in enumerate(lines, start=1):
            progress.update(number - 1)
            formula = formula_of(line)
            if not formula:
                output.write("")
                continue
            try:
                output.write(run_one(args, formula))
            except SymdiffError as error:
                progress.close()
                output.write(ERROR_MARKER)
                output.error(message_of(error, number))
                status = 2
    return status
