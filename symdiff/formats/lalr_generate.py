"""The parse tables of ``grammar/symdiff.lark``, computed by Lark and written out as plain data.

Lark reads the grammar and computes the LALR(1) tables, the contextual lexer and the shape of
each rule's children; ``tables`` copies exactly that into dicts and tuples, which
``symdiff.formats.lalr`` runs without importing Lark (importing Lark was most of the CLI's
start-up).  The grammar stays the single source of truth:

    python -m symdiff.formats.lalr_generate      # rewrites symdiff/formats/lalr_tables.py

A test fails, naming that command, when the checked-in tables are not the grammar's; until they
are regenerated, ``symdiff.formats.parser`` notices the difference at first use and builds the
tables in memory from the grammar file with this module instead (correct, only slower).
"""

from __future__ import annotations

import os
import pprint
import re
import sys
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from lark import Lark
from lark.lexer import BasicLexer, _create_unless

from symdiff.formats.lalr import grammar_text

#: Where ``main`` writes the tables.
TABLES_FILE = os.path.join(os.path.dirname(__file__), "lalr_tables.py")
COMMAND = "python -m symdiff.formats.lalr_generate"


def _lexer(lexer: BasicLexer, ignore: frozenset[str]) -> tuple[Any, ...]:
    """One of the contextual lexer's scanners: its terminals in matching order, the string
    terminals that a regular-expression terminal's match turns into, and the terminal names a
    message may say the scanner expected."""
    terminals, callbacks = _create_unless(lexer.terminals, 0, lexer.re, False)
    unless: dict[str, dict[str, str]] = {}
    for name in callbacks:
        table: dict[str, str] = {}
        for term in callbacks[name].scanner.terminals:
            table.setdefault(term.pattern.value, term.name)
        unless[name] = table
    names = tuple(t.name for t in terminals)
    allowed = tuple(sorted(set(names) - ignore))
    return names, unless, allowed


def _first_of(items: Any) -> tuple[set[str] | None, bool]:
    """The characters a match of the parsed pattern ``items`` may start with (None: any) and
    whether it may match the empty string.  Zero-width parts (anchors, lookarounds) are
    skipped, which can only make the set larger: a superset is all the lexer needs."""
    found: set[str] = set()
    for op, arg in items:
        chars: set[str] | None
        if op is sre_parse.LITERAL:
            chars, empty = {chr(arg)}, False
        elif op is sre_parse.IN:
            chars, empty = set(), False
            for kind, value in arg:
                if kind is sre_parse.LITERAL:
                    chars.add(chr(value))
                elif kind is sre_parse.RANGE:
                    chars.update(chr(c) for c in range(value[0], min(value[1], 127) + 1))
                else:  # NEGATE, CATEGORY (\d, \w, ...): any character, to be safe
                    chars = None
                    break
        elif op is sre_parse.BRANCH:
            chars, empty = set(), False
            for branch in arg[1]:
                more, may_be_empty = _first_of(branch)
                chars = None if chars is None or more is None else chars | more
                empty = empty or may_be_empty
        elif op is sre_parse.SUBPATTERN and not arg[1] and not arg[2]:  # a group, no flags
            chars, empty = _first_of(arg[3])
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT):
            chars, empty = _first_of(arg[2])
            empty = empty or arg[0] == 0
        elif op in (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            chars, empty = set(), True  # zero width
        else:  # ANY, NOT_LITERAL, back references, ...: any character
            chars, empty = None, False
        if chars is None:
            return None, False
        found |= chars
        if not empty:
            return found, False
    return found, True


def first_characters(pattern: str) -> str | None:
    """The ASCII characters a match of ``pattern`` may start with, sorted; None when it may
    start with any character or match the empty string.  ``symdiff.formats.lalr`` compiles
    for a character only the terminals that can start with it (compiling every terminal of a
    state's lexer was a tenth of the command's start-up)."""
    parsed = sre_parse.parse(pattern)
    chars, empty = _first_of(parsed)
    if chars is None or empty or parsed.state.flags & re.IGNORECASE:
        return None
    return "".join(sorted(c for c in chars if c.isascii()))


def tables(grammar: str) -> dict[str, Any]:
    """The tables of ``grammar`` as plain data (see ``symdiff.formats.lalr`` for their use)."""
    lark = Lark(grammar, parser="lalr", maybe_placeholders=True)
    frontend = lark.parser
    parse_table = frontend.parser.parser.parse_table
    rule_index = {rule: i for i, rule in enumerate(lark.rules)}
    for term in lark.terminals:
        if term.pattern.flags:
            raise ValueError(f"terminal {term.name} has regular-expression flags: not supported")
    ignore = frozenset(lark.lexer_conf.ignore)
    # states renumbered in breadth-first order from the start, rows sorted: Lark's numbering
    # follows set iteration, and the tables must be the same text in every run
    raw = parse_table.states
    start = parse_table.start_states["start"]
    order, number = [start], {start: 0}
    for state in order:
        for symbol in sorted(raw[state]):
            action, arg = raw[state][symbol]
            if action.name == "Shift" and arg not in number:
                number[arg] = len(order)
                order.append(arg)
    if len(order) != len(raw):
        raise ValueError("unreachable parser states")
    states: list[dict[str, int]] = []
    for state in order:
        row: dict[str, int] = {}
        for symbol in sorted(raw[state]):
            action, arg = raw[state][symbol]
            row[str(symbol)] = -1 - rule_index[arg] if action.name == "Reduce" else number[arg]
        states.append(row)
    rules = []
    for rule in lark.rules:
        empty = rule.options.empty_indices
        nones = [0] * (len(rule.expansion) + 1)
        if empty:
            nones = [len(ones) for ones in "".join(str(int(b)) for b in empty).split("0")]
        include, pending = [], 0
        for i, symbol in enumerate(rule.expansion):
            pending += nones[i]
            dropped = symbol.is_term and getattr(symbol, "filter_out", False)
            if rule.options.keep_all_tokens or not dropped:
                expand = not symbol.is_term and symbol.name.startswith("_")
                include.append((i, expand, pending))
                pending = 0
        pending += nones[len(rule.expansion)]
        needs_filter = bool(empty) or len(include) < len(rule.expansion)
        needs_filter = needs_filter or any(expand for _, expand, _ in include)
        rules.append(
            (
                str(rule.origin.name),
                len(rule.expansion),
                str(rule.alias or rule.options.template_source or rule.origin.name),
                bool(rule.options.expand1 and not rule.alias),
                tuple(include) if needs_filter else None,
                pending,
            )
        )
    contextual = frontend.lexer
    scanners: list[tuple[Any, ...]] = []
    state_scanners = []
    for state in order:
        scanner = _lexer(contextual.lexers[state], ignore)
        if scanner not in scanners:
            scanners.append(scanner)
        state_scanners.append(scanners.index(scanner))
    root = _lexer(contextual.root_lexer, ignore)
    patterns = {t.name: t.pattern.to_regexp() for t in sorted(lark.terminals, key=lambda t: t.name)}
    return {
        "GRAMMAR": grammar,
        "PATTERNS": patterns,
        "FIRST": {name: first_characters(pattern) for name, pattern in patterns.items()},
        "IGNORE": tuple(sorted(ignore)),
        "STATES": tuple(states),
        "START": 0,
        "END": number[parse_table.end_states["start"]],
        "RULES": tuple(rules),
        "SCANNERS": tuple(scanners),
        "STATE_SCANNERS": tuple(state_scanners),
        "ROOT_SCANNER": root,
    }


def module_text(grammar: str) -> str:
    """The text of ``lalr_tables.py`` for ``grammar``."""
    lines = [
        '"""GENERATED from grammar/symdiff.lark by `' + COMMAND + "`: do not edit.",
        "",
        "The LALR(1) tables and contextual lexer Lark computes for the grammar, as plain data",
        '(read by symdiff.formats.lalr; written by symdiff.formats.lalr_generate)."""',
        "",
        "# mypy: ignore-errors",
    ]
    for name, value in tables(grammar).items():
        lines.append(f"{name} = {pprint.pformat(value, width=99, sort_dicts=False)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Rewrite ``lalr_tables.py`` from the grammar file."""
    text = module_text(grammar_text())
    with open(TABLES_FILE, "w", encoding="utf-8") as file:
        file.write(text)
    print(f"wrote {TABLES_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
