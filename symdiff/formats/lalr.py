"""A small LALR(1) parser and contextual lexer that run tables Lark computed from the grammar.

``symdiff.formats.lalr_generate`` copies Lark's tables for ``grammar/symdiff.lark`` into plain
data; this module runs them the way Lark's own LALR front end does (same tokens, same reduce
callbacks and child shaping, same error classes and positions), without importing Lark.
Tokens carry their offsets; their line and column are worked out from the text only when a
message needs them (``symdiff.formats.lalr_lexer``: tokens, errors, the contextual lexer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from types import ModuleType

from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.formats.lalr_lexer import (
    Scanner,
    Token,
    UnexpectedCharacters,
    UnexpectedInput,
    UnexpectedToken,
    grammar_text,
)

if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "Parser",
    "Token",
    "UnexpectedCharacters",
    "UnexpectedInput",
    "UnexpectedToken",
    "grammar_text",
]


class _Tree:
    """The value of a rule with no callback (Lark's default tree): only its children matter."""

    __slots__ = ("children", "data")

    def __init__(self, data: str, children: list[Any]) -> None:
        self.data, self.children = data, children


def _reducer(rule: tuple[Any, ...], transformer: object) -> Callable[[list[Any]], Any] | None:
    """The callback of one grammar rule: Lark's child filter, single-child inlining and the
    transformer method named by the rule's alias (or a ``_Tree``); None for a rule that passes
    its one child on unchanged (``?atom: primary``, or a one-child rule whose alias the
    transformer lists in ``PASS_ON``: its method would return the child), which the parser
    skips."""
    _origin, size, name, expand1, include, append_none = rule
    method = getattr(transformer, name, None)
    pass_on: frozenset[str] = getattr(type(transformer), "PASS_ON", frozenset())
    if include is None and size == 1 and (expand1 or name in pass_on):
        return None
    if include is None and not expand1:
        if method is None:
            return lambda children: _Tree(name, children)
        return lambda children: method(*children)
    quick = None if append_none else _quick_reducer(include, expand1, name, method)
    if quick is not None:
        return quick

    def reduce(children: list[Any]) -> Any:
        if include is not None:
            filtered: list[Any] = []
            for i, expand, nones in include:
                if nones:
                    filtered += [None] * nones
                if expand:
                    if filtered:
                        filtered += children[i].children
                    else:  # left recursion: grow the child's list in place
                        filtered = children[i].children
                else:
                    filtered.append(children[i])
            if append_none:
                filtered += [None] * append_none
            children = filtered
        if expand1 and len(children) == 1:
            return children[0]
        if method is None:
            return _Tree(name, children)
        return method(*children)

    return reduce


def _quick_reducer(
    include: tuple[tuple[int, bool, int], ...], expand1: bool, name: str, method: Any
) -> Callable[[list[Any]], Any] | None:
    """``_reducer``'s callback written out for the child filters of the common rules (no
    placeholders): picked children; a left-recursive list grown in place; a first child and
    a list of more.  None for the others."""
    if any(nones for _, _, nones in include):
        return None
    picks = tuple(i for i, expand, _ in include if not expand)
    if len(picks) == len(include):  # no expansion: the children picked
        if len(picks) == 1:
            (i,) = picks
            if expand1:
                return lambda children: children[i]
            if method is not None:
                return lambda children: method(children[i])
        if len(picks) == 2 and method is not None:
            i, j = picks
            return lambda children: method(children[i], children[j])
        if method is None:
            return lambda children: _Tree(name, [children[i] for i in picks])
        return None
    if include[0][:2] == (0, True) and picks == tuple(i for i, _, _ in include[1:]):

        def grow(children: list[Any]) -> Any:  # left recursion: grow the child's list in place
            grown = children[0].children
            grown += [children[i] for i in picks]
            if expand1 and len(grown) == 1:
                return grown[0]
            return _Tree(name, grown) if method is None else method(*grown)

        return grow
    if include == ((0, False, 0), (1, True, 0)) and not expand1:
        if method is None:
            return lambda children: _Tree(name, [children[0], *children[1].children])
        return lambda children: method(children[0], *children[1].children)
    return None


class Parser:
    """The LALR(1) parser of a tables module (``lalr_tables``) with a transformer whose methods
    are the grammar's aliases."""

    def __init__(self, tables: ModuleType | Any, transformer: object) -> None:
        self.states: tuple[dict[str, int], ...] = tables.STATES
        self.end: int = tables.END
        self.ignore = frozenset(tables.IGNORE)
        self.rules = [(rule[0], rule[1], _reducer(rule, transformer)) for rule in tables.RULES]
        #: each rule's alias (the transformer's method name) and its shape, as in the tables
        self.aliases: tuple[str, ...] = tuple(rule[2] for rule in tables.RULES)
        self.shapes: tuple[tuple[Any, ...], ...] = tuple(tables.RULES)
        self.transformer = transformer
        self._patterns: dict[str, str] = tables.PATTERNS
        self._specs: tuple[Any, ...] = tables.SCANNERS
        self._state_scanners: tuple[int, ...] = tables.STATE_SCANNERS
        self._root_spec = tables.ROOT_SCANNER
        self._scanners: dict[int, Scanner] = {}
        self._root: Scanner | None = None
        #: terminal -> the ASCII characters its matches start with (None: any)
        self.first: dict[str, str | None] = tables.FIRST
        self._alternations: dict[tuple[str, ...], re.Pattern[str]] = {}
        self._by_state: list[Scanner | None] = [None] * len(self.states)
        self.terminals = dict(self._patterns)
        #: (state below, state, terminal) -> the state after the unit reductions it starts
        self.units: dict[tuple[int, int, str], int] = {}

    def scanner(self, state: int) -> Scanner:
        """The lexer of a parser state (compiled on first use)."""
        found = self._by_state[state]
        if found is None:
            index = self._state_scanners[state]
            found = self._scanners.get(index)
            if found is None:
                found = self._scanners[index] = Scanner(self._specs[index], self)
            self._by_state[state] = found
        return found

    def root(self) -> Scanner:
        if self._root is None:
            self._root = Scanner(self._root_spec, self)
        return self._root

    def alternation(self, names: tuple[str, ...]) -> re.Pattern[str]:
        """The terminals ``names`` as one regular expression, tried in that order (each group
        named after its terminal; compiled once per parser)."""
        found = self._alternations.get(names)
        if found is None:
            patterns = self._patterns
            text = "|".join(f"(?P<{n}>{patterns[n]})" for n in names) or "(?!)"
            found = self._alternations[names] = re.compile(text)
        return found

    def after_units(self, below: int, top: int, type_: str) -> int:
        """The state that the chain of unit reductions started by ``type_`` in state ``top``
        (over ``below``) ends in: each replaces the top state by a goto from ``below``; the
        chain stops at a shift, a reduction with a callback, an error, or (at the end of the
        input) the end state."""
        while True:
            action = self.states[top].get(type_)
            if action is None or action >= 0:
                return top
            origin, _, reduce = self.rules[-1 - action]
            if reduce is not None:
                return top
            top = self.states[below][origin]
            if type_ == "$END" and top == self.end:
                return top

    def parse_interactive(self, text: str) -> Interactive:
        return Interactive(self, text)


class Interactive:
    """One parse, fed token by token (the interface of Lark's interactive parser that
    ``input_policy.read`` uses: ``iter_parse`` and ``feed_eof``)."""

    def __init__(self, parser: Parser, text: str) -> None:
        self.parser, self.text = parser, text
        self.state_stack = [0]
        self.value_stack: list[Any] = []

    def _next(self, pos: int) -> tuple[Token | None, int]:
        """The next token at or after ``pos`` in the current state (None at the end)."""
        parser, text = self.parser, self.text
        ignore = parser.ignore
        scanner = parser._by_state[self.state_stack[-1]] or parser.scanner(self.state_stack[-1])
        end = len(text)
        while pos < end:
            char = text[pos]
            match = (scanner.by_char.get(char) or scanner.at(char)).match(text, pos)
            if match is None:
                raise self._unexpected(pos, scanner.allowed)
            type_, value = match.lastgroup or "", match.group()
            start, pos = pos, match.end()
            if type_ in ignore:
                continue
            renamed = scanner.unless.get(type_)
            if renamed is not None:
                type_ = renamed.get(value, type_)
            return Token(type_, value, start, pos, text), pos
        return None, pos

    def _unexpected(self, pos: int, allowed: frozenset[str]) -> UnexpectedInput:
        """Lark's contextual-lexer error: a token of the grammar that cannot come here is an
        unexpected token; text that is no token at all, unexpected characters."""
        text, root = self.text, self.parser.root()
        match = root.regex.match(text, pos)
        if match is None or match.lastgroup in self.parser.ignore:
            return UnexpectedCharacters(text, pos, allowed)
        type_, value = match.lastgroup or "", match.group()
        type_ = root.unless.get(type_, {}).get(value, type_)
        return UnexpectedToken(Token(type_, value, pos, match.end(), text), allowed)

    def iter_parse(self) -> Iterator[Token]:
        """Each token of the text, yielded before it is fed to the parser."""
        pos = 0
        while True:
            token, pos = self._next(pos)
            if token is None:
                return
            yield token
            self.feed_token(token)

    def feed_eof(self, last_token: Token | None = None) -> Any:
        """End the input: the value of the whole formula."""
        at = last_token.start_pos if last_token is not None else 0
        return self.feed_token(Token("$END", "", at, at, self.text), True)

    def feed_token(self, token: Token, is_end: bool = False) -> Any:
        parser = self.parser
        states, state_stack, value_stack = parser.states, self.state_stack, self.value_stack
        rules, end, units = parser.rules, parser.end, parser.units
        type_ = token.type
        while True:
            top = state_stack[-1]
            action = states[top].get(type_)
            if action is None:
                raise UnexpectedToken(token, frozenset(s for s in states[top] if s.isupper()))
            if action >= 0:
                state_stack.append(action)
                value_stack.append(token)
                return None
            origin, size, reduce = rules[-1 - action]
            if reduce is None:  # unit rules: the child is the value, only the state changes
                key = (state_stack[-2], top, type_)
                landed = units.get(key)
                if landed is None:
                    landed = units[key] = parser.after_units(*key)
                state_stack[-1] = landed
                if is_end and landed == end:
                    return value_stack[-1]
                continue
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value = reduce(children)
            state_stack.append(states[state_stack[-1]][origin])
            value_stack.append(value)
            if is_end and state_stack[-1] == end:
                return value_stack[-1]
