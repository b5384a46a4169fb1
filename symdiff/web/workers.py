"""Worker processes that answer API requests, each request with a deadline.

A request is handed to an idle worker through a pipe; if no answer comes within the time limit,
that worker is ended and replaced, so no formula can keep the server busy for longer than the
limit (a thread cannot be stopped in Python; a process can).  Each worker also runs with a cap
on its address space.  Requests wait for an idle worker for a bounded time, then get "busy".
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from symdiff.web.api import respond


class Busy(Exception):
    """No worker became free in time."""


class TooMuchWork(Exception):
    """The request ran past the time limit, or its worker ran out of memory and died."""


def _limit_memory(mebibytes: int) -> None:
    try:
        import resource

        limit = mebibytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform: the deadline still holds
        pass


def serve_requests(connection: Connection, mebibytes: int) -> None:
    """A worker's loop: ``(name, body)`` in, ``(status, payload)`` out, until the pipe closes."""
    _limit_memory(mebibytes)
    while True:
        try:
            name, body = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(respond(name, body))


class Workers:
    """A fixed number of worker processes (started with ``spawn``: safe beside threads)."""

    def __init__(self, count: int, seconds: float, mebibytes: int, wait: float = 60.0) -> None:
        self.seconds, self.mebibytes, self.wait = seconds, mebibytes, wait
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[tuple[BaseProcess, Connection]] = queue.Queue()
        self._all: set[BaseProcess] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, count)):
            self._idle.put(self._start())

    def _start(self) -> tuple[BaseProcess, Connection]:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=serve_requests, args=(theirs, self.mebibytes), daemon=True
        )
        process.start()
        theirs.close()
        with self._lock:
            self._all.add(process)
        return process, ours

    def _replace(self, process: BaseProcess, connection: Connection) -> None:
        process.kill()
        process.join()
        connection.close()
        with self._lock:
            self._all.discard(process)
        if not self._closed:
            self._idle.put(self._start())

    def run(self, name: str, body: Any) -> tuple[int, dict[str, Any]]:
        """``(status, payload)`` from a worker; ``Busy`` or ``TooMuchWork`` when there is none."""
        try:
            process, connection = self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise Busy from None
        try:
            connection.send((name, body))
            if connection.poll(self.seconds):
                answer = connection.recv()
                self._idle.put((process, connection))
                return answer
        except (EOFError, OSError):  # the worker died (out of memory)
            pass
        self._replace(process, connection)
        raise TooMuchWork

    def close(self) -> None:
        """End every worker."""
        self._closed = True
        with self._lock:
            processes = list(self._all)
        for process in processes:
            process.kill()
            process.join()
