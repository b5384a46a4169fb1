"""Writing results to standard output, where a reader that goes away is an ordinary event.

Each result is flushed as it is written, so a failure shows up here, not at interpreter exit:

- the reader closed the pipe (``symdiff - < file | head -1``): ``ReaderGone``; the command then
  stops quietly with status 141, what a shell reports for a program killed by SIGPIPE (as
  ``cat`` or ``yes`` would be), so ``set -o pipefail`` scripts still see that output was cut;
- any other write failure (``/dev/full``, a closed standard output, an I/O error):
  ``OutputFailed``; the command prints one line on stderr and exits with status 1.
"""

from __future__ import annotations

import os
import sys

#: The exit status after a broken pipe: 128 + SIGPIPE (13), as the shell reports a killed writer.
BROKEN_PIPE_STATUS = 141
WRITE_FAILED_STATUS = 1


class ReaderGone(Exception):
    """Standard output is a pipe whose reader has gone."""


class OutputFailed(Exception):
    """Standard output could not be written; the message says why."""


def _to_stdout(text: str) -> None:
    """Write ``text`` (it may be empty) to standard output and flush, with its write errors
    turned into ``ReaderGone`` / ``OutputFailed``.  (Plain ``try``: ``contextlib`` would cost
    the start-up more than all of this module.)"""
    stream = sys.stdout
    if stream is None:  # started with file descriptor 1 closed
        raise OutputFailed("standard output is closed")
    try:
        if text:
            stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise ReaderGone from None
    except (OSError, ValueError) as error:  # ValueError: the stream itself was closed
        raise OutputFailed(getattr(error, "strerror", None) or str(error)) from None


def write(text: str) -> None:
    """Print ``text`` and a newline to standard output, and flush."""
    _to_stdout(text + "\n")


def flush() -> None:
    """Flush what others (argparse's ``--help``) wrote; the same errors as ``write``."""
    if sys.stdout is not None:
        _to_stdout("")


def detach() -> None:
    """Point file descriptor 1 at /dev/null, so that the interpreter's final flush of what is
    still buffered cannot fail again (and print a traceback) after the error was reported."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def error(message: str) -> None:
    """``symdiff: error: message`` on stderr."""
    to_stderr(f"symdiff: error: {message}\n")


def warning(message: str) -> None:
    """``symdiff: warning: message`` on stderr (the answer still goes to stdout, exit 0)."""
    to_stderr(f"symdiff: warning: {message}\n")


def show_warning(message: Warning | str, *_: object, **__: object) -> None:
    """``warnings.showwarning`` for the command: one plain line, no source location."""
    warning(str(message))


def to_stderr(text: str) -> None:
    """Write ``text`` to stderr; a stderr that cannot be written is ignored (nowhere to say so)."""
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
