"""Text forms of expressions: ``to_str`` (Python/SymPy syntax, minimal parentheses) and
``to_repr`` (unambiguous constructor form) and ``formula_repr`` (``repr``: ``parse('x + 1')``).

``parse(to_str(e)) is e`` for every expression (within parse's input limits): a symbol whose
name a formula reserves (``e``, ``pi``, ``sin``, ``lambda``, ``inf``) prints as ``Symbol('e')``,
and every rewrite of the display (signs in front, denominators after ``/``, ``sqrt``) is one
that the parser's smart constructors undo exactly.  Display order (``2*x*y``, ``x**2 + 1``) is
chosen here; the canonical order of ``.args`` is a deterministic digest order that readers need
not see.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from fractions import Fraction

from symdiff.core.conditions import COMPARISONS, CONDITIONS
from symdiff.core.functions import reserved_word
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.core.numbers import int_text
from symdiff.core.traverse import fold_once
from symdiff.core.typing_lite import NamedTuple
from symdiff.core.unknown import split_head
from symdiff.core.vocabulary import known
from symdiff.formats.applied import sympy_text
from symdiff.formats.printer import E_NODE, Writers, render, split_product, sum_text

# precedence levels, loosest first (conditions bind looser than any arithmetic)
OR, AND, NOT, COMPARE, ADD, MUL, NEG, POW, ATOM = 2, 3, 4, 5, 10, 20, 25, 30, 40


class Piece(NamedTuple):
    """A printed subexpression: its sign, its text without the sign, and its precedence."""

    negative: bool
    body: str
    prec: int
    inverse: Piece | None = None  # for ``b**(-k)``: the piece of ``b**k``, used in fractions

    @property
    def text(self) -> str:
        return "-" + self.body if self.negative else self.body


def _number(value: int | Fraction | float) -> Piece:
    negative = value < 0
    magnitude = -value if negative else value
    if isinstance(magnitude, Fraction):
        text = f"{int_text(magnitude.numerator)}/{int_text(magnitude.denominator)}"
        return Piece(negative, text, MUL)
    if isinstance(magnitude, float):
        return Piece(negative, repr(magnitude), ATOM)
    return Piece(negative, int_text(magnitude), ATOM)


def _wrap(piece: Piece, above: int) -> str:
    """The piece's full text, parenthesised unless it binds tighter than ``above``."""
    return piece.text if piece.prec > above and not piece.negative else f"({piece.text})"


def _is_inverse(node: Pow) -> bool:
    """``b**(-k)`` that prints as ``1/b**k``, which the parser rebuilds as ``(b**k)**(-1)``.

    Not ``b**(-1.0)`` (``b**1.0`` would read back as ``b``), nor a number ``b`` with a float
    among base and exponent (``b**k`` would fold to a rounded float, or underflow to 0).
    """
    if not isinstance(node.exp, Num):
        return False
    k = node.exp.value
    if k >= 0 or (type(k) is float and k == -1.0):
        return False
    base = node.base
    return not (isinstance(base, Num) and (type(k) is float or isinstance(base.value, float)))


def symbol_text(name: str) -> str:
    """A symbol's name as a formula writes it: ``x``, or ``Symbol('e')`` for a reserved name."""
    return f"Symbol('{name}')" if reserved_word(name) else name


def _power(node: Pow, base: Piece, exp: Piece) -> Piece:
    """``b**e``; ``sqrt(b)``; for ``b**(-k)`` the piece ``1/b**k``, whose ``inverse`` (``b**k``)
    puts it below the line of a product (``printer.split_product``)."""
    e = node.exp
    if isinstance(e, Num) and type(e.value) is Fraction and e.value == Fraction(1, 2):
        return Piece(False, f"sqrt({base.text})", ATOM)
    if _is_inverse(node):
        inverse = _denominator_part(node, base)
        return Piece(False, f"1/{_wrap(inverse, MUL)}", MUL, inverse)
    return Piece(False, f"{_wrap(base, POW)}**{_wrap(exp, POW)}", POW)


def _denominator_part(node: Pow, base: Piece) -> Piece:
    """The factor ``b**k`` printed for a denominator entry ``b**(-k)``."""
    k = -node.exp.value  # type: ignore[attr-defined]
    if type(k) is Fraction and k == Fraction(1, 2):
        return Piece(False, f"sqrt({base.text})", ATOM)
    if k == 1 and type(k) is int:
        return base
    return Piece(False, f"{_wrap(base, POW)}**{_wrap(_number(k), POW)}", POW)


def _product(node: Mul, pieces: list[Piece]) -> Piece:
    negative, coefficient, numerator, bottom = split_product(node, pieces)
    top = [_wrap(piece, MUL - 1) for piece in numerator]
    number_below = isinstance(coefficient, Fraction)
    if isinstance(coefficient, Fraction):
        bottom.insert(0, Piece(False, int_text(coefficient.denominator), ATOM))
        coefficient = coefficient.numerator
    if (coefficient is not None and coefficient != 1) or isinstance(coefficient, float):
        top.insert(0, _number(coefficient).body)
    text = "*".join(top) or "1"
    if bottom:
        if len(bottom) == 1:
            text += "/" + _wrap(bottom[0], MUL)
        elif number_below and len(bottom) == 2 and bottom[1].prec == ADD:
            # not /(2*(x + y)): that product of a number and a sum would read back distributed
            text += "/" + bottom[0].text + "/" + _wrap(bottom[1], MUL)
        else:
            text += "/(" + "*".join(_wrap(p, MUL - 1) for p in bottom) + ")"
    return Piece(negative, text, MUL)


def _sum(node: Add, pieces: list[Piece]) -> Piece:
    return Piece(False, sum_text(node.args, pieces), ADD)


def _condition(node: Call, pieces: list[Piece]) -> Piece | None:
    """``x > 0``, ``a and b``, ``not (a or b)``; None for a node that is not a condition."""
    name = node.name
    if name in COMPARISONS:
        return Piece(False, f"{pieces[0].text} {COMPARISONS[name]} {pieces[1].text}", COMPARE)
    if name == "not":
        return Piece(False, f"not {_wrap(pieces[0], NOT - 1)}", NOT)
    if name in ("and", "or"):
        level = AND if name == "and" else OR
        return Piece(False, f" {name} ".join(_wrap(p, level - 1) for p in pieces), level)
    return None


def _call(node: Call, pieces: list[Piece], declared: frozenset[str] = frozenset()) -> Piece:
    if node.name in CONDITIONS:
        return _condition(node, pieces)  # type: ignore[return-value]
    nested = node.args[1] if node.name in ("max", "min") else None
    if isinstance(nested, Call) and nested.name == node.name:  # max(a, max(b, c)): max(a, b, c)
        rest = pieces[1].text[len(node.name) + 1 : -1]
        return Piece(False, f"{node.name}({pieces[0].text}, {rest})", ATOM)
    if node.name == "pi":
        return Piece(False, "pi", ATOM)
    if node is E_NODE:
        return Piece(False, "e", ATOM)
    texts = [p.text for p in pieces]
    if not known(node.name):  # an unknown function, self-declaring: Function('f')(x)
        function, positions = split_head(node.name) or (node.name, ())
        if function not in declared:
            return Piece(False, sympy_text(node, texts, f"Function('{function}')"), ATOM)
        if positions and len(texts) == 1:  # f'(x), f''(g(x)): the primes declare f
            return Piece(False, f"{function}{chr(39) * len(positions)}({texts[0]})", ATOM)
        return Piece(False, sympy_text(node, texts, function), ATOM)
    return Piece(False, f"{node.name}({', '.join(texts)})", ATOM)


#: The text format's writer of each node kind (the walk is ``symdiff.formats.printer``'s).
TEXT: Writers[Piece] = Writers(
    number=_number,
    symbol=lambda name: Piece(False, symbol_text(name), ATOM),
    call=_call,
    power=_power,
    product=_product,
    sum=_sum,
)


@functools.cache
def _declaring(declared: frozenset[str]) -> Writers[Piece]:
    """``TEXT`` for formulas whose reader declares ``declared`` unknown functions."""
    return TEXT._replace(call=functools.partial(_call, declared=declared))


def to_str(expr: Expr, functions: Iterable[str] | str | None = None) -> str:
    """Python/SymPy syntax with minimal parentheses: ``2*x*y``, ``x**2 + 1``, ``-x/(y + 1)``.

    Unknown functions declare themselves (``Function('f')(x)``), unless they are among
    ``functions``, the names the reader declares (``parse(text, functions=...)``): then
    ``f(x)``, and ``f'(x)``, ``f''(g(x))`` for the derivatives of one-argument functions.
    """
    if not functions:
        return render(expr, TEXT).text
    names = functions.replace(",", " ").split() if isinstance(functions, str) else functions
    return render(expr, _declaring(frozenset(names))).text


def formula_repr(expr: Expr) -> str:
    """``repr(expr)``: the call that reads it back, ``parse('x**2 + 1')`` (``to_repr`` gives
    the constructor form)."""
    return f"parse({to_str(expr)!r})"


def to_repr(expr: Expr) -> str:
    """Unambiguous constructor form, e.g. ``Add(Num(1), Pow(Sym('x'), Num(2)))``."""

    def visit(node: Expr, texts: list[str]) -> str:
        match node:
            case Num(value):
                if isinstance(value, Fraction):
                    p, q = int_text(value.numerator), int_text(value.denominator)
                    return f"Num(Fraction({p}, {q}))"
                return f"Num({int_text(value) if isinstance(value, int) else repr(value)})"
            case Sym(name):
                return f"Sym({name!r})"
            case Call(name):
                return f"Call({', '.join([repr(name), *texts])})"
        return f"{type(node).__name__}({', '.join(texts)})"

    return fold_once(expr, visit)
