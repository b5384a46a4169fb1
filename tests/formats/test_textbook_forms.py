"""The printed derivative against the form a textbook prints (``textbook_derivatives``).

Every entry must be equivalent (SymPy decides); the share printed *exactly* as the textbook
prints it is reported and must stay at least ``EXACT_TARGET``.
"""

from __future__ import annotations

import sympy
from oracle import to_sympy
from textbook_derivatives import CORPUS, RULES, TABLE

import symdiff

EXACT_TARGET = 0.90


def _printed(function: str) -> str:
    return str(symdiff.diff(function, "x", simplify=True))


def _equivalent(printed: str, textbook: str) -> bool:
    difference = sympy.simplify(to_sympy(printed) - to_sympy(textbook))
    if difference == 0:
        return True
    for value in (0.3, 0.7, 1.9, 2.6):  # x and the constants a, n, k, b, c at a few points
        point = {s: sympy.Float(value + 0.1 * i) for i, s in enumerate(sorted(
            difference.free_symbols, key=str))}  # fmt: skip
        if abs(complex(difference.subs(point).evalf())) > 1e-9:
            return False
    return True


def test_the_corpus_is_large_and_from_both_sources() -> None:
    assert len(CORPUS) >= 100 and TABLE and RULES
    assert len({f for f, _ in CORPUS}) == len(CORPUS)  # no duplicates


def test_printed_forms_match_the_textbook(capsys: object) -> None:
    exact, equivalent, wrong = [], [], []
    for function, textbook in CORPUS:
        printed = _printed(function)
        if printed == textbook:
            exact.append(function)
        elif _equivalent(printed, textbook):
            equivalent.append(f"d/dx {function}: printed {printed}, textbook {textbook}")
        else:
            wrong.append(f"d/dx {function}: printed {printed}, textbook {textbook}")
    report = (
        f"textbook forms: {len(exact)}/{len(CORPUS)} exact ({len(exact) / len(CORPUS):.0%}), "
        f"{len(equivalent)} only equivalent, {len(wrong)} wrong"
    )
    print(report + "".join("\n  " + line for line in equivalent))
    assert not wrong, "\n".join(wrong)
    assert len(exact) >= EXACT_TARGET * len(CORPUS), report
