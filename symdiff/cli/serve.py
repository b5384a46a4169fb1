"""``symdiff serve``: the derivative calculator in the browser (see ``symdiff.web``)."""

from __future__ import annotations

import argparse

from symdiff.cli.usage import FriendlyParser


def build_parser() -> argparse.ArgumentParser:
    parser = FriendlyParser(
        prog="symdiff serve",
        description="Serve a derivative calculator at http://127.0.0.1:8000/ (no network needed).",
    )
    parser.add_argument(
        "--host", default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 opens "
        "it to the network)",
    )  # fmt: skip
    parser.add_argument("--port", "-p", type=int, default=8000, help="the port (0: any free one)")
    parser.add_argument("--open", action="store_true", help="open the page in a web browser")
    parser.add_argument(
        "--workers", type=int, default=None, metavar="N",
        help="worker processes computing answers (default: CPUs, at most 4)",
    )  # fmt: skip
    parser.add_argument(
        "--time-limit", type=float, default=None, metavar="SECONDS",
        help="wall-clock time allowed per request (default 10)",
    )  # fmt: skip
    parser.add_argument("--quiet", "-q", action="store_true", help="do not log each request")
    return parser


def main(argv: list[str]) -> int:
    from symdiff.web.server import serve  # the web layer, loaded only for `symdiff serve`

    args = build_parser().parse_args(argv)
    serve(
        args.host, args.port, open_browser=args.open, workers=args.workers,
        time_limit=args.time_limit, quiet=args.quiet,
    )  # fmt: skip
    return 0
