"""Printing lowered trees as infix text; each target supplies a ``Dialect`` (names, constants).

Python and C share the operators this prints (``+ - * /`` and unary ``-``), their precedence and
their left-to-right grouping, so one printer serves every target.  Powers are always function
calls (``math.pow``, ``np.power``, ``pow``), so ``**`` and its precedence never appear.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from symdiff.backend.trees import Tree, is_atom

SUM, PRODUCT, UNARY, ATOM = 1, 2, 3, 4


def computed(text: str) -> bool:
    """Whether printed ``text`` computes a new value (not a bare name or number)."""
    if text.isidentifier():
        return False
    try:
        float(text)  # a literal, also 1e+308 and -1.5
    except ValueError:
        return True
    return False


@dataclass(frozen=True)
class Dialect:
    """What differs between targets when printing an expression."""

    functions: Mapping[str, str]  # lowered function name -> the target's callable, or a
    # template over the argument texts {0}, {1}... (parenthesised: it prints as an atom)
    infinity: str
    nan: str
    square: str = "{}**2"  # u**2 of a non-atomic u (one pass over a temporary in NumPy)
    #: Sums start with a computed term: NumPy reuses the left operand's temporary in place
    #: (``t + x`` allocates nothing, ``x - t`` allocates a new array).
    temporaries_first: bool = False
    #: One-argument functions whose argument, when computed (not a name), may be overwritten
    #: with the result: printed through ``fresh`` (a template over the function and the
    #: argument text; NumPy's ``out=`` saves an allocation of the result).
    in_place: frozenset[str] = frozenset()
    fresh: str = ""
    #: Commutative two-argument functions printed through ``fresh2`` (a template over the
    #: function and the argument texts, the computed one last) when exactly one argument is
    #: computed.
    in_place2: frozenset[str] = frozenset()
    fresh2: str = ""

    def number(self, value: float) -> str:
        """A non-negative float64 literal that reads back as exactly ``value``."""
        if math.isnan(value):
            return self.nan
        if math.isinf(value):
            return self.infinity
        return repr(value)

    def expression(self, tree: Tree, name: Callable[[Tree], str]) -> str:
        """Source text of ``tree``; ``name`` gives the text of ``arg`` and ``temp`` leaves."""
        return self._print(tree, name)[0]

    def _print(self, tree: Tree, name: Callable[[Tree], str]) -> tuple[str, int]:
        match tree[0]:
            case "arg" | "temp":
                return name(tree), ATOM
            case "const":
                return self.number(tree[1]), ATOM
            case "ratio":
                return f"{self.number(float(tree[1]))}/{self.number(float(tree[2]))}", PRODUCT
            case "neg":
                text, precedence = self._print(tree[1], name)
                if precedence < PRODUCT or text.startswith("-"):
                    text = f"({text})"
                return f"-{text}", UNARY
            case "sum":
                terms = tree[1]
                if self.temporaries_first:  # x*x - y, not y - x*x: NumPy then adds in place
                    terms = sorted(terms, key=lambda term: is_atom(term[1]))
                parts = []
                for position, (negative, term) in enumerate(terms):
                    if position == 0 and negative:
                        parts.append(self._print(("neg", term), name)[0])
                        continue
                    text = self._operand(term, name, SUM, first=position == 0)
                    parts.append(text if position == 0 else f"{'-' if negative else '+'} {text}")
                return " ".join(parts), SUM
            case "product":
                return self._product(tree[1], tree[2], name), PRODUCT
            case "call" if tree[1] == "square":
                text, precedence = self._print(tree[2][0], name)
                return self.square.format(text if precedence == ATOM else f"({text})"), ATOM
            case "call":
                texts = [self._print(a, name)[0] for a in tree[2]]
                function = self.functions[tree[1]]
                if tree[1] in self.in_place and len(texts) == 1 and computed(texts[0]):
                    return self.fresh.format(function, texts[0]), ATOM
                if tree[1] in self.in_place2 and len(texts) == 2:
                    fresh = [computed(text) for text in texts]
                    if fresh[0] != fresh[1]:
                        first, last = texts if fresh[1] else texts[::-1]
                        return self.fresh2.format(function, first, last), ATOM
                if "{0}" in function:  # a template: an operator or a branch-free selection
                    return function.format(*texts), ATOM
                return f"{function}({', '.join(texts)})", ATOM
        raise ValueError(f"unknown tree {tree[0]!r}")

    def _operand(self, tree: Tree, name: Callable[[Tree], str], level: int, first: bool) -> str:
        text, precedence = self._print(tree, name)
        if tree[0] == "ratio" and level == PRODUCT:
            return f"({text})"
        if precedence < level or (precedence == level and not first):
            return f"({text})"
        if not first and text.startswith("-"):
            return f"({text})"
        return text

    def _product(
        self, numerators: tuple[Tree, ...], denominators: tuple[Tree, ...], name: Callable
    ) -> str:
        top = "*".join(
            self._operand(t, name, PRODUCT, first=i == 0) for i, t in enumerate(numerators)
        ) or self.number(1.0)
        if not denominators:
            return top
        if len(denominators) == 1:
            return f"{top}/{self._operand(denominators[0], name, PRODUCT, first=False)}"
        bottom = "*".join(
            self._operand(t, name, PRODUCT, first=i == 0) for i, t in enumerate(denominators)
        )
        return f"{top}/({bottom})"
