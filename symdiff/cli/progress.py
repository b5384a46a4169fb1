"""Progress on stderr for slow work, drawn only when stderr is a terminal (never when piped).

``Progress`` counts items of a batch; ``Working`` shows the elapsed time of one slow
computation from a helper thread.  Both erase their line when the work ends.
"""

from __future__ import annotations

import sys
import time

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    import threading
    from typing import TextIO


class Progress:
    """A one-line counter on stderr for slow work, drawn only when stderr is a terminal.

    Nothing is drawn before ``delay`` seconds have passed (quick runs stay silent); the line is
    erased when the work ends, so what remains on the terminal is only the results.  With
    ``interleaved=True`` (results printed as the work goes) it stays silent when stdout is a
    terminal, where the results themselves show the progress.
    """

    def __init__(
        self,
        label: str,
        total: int | None = None,
        stream: TextIO | None = None,
        delay: float = 0.5,
        interleaved: bool = False,
    ) -> None:
        self.label, self.total, self.delay = label, total, delay
        self.stream = sys.stderr if stream is None else stream
        self.enabled = bool(getattr(self.stream, "isatty", None) and self.stream.isatty())
        if interleaved and sys.stdout.isatty():  # results stream to the terminal: they show it
            self.enabled = False
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.drawn = False

    def update(self, done: int) -> None:
        """Report that ``done`` items are finished (redrawn at most ten times a second)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.delay or now - self.last_draw < 0.1:
            return
        self.last_draw = now
        count = f"{done}/{self.total}" if self.total else str(done)
        self.stream.write(f"\r{self.label}: {count}\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Erase the progress line, if one was drawn."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Working:
    """An elapsed-time line on stderr while one slow computation runs (a Hessian of many
    variables, a big CSE), drawn from a helper thread only when stderr is a terminal, after
    ``delay`` seconds, and erased before the result is printed."""

    def __init__(self, label: str, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.label, self.delay = label, delay
        self.stream = sys.stderr if stream is None else stream
        self.enabled = bool(getattr(self.stream, "isatty", None) and self.stream.isatty())
        self.done: threading.Event | None = None
        self.drawn = False
        self.thread: threading.Thread | None = None

    def _tick(self) -> None:
        assert self.done is not None
        started = time.monotonic()
        if self.done.wait(self.delay):
            return
        shown = ""
        while not self.done.is_set():
            text = f"\r{self.label} ({time.monotonic() - started:.0f} s)\x1b[K"
            if text != shown:
                self.stream.write(text)
                self.stream.flush()
                shown, self.drawn = text, True
            self.done.wait(0.25)

    def __enter__(self) -> Working:
        if self.enabled:  # (threading only on a terminal: start-up)
            import threading

            self.done = threading.Event()
            self.thread = threading.Thread(target=self._tick, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.done is not None:
            self.done.set()
        if self.thread is not None:
            self.thread.join()
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
