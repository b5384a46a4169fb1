"""Presentation MathML for expressions, which browsers typeset natively.

``to_mathml(parse("x/y"))`` is ``<math ...><mfrac><mi>x</mi><mi>y</mi></mfrac></math>``.
The layout follows the LaTeX printer: fractions for negative powers, radicals for square and cube
roots, ``sin²(x)`` for integer powers of a function, parentheses only where precedence needs
them, factors juxtaposed (an invisible times) or joined by ``·`` where that would be ambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction
from html import escape
from typing import NamedTuple

from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, Call, Expr, Num, Pow, Sym
from symdiff.core.numbers import int_text
from symdiff.core.traverse import fold_once
from symdiff.core.unknown import split_head
from symdiff.formats.latex import GREEK
from symdiff.formats.printer import E_NODE, degree

# precedence levels, loosest first (as in printing.py)
ADD, MUL, POW, ATOM = 10, 20, 30, 40

MINUS, TIMES, DOT, APPLY = "\u2212", "\u2062", "\u00b7", "\u2061"
THIN = '<mspace width="0.1667em"></mspace>'

#: Unicode names of the Greek letters whose names differ from the LaTeX macro's.
_UNICODE_NAMES = {
    "lambda": "GREEK SMALL LETTER LAMDA", "Lambda": "GREEK CAPITAL LETTER LAMDA",
    "varepsilon": "GREEK SMALL LETTER EPSILON", "epsilon": "GREEK LUNATE EPSILON SYMBOL",
    "vartheta": "GREEK THETA SYMBOL", "varpi": "GREEK PI SYMBOL",
    "varrho": "GREEK RHO SYMBOL", "varsigma": "GREEK SMALL LETTER FINAL SIGMA",
    "varphi": "GREEK PHI SYMBOL",
}  # fmt: skip


def _greek_letter(name: str) -> str:
    case = "CAPITAL" if name[0].isupper() else "SMALL"
    return unicodedata.lookup(_UNICODE_NAMES.get(name, f"GREEK {case} LETTER {name.upper()}"))


#: Greek letter names as characters, e.g. ``alpha`` as U+03B1.
GREEK_LETTERS: dict[str, str] = {name: _greek_letter(name) for name in sorted(GREEK)}

#: Function names as typeset (the rest are written as they are named).
NAMES: dict[str, str] = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "log": "ln"}


class Markup(NamedTuple):
    """A rendered subexpression: sign, markup without the sign, precedence, and hints."""

    negative: bool
    body: str
    prec: int
    name_like: bool = False  # a multi-letter name: juxtaposing two would merge them
    function: str = ""  # ``<mi>sin</mi>`` for ``sin(u)``: its powers read ``sin²(u)``
    argument: str = ""
    inverse: Markup | None = None  # for ``b**(-k)``: the markup of ``b**k``, used in fractions

    @property
    def markup(self) -> str:
        return f"<mrow><mo>{MINUS}</mo>{self.body}</mrow>" if self.negative else self.body


def mo(symbol: str) -> str:
    return f"<mo>{escape(symbol)}</mo>"


_TALL = ("<mfrac", "<msqrt", "<mroot", "<msup><mrow><mo")


def fenced(inner: str, left: str = "(", right: str = ")") -> str:
    """``inner`` between delimiters, which stretch only around tall content (fractions, roots):
    browsers draw stretchy delimiters around a single line with gaps."""
    if any(tall in inner for tall in _TALL):
        return f"<mrow>{mo(left)}{inner}{mo(right)}</mrow>"
    fixed = '<mo stretchy="false">'
    return f"<mrow>{fixed}{escape(left)}</mo>{inner}{fixed}{escape(right)}</mo></mrow>"


def _wrap(piece: Markup, above: int) -> str:
    return piece.markup if piece.prec > above and not piece.negative else fenced(piece.markup)


def symbol_mathml(name: str) -> tuple[str, bool]:
    """The markup of a name (``alpha`` as its letter, ``x_1`` as ``x`` with subscript ``1``),
    and whether it is a multi-letter name."""
    head, _, tail = name.partition("_")
    if not head:
        return f'<mi mathvariant="normal">{escape(name)}</mi>', True
    letter = GREEK_LETTERS.get(head)
    if letter is not None:
        base, name_like = f"<mi>{letter}</mi>", False
    elif len(head) == 1:
        base, name_like = f"<mi>{escape(head)}</mi>", False
    else:
        base, name_like = f"<mi>{escape(head)}</mi>", True
    if not tail:
        return base, name_like
    parts = [f"<mn>{p}</mn>" if p.isdigit() else symbol_mathml(p)[0] for p in tail.split("_")]
    script = parts[0] if len(parts) == 1 else "<mrow>" + mo(",").join(parts) + "</mrow>"
    return f"<msub>{base}{script}</msub>", name_like


def number_mathml(value: int | Fraction | float) -> Markup:
    """A number: ``<mn>3</mn>``, a fraction, ``2.5·10⁻⁷``."""
    negative = value < 0
    magnitude = -value if negative else value
    if isinstance(magnitude, Fraction):
        top, bottom = int_text(magnitude.numerator), magnitude.denominator
        body = f"<mfrac><mn>{top}</mn><mn>{bottom}</mn></mfrac>"
        return Markup(negative, body, MUL)
    if isinstance(magnitude, float):
        mantissa, _, exponent = repr(magnitude).partition("e")
        if exponent:
            power = f"<msup><mn>10</mn>{number_mathml(int(exponent)).markup}</msup>"
            return Markup(negative, f"<mrow><mn>{mantissa}</mn>{mo(DOT)}{power}</mrow>", MUL)
        return Markup(negative, f"<mn>{mantissa}</mn>", ATOM)
    return Markup(negative, f"<mn>{int_text(magnitude)}</mn>", ATOM)


#: The operators of the conditions of ``where`` (precedence as in ``text``).
OPERATORS = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥", "eq": "=", "ne": "≠", "and": "∧",
             "or": "\u2228"}  # fmt: skip


def _condition(node: Call, pieces: list[Markup]) -> Markup:
    """A comparison or a logical combination, infix; ``¬`` in front of its operand."""
    if node.name == "not":
        return Markup(False, f"<mrow>{mo('¬')}{_wrap(pieces[0], 3)}</mrow>", 4)
    level = {"and": 3, "or": 2}.get(node.name, 5)
    parts = [p.markup if level == 5 else _wrap(p, level - 1) for p in pieces]
    return Markup(False, f"<mrow>{mo(OPERATORS[node.name]).join(parts)}</mrow>", level)


def _cases(pieces: list[Markup]) -> Markup:
    """``where(c, a, b)`` as a brace and a table of (value, condition) rows."""
    condition, a, b = pieces
    rows = (
        f"<mtr><mtd>{a.markup}</mtd><mtd><mtext>if </mtext>{condition.markup}</mtd></mtr>"
        f"<mtr><mtd>{b.markup}</mtd><mtd><mtext>otherwise</mtext></mtd></mtr>"
    )
    return Markup(
        False, f'<mrow><mo>{{</mo><mtable columnalign="left">{rows}</mtable></mrow>', ATOM
    )


PRIME = "\u2032"  # the prime of f'(u)


def _call(node: Call, pieces: list[Markup]) -> Markup:
    if node.name in OPERATORS or node.name == "not":
        return _condition(node, pieces)
    if node.name == "where":
        return _cases(pieces)
    if node.name == "pi":
        return Markup(False, "<mi>π</mi>", ATOM)
    if node.name == "exp":
        if node is E_NODE:
            return Markup(False, "<mi>e</mi>", ATOM)
        return Markup(False, f"<msup><mi>e</mi>{pieces[0].markup}</msup>", POW)
    if node.name == "abs":
        return Markup(False, fenced(pieces[0].markup, "|", "|"), ATOM)
    if node.name == "sqrt" and len(pieces) == 1:  # (not built by the parser; kept for safety)
        return Markup(False, f"<msqrt>{pieces[0].markup}</msqrt>", ATOM)
    name = f"<mi>{escape(NAMES.get(node.name, node.name))}</mi>"
    split = split_head(node.name)
    if split is not None and split[1]:  # f'(u), or the partial ∂₁∂₂g(u, v)
        function, positions = split
        if len(node.args) == 1 and len(positions) <= 3:
            name = f"<msup><mi>{escape(function)}</mi><mo>{PRIME * len(positions)}</mo></msup>"
        else:
            partials = "".join(f"<msub><mo>∂</mo><mn>{i + 1}</mn></msub>" for i in positions)
            name = f"<mrow>{partials}<mi>{escape(function)}</mi></mrow>"
    argument = fenced(mo(",").join(p.markup for p in pieces))
    return Markup(False, f"<mrow>{name}{mo(APPLY)}{argument}</mrow>", ATOM, False, name, argument)


def _power_body(base: Markup, exponent: Expr, exp_piece: Markup) -> Markup:
    """``base ** exponent`` for an exponent that is not a negative number."""
    if exponent is ONE:
        return base
    value = exponent.value if isinstance(exponent, Num) else None
    if type(value) is Fraction and value.numerator == 1 and value.denominator in (2, 3):
        if value.denominator == 2:
            return Markup(False, f"<msqrt>{base.markup}</msqrt>", ATOM)
        return Markup(False, f"<mroot><mrow>{base.markup}</mrow><mn>3</mn></mroot>", ATOM)
    if base.function and type(value) is int:
        head = f"<msup>{base.function}{exp_piece.markup}</msup>"
        return Markup(False, f"<mrow>{head}{mo(APPLY)}{base.argument}</mrow>", ATOM)
    base_markup = _wrap(base, POW) if base.prec != POW else fenced(base.markup)
    return Markup(False, f"<msup>{base_markup}{exp_piece.markup}</msup>", POW)


def _power(node: Pow, base: Markup, exp_piece: Markup) -> Markup:
    exponent = node.exp
    if isinstance(exponent, Num) and exponent.value < 0:
        inverse = _power_body(base, Num(-exponent.value), number_mathml(-exponent.value))
        body = f"<mfrac><mn>1</mn>{inverse.markup}</mfrac>"
        return Markup(False, body, MUL, inverse=inverse)
    return _power_body(base, exponent, exp_piece)


def juxtapose(pieces: list[Markup], wrapped: list[str]) -> str:
    """Factors joined by an invisible times, or ``·`` where juxtaposition would be ambiguous."""
    parts = [wrapped[0]]
    for i in range(1, len(wrapped)):
        before, after = pieces[i - 1], pieces[i]
        ambiguous = wrapped[i].startswith("<mn>") or (before.name_like and after.name_like)
        parts.append(mo(DOT if ambiguous else TIMES))
        if not ambiguous and (before.function or after.function):
            parts.append(THIN)  # as TeX spaces an operator name: x sin(x)
        parts.append(wrapped[i])
    return "".join(parts)


def _row(parts: list[Markup], keep_sums: bool) -> str:
    wrapped = [
        p.markup if keep_sums and len(parts) == 1 else _wrap(p, MUL - (p.prec == MUL))
        for p in parts
    ]
    text = juxtapose(parts, wrapped)
    return text if len(parts) == 1 else f"<mrow>{text}</mrow>"


_TAG = re.compile(r"<[^>]*>")


def _factor_key(node: Expr, piece: Markup) -> tuple[int, str]:
    """Symbols, then functions and powers, then the rest; by their characters within each."""
    base = node.base if isinstance(node, Pow) else node
    if (isinstance(base, Call) and base.name == "pi") or node is E_NODE:
        return -1, ""  # constants first: pi x, e x
    group = 0 if isinstance(base, Sym) else 1 if isinstance(base, Call | Pow) else 2
    return group, _TAG.sub("", piece.body)


def _product(node: Mul, pieces: list[Markup]) -> Markup:
    top: list[tuple[tuple[int, str], Markup]] = []
    bottom: list[tuple[tuple[int, str], Markup]] = []
    negative = False
    coefficient: int | Fraction | float | None = None
    for factor, piece in zip(node.args, pieces, strict=True):
        if isinstance(factor, Num):
            negative, coefficient = factor.value < 0, abs(factor.value)  # type: ignore[assignment]
        elif isinstance(factor, Pow) and isinstance(factor.exp, Num) and factor.exp.value < 0:
            assert piece.inverse is not None
            bottom.append((_factor_key(factor.base, piece.inverse), piece.inverse))
        else:
            top.append((_factor_key(factor, piece), piece))
    top.sort(key=lambda item: item[0])
    bottom.sort(key=lambda item: item[0])
    numerator = [piece for _, piece in top]
    denominator = [piece for _, piece in bottom]
    if isinstance(coefficient, Fraction):
        denominator.insert(0, Markup(False, f"<mn>{coefficient.denominator}</mn>", ATOM))
        coefficient = coefficient.numerator
    if coefficient is not None and (coefficient != 1 or isinstance(coefficient, float)):
        numerator.insert(0, number_mathml(coefficient))
    if not numerator:
        numerator = [Markup(False, "<mn>1</mn>", ATOM)]
    if not denominator:
        single = numerator[0] if len(numerator) == 1 else None
        if single is not None and not single.negative:
            return Markup(negative, single.body, single.prec, single.name_like)
        return Markup(negative, _row(numerator, False), MUL)
    body = f"<mfrac>{_row(numerator, True)}{_row(denominator, True)}</mfrac>"
    return Markup(negative, body, MUL)


def _sum(node: Add, pieces: list[Markup]) -> Markup:
    """Terms in reading order (higher degree first, constants last), as in ``to_str``."""
    order = sorted(
        zip(node.args, pieces, strict=True),
        key=lambda item: (isinstance(item[0], Num), -degree(item[0]), item[1].body),
    )
    parts = []
    for i, (_, piece) in enumerate(order):
        if piece.negative or i:
            parts.append(mo(MINUS if piece.negative else "+"))
        parts.append(piece.body)
    return Markup(False, "<mrow>" + "".join(parts) + "</mrow>", ADD)


def _visit(node: Expr, pieces: list[Markup]) -> Markup:
    match node:
        case Num(value):
            return number_mathml(value)
        case Sym(name):
            body, name_like = symbol_mathml(name)
            return Markup(False, body, ATOM, name_like=name_like)
        case Call():
            return _call(node, pieces)
        case Pow():
            return _power(node, pieces[0], pieces[1])
        case Mul():
            return _product(node, pieces)
        case Add():
            return _sum(node, pieces)
    raise TypeError(f"cannot print {type(node).__name__} as MathML")


def mathml_body(expr: Expr) -> str:
    """The MathML of ``expr`` without the ``<math>`` element (to combine several)."""
    return fold_once(expr, _visit).markup


def math_element(body: str, display: bool = False) -> str:
    """``body`` inside a ``<math>`` element (``display="block"`` on request)."""
    mode = ' display="block"' if display else ""
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{mode}>{body}</math>'


def to_mathml(expr: Expr, display: bool = False) -> str:
    """A ``<math>`` element typesetting ``expr``; ``display=True`` for a block of its own."""
    return math_element(mathml_body(expr), display)
