"""Formula strings to expressions: the grammar's LALR tables with an inline transformer.

Each grammar alias (``-> sum``, ``-> call`` …) is a method of ``parse_rules.Build`` that calls
a smart constructor, so parsing builds the canonical DAG directly on LALR's value stack.
``parse`` reads a formula in one pass (``fast_read``) when nothing in it needs a message, and
otherwise token by token through ``input_policy.read``, which applies the input policy on the
way (limits, foreign literals and words, warnings; README, "Formulas").  The tables are Lark's
for ``grammar/symdiff.lark``, generated into ``lalr_tables`` (``symdiff.formats.lalr`` runs
them without importing Lark); when the grammar file has changed since, they are built from it
at first use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from types import SimpleNamespace

from symdiff.core.constructors import as_expr
from symdiff.core.errors import DivisionByZeroError, NonFiniteError, ParseError
from symdiff.core.functions import reserved_word
from symdiff.core.nodes import Expr, Sym, is_name
from symdiff.core.typing_lite import TYPE_CHECKING, cast
from symdiff.formats.input_policy import (
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_LENGTH,
    Located,
    character_hint,
    read,
    shown,
)
from symdiff.formats.lalr import (
    Parser,
    UnexpectedCharacters,
    UnexpectedInput,
    UnexpectedToken,
    grammar_text,
)
from symdiff.formats.parse_calls import declared_functions
from symdiff.formats.parse_conditions import Unlocated, number_operand
from symdiff.formats.parse_rules import Build

if TYPE_CHECKING:
    from typing import Any

    from symdiff.formats.fast_read import FastReader

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_LENGTH",
    "grammar_text",
    "parse",
    "parse_any",
    "parse_variable",
]

_READABLE = {
    "PLUS": "'+'", "MINUS": "'-'", "ADDOP": "'+', '-'", "MULOP": "'*', '/'", "POWER": "'**'",
    "LPAR": "'('", "RPAR": "')'", "COMMA": "','", "NAME": "a name", "NUMBER": "a number",
    "SYMBOL": "a name", "FUNCTION": "a function", "DECLARED": "a function",
    "PRIMED": "a function", "$END": "end of input",
    "COMPARE": "a comparison", "TRUTH": "True", "OR": "'or'", "AND": "'and'", "NOT": "'not'",
}  # fmt: skip


@functools.cache
def parser() -> Parser:
    """The LALR parser, built once per process from the generated tables (or, when the
    grammar file has changed since they were generated, from the grammar itself)."""
    from symdiff.formats import lalr_tables

    text = grammar_text()
    tables: Any = lalr_tables
    if text != lalr_tables.GRAMMAR:  # run `python -m symdiff.formats.lalr_generate`
        from symdiff.formats.lalr_generate import tables as generate

        tables = SimpleNamespace(**generate(text))
    return Parser(tables, Build())


@functools.cache
def fast_reader() -> FastReader:
    """The one-pass reader of the parser's tables (``fast_read``), made once per process (and
    imported then: a command reads one formula, the long way)."""
    from symdiff.formats.fast_read import FastReader

    return FastReader(parser())


#: Whether a formula was read yet: the one-pass reader starts with the second (its tables cost
#: about what it saves on one formula, and a command reads one: start-up).
_started = [False]


def _read_at_once(text: str, declared: frozenset[str]) -> Any:
    """The formula's value read in one pass (``fast_read``), or None when it needs a message
    (or is the first formula): then ``parse`` reads it token by token through the input
    policy (``input_policy.read``), which raises or warns as it should."""
    if not _started[0]:
        _started[0] = True
        return None
    try:
        return fast_reader().read(text, declared)
    except Exception:  # an error of a callback: its message comes from the long way
        return None


@functools.cache
def _symbol_pattern() -> re.Pattern[str]:
    """The grammar's ``SYMBOL`` terminal (``Symbol('e')``) as a compiled pattern."""
    return re.compile(parser().terminals["SYMBOL"])


def _expected(error: UnexpectedInput) -> str:
    names = sorted(getattr(error, "expected", None) or getattr(error, "allowed", None) or ())
    readable = sorted({_READABLE.get(n, n.lower()) for n in names})
    return f"; expected {', '.join(readable)}" if readable else ""


def _end_of_input(text: str, error: UnexpectedInput) -> ParseError:
    lines = text.split("\n")
    message = "unexpected end of input" + _expected(error)
    return ParseError(message, text, len(lines), len(lines[-1].rstrip("\r")) + 1)


def parse(text: str, functions: str | Iterable[str] | None = None) -> Expr:
    """Parse a formula (``"x**2*y + 3x + sin(y)"``) into a canonical expression.

    ``functions="f g"`` declares unknown functions: ``f(x)``, ``g(x, y)`` (else ``f(x)`` is
    an error, which suggests ``f*(x)``); ``Function('f')(x)`` declares itself, and is how
    ``str`` prints one, so ``parse(str(e)) is e`` always.

    Raises ``ParseError`` (a ``ValueError``) with line, column and a caret for bad input, and
    warns (``FormulaWarning``) where a legal reading is easy to get wrong (``x y``).  ``pi``,
    ``e`` and ``E`` are constants; a variable must use another name (``e1``, ``eps``) or be
    written ``Symbol('e')``.  Limits: ``MAX_LENGTH`` characters, ``MAX_DIGITS`` digits per
    number, ``MAX_DEPTH`` levels of nesting.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse expects a string, got {type(text).__name__}")
    declared = declared_functions(functions)
    if len(text) > MAX_LENGTH:
        raise ParseError(
            f"formula too long: {len(text):,} characters (the limit is {MAX_LENGTH:,})"
        )
    if not text.strip():
        raise ParseError("empty formula", text, 1, 1)
    try:
        result = _read_at_once(text, declared)
        if result is None:  # (called from here: the policy's warnings name parse's caller)
            result = read(parser().parse_interactive(text), text, declared)
        if type(result) is tuple:
            number_operand(result)
        return cast(Expr, result)
    except Located as error:
        token = error.token
        raise ParseError(error.message, text, token.line or 1, token.column or 1) from None
    except UnexpectedCharacters as error:
        character = text[error.pos_in_stream or 0]
        message = f"unexpected character {character!r}" + character_hint(character)
        raise ParseError(message, text, error.line, error.column) from None
    except UnexpectedToken as error:
        token = error.token
        if token.type == "$END":
            raise _end_of_input(text, error) from None
        message = f"unexpected {shown(str(token))!r}" + _expected(error)
        raise ParseError(message, text, token.line, token.column) from None
    except (DivisionByZeroError, Unlocated) as error:
        raise ParseError(str(error), text, 1, 1) from None
    except NonFiniteError as error:
        raise ParseError(str(error), text) from None
    except OverflowError as error:  # a float met an integer too large for a float
        raise ParseError(f"constant arithmetic overflowed a float ({error})", text) from None


def parse_variable(text: str, expr: Expr | None = None) -> Sym:
    """The variable a name stands for, read as a formula reads it: ``"x"``, ``"theta_dot"``,
    or ``"Symbol('e')"`` for a name that formulas reserve.

    For command-line options such as ``--wrt``: a function name, constant or keyword is a
    ``ParseError`` that says what the name is (``"sin"`` is a function, ``"e"`` a constant),
    unless ``expr`` is given and has a variable of that very name (built as ``Sym("sin")``).
    """
    name = text.strip()
    if expr is not None and any(s.name == name for s in expr.free_symbols):
        return Sym(name)
    if "(" in name and _symbol_pattern().fullmatch(name):  # (compiled only for Symbol(...))
        return Sym(name.split("(", 1)[1].strip(" )")[1:-1])
    if not is_name(name):
        raise ParseError(
            f"{shown(name)!r} is not a variable name: use letters, digits and '_' "
            "(starting with a letter or '_')"
        )
    kind = reserved_word(name)
    escaped = f"a variable named {name} is written Symbol('{name}')"
    if kind == "function":
        raise ParseError(f"{name} is a function, not a variable ({escaped})")
    if kind == "constant":
        raise ParseError(f"{name} is a constant, not a variable ({escaped})")
    if kind is not None:
        raise ParseError(f"{name!r} is not a variable name in formulas ({escaped})")
    return Sym(name)


def parse_any(value: Any) -> Expr:
    """An expression from a string (parsed), an ``Expr``, or a number."""
    return parse(value) if isinstance(value, str) else as_expr(value)
