"""Timing helpers shared by the benchmark scripts: best-of-n runs and a time cap for peers."""

from __future__ import annotations

import math
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class CapExceeded(Exception):
    """A step ran past its time cap."""


def best_time(work: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The fastest of ``repeats`` runs, and the last result."""
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


@contextmanager
def time_cap(seconds: float) -> Iterator[None]:
    """Raise ``CapExceeded`` inside the block after ``seconds`` (SIGALRM; main thread only)."""

    def alarm(signum: int, frame: Any) -> None:
        raise CapExceeded

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def capped(seconds: float, work: Callable[[], Any]) -> tuple[str, Any, float]:
    """``("ok", result, seconds)``, or ``("timeout" | "RecursionError", None, seconds)``."""
    start = time.perf_counter()
    try:
        with time_cap(seconds):
            result = work()
        status = "ok"
    except CapExceeded:
        result, status = None, "timeout"
    except RecursionError:
        result, status = None, "RecursionError"
    return status, result, time.perf_counter() - start
