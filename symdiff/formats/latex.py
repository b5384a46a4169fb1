"""LaTeX for expressions: ``to_latex(parse("x/y"))`` is ``\\frac{x}{y}``.

Parentheses (``\\left(`` … ``\\right)``) appear only where precedence needs them; factors are
juxtaposed, with ``\\cdot`` only where that would be ambiguous (a digit after a number, or two
multi-letter names); ``x_1`` becomes ``x_{1}`` and Greek names become their macros.  Terms come
in the same display order as ``to_str``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, Call, Expr, Num, Pow
from symdiff.core.numbers import int_text
from symdiff.core.unknown import split_head
from symdiff.core.vocabulary import FUNCTIONS, known
from symdiff.formats.applied import latex_derivative
from symdiff.formats.printer import E_NODE, Writers, render, split_product, sum_text

# precedence levels, loosest first (as in printing.py)
ADD, MUL, POW, ATOM = 10, 20, 30, 40

_GREEK_NAMES = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
    "nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
GREEK = frozenset(_GREEK_NAMES.split())

#: Functions with their own LaTeX macro; the rest are written ``\operatorname{name}``.
MACROS: dict[str, str] = {name: row.latex for name, row in FUNCTIONS.items() if row.latex}


class Tex(NamedTuple):
    """A rendered subexpression: sign, body without the sign, precedence, and hints."""

    negative: bool
    body: str
    prec: int
    name_like: bool = False  # a multi-letter upright name: juxtaposing two would merge them
    function: str = ""  # ``\sin`` for ``sin(u)``: its powers read ``\sin^{2}\left(u\right)``
    argument: str = ""
    inverse: Tex | None = None  # for ``b**(-k)``: the piece of ``b**k``, used in fractions
    cases: tuple[tuple[str, str], ...] = ()  # for ``where``: (value, condition) rows of cases

    @property
    def text(self) -> str:
        return "-" + self.body if self.negative else self.body


def parens(text: str) -> str:
    """``\\left(text\\right)``."""
    return rf"\left({text}\right)"


def _wrap(piece: Tex, above: int) -> str:
    return piece.text if piece.prec > above and not piece.negative else parens(piece.text)


def symbol_latex(name: str) -> str:
    """``alpha`` -> ``\\alpha``, ``x_1`` -> ``x_{1}``, ``rate`` -> ``\\mathrm{rate}``."""
    head, _, tail = name.partition("_")
    if not head:  # a name starting with '_' stays upright as a whole
        return r"\mathrm{" + name.replace("_", r"\_") + "}"
    if head in GREEK:
        text = "\\" + head
    elif len(head) == 1:
        text = head
    else:
        text = r"\mathrm{" + head + "}"
    if tail:
        parts = [part if part.isdigit() else symbol_latex(part) for part in tail.split("_")]
        text += "_{" + ",".join(parts) + "}"
    return text


def number_latex(value: int | Fraction | float) -> Tex:
    """A number's piece: ``\\frac{1}{3}``, ``2.5 \\cdot 10^{-7}``."""
    negative = value < 0
    magnitude = -value if negative else value
    if isinstance(magnitude, Fraction):
        body = rf"\frac{{{int_text(magnitude.numerator)}}}{{{int_text(magnitude.denominator)}}}"
        return Tex(negative, body, MUL)
    if isinstance(magnitude, float):
        mantissa, _, exponent = repr(magnitude).partition("e")
        if exponent:
            return Tex(negative, rf"{mantissa} \cdot 10^{{{int(exponent)}}}", MUL)
        return Tex(negative, mantissa, ATOM)
    return Tex(negative, int_text(magnitude), ATOM)


#: LaTeX of the comparisons and logical operators (conditions of ``where``).
RELATIONS = {"lt": "<", "le": r"\leq", "gt": ">", "ge": r"\geq", "eq": "=", "ne": r"\neq"}
OR_, AND_, NOT_, COMPARE_ = 2, 3, 4, 5


def _condition(node: Call, pieces: list[Tex]) -> Tex:
    r"""``x > 0``, ``x \leq 1 \land y > 0``, ``\lnot \left(...\right)``."""
    if node.name in RELATIONS:
        return Tex(False, f"{pieces[0].text} {RELATIONS[node.name]} {pieces[1].text}", COMPARE_)
    if node.name == "not":
        return Tex(False, rf"\lnot {_wrap(pieces[0], NOT_ - 1)}", NOT_)
    level, macro = (AND_, r" \land ") if node.name == "and" else (OR_, r" \lor ")
    return Tex(False, macro.join(_wrap(p, level - 1) for p in pieces), level)


def _cases(pieces: list[Tex]) -> Tex:
    """``where(c, a, where(d, b, e))`` as one cases environment of three rows."""
    condition, a, b = pieces
    rows = (
        (a.text, rf"\text{{if }} {condition.text}"),
        *(b.cases or ((b.text, r"\text{otherwise}"),)),
    )
    body = r" \\ ".join(f"{value} & {when}" for value, when in rows)
    return Tex(False, rf"\begin{{cases}} {body} \end{{cases}}", ATOM, cases=rows)


def _call(node: Call, pieces: list[Tex]) -> Tex:
    if node.name in RELATIONS or node.name in ("and", "or", "not"):
        return _condition(node, pieces)
    if node.name == "where":
        return _cases(pieces)
    if node.name in ("floor", "ceil"):
        left, right = (r"\lfloor", r"\rfloor") if node.name == "floor" else (r"\lceil", r"\rceil")
        return Tex(False, rf"\left{left} {pieces[0].text} \right{right}", ATOM)
    if (
        node.name in ("max", "min")
        and isinstance(node.args[1], Call)
        and node.args[1].name == node.name
    ):
        inner = pieces[1].argument[len(r"\left(") : -len(r"\right)")]
        argument = parens(f"{pieces[0].text}, {inner}")
        return Tex(
            False, MACROS[node.name] + argument, ATOM, function=MACROS[node.name], argument=argument
        )
    if node.name == "pi":
        return Tex(False, r"\pi", ATOM)
    if node.name == "exp":
        return Tex(False, "e" if node is E_NODE else f"e^{{{pieces[0].text}}}", POW)
    if node.name == "abs":
        return Tex(False, rf"\left|{pieces[0].text}\right|", ATOM)
    if not known(node.name):  # an unknown function: f(x), \frac{d}{dx} f(x), f'(g(x))
        name = symbol_latex((split_head(node.name) or (node.name, ()))[0])
        operator, applied = latex_derivative(node, [p.text for p in pieces], name)
        body = f"{operator} {applied}" if operator else applied
        # \frac{d}{dx} f(x) is parenthesised in products and powers: it would take in the rest
        return Tex(False, body, ADD if operator else ATOM)
    macro = MACROS.get(node.name) or r"\operatorname{" + node.name.replace("_", r"\_") + "}"
    argument = parens(", ".join(p.text for p in pieces))
    return Tex(False, macro + argument, ATOM, function=macro, argument=argument)


def _root(base: Tex, k: Fraction) -> str:
    """``u**(1/k)`` for ``k`` = 2 or 3 as a radical (``k`` is ``1/exponent``)."""
    index = "" if k == 2 else f"[{k}]"
    return rf"\sqrt{index}{{{base.text}}}"


def _power_body(base: Tex, exponent: Expr, exp_piece: Tex) -> Tex:
    """``base ** exponent`` for an exponent that is not a negative number."""
    if exponent is ONE:
        return base
    value = exponent.value if isinstance(exponent, Num) else None
    if type(value) is Fraction and value.numerator == 1 and value.denominator in (2, 3):
        return Tex(False, _root(base, Fraction(value.denominator)), ATOM)
    if base.function and type(value) is int:
        return Tex(False, f"{base.function}^{{{exp_piece.text}}}{base.argument}", ATOM)
    base_text = _wrap(base, POW) if base.prec != POW else parens(base.text)
    return Tex(False, f"{base_text}^{{{exp_piece.text}}}", POW)


def _power(node: Pow, base: Tex, exp_piece: Tex) -> Tex:
    exponent = node.exp
    if isinstance(exponent, Num) and exponent.value < 0:
        inverse = _power_body(base, Num(-exponent.value), number_latex(-exponent.value))
        return Tex(False, rf"\frac{{1}}{{{inverse.text}}}", MUL, inverse=inverse)
    return _power_body(base, exponent, exp_piece)


def juxtapose(pieces: list[Tex], wrapped: list[str]) -> str:
    """Join factors with a space, or ``\\cdot`` where juxtaposition would be ambiguous."""
    text = wrapped[0]
    for i in range(1, len(wrapped)):
        before, after = pieces[i - 1], pieces[i]
        ambiguous = wrapped[i][0].isdigit() or (before.name_like and after.name_like)
        text += (r" \cdot " if ambiguous else " ") + wrapped[i]
    return text


def _product(node: Mul, pieces: list[Tex]) -> Tex:
    negative, coefficient, numerator, denominator = split_product(node, pieces)
    if isinstance(coefficient, Fraction):
        denominator.insert(0, Tex(False, int_text(coefficient.denominator), ATOM))
        coefficient = coefficient.numerator
    if coefficient is not None and (coefficient != 1 or isinstance(coefficient, float)):
        numerator.insert(0, number_latex(coefficient))
    if not numerator:
        numerator = [Tex(False, "1", ATOM)]

    def joined(parts: list[Tex], keep_sums: bool) -> str:
        wrapped = [
            p.text if keep_sums and len(parts) == 1 else _wrap(p, MUL - (p.prec == MUL))
            for p in parts
        ]
        return juxtapose(parts, wrapped)

    if not denominator:
        single = numerator[0] if len(numerator) == 1 else None
        if single is not None and not single.negative:
            return Tex(negative, single.body, single.prec, single.name_like)
        return Tex(negative, joined(numerator, False), MUL)
    body = rf"\frac{{{joined(numerator, True)}}}{{{joined(denominator, True)}}}"
    return Tex(negative, body, MUL)


def _sum(node: Add, pieces: list[Tex]) -> Tex:
    return Tex(False, sum_text(node.args, pieces), ADD)


def _symbol(name: str) -> Tex:
    text = symbol_latex(name)
    return Tex(False, text, ATOM, name_like=text.startswith(r"\mathrm"))


#: The LaTeX format's writer of each node kind (the walk is ``symdiff.formats.printer``'s).
LATEX: Writers[Tex] = Writers(
    number=number_latex,
    symbol=_symbol,
    call=_call,
    power=_power,
    product=_product,
    sum=_sum,
)


def to_latex(expr: Expr) -> str:
    """LaTeX math-mode text for ``expr`` (no surrounding ``$``)."""
    return render(expr, LATEX).text
