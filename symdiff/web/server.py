"""The HTTP server of ``symdiff serve``: the page's three files and ``POST /api/<name>``.

Standard library only (``http.server.ThreadingHTTPServer``): one thread per connection reads
and checks the request, and a worker process computes the answer (``workers``), so a slow
formula can be stopped and the threads stay free.  Safety for a local tool: it listens on
127.0.0.1 unless told otherwise; on loopback it answers only requests whose ``Host`` is a
loopback name (against DNS rebinding) and API calls only from its own origin with a JSON body
(against cross-site requests); bodies are size-checked before they are read; slow or idle
connections time out; every error is a JSON message without a traceback; the page runs under a
strict Content-Security-Policy (no inline script, nothing from other origins).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import signal
import socket
import sys
import threading
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import symdiff
from symdiff import SymdiffError
from symdiff.web.api import describe, respond
from symdiff.web.fields import LIMITS
from symdiff.web.workers import Busy, TooMuchWork, Workers

STATIC_DIR = Path(__file__).parent / "static"

#: URL path -> (file in static/, content type).  Nothing else is served from disk.
STATIC: dict[str, tuple[str, str]] = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/style.css": ("style.css", "text/css; charset=utf-8"),
    "/favicon.svg": ("favicon.svg", "image/svg+xml"),
}

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

#: API requests being handled at once; beyond this the server answers 503 at once.
MAX_IN_FLIGHT = 256


class Server(ThreadingHTTPServer):
    """The listening socket, the workers, and what the handlers need to know."""

    daemon_threads = True
    request_queue_size = 512  # the listen backlog: a burst of connections is queued, not refused

    def __init__(self, address: tuple[str, int], workers: Workers | None, quiet: bool) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.workers = workers
        self.quiet = quiet
        self.in_flight = threading.BoundedSemaphore(MAX_IN_FLIGHT)
        self.allowed_hosts = _loopback_names(address[0], self.server_port)


def _loopback_names(host: str, port: int) -> set[str] | None:
    """The ``Host`` values accepted when listening on loopback (None: any)."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        return None
    names = ("127.0.0.1", "localhost", "[::1]")
    return {f"{name}:{port}" for name in names} | (set(names) if port == 80 else set())


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


class Handler(BaseHTTPRequestHandler):
    """One connection: static files on GET, the API on POST."""

    server: Server
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a connection may stay silent (slow or idle clients)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if not self._host_allowed():
            return
        if path in ("/api", "/api/"):
            self._json(200, describe())
        elif path.startswith("/api/"):
            self._json(405, _error("method_not_allowed", "API calls are POST"), {"Allow": "POST"})
        elif path in STATIC:
            name, content_type = STATIC[path]
            self._send(200, (STATIC_DIR / name).read_bytes(), content_type)
        else:
            self._json(404, _error("not_found", f"nothing at {path}"))

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if not self._host_allowed():
            return
        if not path.startswith("/api/"):
            self._json(405, _error("method_not_allowed", "only /api/... takes POST"))
            return
        origin = self.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != self.headers.get("Host"):
            self._json(403, _error("forbidden_origin", "cross-origin API calls are refused"))
            return
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            self._json(415, _error("json_only", "send the request as application/json"))
            return
        body = self._read_body()
        if body is None:
            return
        if not self.server.in_flight.acquire(blocking=False):
            self._json(503, _error("busy", "too many requests at once"), {"Retry-After": "1"})
            return
        try:
            status, payload = self._compute(path.removeprefix("/api/"), body)
        finally:
            self.server.in_flight.release()
        self._json(status, payload)

    def _compute(self, name: str, body: Any) -> tuple[int, dict[str, Any]]:
        workers = self.server.workers
        if workers is None:  # in-process (no deadline): for embedding and debugging
            return respond(name, body)
        try:
            return workers.run(name, body)
        except Busy:
            return 503, _error("busy", "every worker is busy: try again")
        except TooMuchWork:
            return 422, _error(
                "too_much_work",
                f"the request needs more than {LIMITS['seconds']} s or "
                f"{LIMITS['memory_mib']} MiB: try a smaller formula or a lower order",
            )

    def _read_body(self) -> Any:
        """The decoded JSON body, or None after answering with an error."""
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            self._json(411, _error("length_required", "send a Content-Length header"))
            return None
        try:
            length = int(length_text)
        except ValueError:
            length = -1
        if length < 0:
            self._json(400, _error("bad_request", "Content-Length is not a number"))
            return None
        if length > LIMITS["body_bytes"]:
            self.close_connection = True  # the body is not read: the connection cannot go on
            message = f"the body has {length} bytes; the limit is {LIMITS['body_bytes']}"
            self._json(413, _error("too_large", message))
            return None
        try:
            return json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self._json(400, _error("bad_json", "the body is not valid JSON (UTF-8)"))
            return None

    def _host_allowed(self) -> bool:
        allowed = self.server.allowed_hosts
        if allowed is None or self.headers.get("Host", "") in allowed:
            return True
        self._json(403, _error("forbidden_host", "this server answers only to loopback names"))
        return False

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send(status, data, "application/json; charset=utf-8", headers)

    def _send(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in {**SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed requests (bad request line, huge headers, unknown method) answered as JSON."""
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client is gone
            self._json(code, _error(f"http_{code}", message or self.responses.get(code, ("",))[0]))

    def version_string(self) -> str:
        return f"symdiff/{symdiff.__version__}"

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    open_browser: bool = False,
    workers: int | None = None,
    time_limit: float | None = None,
    quiet: bool = False,
) -> None:
    """Serve the calculator at ``http://host:port/`` until interrupted (Ctrl-C or SIGTERM).

    ``port=0`` takes a free port; the URL is printed once the server is ready.  ``workers`` is
    the number of worker processes (default: the CPUs, at most 4); ``0`` computes in the
    server's threads, without the time limit.  ``time_limit`` overrides ``LIMITS["seconds"]``.
    """
    if time_limit is not None:
        if not time_limit > 0:
            raise SymdiffError("the time limit must be a positive number of seconds")
        LIMITS["seconds"] = time_limit  # this process serves one server: its limits are global
    count = min(4, os.cpu_count() or 1) if workers is None else workers
    try:
        server = Server((host, port), None, quiet)
    except OSError as error:
        hint = " (try another --port)" if error.errno in (98, 48, 10048) else ""
        raise SymdiffError(f"cannot listen on {host}:{port}: {error.strerror}{hint}") from None
    pool = Workers(count, LIMITS["seconds"], int(LIMITS["memory_mib"])) if count > 0 else None
    server.workers = pool
    url = _url(host, server.server_port)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    print(f"symdiff serving on {url} (Ctrl-C to stop)", flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("", file=sys.stderr)
    finally:
        server.server_close()
        if pool is not None:
            pool.close()
