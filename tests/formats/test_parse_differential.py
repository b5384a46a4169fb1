"""Every corpus formula and a few hundred random ones parse as the parser of commit 05b25c4 did
(issue 15): the same node, structure and number types alike, the same error message, line and
column, the same warnings.  ``parse_oracle.json`` holds that parser's outcomes; rewrite it only
on purpose (``python tests/formats/test_parse_differential.py --write``).

The random formulas are made from the grammar's shapes: sums and products, implicit products
(``2x``, ``3(x+1)``, ``(x+1)(x-1)``, ``t^2 x^2``), signs and unary-minus chains, power chains
(``a**b**c``, ``2**-x``), nested and multi-argument calls, conditions and ``piecewise``,
``Symbol('e')``, ``Function('f')(x)``, ``f'(x)``; some are broken on purpose.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from symdiff import Expr, ParseError, parse
from symdiff.core.nodes import Num, Sym
from symdiff.formats import parser as parser_module
from symdiff.formats.input_policy import read
from symdiff.formats.parse_calls import declared_functions

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from corpus import CORPUS

ORACLE = Path(__file__).with_name("parse_oracle.json")

NAMES = ["x", "y", "z", "t", "w0", "mu", "sigma", "theta_dot", "_a", "e", "pi", "E"]
NUMBERS = ["2", "3", "4", "1", "10", "1.5", "0.5", ".5", "3.", "1e-3", "2E2", "123456789012345"]
UNARY = ["sin", "cos", "exp", "log", "sqrt", "tanh", "erf", "abs", "relu", "floor"]
BINARY = ["max", "min", "atan2"]
BROKEN = [
    "x +", "(x", "x)", "2 3", "x y", "sin", "lambda x: x", "0x10", "1_000", "1j", "2e", "x ! y",
    "x = 1", "f(x)", "Function('sin')(x)", "sin'(x)", "f'(x, y)", "x < y + 1", "(1, 2)",
    "where(x, 1, 0)", "1/0", "x**", "\u2212x", "x\u00b2", "inf", "x +\n y", "x\n y", "True + 1",
    "max(x)", "Symbol(e)", "a b c", "1e999", "1e-999", "0**-1", "sin x", "0**-1 + x", "x/0",
]  # fmt: skip


def _atom(rng: random.Random, depth: int) -> str:
    r = rng.random()
    if depth <= 0 or r < 0.35:
        return rng.choice(NAMES) if rng.random() < 0.6 else rng.choice(NUMBERS)
    if r < 0.55:
        return f"{rng.choice(UNARY)}({_sum(rng, depth - 1)})"
    if r < 0.62:
        args = ", ".join(_sum(rng, depth - 1) for _ in range(2))
        return f"{rng.choice(BINARY)}({args})"
    if r < 0.66:
        return rng.choice(["Symbol('e')", 'Symbol("lambda")', "Function('f')(x)", "f'(x)"])
    if r < 0.7:
        return f"where({_sum(rng, depth - 1)} > {rng.choice(NAMES[:4])}, 1, {_atom(rng, 0)})"
    if r < 0.72:
        cond = rng.choice(["x > 0", "x <= 1 and y != 2", "not x < 0", "x < y <= z", "True"])
        return f"piecewise(({_sum(rng, depth - 1)}, {cond}), (0, True))"
    return f"({_sum(rng, depth - 1)})"


def _power(rng: random.Random, depth: int) -> str:
    text = _atom(rng, depth)
    while rng.random() < 0.25:
        sign = rng.choice(["", "", "-", "+"])
        text += f"{rng.choice(['**', '^', ' ** '])}{sign}{_atom(rng, depth - 1)}"
    return text


def _ends_with_name(text: str) -> bool:
    """Whether ``text`` ends with a name (then ``(...)`` would call it, and ``x y`` warns)."""
    return re.search(r"(?<![0-9.])[A-Za-z_][A-Za-z0-9_]*\Z", text) is not None


def _product(rng: random.Random, depth: int) -> str:
    text = _power(rng, depth)
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        kind = rng.random()
        if kind < 0.5:
            sign = "-" * rng.choice([0, 0, 0, 1, 2])
            text += f"{rng.choice(['*', '/', ' * ', ' / '])}{sign}{_power(rng, depth)}"
        elif kind < 0.7:  # 3(x+1), (x+1)(x-1); after a name, a product is written x*(...)
            star = "*" if _ends_with_name(text) else ""
            text += f"{star}({_sum(rng, depth - 1)})"
        elif kind < 0.85:  # 2x, 2 sin(x)
            call = f" {rng.choice(UNARY)}(x)"
            text += (
                rng.choice(["", " "]) + rng.choice(["x", "y", call])
                if text[-1] in "0123456789.)"
                else f"*{rng.choice(['x', 'y', call])}"
            )
        else:  # t^2 x^2 (after a name: t^2*x^2; x y warns)
            text += "*" if _ends_with_name(text) else " "
            text += f"{rng.choice(['x', 'y'])}^{rng.choice(['2', '3', '-1'])}"
    return text


def _sum(rng: random.Random, depth: int = 3) -> str:
    text = rng.choice(["", "", "", "-", "+", "--", "-+-"]) + _product(rng, depth)
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        text += rng.choice([" + ", " - ", "+", "-", "+-", "- -"]) + _product(rng, depth)
    return text


def formulas() -> list[str]:
    """The corpus, hand-picked broken inputs and 600 seeded random formulas."""
    rng = random.Random(20261203)
    texts = [f.text for f in CORPUS] + BROKEN
    texts += [_sum(rng, rng.randint(0, 2)) for _ in range(600)]
    texts += ["(" * 300 + "x" + ")" * 300, "-" * 200 + "x", "x" + "**x" * 200]
    return texts


def _dump(node: Expr) -> str:
    """The node's structure with number types (``2`` is not ``2.0``), iteratively."""
    out: list[str] = []
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Num):
            out.append(f"Num({item.value!r})")
        elif isinstance(item, Sym):
            out.append(f"Sym({item.name!r})")
        else:
            label = type(item).__name__ + (f"[{item.name}]" if hasattr(item, "name") else "")
            stack.append(")")
            for arg in reversed(item.args):
                stack.extend((" ", arg))
            stack.append(label + "(")
    return "".join(out)


def outcome(text: str, functions: str | None = None) -> list[Any]:
    """What parsing ``text`` gives: the node (dumped) or the error, and the warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            dump = _dump(parse(text, functions))
            if len(dump) > 400:  # (a digest keeps the oracle file small)
                dump = f"sha256:{hashlib.sha256(dump.encode()).hexdigest()} ({len(dump)} chars)"
            result: list[Any] = ["ok", dump]
        except ParseError as error:
            result = ["error", str(error), error.line, error.column]
    return [*result, [f"{w.category.__name__}: {w.message}" for w in caught]]


def _cases() -> list[tuple[str, str | None]]:
    cases: list[tuple[str, str | None]] = [(t, None) for t in formulas()]
    cases += [("f(x) + g(x, y)*2", "f g"), ("f + 1", "f"), ("2f(x)", "f"), ("f'(x)", "f")]
    cases += [("x f(y)", "f"), ("x f y", "f"), ("f g(x)", "g"), ("2 x f(x)", "f")]
    cases += [(t, None) for t in ("x sin(x)", "x y sin(x)", "w0 cos(x) y", "2 x y", "x (y)")]
    cases += [(t, None) for t in ("e x", "pi sin(x)", "x y(z)", "Symbol('e') x", "x Symbol('e')")]
    return cases


def _key(text: str, functions: str | None) -> str:
    return text if functions is None else f"{text}\x00{functions}"


@pytest.fixture(scope="module")
def oracle() -> dict[str, Any]:
    return json.loads(ORACLE.read_text(encoding="utf-8"))


def test_the_oracle_covers_every_case(oracle: dict[str, Any]) -> None:
    assert sorted(oracle) == sorted({_key(*case) for case in _cases()})
    kinds = {value[0] for value in oracle.values()}
    assert kinds == {"ok", "error"}
    assert any(value[-1] for value in oracle.values())  # some warn


def test_every_formula_parses_as_before(oracle: dict[str, Any]) -> None:
    for text, functions in _cases():
        assert outcome(text, functions) == oracle[_key(text, functions)], text


def test_the_one_pass_reader_builds_the_very_node_of_the_long_way() -> None:
    # fast_read either gives up (None: the long way reads the formula and says what is wrong)
    # or returns the identical node; it gives up on no corpus formula
    reader = parser_module.fast_reader()
    given_up = 0
    for text, functions in _cases():
        declared = declared_functions(functions)
        try:
            fast = reader.read(text, declared)
        except Exception:  # (parse reads such a formula the long way)
            fast = None
        if fast is None:
            given_up += 1
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a formula read in one pass never warns
            slow = read(parser_module.parser().parse_interactive(text), text, declared)
        assert fast is slow, text
    assert all(reader.read(f.text, frozenset()) is not None for f in CORPUS)
    assert given_up < len(_cases()) // 4


def test_warnings_name_the_caller_of_parse() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for text in ("x y", "x y", "x +\n y", "2x y"):
            parse(text)
    assert len(caught) == 4
    assert {w.filename for w in caught} == {__file__}


def main() -> int:
    if "--write" not in sys.argv:
        print(__doc__)
        return 2
    table = {_key(text, functions): outcome(text, functions) for text, functions in _cases()}
    ORACLE.write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} outcomes to {ORACLE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
