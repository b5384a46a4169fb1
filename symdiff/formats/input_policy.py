"""The input policy of formulas, applied token by token as the parser reads them.

Limits on length, digits and nesting; errors for the literals and words of other languages
(``0x10``, ``1_000``, ``1j``, ``1e``, ``lambda``, ``inf``) and for characters pasted from other
tools (Arabic-Indic digits, the multiplication sign, superscripts), each saying what to write
instead; and a ``FormulaWarning`` for readings that are legal but easy to get wrong (``x y``, a
formula over several lines).  README, "Formulas", states the policy; ``symdiff.formats.parser``
applies it through ``read``.
"""

from __future__ import annotations

import keyword
import re
import warnings

from symdiff.core.errors import FormulaWarning
from symdiff.core.functions import NON_FINITE_WORDS, reserved_word
from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.formats.lalr import Token, UnexpectedInput

if TYPE_CHECKING:
    from typing import Any

#: Longest formula ``parse`` reads, in characters.
MAX_LENGTH = 1_000_000
#: Most digits in one number.
MAX_DIGITS = 100_000
#: Deepest nesting: open brackets (function calls included) plus powers in a chain (x**y**z).
MAX_DEPTH = 20_000

#: What a Python keyword in a formula probably meant.
_KEYWORD_HINTS = {
    "import": "symdiff reads formulas, not Python statements: give the formula itself",
    "from": "symdiff reads formulas, not Python statements: give the formula itself",
    "if": "a conditional value is written where(condition, a, b) (or piecewise((a, cond), "
    "(b, True)))",
    "else": "a conditional value is written where(condition, a, b) (or piecewise((a, cond), "
    "(b, True)))",
    "lambda": "give the formula itself (x**2, not lambda x: x**2); a variable named lambda is "
    "written Symbol('lambda'), or call it lam",
    "and": "and, or, not combine conditions (x > 0 and y < 1), inside where(...)",
    "or": "and, or, not combine conditions (x > 0 and y < 1), inside where(...)",
    "not": "and, or, not combine conditions (x > 0 and y < 1), inside where(...)",
    "True": "True and False are conditions (piecewise((a, x > 0), (b, True))), not numbers: "
    "write 1 or 0",
    "False": "True and False are conditions (piecewise((a, x > 0), (b, True))), not numbers: "
    "write 1 or 0",
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
_STARTS = frozenset(
    {"NAME", "SYMBOL", "LPAR", "FUNCTION", "DECLARED"}
)  # an implicit factor starts with these
_BARE = frozenset({"NAME", "SYMBOL"})
_CHAIN_ENDS = frozenset({"MULOP", "ADDOP", "COMMA"})  # end a chain of powers x**y**z
_KEYWORDS = frozenset(keyword.kwlist)
_HEX = r"[xXoObB][0-9A-Fa-f_]+\Z"  # (compiled on first use, by re's cache: start-up)


class Located(Exception):
    """Raised inside a callback; ``parse`` turns it into a ``ParseError`` with a caret."""

    def __init__(self, message: str, token: Token) -> None:
        super().__init__(message)
        self.message, self.token = message, token


def shown(text: str, limit: int = 30) -> str:
    """A token's text for a message, cut short when it is long."""
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def _word_error(token: Token) -> Located | None:
    """The error for a name that is a Python keyword or names a non-finite number."""
    name = token.value
    if name not in _KEYWORDS and (len(name) not in (3, 8) or name.lower() not in NON_FINITE_WORDS):
        return None  # the common case, without the full classification
    kind = reserved_word(name)
    if kind == "keyword":
        hint = _KEYWORD_HINTS.get(name, "it is not part of a formula")
        return Located(f"{name!r} is a Python keyword: {hint}", token)
    if kind == "non-finite":
        return Located(
            f"{name!r} is not a number in symdiff (its numbers are finite); a variable named "
            f"{name} is written Symbol('{name}')",
            token,
        )
    return None


def literal_error(number: Token, name: Token) -> Located | None:
    """The error for a number run into a name the way another language writes a literal:
    ``0x10``, ``0b101``, ``1_000``, ``1j``, ``1e`` (an exponent without digits)."""
    digits, word = shown(number.value), shown(name.value)
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
    elif number.value == "0" and re.match(_HEX, name.value):
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
    return Located(message, number)


def character_hint(character: str) -> str:
    """What to write instead of a character the grammar does not know."""
    if character in _CHARACTER_HINTS:
        return f" ({_CHARACTER_HINTS[character]})"
    if not character.isascii():
        import unicodedata  # (only an error message needs it: start-up)

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


def read(interactive: Any, text: str, declared: frozenset[str] = frozenset()) -> Any:
    """Feed ``text`` to an interactive parser (``symdiff.formats.lalr``) token by token,
    applying the policy on the way; the parser's result (an expression, built by its
    transformer).

    A name in ``declared`` (unknown functions) is passed on as a ``DECLARED`` token, which the
    grammar reads only as a call: ``f(x)``; a bare declared ``f`` is an error.
    """
    multiline = "\n" in text.strip()
    side_by_side: list[tuple[Token, Token]] = []
    runs = [0]  # powers in the open chain x**y**... at each bracket level
    chained = 0  # sum(runs)
    previous: Token | None = None
    pending: tuple[Token, Token] | None = None  # two bare names side by side, unless a call
    tokens = interactive.iter_parse()
    while True:
        try:
            token = next(tokens)
        except StopIteration:
            break
        except UnexpectedInput:
            if previous is not None and previous.type == "DECLARED":
                raise _bare_function(previous) from None
            raise
        if previous is not None and previous.type == "DECLARED" and token.type != "LPAR":
            raise _bare_function(previous)
        if token.type == "NAME" and token.value in declared:
            token.type = "DECLARED"
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
                raise Located(
                    f"a line break between {shown(previous.value)!r} and "
                    f"{shown(token.value)!r} would multiply them: write * to continue a product "
                    "on the next line, or give one formula per line",
                    token,
                )
            if previous.type == "NUMBER" and previous.end_pos == token.start_pos:
                if (error := literal_error(previous, token)) is not None:
                    raise error
            elif previous.type in _BARE and kind in _BARE:
                if previous.type == "NAME" and reserved_word(previous.value) == "function":
                    raise Located(
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
                raise Located(f"formula nested more than {MAX_DEPTH:,} levels deep", token)
        elif kind == "RPAR":
            if len(runs) > 1:
                chained -= runs.pop()
        elif kind in _CHAIN_ENDS:
            chained -= runs[-1]
            runs[-1] = 0
        previous = token
    if pending is not None:
        side_by_side.append(pending)
    if previous is not None and previous.type == "DECLARED":
        raise _bare_function(previous)
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


def _bare_function(token: Token) -> Located:
    name = token.value
    return Located(f"{name} is declared a function: write {name}(...)", token)


def _side_by_side(first: Token, second: Token) -> str:
    a, b = shown(first.value), shown(second.value)
    return (
        f"'{a} {b}' at line {first.line}, column {first.column} was read as the product "
        f"{a}*{b}: write {a}*{b} to say so, or {a}{b} for one name"
    )
