"""One time limit for tests that must not hang: SIGALRM interrupts the block after ``seconds``.

Used by the fuzz tests (a parser input that takes too long is a failure; an oracle that takes
too long is skipped).  On platforms without ``setitimer``, or off the main thread, there is no
limit rather than an error.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(Exception):
    """The block ran past its time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TimeLimitExceeded`` inside the block once ``seconds`` have passed."""

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded(f"no answer within {seconds} s")

    if not hasattr(signal, "setitimer"):
        yield
        return
    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
