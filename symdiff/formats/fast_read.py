"""The one-pass reading of an ordinary formula: lexer, input policy and LALR driver in one loop.

``symdiff.formats.parser`` reads a formula here first.  The loop runs the parser's own tables,
scanners and reduce callbacks (``symdiff.formats.lalr``), with the actions and gotos as one
list per grammar symbol indexed by state, each chain of unit reductions looked up once, the
characters that are whole tokens (``(``, ``+`` …) read without a regular expression, and the
terminals' text, not ``Token`` objects, on the value stack; numbers and names are built once
per parse.  Whatever would need a message gives up
(``None``): an input the grammar or the policy refuses, a warning (``x y``, several lines),
an error of a callback, a formula that may nest too deeply.  The caller then reads the formula
again through ``input_policy.read``, which says what is wrong, so the messages, positions and
warnings are that path's; a formula read here is the very node that path builds (the
differential tests compare the two).
"""

from __future__ import annotations

import keyword
import re
from re import _parser as sre_parse  # type: ignore[attr-defined]

from symdiff.core.functions import NON_FINITE_WORDS, reserved_word
from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.formats.input_policy import MAX_DEPTH, literal_error
from symdiff.formats.lalr import Parser, Token

if TYPE_CHECKING:
    from typing import Any

__all__ = ["FastReader"]

_KEYWORDS = frozenset(keyword.kwlist)

# the kinds of rules in the loop
_UNIT, _NUMBER, _VAR, _ONE, _OTHER = 0, 1, 2, 3, 4
_UNSEEN = -2  # (a character not looked at yet in a scanner)


class FastReader:
    """The tables of ``parser`` laid out for the loop of ``read``."""

    def __init__(self, parser: Parser) -> None:
        states = parser.states
        names = {s for row in states for s in row} | set(parser.terminals) | {"$END", "DECLARED"}
        symbols = sorted(names)
        #: grammar symbol (terminal or rule) -> its number
        self.ids = ids = {s: i for i, s in enumerate(symbols)}
        #: symbol -> state -> the action (shift: the state, >= 0; reduce: -1 - rule) or, for a
        #: rule's symbol, the goto state; None: an error
        self.columns: list[list[int | None]] = [[row.get(s) for row in states] for s in symbols]
        rules: list[tuple[int, list[int | None], int, Any]] = []
        for (origin, size, reduce), shape in zip(parser.rules, parser.shapes, strict=True):
            kind = _UNIT if reduce is None else _OTHER
            _, _, alias, expand1, include, _ = shape
            method = getattr(parser.transformer, alias, None)
            if reduce is not None and size == 1 and include is None and not expand1:
                kind = {"number": _NUMBER, "var": _VAR}.get(alias, _ONE)
                if kind == _ONE and method is not None:
                    reduce = method  # called with the child itself
                elif kind == _ONE:
                    kind = _OTHER
            rules.append((kind, self.columns[ids[origin]], size, reduce))
        #: action -> (kind, the goto column of its symbol, size, callback): a reduction's
        #: action -1 - rule indexes the rules from the end
        self.rules = rules[::-1]
        self.parser = parser
        self.scanners = [parser.scanner(state) for state in range(len(states))]
        #: per state: its scanner's patterns by first character, and its keyword table or None
        self.chars = [scanner.by_char for scanner in self.scanners]
        self.unless = [scanner.unless or None for scanner in self.scanners]
        #: per state: character -> the terminal of a one-character token it always is there, or
        #: -1 (filled in by ``_single``; shared by the states of one scanner)
        shared: dict[int, dict[str, int]] = {}
        self.singles = [shared.setdefault(id(scanner), {}) for scanner in self.scanners]
        #: whether a space is always a token to ignore (no other terminal starts with one)
        first = parser.first
        starting = {
            n for scanner in {id(s): s for s in self.scanners}.values() for n in scanner.names
        }
        self.space_ignored = all(
            first.get(name) is not None and " " not in (first[name] or " ")
            for name in starting - parser.ignore
        ) and all(" " in (parser.first.get(name) or "") for name in parser.ignore)
        #: terminal -> below * states + top -> the state after the unit reductions it starts
        self.units: list[dict[int, int]] = [{} for _ in symbols]
        self.symbol_names = symbols
        self.end = parser.end
        terminal = ids.__getitem__
        #: the terminals after which the input policy looks at the next token: an operand's end
        #: (an implicit product?) and a declared function (a call must follow)
        self.watched = frozenset(map(terminal, ("NAME", "NUMBER", "SYMBOL", "RPAR", "DECLARED")))
        #: a scanner's terminal -> its number, or -1 for one to ignore
        self.lexed = {**ids, **dict.fromkeys(parser.ignore, -1)}
        self.starts = frozenset(map(terminal, ("NAME", "SYMBOL", "LPAR", "FUNCTION", "DECLARED")))
        self.bare = frozenset(map(terminal, ("NAME", "SYMBOL")))

    def _single(self, state: int, char: str) -> int:
        """The terminal that ``char`` always is, alone, where the scanner of ``state`` reads
        it (the only terminal that can start with it, one character wide), or -1."""
        scanner, first, found = self.scanners[state], self.parser.first, -1
        if char.isascii():
            names = [n for n in scanner.names if (f := first.get(n)) is None or char in f]
            if len(names) == 1 and names[0] not in scanner.unless:
                (name,) = names
                pattern = self.parser.terminals[name]
                number = self.lexed.get(name, -1)
                if number >= 0 and sre_parse.parse(pattern).getwidth() == (1, 1):
                    found = number if re.fullmatch(pattern, char) else -1
        self.singles[state][char] = found
        return found

    def read(self, text: str, declared: frozenset[str]) -> Any:
        """The value of the formula ``text`` (an expression), or None: read it the long way."""
        if text.count("(") + text.count("*") + text.count("^") > MAX_DEPTH:
            return None  # (each level of nesting takes one of these characters)
        if "\n" in text and "\n" in text.strip():
            return None  # several lines: a warning, or an error at a line break
        ids, columns, rules = self.ids, self.columns, self.rules
        scanners, units, final = self.scanners, self.units, self.end
        chars, unless, space_ignored = self.chars, self.unless, self.space_ignored
        singles = self.singles
        watched, starts, bare, lexed = self.watched, self.starts, self.bare, self.lexed
        name_id, number_id, lpar_id = ids["NAME"], ids["NUMBER"], ids["LPAR"]
        declared_id, end_id = ids["DECLARED"], ids["$END"]
        reduce_number = reduce_var = None
        for kind, _, _, reduce in rules:
            if kind == _NUMBER:
                reduce_number = reduce
            elif kind == _VAR:
                reduce_var = reduce
        count = len(scanners)
        numbers: dict[str, Any] = {}
        variables: dict[str, Any] = {}
        stack = [0]
        top = 0  # (the state on top of the stack)
        values: list[Any] = []
        pos, size_of_text = 0, len(text)
        previous, previous_text, previous_end = -1, "", 0
        value: Any = None
        side_by_side = False
        while True:
            if pos < size_of_text:  # the next token, lexed in the state the parser is in
                char = text[pos]
                if char == " " and space_ignored:
                    pos += 1
                    continue
                terminal = singles[top].get(char, _UNSEEN)
                if terminal == _UNSEEN:
                    terminal = self._single(top, char)
                if terminal >= 0:  # a token of one character: "(", ")", "+", ...
                    start, pos, value = pos, pos + 1, char
                else:
                    pattern = chars[top].get(char) or scanners[top].at(char)
                    match = pattern.match(text, pos)
                    if match is None:
                        return None
                    kind_name = match.lastgroup
                    start, pos = pos, match.end()
                    terminal = lexed[kind_name]  # type: ignore[index]
                    if terminal < 0:  # (ignored: white space)
                        continue
                    value = match.group()
                    keywords = unless[top]
                    if keywords is not None and kind_name in keywords:  # and, or, not, ...
                        renamed = keywords[kind_name].get(value, kind_name)  # type: ignore[index]
                        terminal = ids[renamed]
                if terminal == name_id:
                    if value in declared:
                        terminal = declared_id
                    elif value in _KEYWORDS or (
                        len(value) in (3, 8) and value.lower() in NON_FINITE_WORDS
                    ):
                        return None
                if previous in watched:  # a name, a number, ")" or a declared function
                    if previous == declared_id and terminal != lpar_id:
                        return None
                    if side_by_side:  # x y warns, unless y is called: x f(y)
                        if terminal != lpar_id:
                            return None
                        side_by_side = False
                    if terminal not in starts:
                        pass
                    elif previous == number_id:  # an implicit product 2x: not 0x10, 1e, ...
                        if previous_end == start:
                            first = Token("NUMBER", previous_text, 0, 0, text)
                            if literal_error(first, Token("", value, 0, 0, text)) is not None:
                                return None
                    elif previous in bare and terminal in bare:  # x y
                        if previous == name_id and reserved_word(previous_text) == "function":
                            return None
                        side_by_side = True
                previous, previous_text, previous_end = terminal, value, pos
            else:
                if previous == declared_id or side_by_side:
                    return None
                terminal, value = end_id, None
            column, landings = columns[terminal], units[terminal]
            while True:  # reduce as the token asks, then shift it
                action = column[top]
                if action is None:
                    return None
                if action >= 0:
                    stack.append(action)
                    top = action
                    values.append(value)
                    break
                kind, gotos, size, reduce = rules[action]
                if kind == _UNIT:  # only the state changes (the chain is looked up once)
                    below = stack[-2]
                    landed = landings.get(below * count + top)
                    if landed is None:
                        name = self.symbol_names[terminal]
                        landed = self.parser.after_units(below, top, name)
                        landings[below * count + top] = landed
                    stack[-1] = top = landed
                elif kind == _OTHER:
                    if size:
                        children = values[-size:]
                        del values[-size:]
                        del stack[-size:]
                    else:
                        children = []
                    values.append(reduce(children))
                    top = gotos[stack[-1]]  # type: ignore[assignment]
                    stack.append(top)
                elif kind == _ONE:  # one child, given to the rule's method
                    values[-1] = reduce(values[-1])
                    stack[-1] = top = gotos[stack[-2]]  # type: ignore[assignment]
                else:  # a number or a name: built once per parse
                    cache = numbers if kind == _NUMBER else variables
                    word = values[-1]
                    node = cache.get(word)
                    if node is None:
                        build = reduce_number if kind == _NUMBER else reduce_var
                        node = cache[word] = build([word])  # type: ignore[misc]
                    values[-1] = node
                    stack[-1] = top = gotos[stack[-2]]  # type: ignore[assignment]
                if terminal == end_id and top == final:
                    result = values[-1]
                    return None if type(result) is tuple else result
