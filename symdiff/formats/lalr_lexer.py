"""The tokens and the contextual lexer of ``symdiff.formats.lalr``: ``Token``, the two error
classes of Lark's LALR front end, and one parser state's scanner (its terminals as one regular
expression, compiled per first character on first use).
"""

from __future__ import annotations

import os
import re

from symdiff.core.typing_lite import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "Scanner",
    "Token",
    "UnexpectedCharacters",
    "UnexpectedInput",
    "UnexpectedToken",
    "grammar_text",
]


def grammar_text() -> str:
    """The grammar file shipped as package ``symdiff.grammar`` (read without the cost of
    importing ``importlib.resources``; wheels install packages as plain directories)."""
    import symdiff.grammar as grammar  # type: ignore[import-not-found]  # (from grammar/)

    folder = os.path.dirname(grammar.__file__ or "")
    with open(os.path.join(folder, "symdiff.lark"), encoding="utf-8") as file:
        return file.read()


class Token:
    """A terminal of the grammar as read from the text: ``type`` (``NAME``, ``NUMBER``, …),
    ``value`` (its text) and its offsets; ``line`` and ``column`` count from 1."""

    __slots__ = ("_text", "end_pos", "start_pos", "type", "value")

    def __init__(self, type_: str, value: str, start_pos: int, end_pos: int, text: str) -> None:
        self.type, self.value, self.start_pos, self.end_pos = type_, value, start_pos, end_pos
        self._text = text

    @property
    def line(self) -> int:
        return self._text.count("\n", 0, self.start_pos) + 1

    @property
    def column(self) -> int:
        return self.start_pos - self._text.rfind("\n", 0, self.start_pos)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        return self.value == (other.value if isinstance(other, Token) else other)

    def __hash__(self) -> int:
        return hash(self.value)


class UnexpectedInput(Exception):
    """The text does not follow the grammar."""


class UnexpectedCharacters(UnexpectedInput):
    """No terminal of the grammar starts at ``pos_in_stream``."""

    def __init__(self, text: str, pos: int, allowed: frozenset[str]) -> None:
        probe = Token("", "", pos, pos, text)
        self.pos_in_stream, self.line, self.column = pos, probe.line, probe.column
        self.allowed = allowed
        where = f"line {self.line}, column {self.column}"
        super().__init__(f"unexpected character {text[pos]!r} at {where}")


class UnexpectedToken(UnexpectedInput):
    """``token`` cannot come here; ``expected`` are the terminals that could."""

    def __init__(self, token: Token, expected: frozenset[str]) -> None:
        self.token, self.expected = token, expected
        self.line, self.column = token.line, token.column
        super().__init__(f"unexpected {token!r}; expected one of {sorted(expected)}")


class Scanner:
    """One state's lexer: its terminals as one alternation, tried in Lark's order.

    For a token starting with an ASCII character only the terminals that can start with it
    (``FIRST``) are in the alternation: the same match, as the others cannot match there, and
    compiling each state's full alternation was a tenth of the command's start-up.  The
    alternations are compiled on first use and shared by the scanners of one parser.
    """

    def __init__(self, spec: tuple[Any, ...], parser: Any) -> None:
        self.names, self.unless, allowed = spec
        self.allowed = frozenset(allowed)
        self._parser = parser
        #: the alternation to match at a character (filled in by ``at``)
        self.by_char: dict[str, re.Pattern[str]] = {}

    @property
    def regex(self) -> re.Pattern[str]:
        """The alternation of all the scanner's terminals."""
        return self._parser.alternation(self.names)

    def at(self, char: str) -> re.Pattern[str]:
        """The alternation to match where the text continues with ``char``."""
        found = self.by_char.get(char)
        if found is None:
            first = self._parser.first
            names = self.names
            if char.isascii():
                names = tuple(n for n in names if (f := first.get(n)) is None or char in f)
            found = self.by_char[char] = self._parser.alternation(names)
        return found
