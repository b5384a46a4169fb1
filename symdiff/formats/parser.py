"""Formula strings to expressions: the grammar file, loaded once, with an inline transformer.

Each grammar alias (``-> sum``, ``-> call`` …) is a method of ``_Build`` that calls a smart
constructor, so parsing builds the canonical DAG directly on LALR's value stack.  ``parse``
feeds the parser token by token and applies the input policy on the way (README, "Formulas"):
limits on length, digits and nesting; errors for literals and words of other languages (``0x10``,
``1j``, ``lambda``); a ``FormulaWarning`` for readings that are legal but easy to get wrong.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import keyword
import os
import re
import unicodedata
import warnings
from typing import Any

import lark
from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from symdiff.core.constructors import add, as_expr, mul, negate, power
from symdiff.core.errors import DivisionByZeroError, FormulaWarning, NonFiniteError, ParseError
from symdiff.core.functions import CONSTANTS, NON_FINITE_WORDS, SPECIAL_FORMS, reserved_word
from symdiff.core.nodes import MINUS_ONE, Expr, Num, Sym
from symdiff.core.numbers import int_from_text
from symdiff.core.vocabulary import ALIASES, FUNCTIONS, call

#: Longest formula ``parse`` reads, in characters.
MAX_LENGTH = 1_000_000
#: Most digits in one number.
MAX_DIGITS = 100_000
#: Deepest nesting: open brackets (function calls included) plus powers in a chain (x**y**z).
MAX_DEPTH = 20_000

_READABLE = {
    "PLUS": "'+'", "MINUS": "'-'", "ADDOP": "'+', '-'", "MULOP": "'*', '/'", "POWER": "'**'",
    "LPAR": "'('", "RPAR": "')'", "COMMA": "','", "NAME": "a name", "NUMBER": "a number",
    "SYMBOL": "a name", "$END": "end of input",
}  # fmt: skip

#: What a Python keyword in a formula probably meant.
_KEYWORD_HINTS = {
    "import": "symdiff reads formulas, not Python statements: give the formula itself",
    "from": "symdiff reads formulas, not Python statements: give the formula itself",
    "if": "a formula has no conditional expressions: differentiate each branch on its own",
    "else": "a formula has no conditional expressions: differentiate each branch on its own",
    "lambda": "give the formula itself (x**2, not lambda x: x**2); a variable named lambda is "
    "written Symbol('lambda'), or call it lam",
    "and": "a formula has no logical operators",
    "or": "a formula has no logical operators",
    "not": "a formula has no logical operators",
    "True": "a formula has no truth values: write 1 or 0",
    "False": "a formula has no truth values: write 1 or 0",
    "None": "a formula has no None",
}

#: Characters people paste from other tools, and what to write instead.
_CHARACTER_HINTS = {
    "\u2212": "write '-'", "\u2013": "write '-'", "\u00d7": "write '*'", "\u00b7": "write '*'",
    "\u22c5": "write '*'", "\u2217": "write '*'", "\u00f7": "write '/'", "=": "give an "
    "expression, not an equation: leave out '= ...'", "[": "only round brackets ( ) group",
    "]": "only round brackets ( ) group", "{": "only round brackets ( ) group",
    "}": "only round brackets ( ) group", ";": "give one formula at a time", "!": "there is "
    "no factorial", "'": "a formula has no strings (a reserved name as a variable: Symbol('e'))",
    '"': "a formula has no strings (a reserved name as a variable: Symbol('e'))",
}  # fmt: skip

# Token classes of the grammar's terminals, for the policy checks in ``_read``.
_ENDS = frozenset({"NAME", "NUMBER", "SYMBOL", "RPAR"})  # an operand can end with these
_STARTS = frozenset({"NAME", "SYMBOL", "LPAR"})  # an implicit factor starts with these
_BARE = frozenset({"NAME", "SYMBOL"})
_CHAIN_ENDS = frozenset({"MULOP", "ADDOP", "COMMA"})  # end a chain of powers x**y**z
_KEYWORDS = frozenset(keyword.kwlist)
_FUNCTION_NAMES = frozenset(n for n in {*FUNCTIONS, *ALIASES, *SPECIAL_FORMS})
_HEX = re.compile(r"[xXoObB][0-9A-Fa-f_]+\Z")


class _Located(Exception):
    """Raised inside a callback; ``parse`` turns it into a ``ParseError`` with a caret."""

    def __init__(self, message: str, token: Token) -> None:
        super().__init__(message)
        self.message, self.token = message, token


def _shown(text: str, limit: int = 30) -> str:
    """A token's text for a message, cut short when it is long."""
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


class _Factors(list):
    """A product's factors, not multiplied yet: a sign in front of the product joins its
    coefficient in the same ``mul`` call, so ``-1.0*x`` keeps its float coefficient."""


def _product_value(item: Any, negative: bool = False) -> Expr:
    if type(item) is _Factors:
        return mul(*item, MINUS_ONE) if negative else mul(*item)
    return negate(item) if negative else item


@v_args(inline=True)
class _Build(Transformer):
    """Stateless inline transformer: one line per grammar alias."""

    def number(self, token: Token) -> Expr:
        text = str(token)
        if len(text) > MAX_DIGITS:
            mantissa = re.split("[eE]", text)[0]
            if len(mantissa) - mantissa.count(".") > MAX_DIGITS:
                raise _Located(f"number with more than {MAX_DIGITS:,} digits", token)
        if "." not in text and "e" not in text and "E" not in text:
            return Num(int_from_text(text))
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise _Located(f"number {_shown(text)} is too large for a float", token)
        if value == 0 and any(c in "123456789" for c in re.split("[eE]", text)[0]):
            raise _Located(f"number {_shown(text)} is too small for a float (it would be 0)", token)
        return Num(value)

    def var(self, token: Token) -> Expr:
        name = str(token)
        constant = CONSTANTS.get(name)
        if constant is not None:
            return constant
        if name in _FUNCTION_NAMES:
            raise _Located(f"{name} is a function: write {name}(...)", token)
        return Sym(name)

    def symbol(self, token: Token) -> Expr:
        return Sym(str(token).split("(", 1)[1].strip(" )")[1:-1])

    def call(self, token: Token, arguments: list[Expr] | None) -> Expr:
        name, args = str(token), arguments or []
        if name in SPECIAL_FORMS:
            constructor, accepted = SPECIAL_FORMS[name]
            try:
                return constructor(*args)
            except TypeError:
                raise _Located(f"{name} takes {accepted}, got {len(args)}", token) from None
        if reserved_word(name) != "function":
            shown = _shown(name)
            hint = f" (for a product write {shown}*(...))" if len(args) == 1 else ""
            if name == "Symbol":
                hint = " (a variable with a reserved name is written Symbol('name'))"
            raise _Located(f"unknown function {shown!r}{hint}", token)
        try:
            return call(name, *args)
        except ValueError as error:
            raise _Located(str(error), token) from None

    def arguments(self, *args: Expr) -> list[Expr]:
        return list(args)

    def sum(self, first: Any, *rest: Any) -> Expr:
        if not rest:
            return _product_value(first)
        terms = [_product_value(first)]
        for op, term in zip(rest[::2], rest[1::2], strict=True):
            terms.append(_product_value(term, op == "-"))
        return add(*terms)

    def product(self, first: Expr, *rest: Expr | Token) -> Expr | _Factors:
        if not rest:
            return first
        factors, op = _Factors([first]), None
        for item in rest:
            if type(item) is Token:
                op = item
                continue
            if op is not None and op == "/":
                try:
                    item = power(item, -1)
                except DivisionByZeroError:
                    raise _Located("division by zero", op) from None
            factors.append(item)
            op = None
        return factors

    def signed(self, product: Expr | _Factors) -> Expr | _Factors:
        if type(product) is _Factors:
            product.append(MINUS_ONE)
            return product
        return negate(product)

    def neg(self, a: Expr) -> Expr:
        return negate(a)

    def pow(self, base: Expr, op: Token, exp: Expr) -> Expr:
        try:
            return power(base, exp)
        except DivisionByZeroError:
            raise _Located("division by zero", op) from None


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


@functools.cache
def _symbol_pattern() -> re.Pattern[str]:
    """The grammar's ``SYMBOL`` terminal (``Symbol('e')``) as a compiled pattern."""
    return re.compile(parser().get_terminal("SYMBOL").pattern.to_regexp())


def _word_error(token: Token) -> _Located | None:
    """The error for a name that is a Python keyword or names a non-finite number."""
    name = token.value
    if name not in _KEYWORDS and (len(name) not in (3, 8) or name.lower() not in NON_FINITE_WORDS):
        return None  # the common case, without the full classification
    kind = reserved_word(name)
    if kind == "keyword":
        hint = _KEYWORD_HINTS.get(name, "it is not part of a formula")
        return _Located(f"{name!r} is a Python keyword: {hint}", token)
    if kind == "non-finite":
        return _Located(
            f"{name!r} is not a number in symdiff (its numbers are finite); a variable named "
            f"{name} is written Symbol('{name}')",
            token,
        )
    return None


def _literal_error(number: Token, name: Token) -> _Located | None:
    """The error for a number run into a name the way another language writes a literal:
    ``0x10``, ``0b101``, ``1_000``, ``1j``, ``1e`` (an exponent without digits)."""
    digits, word = _shown(number.value), _shown(name.value)
    text = repr(digits + word)
    if word in ("e", "E") and "e" in digits.lower():
        message = f"{text}: a number directly followed by {word}; write {digits}*{word}"
    elif word in ("e", "E"):
        message = (
            f"{text} has an incomplete exponent: write {digits}e3 for {digits} times 1000, "
            f"or {digits}*{word} for {digits} times the constant e"
        )
    elif word in ("j", "J"):
        message = f"{text} looks like a complex number: symdiff works with real numbers"
    elif word.startswith("_"):
        joined = digits + word.replace("_", "")
        hint = f"write {joined}" if joined.isdigit() else f"write {digits}*{word} for a product"
        message = f"{text}: numbers have no digit separators; {hint}"
    elif number.value == "0" and _HEX.match(name.value):
        base = {"x": 16, "o": 8, "b": 2}[word[0].lower()]
        kind = {16: "hexadecimal", 8: "octal", 2: "binary"}[base]
        try:
            hint = f"write {int(name.value[1:].replace('_', ''), base)}"
        except ValueError:
            hint = f"write 0*{word} for a product"
        if len(name.value) > 30:
            hint = "write the number in decimal"
        message = f"{text} looks like a {kind} literal: numbers are decimal; {hint}"
    else:
        return None
    return _Located(message, number)


def _character_hint(character: str) -> str:
    """What to write instead of a character the grammar does not know."""
    if character in _CHARACTER_HINTS:
        return f" ({_CHARACTER_HINTS[character]})"
    if not character.isascii():
        name = unicodedata.name(character, "")
        digit = unicodedata.digit(character, None)
        if digit is not None and "<super>" in unicodedata.decomposition(character):
            return f" (superscript {digit}: write **{digit})"
        if digit is not None:
            return f" ({name}: write the ASCII digit {digit})"
        if character.isspace():
            return f" ({name}: use an ordinary space)"
        if name.startswith("GREEK"):
            letter = name.split()[-1].lower()
            return f" ({name}: names are ASCII, write {letter})"
        if character.isalpha():
            return " (names use the ASCII letters A-Z, a-z, digits and '_')"
        if name:
            return f" ({name})"
    return ""


def _read(text: str) -> Expr:
    """Feed ``text`` to the parser token by token, applying the input policy on the way."""
    interactive = parser().parse_interactive(text)
    multiline = "\n" in text.strip()
    side_by_side: list[tuple[Token, Token]] = []
    runs = [0]  # powers in the open chain x**y**... at each bracket level
    chained = 0  # sum(runs)
    previous: Token | None = None
    pending: tuple[Token, Token] | None = None  # two bare names side by side, unless a call
    for token in interactive.iter_parse():
        kind = token.type
        if pending is not None:
            if kind != "LPAR":
                side_by_side.append(pending)
            pending = None
        if kind == "NAME" and (error := _word_error(token)) is not None:
            raise error
        if (
            previous is not None
            and kind in _STARTS
            and previous.type in _ENDS
            and not (kind == "LPAR" and previous.type == "NAME")
        ):  # an implicit product
            if multiline and "\n" in text[previous.end_pos : token.start_pos]:
                raise _Located(
                    f"a line break between {_shown(previous.value)!r} and "
                    f"{_shown(token.value)!r} would multiply them: write * to continue a product "
                    "on the next line, or give one formula per line",
                    token,
                )
            if previous.type == "NUMBER" and previous.end_pos == token.start_pos:
                if (error := _literal_error(previous, token)) is not None:
                    raise error
            elif previous.type in _BARE and kind in _BARE:
                if previous.type == "NAME" and reserved_word(previous.value) == "function":
                    raise _Located(
                        f"{previous.value} is a function: write {previous.value}({token.value})",
                        previous,
                    )
                pending = (previous, token)
            chained -= runs[-1]
            runs[-1] = 0
        elif kind == "POWER" or kind == "LPAR":
            if kind == "POWER":
                runs[-1] += 1
                chained += 1
            else:
                runs.append(0)
            if len(runs) - 1 + chained > MAX_DEPTH:
                raise _Located(f"formula nested more than {MAX_DEPTH:,} levels deep", token)
        elif kind == "RPAR":
            if len(runs) > 1:
                chained -= runs.pop()
        elif kind in _CHAIN_ENDS:
            chained -= runs[-1]
            runs[-1] = 0
        previous = token
    if pending is not None:
        side_by_side.append(pending)
    result = interactive.feed_eof(previous)
    if side_by_side:
        more = len(side_by_side) - 1
        others = f" (and {more:,} more such products)" if more else ""
        warnings.warn(_side_by_side(*side_by_side[0]) + others, FormulaWarning, stacklevel=3)
    if multiline:
        lines = text.strip().count("\n") + 1
        message = f"the formula spans {lines:,} lines; they were read as one formula"
        warnings.warn(message, FormulaWarning, stacklevel=3)
    return result


def _side_by_side(first: Token, second: Token) -> str:
    a, b = _shown(first.value), _shown(second.value)
    return (
        f"'{a} {b}' at line {first.line}, column {first.column} was read as the product "
        f"{a}*{b}: write {a}*{b} to say so, or {a}{b} for one name"
    )


def _expected(error: UnexpectedInput) -> str:
    names = sorted(getattr(error, "expected", None) or getattr(error, "allowed", None) or ())
    readable = sorted({_READABLE.get(n, n.lower()) for n in names})
    return f"; expected {', '.join(readable)}" if readable else ""


def _end_of_input(text: str, error: UnexpectedInput) -> ParseError:
    lines = text.split("\n")
    message = "unexpected end of input" + _expected(error)
    return ParseError(message, text, len(lines), len(lines[-1].rstrip("\r")) + 1)


def parse(text: str) -> Expr:
    """Parse a formula (``"x**2*y + 3x + sin(y)"``) into a canonical expression.

    Raises ``ParseError`` (a ``ValueError``) with line, column and a caret for bad input, and
    warns (``FormulaWarning``) where a legal reading is easy to get wrong (``x y``).  ``pi``,
    ``e`` and ``E`` are constants; a variable must use another name (``e1``, ``eps``) or be
    written ``Symbol('e')``.  Limits: ``MAX_LENGTH`` characters, ``MAX_DIGITS`` digits per
    number, ``MAX_DEPTH`` levels of nesting.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse expects a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(
            f"formula too long: {len(text):,} characters (the limit is {MAX_LENGTH:,})"
        )
    if not text.strip():
        raise ParseError("empty formula", text, 1, 1)
    try:
        return _read(text)
    except _Located as error:
        token = error.token
        raise ParseError(error.message, text, token.line or 1, token.column or 1) from None
    except UnexpectedCharacters as error:
        character = text[error.pos_in_stream or 0]
        message = f"unexpected character {character!r}" + _character_hint(character)
        raise ParseError(message, text, error.line, error.column) from None
    except UnexpectedEOF as error:
        raise _end_of_input(text, error) from None
    except UnexpectedToken as error:
        token = error.token
        if token.type == "$END":
            raise _end_of_input(text, error) from None
        message = f"unexpected {_shown(str(token))!r}" + _expected(error)
        raise ParseError(message, text, token.line, token.column) from None
    except DivisionByZeroError as error:
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
    if _symbol_pattern().fullmatch(name):
        return Sym(name.split("(", 1)[1].strip(" )")[1:-1])
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ParseError(
            f"{_shown(name)!r} is not a variable name: use letters, digits and '_' "
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
