"""Monomials: results the simplifier returns unchanged, recognised without loading it.

A derivative as simple as ``2*x*y`` or ``3*x**2`` has nothing to simplify, yet loading the rule
table (building its patterns) and the engine is about a tenth of ``symdiff "x**2*y+y+2" --wrt
x``.  ``diff(..., simplify="auto")`` returns a monomial as it is; that ``simplify`` returns every
monomial unchanged is checked by ``tests/rewrite/test_monomials.py`` over a family of them.
"""

from __future__ import annotations

from symdiff.core.nary import Mul
from symdiff.core.nodes import Expr, Num, Pow, Sym


def _power_of_symbol(node: Expr) -> bool:
    """A symbol, or a symbol to an integer power of at least 2 (``x``, ``y**3``)."""
    match node:
        case Sym():
            return True
        case Pow(Sym(), Num(k)):
            return type(k) is int and k >= 2
    return False


def is_monomial(expr: Expr) -> bool:
    """An exact number, or a product of symbols to integer powers >= 1 with an exact number in
    front (``7``, ``x``, ``-x*y``, ``3*x**2``, ``x/2``); floats and negative powers are not."""
    match expr:
        case Num(value):
            return not isinstance(value, float)
        case Mul():
            args = expr.args
            if isinstance(args[0], Num):
                if isinstance(args[0].value, float):
                    return False
                args = args[1:]
            return all(_power_of_symbol(a) for a in args)
    return _power_of_symbol(expr)
