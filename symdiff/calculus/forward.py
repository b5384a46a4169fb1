"""Symbolic differentiation: one memoised, iterative forward sweep over the DAG.

A derivative that is identically zero is the node ``ZERO``, and terms multiplied by it are never
built (JAX's symbolic zero), which is the cheapest defence against expression swell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from symdiff.calculus.partials import partials
from symdiff.core.errors import SymdiffError
from symdiff.core.nodes import ONE, ZERO, Add, Call, Expr, Mul, Pow, Sym, add, mul, power
from symdiff.core.vocabulary import log
from symdiff.core.traverse import depends_on, fold_once


def _as_symbol(variable: Any) -> Sym:
    if isinstance(variable, Sym):
        return variable
    if isinstance(variable, str):
        try:
            return Sym(variable.strip())
        except ValueError as error:
            raise SymdiffError(str(error)) from None
    raise TypeError(f"differentiate with respect to a symbol or a name, not {variable!r}")


def _product_rule(node: Mul, dargs: list[Expr]) -> Expr:
    terms = []
    for i, da in enumerate(dargs):
        if da is not ZERO:
            terms.append(mul(*node.args[:i], da, *node.args[i + 1 :]))
    return add(*terms)


def _power_rule(node: Pow, dbase: Expr, dexp: Expr) -> Expr:
    base, exp = node.args
    if dexp is ZERO:  # u**c: c*u**(c-1)*du
        return mul(exp, power(base, add(exp, -1)), dbase)
    if dbase is ZERO:  # c**v: c**v*log(c)*dv (0**v is 0 wherever it is defined)
        return ZERO if base is ZERO else mul(node, log(base), dexp)
    # u**v: u**v*(dv*log(u) + v*du/u)
    return mul(node, add(mul(dexp, log(base)), mul(exp, dbase, power(base, -1))))


def _chain_rule(node: Call, dargs: list[Expr]) -> Expr:
    rules = partials(node.name)
    return add(
        *(
            mul(rule(*node.args), da)
            for rule, da in zip(rules, dargs, strict=True)
            if da is not ZERO
        )
    )


def local_derivative(node: Expr, dargs: list[Expr], variable: Sym) -> Expr:
    """The derivative of ``node`` given the derivatives ``dargs`` of its arguments."""
    match node:
        case Sym():
            return ONE if node is variable else ZERO
        case Add():
            return add(*dargs)
        case Mul():
            return _product_rule(node, dargs)
        case Pow():
            return _power_rule(node, *dargs)
        case Call():
            return _chain_rule(node, dargs)
    return ZERO  # numbers


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


def diff(expr: Any, *variables: Any, simplify: bool = False) -> Expr:
    """Derivative of ``expr`` with respect to each of ``variables`` in turn.

    ``diff(f, "x")``, ``diff(f, x, y)`` (mixed partial), ``diff(f, ("x", 3))`` (third order).
    With no variable, ``expr`` must have exactly one free symbol.  ``simplify=True`` runs
    ``symdiff.simplify`` on the result.
    """
    from symdiff.formats.parser import parse_any

    expr = parse_any(expr)
    sequence = _orders(variables)
    if not variables:
        free = expr.free_symbols
        if len(free) != 1:
            names = ", ".join(s.name for s in free) or "none"
            raise ValueError(f"name the variable to differentiate by (free symbols: {names})")
        sequence = [free[0]]
    result = expr
    for variable in sequence:
        result = derivative_wrt(result, variable)
    if simplify:
        from symdiff.rewrite.engine import simplify as run_simplify

        result = run_simplify(result)
    return result


derivative = diff
