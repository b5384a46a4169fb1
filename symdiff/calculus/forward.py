"""Symbolic differentiation: one memoised, iterative forward sweep over the DAG.

A derivative that is identically zero is the node ``ZERO``, and terms multiplied by it are never
built (JAX's symbolic zero), which is the cheapest defence against expression swell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from symdiff.calculus.partials import chain_rule
from symdiff.core.errors import SymdiffError
from symdiff.core.nodes import ONE, ZERO, Expr, Sym
from symdiff.core.traverse import depends_on, fold_once, free_symbols


def _as_symbol(variable: Any) -> Sym:
    if isinstance(variable, Sym):
        return variable
    if isinstance(variable, str):
        try:
            return Sym(variable.strip())
        except ValueError as error:
            raise SymdiffError(str(error)) from None
    raise TypeError(f"differentiate with respect to a symbol or a name, not {variable!r}")


def local_derivative(node: Expr, dargs: list[Expr], variable: Sym) -> Expr:
    """The derivative of ``node`` given the derivatives ``dargs`` of its arguments."""
    if isinstance(node, Sym):
        return ONE if node is variable else ZERO
    return chain_rule(node, dargs)


def derivative_wrt(expr: Expr, variable: Sym) -> Expr:
    """First derivative of ``expr`` with respect to one symbol (no simplification).

    Each node's derivative is dropped once its last parent used it (``fold_once``), so a
    10,000-deep chain keeps O(n) intermediate results alive, not O(n**2).
    """
    relevant = depends_on([expr], [variable])

    def visit(node: Expr, dargs: list[Expr]) -> Expr:
        return local_derivative(node, dargs, variable) if node in relevant else ZERO

    return fold_once(expr, visit)


def _orders(variables: Iterable[Any]) -> list[Sym]:
    """Expand ``("x", 2), "y"`` into ``[x, x, y]``."""
    sequence: list[Sym] = []
    for item in variables:
        if isinstance(item, tuple):
            variable, count = item
            if not isinstance(count, int) or count < 0:
                raise ValueError(f"order of differentiation must be a non-negative int: {count!r}")
            sequence.extend([_as_symbol(variable)] * count)
        else:
            sequence.append(_as_symbol(item))
    return sequence


def diff(expr: Expr, *variables: Any) -> Expr:
    """Derivative of ``expr`` with respect to each of ``variables`` in turn (not simplified).

    ``diff(f, "x")``, ``diff(f, x, y)`` (mixed partial), ``diff(f, ("x", 3))`` (third order).
    With no variable, ``expr`` must have exactly one free symbol.
    """
    sequence = _orders(variables)
    if not variables:
        free = free_symbols(expr)
        if len(free) != 1:
            names = ", ".join(s.name for s in free) or "none"
            raise ValueError(f"name the variable to differentiate by (free symbols: {names})")
        sequence = [free[0]]
    result = expr
    for variable in sequence:
        result = derivative_wrt(result, variable)
    return result
