"""One walk for every printed form: ``render(expr, writers)`` with a table of writers per format.

The text and LaTeX printers differ only in their writers (``TEXT`` in ``symdiff.formats.text``,
``LATEX`` in ``symdiff.formats.latex``); the order in which readers see factors and terms is
also theirs in common, and lives here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.core.numbers import Number
from symdiff.core.traverse import dag_size, fold_once
from symdiff.core.typing_lite import Generic, NamedTuple, Protocol, TypeVar

E_NODE = Call._raw("exp", (Num(1),))

P = TypeVar("P")


class Printed(Protocol):
    """Any printed piece (text or LaTeX): what display order needs of it."""

    @property
    def text(self) -> str: ...


class Writers(NamedTuple, Generic[P]):
    """How one format writes each node kind, given the pieces of the node's arguments."""

    number: Callable[[Number], P]
    symbol: Callable[[str], P]
    call: Callable[[Call, list[P]], P]
    power: Callable[[Pow, P, P], P]
    product: Callable[[Mul, list[P]], P]
    sum: Callable[[Add, list[P]], P]


def render(expr: Expr, writers: Writers[P]) -> P:
    """The piece of ``expr``, written bottom-up over the DAG (each shared node once)."""

    def visit(node: Expr, pieces: list[P]) -> P:
        match node:
            case Num(value):
                return writers.number(value)
            case Sym(name):
                return writers.symbol(name)
            case Call():
                return writers.call(node, pieces)
            case Pow():
                return writers.power(node, pieces[0], pieces[1])
            case Mul():
                return writers.product(node, pieces)
            case Add():
                return writers.sum(node, pieces)
        raise TypeError(f"cannot print {type(node).__name__}")

    return fold_once(expr, visit)


#: The order in which derivative tables write function factors in a product (see
#: ``factor_order``): ``sec(x)*tan(x)``, ``-csc(x)*cot(x)``, ``3*sin(x)**2*cos(x)``, and the
#: hyperbolic functions likewise.
TEXTBOOK_ORDER = {
    name: rank
    for rank, name in enumerate(
        (
            *("exp", "log", "sin", "cos", "sec", "csc", "tan", "cot"),
            *("sinh", "cosh", "sech", "csch", "tanh", "coth"),
        )
    )
}


def _head(node: Expr) -> Call | None:
    base = node.base if isinstance(node, Pow) else node
    return base if isinstance(base, Call) else None


def _head_rank(node: Expr) -> int:
    """Rank of a factor's function in ``TEXTBOOK_ORDER`` (-1 when it has none there)."""
    head = _head(node)
    return -1 if head is None else TEXTBOOK_ORDER.get(head.name, -1)


def _composite(node: Expr) -> bool:
    """Whether a factor is a function of a function (``cos(sin(x))``), which tables write
    after the plain ones (``-cos(x)*sin(sin(x))``), unless it is an exponential
    (``exp(sin(x))*cos(x)``)."""
    head = _head(node)
    if head is None or head.name == "exp" or head.name not in TEXTBOOK_ORDER:
        return False
    return any(isinstance(arg, Call) or _head(arg) is not None for arg in head.args)


def factor_order(node: Expr, piece: Printed) -> tuple[int, bool, int, str]:
    """Display order of a factor: constants, then symbols, then calls and powers (plain functions
    before functions of functions, each in ``TEXTBOOK_ORDER``), then the rest."""
    base = node.base if isinstance(node, Pow) else node
    if (isinstance(base, Call) and base.name == "pi") or node is E_NODE:
        return -1, False, -1, piece.text  # constants first: pi*x, e*x
    group = 0 if isinstance(base, Sym) else 1 if isinstance(base, Call | Pow | Num) else 2
    return group, _composite(node), _head_rank(node), piece.text


class ProductParts(NamedTuple, Generic[P]):
    """A product as it is displayed: ``-coefficient * numerator / denominator``."""

    negative: bool
    coefficient: Number | None  # its absolute value; None when the product has no number
    numerator: list[P]
    denominator: list[P]


def split_product(node: Mul, pieces: list[P]) -> ProductParts[P]:
    """The sign and coefficient of a product, the factors above the line and, below it, the
    ``inverse`` of each power piece that has one (the writer's ``b**k`` for ``b**(-k)``), both in
    display order.  The text and LaTeX printers share this; only how they write the parts
    differs (text keeps ``b**(-1.0)`` above the line: its ``b**1.0`` would read back as ``b``)."""
    negative, coefficient = False, None
    top: list[tuple[tuple[int, bool, int, str], P]] = []
    bottom: list[tuple[tuple[int, bool, int, str], P]] = []
    for factor, piece in zip(node.args, pieces, strict=True):
        if isinstance(factor, Num):
            negative = factor.value < 0
            coefficient = -factor.value if negative else factor.value
        elif isinstance(factor, Pow) and getattr(piece, "inverse", None) is not None:
            part = piece.inverse  # type: ignore[attr-defined]  # the writer wrote b**k for it
            bottom.append((factor_order(factor.base, part), part))
        else:
            top.append((factor_order(factor, piece), piece))  # type: ignore[arg-type]
    top.sort(key=lambda item: item[0])
    bottom.sort(key=lambda item: item[0])
    return ProductParts(negative, coefficient, [p for _, p in top], [p for _, p in bottom])


def degree(term: Expr) -> float:
    """Total degree of a term in its symbols (0 for anything not a monomial)."""
    factors = term.args if isinstance(term, Mul) else (term,)
    total: float = 0
    for factor in factors:
        if isinstance(factor, Sym):
            total += 1
        elif isinstance(factor, Pow) and isinstance(factor.base, Sym):
            total += _clamped(factor.exp.value) if isinstance(factor.exp, Num) else 0
    return total


def _clamped(value: Number) -> float:
    """``float(value)`` for sorting, without overflow for huge exact exponents."""
    if -1e300 < value < 1e300:
        return float(value)
    return 1e300 if value > 0 else -1e300


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key of a text in which digit runs compare as numbers: ``cos(2*x)`` < ``cos(10*x)``
    (by length, then digits: no conversion of huge integers)."""
    key = []
    for chunk in re.findall(_CHUNKS, text):
        digits = chunk.lstrip("0")
        key.append((1, len(digits), digits) if chunk.isdigit() else (0, 0, chunk))
    return tuple(key)


_CHUNKS = r"\d+|\D+"  # (compiled on first use, by re's cache: start-up)


def _shape(term: Expr) -> int:
    """How much there is to read in a term besides its number: simpler terms come first."""
    factors = term.args if isinstance(term, Mul) else (term,)
    return sum(dag_size(f) for f in factors if not isinstance(f, Num))


def _functions(term: Expr) -> int:
    """How many factors of a term are not powers of symbols or numbers (``2*x*log(x)``: 1)."""
    factors = term.args if isinstance(term, Mul) else (term,)
    plain = (Num, Sym)
    return sum(
        not isinstance(f, plain) and not (isinstance(f, Pow) and isinstance(f.base, plain))
        for f in factors
    )


def _ranks(term: Expr) -> tuple[int, ...]:
    """The ``TEXTBOOK_ORDER`` ranks of a term's function factors, in display order: of two
    terms alike in shape, ``exp(x)*sin(x)`` comes before ``exp(x)*cos(x)``."""
    factors = term.args if isinstance(term, Mul) else (term,)
    return tuple(sorted(r for r in map(_head_rank, factors) if r >= 0))


def _reading_key(term: Expr, piece: Printed) -> tuple[object, ...]:
    body = piece.body  # type: ignore[attr-defined]
    shape = (-_functions(term), _shape(term), _ranks(term), _natural(body), body)
    return (isinstance(term, Num), -degree(term), *shape)


def sum_text(terms: tuple[Expr, ...], pieces: list) -> str:
    """Terms in reading order joined with ``+``/``-``: higher degree first, then terms with
    more function factors (``2*x*log(x) + x``), then simpler terms (``cos(x) + 2*cos(2*x) +
    10*cos(10*x)``), constants last; a sum that would start with a
    minus starts with its positive terms instead (``3 - x``, ``1 - x**2``, not ``-x + 3``).

    ``pieces`` have ``negative``, ``body`` and ``text``; the LaTeX printer shares this.
    """
    order = sorted(zip(terms, pieces, strict=True), key=lambda item: _reading_key(item[0], item[1]))
    if order[0][1].negative:
        order = [i for i in order if not i[1].negative] + [i for i in order if i[1].negative]
    text = order[0][1].text
    for _, piece in order[1:]:
        text += (" - " if piece.negative else " + ") + piece.body
    return text
