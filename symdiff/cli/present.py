"""Presentation for the command line: ``--format``, ``--steps``, colour, progress, friendly errors.

``--format text|latex|json|tree`` is read by every mode that prints an expression (through
``symdiff.format_expr``); ``--steps`` is a mode of its own, placed before the plain derivative.
Colour is used only when the output is a terminal and ``NO_COLOR`` is not set; progress goes to
stderr only when stderr is a terminal, so piped output never carries either.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import threading
import time
from typing import Any, TextIO

import symdiff
from symdiff import Expr, SymdiffError, dag_size, parse, postorder
from symdiff.cli import output
from symdiff.cli.options import variables_of

FORMAT_CHOICES = ("text", "latex", "json", "tree")
#: ``--steps`` explains formulas of at most this many distinct nodes (``explain`` and the
#: steps' size grow faster than linearly with it) ...
STEPS_MAX_FORMULA = 2_000
#: ... whose steps, written out as trees, print at most this many nodes (about a megabyte).
STEPS_MAX_PRINTED = 100_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("presentation")
    group.add_argument(
        "--format", "-f", choices=FORMAT_CHOICES, default="text",
        help="how to write results: text (Python syntax, the default), latex, json (the tree, "
        "read back by symdiff.from_json) or tree (an indented picture)",
    )  # fmt: skip
    group.add_argument(
        "--steps", dest="steps", action="store_const", const="brief",
        help="explain the derivative step by step, naming the rule of each step",
    )  # fmt: skip
    # "--steps=all" is an option string of its own, so "--steps FORMULA" never eats the formula
    group.add_argument(
        "--steps=all", dest="steps", action="store_const", const="all",
        help="the same, also showing the trivial steps (constants, the variable itself)",
    )  # fmt: skip


def wants(args: argparse.Namespace) -> bool:
    return getattr(args, "steps", None) is not None


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal; never with ``NO_COLOR`` set (no-color.org) or ``TERM=dumb``."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def derivation_json(derivation: symdiff.Derivation) -> str:
    """The steps as a JSON array; expressions are trees in the ``to_json`` schema."""
    rows = []
    for step in derivation.steps:
        head = json.dumps(
            {"step": step.number, "rule": step.rule, "detail": step.detail,
             "depth": step.depth, "uses": list(step.uses)}
        )  # fmt: skip
        rows.append(
            f'{head[:-1]}, "expr": {symdiff.to_json(step.expr)}, '
            f'"result": {symdiff.to_json(step.result)}}}'
        )
    return "[\n" + ",\n".join(rows) + "\n]"


def printed_size(derivation: symdiff.Derivation) -> int:
    """How many nodes the steps print: each step's expression and result written as trees."""
    roots = [e for step in derivation.steps for e in (step.expr, step.result)]
    sizes: dict[Expr, int] = {}
    for node in postorder(*roots):
        sizes[node] = 1 + sum(sizes[a] for a in node.args)
    return sum(sizes[root] for root in roots)


def run(args: argparse.Namespace, formula: str) -> str:
    if args.order != 1:
        raise SymdiffError("--steps explains a first derivative: leave out --order")
    expr = parse(formula)
    names = variables_of(args, expr)
    if len(names) > 1:
        raise SymdiffError("--steps explains one derivative at a time: give a single --wrt")
    size = dag_size(expr)
    if size > STEPS_MAX_FORMULA:
        raise SymdiffError(
            f"--steps explains formulas of up to {STEPS_MAX_FORMULA:,} distinct subexpressions; "
            f"this one has {size:,}: drop --steps for the derivative itself"
        )
    derivation = symdiff.explain(
        formula,
        names[0] if names else "x",
        all=args.steps == "all",
        simplify=getattr(args, "simplify", True),
    )
    printed = printed_size(derivation)
    if printed > STEPS_MAX_PRINTED:
        raise SymdiffError(
            f"the {len(derivation.steps):,} steps would print {printed:,} nodes (each step "
            f"writes its subexpression and result out in full; the limit is "
            f"{STEPS_MAX_PRINTED:,}): drop --steps for the derivative itself, which prints "
            "repeated parts once"
        )
    match args.format:
        case "latex":
            return derivation.to_latex()
        case "json":
            return derivation_json(derivation)
        case _:
            return derivation.text(color=use_color(sys.stdout))


class FriendlyParser(argparse.ArgumentParser):
    """argparse with a one-line error, a hint (a close option name, or ``--help``), status 2,
    and ``--help``/``--version`` written through ``output`` (argparse would hide a failure)."""

    def _print_message(self, message: str, file: Any = None) -> None:
        if message and file is sys.stdout:
            output.write(message.rstrip("\n"))
        elif message:
            output.to_stderr(message)

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = "see 'symdiff --help' for the options and examples"
        if "unrecognized arguments:" in message:
            wrong = [w for w in message.split(":", 1)[1].split() if w.startswith("-") and w != "--"]
            known = [o for o in self._option_string_actions if o.startswith("--")]
            for word in wrong:
                close = difflib.get_close_matches(word.split("=", 1)[0], known, n=1, cutoff=0.6)
                if close:
                    hint = f"did you mean {close[0]}? ({hint})"
                    break
            else:
                if wrong:  # --x: a formula that looks like an option goes after --
                    hint = f"for the formula {wrong[0]}, write: symdiff -- '{wrong[0]}' ({hint})"
        self.exit(2, f"{self.prog}: error: {message}\nhint: {hint}\n")


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
        self.done = threading.Event()
        self.drawn = False
        self.thread: threading.Thread | None = None

    def _tick(self) -> None:
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
        if self.enabled:
            self.thread = threading.Thread(target=self._tick, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        if self.thread is not None:
            self.thread.join()
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
