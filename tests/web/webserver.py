"""Start ``symdiff serve`` as a real process on a free port, for the web tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def running_server(*options: str) -> Iterator[str]:
    """The base URL of a server started with ``options``; stopped (SIGTERM) afterwards."""
    command = [sys.executable, "-m", "symdiff", "serve", "--port", "0", "--quiet", *options]
    with (
        tempfile.TemporaryFile(mode="w+") as log,
        subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        ) as process,
    ):
        yield from _serving(process, log)


def _serving(process: subprocess.Popen, log: Any) -> Iterator[str]:
    try:
        line = process.stdout.readline()  # printed once the workers are up
        if not line.startswith("symdiff serving on "):
            log.seek(0)
            raise RuntimeError(f"the server did not start: {line!r} {log.read()}")
        yield line.split()[3]
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def post(
    base: str, name: str, body: Any, headers: dict[str, str] | None = None,
    raw: bytes | None = None, timeout: float = 120,
) -> tuple[int, dict[str, Any], str]:  # fmt: skip
    """``(status, decoded JSON, raw text)`` of ``POST /api/<name>``."""
    data = raw if raw is not None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        base + "api/" + name, data=data, method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode("utf-8")
            return response.status, json.loads(text), text
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8")
        return error.code, json.loads(text), text
