"""Formula strings to expressions: the grammar file, loaded once, with an inline transformer.

Each grammar alias (``-> add``, ``-> call`` …) is a method of ``_Build`` that calls a smart
constructor, so parsing builds the canonical DAG directly on LALR's value stack.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from typing import Any, cast

import lark
from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from symdiff.core.constructors import add, as_expr, mul, negate, power
from symdiff.core.errors import DivisionByZeroError, ParseError
from symdiff.core.functions import PI, SPECIAL_FORMS, E
from symdiff.core.nodes import Expr, Num, Sym
from symdiff.core.numbers import int_from_text
from symdiff.core.vocabulary import ALIASES, FUNCTIONS, call

#: Names that are constants, not variables.
CONSTANTS: dict[str, Expr] = {"pi": PI, "e": E, "E": E}

_READABLE = {
    "PLUS": "'+'", "MINUS": "'-'", "ADDOP": "'+', '-'", "MULOP": "'*', '/'", "POWER": "'**'",
    "LPAR": "'('", "RPAR": "')'", "COMMA": "','", "NAME": "a name", "NUMBER": "a number",
    "$END": "end of input",
}  # fmt: skip


class _Located(Exception):
    """Raised inside a callback; ``parse`` turns it into a ``ParseError`` with a caret."""

    def __init__(self, message: str, token: Token) -> None:
        super().__init__(message)
        self.message, self.token = message, token


@v_args(inline=True)
class _Build(Transformer):
    """Stateless inline transformer: one line per grammar alias."""

    def number(self, token: Token) -> Expr:
        text = str(token)
        if any(c in text for c in ".eE"):
            value = float(text)
            if value in (float("inf"), float("-inf")):
                raise _Located(f"number {text} is too large for a float", token)
            return Num(value)
        return Num(int_from_text(text))

    def var(self, token: Token) -> Expr:
        name = str(token)
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS or name in ALIASES or name in SPECIAL_FORMS:
            raise _Located(f"{name} is a function: write {name}(...)", token)
        return Sym(name)

    def call(self, token: Token, arguments: list[Expr] | None) -> Expr:
        name, args = str(token), arguments or []
        if name in SPECIAL_FORMS:
            constructor, accepted = SPECIAL_FORMS[name]
            try:
                return constructor(*args)
            except TypeError:
                raise _Located(f"{name} takes {accepted}, got {len(args)}", token) from None
        if name not in FUNCTIONS and name not in ALIASES:
            hint = f" (for a product write {name}*(...))" if len(args) == 1 else ""
            raise _Located(f"unknown function {name!r}{hint}", token)
        try:
            return call(name, *args)
        except ValueError as error:
            raise _Located(str(error), token) from None

    def arguments(self, *args: Expr) -> list[Expr]:
        return list(args)

    def sum(self, first: Expr, *rest: Any) -> Expr:
        terms = [first]
        for op, term in zip(rest[::2], rest[1::2], strict=True):
            terms.append(term if op == "+" else negate(term))
        return add(*terms)

    def product(self, first: Expr, *rest: Expr | Token) -> Expr:
        factors, op = [first], None
        for item in rest:
            if isinstance(item, Token):
                op = item
                continue
            if op == "/":
                try:
                    item = power(item, -1)
                except DivisionByZeroError:
                    raise _Located("division by zero", op) from None
            factors.append(item)
            op = None
        return mul(*factors)

    def neg(self, a: Expr) -> Expr:
        return negate(a)

    def pow(self, base: Expr, _op: Token, exp: Expr) -> Expr:
        return power(base, exp)


def grammar_text() -> str:
    """The grammar file shipped as package ``symdiff.grammar`` (read without the cost of
    importing ``importlib.resources``; wheels install packages as plain directories)."""
    import symdiff.grammar as grammar  # type: ignore[import-not-found]  # (from grammar/)

    folder = os.path.dirname(grammar.__file__ or "")
    with open(os.path.join(folder, "symdiff.lark"), encoding="utf-8") as file:
        return file.read()


def _cache_file(grammar: str) -> str | None:
    """A per-user file for Lark's cached parse tables (faster start-up), or None."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = hashlib.sha256(f"{grammar}|{lark.__version__}".encode()).hexdigest()[:16]
    folder = os.path.join(base, "symdiff")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return os.path.join(folder, f"grammar-{digest}.lark-cache")


@functools.cache
def parser() -> Lark:
    """The LALR parser, built once per process (its tables cached on disk between processes)."""
    text = grammar_text()
    options = {"parser": "lalr", "transformer": _Build(), "maybe_placeholders": True}
    cache = _cache_file(text)
    for attempt in range(2 if cache else 0):
        try:
            return Lark(text, cache=cache, **options)
        except Exception:  # an unreadable or corrupt cache must never stop parsing: rebuild it
            if attempt == 0:
                with contextlib.suppress(OSError):
                    os.remove(cache)  # type: ignore[arg-type]
    return Lark(text, **options)


def _expected(error: UnexpectedInput) -> str:
    names = sorted(getattr(error, "expected", None) or getattr(error, "allowed", None) or ())
    readable = sorted({_READABLE.get(n, n.lower()) for n in names})
    return f"; expected {', '.join(readable)}" if readable else ""


def parse(text: str) -> Expr:
    """Parse a formula (``"x**2*y + 3x + sin(y)"``) into a canonical expression.

    Raises ``ParseError`` (a ``ValueError``) with line, column and a caret for bad input.
    ``pi``, ``e`` and ``E`` are constants; a variable must use another name (``e1``, ``eps``).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse expects a string, got {type(text).__name__}")
    if not text.strip():
        raise ParseError("empty formula", text, 1, 1)
    try:
        return cast(Expr, parser().parse(text))  # the transformer builds expressions
    except _Located as error:
        token = error.token
        raise ParseError(error.message, text, token.line or 1, token.column or 1) from None
    except UnexpectedCharacters as error:
        message = f"unexpected character {text[error.pos_in_stream or 0]!r}"
        raise ParseError(message, text, error.line, error.column) from None
    except UnexpectedEOF as error:
        lines = text.splitlines() or [""]
        message = "unexpected end of input" + _expected(error)
        raise ParseError(message, text, len(lines), len(lines[-1]) + 1) from None
    except UnexpectedToken as error:
        token = error.token
        if token.type == "$END":
            lines = text.splitlines() or [""]
            message = "unexpected end of input" + _expected(error)
            raise ParseError(message, text, len(lines), len(lines[-1]) + 1) from None
        message = f"unexpected {str(token)!r}" + _expected(error)
        raise ParseError(message, text, token.line, token.column) from None
    except DivisionByZeroError as error:
        raise ParseError(str(error), text, 1, 1) from None


def parse_any(value: Any) -> Expr:
    """An expression from a string (parsed), an ``Expr``, or a number."""
    return parse(value) if isinstance(value, str) else as_expr(value)
