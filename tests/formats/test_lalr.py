"""The generated parse tables against the grammar, and the small LALR runner against Lark itself:
the same trees, the same errors at the same places, on hand-picked and on random inputs."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from symdiff.formats import lalr, lalr_tables
from symdiff.formats.lalr_generate import COMMAND, TABLES_FILE, module_text, tables
from symdiff.formats.parser import grammar_text


def test_checked_in_tables_are_the_grammars() -> None:
    text = grammar_text()
    assert Path(TABLES_FILE).read_text(encoding="utf-8") == module_text(text), (
        "symdiff/formats/lalr_tables.py is not generated from grammar/symdiff.lark: "
        f"run `{COMMAND}`"
    )


def test_tables_are_the_same_in_every_process() -> None:
    assert module_text(grammar_text()) == module_text(grammar_text())
    assert lalr_tables.START == 0


class _TreeBuilder:
    """Callbacks that build what Lark builds without a transformer: (rule, children)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *children: (name, [_plain(c) for c in children])


def _plain(value: Any) -> Any:
    """Lark's trees and tokens, and this runner's, as comparable tuples."""
    if isinstance(value, (Token, lalr.Token)):
        return (value.type, value.value, value.start_pos)
    if isinstance(value, Tree):
        return (str(value.data), [_plain(c) for c in value.children])
    return value


def _outcome_lark(reference: Lark, text: str) -> Any:
    try:
        return ("ok", _plain(reference.parse(text)))
    except UnexpectedToken as error:
        token = error.token
        where = (token.type, token.value, token.line, token.column)
        return ("token", where, frozenset(error.expected))
    except UnexpectedCharacters as error:
        return ("characters", error.pos_in_stream, error.line, error.column)
    except UnexpectedInput as error:  # pragma: no cover - LALR raises only the two above
        return ("other", type(error).__name__)


def _outcome_ours(runner: lalr.Parser, text: str) -> Any:
    try:
        interactive = runner.parse_interactive(text)
        last = None
        for token in interactive.iter_parse():
            last = token
        return ("ok", _plain(interactive.feed_eof(last)))
    except lalr.UnexpectedToken as error:
        token = error.token
        where = (token.type, token.value, token.line, token.column)
        return ("token", where, frozenset(error.expected))
    except lalr.UnexpectedCharacters as error:
        return ("characters", error.pos_in_stream, error.line, error.column)


@pytest.fixture(scope="module")
def pair() -> tuple[Lark, lalr.Parser]:
    text = grammar_text()
    reference = Lark(text, parser="lalr", maybe_placeholders=True)
    return reference, lalr.Parser(lalr_tables, _TreeBuilder())


HAND_PICKED = [
    "x", "x**2*y+y+2", "-x**2", "2**-x", "2x sin(y)", "(x+1)(x-1)", "f()", "f(x, y, z)",
    "Symbol('e') + Symbol(\"pi\")", "1e-3x", "t^2 x^2", "x +", "x)", "(x", "x,y", "-", "x -* y",
    "x ! y", "x***y", "x ** * y", "1..2", "Symbol(e)", "x +\n* y", "  ", "x y z", "+-+-x",
    "a/b/c", "x**y**z", "sin(x)(y)", "é", "x = 1", ".5.5", "2 3", "f(,)", "f(x,)",
]  # fmt: skip


@pytest.mark.parametrize("text", HAND_PICKED)
def test_same_outcome_as_lark_on_hand_picked_inputs(pair: Any, text: str) -> None:
    reference, runner = pair
    assert _outcome_ours(runner, text) == _outcome_lark(reference, text)


FRAGMENTS = [
    "x", "y", "sin", "f", "e", "_a", "b2", "(", ")", "(", ")", "+", "-", "*", "**", "^", "/",
    ",", " ", " ", "\n", "2", "10", "1.5e3", ".5", "3.", "1e", "Symbol('e')", "Symbol(", "'",
    "!", "0x1", "=", "\u00e9", "\t", "Symbol( \"k\" )",
]  # fmt: skip


def test_same_outcome_as_lark_on_random_inputs(pair: Any) -> None:
    reference, runner = pair
    rng = random.Random(15)
    kinds: set[str] = set()
    for _ in range(3000):
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 12)))
        expected = _outcome_lark(reference, text)
        assert _outcome_ours(runner, text) == expected, text
        kinds.add(expected[0])
    assert kinds == {"ok", "token", "characters"}  # every path was exercised


def test_tables_built_in_memory_parse_like_the_checked_in_ones(pair: Any) -> None:
    # the path taken when grammar/symdiff.lark is newer than lalr_tables.py
    reference, _ = pair
    fresh = lalr.Parser(SimpleNamespace(**tables(grammar_text())), _TreeBuilder())
    for text in HAND_PICKED:
        assert _outcome_ours(fresh, text) == _outcome_lark(reference, text), text


def test_deep_left_recursion_is_linear() -> None:
    # 10,000 terms build one list, grown in place (no quadratic copying, no recursion)
    runner = lalr.Parser(lalr_tables, _TreeBuilder())
    interactive = runner.parse_interactive("+".join(["x"] * 10_000))
    last = None
    for token in interactive.iter_parse():
        last = token
    name, children = interactive.feed_eof(last)
    while name != "sum" and len(children) == 1:  # condition levels above the sum (issue 13)
        name, children = children[0]
    assert name == "sum" and len(children) == 2 * 10_000 - 1


def test_parsing_does_not_import_lark() -> None:
    # Lark computes the tables (lalr_generate); parsing runs them without it (start-up time)
    import subprocess
    import sys

    code = (
        "import sys, symdiff; symdiff.parse('x**2*y + sin(y)'); "
        "symdiff.diff(symdiff.parse('x*y'), 'x'); "
        "print(sorted(m for m in sys.modules if 'lark' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
