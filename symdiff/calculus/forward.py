"""Symbolic differentiation: one memoised, iterative forward sweep over the DAG.

A derivative that is identically zero is the node ``ZERO``, and terms multiplied by it are never
built (JAX's symbolic zero), which is the cheapest defence against expression swell.
"""

from __future__ import annotations

from collections.abc import Iterable

from symdiff.calculus.partials import MAX_TERMS as MAX_TERMS
from symdiff.calculus.partials import chain_rule
from symdiff.core import numbers
from symdiff.core.constructors import mul, power
from symdiff.core.errors import SymdiffError
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, ZERO, Expr, Num, Sym
from symdiff.core.numbers import Number
from symdiff.core.traverse import dag_size, depends_on, fold_once, free_symbols, postorder
from symdiff.core.typing_lite import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


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
    order = postorder(expr)  # (one walk for both passes)
    relevant = depends_on([expr], [variable], order)

    def visit(node: Expr, dargs: list[Expr]) -> Expr:
        return local_derivative(node, dargs, variable) if node in relevant else ZERO

    return fold_once(expr, visit, order)


def _check_order(count: Any) -> None:
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ValueError(f"order of differentiation must be a non-negative int: {count!r}")


def _orders(variables: Iterable[Any]) -> list[tuple[Sym, int]]:
    """Expand ``("x", 2), "y"`` into runs ``[(x, 2), (y, 1)]`` (never a list of 10**8 names)."""
    runs: list[tuple[Sym, int]] = []
    for item in variables:
        if isinstance(item, tuple):
            variable, count = item
            _check_order(count)
            symbol = _as_symbol(variable)
        else:
            symbol, count = _as_symbol(item), 1
        if runs and runs[-1][0] is symbol:
            runs[-1] = (symbol, runs[-1][1] + count)
        elif count:
            runs.append((symbol, count))
    return runs


#: Repeated first derivatives go on while their DAG stays below this many nodes (or 8 times
#: the input's) and does not grow geometrically (``SWELL`` times per order, twice in a row,
#: past ``SMALL`` nodes); else higher orders come from ``high_order`` (Leibniz over the DAG).
REPEAT_SIZE = 200
SWELL, SMALL = 1.5, 64


def _primitive(expr: Expr) -> tuple[Number, Expr]:
    """``expr = c * p`` with ``c`` a number and ``p`` normalised (its first coefficient 1)."""
    if isinstance(expr, Num):
        return expr.value, ONE
    if isinstance(expr, Mul) and isinstance(expr.args[0], Num):
        return expr.args[0].value, mul(*expr.args[1:])
    if isinstance(expr, Add):
        first = expr.args[0]
        if isinstance(first, Num):
            c = first.value
        elif isinstance(first, Mul) and isinstance(first.args[0], Num):
            c = first.args[0].value
        else:
            return 1, expr
        return c, mul(numbers.divide(1, c), expr)
    return 1, expr


def repeated_derivative(expr: Expr, variable: Sym, count: int, max_work: int) -> Expr | None:
    """The ``count``-th derivative by differentiating again and again, or ``None`` when that
    swells (see ``REPEAT_SIZE``; never before the second order) or costs ``max_work`` nodes.

    Stops early when a derivative is 0, and jumps ahead when one is a constant multiple of an
    earlier one (``sin``: period 4; ``exp(x)*sin(x)``: times -4 every 4), so that
    ``diff(x, ("x", 10**8))`` and ``diff(sin(x), ("x", 10**8))`` are instant.
    """
    size = dag_size(expr) if count > 1 else 0  # (the sizes only decide whether to go on)
    limit = max(REPEAT_SIZE, 8 * size)
    coefficient, primitive = _primitive(expr)
    history, coefficients, seen = [expr], [coefficient], {primitive: 0}
    result, work, swelling = expr, 0, 0
    for step in range(1, count + 1):
        result = derivative_wrt(result, variable)
        if result is ZERO:
            return ZERO
        coefficient, primitive = _primitive(result)
        earlier = seen.get(primitive)
        if earlier is not None:  # result = ratio * history[earlier]: the rest repeats
            ratio = numbers.divide(coefficient, coefficients[earlier])
            periods, rest = divmod(count - earlier, step - earlier)
            return mul(power(Num(ratio), periods), history[earlier + rest])
        seen[primitive] = step
        history.append(result)
        coefficients.append(coefficient)
        if step < count:
            previous, size = size, dag_size(result)
            work += size
            swelling = swelling + 1 if size > SMALL and size > SWELL * previous else 0
            if step >= 2 and (size > limit or work > max_work or swelling >= 2):
                return None
    return result


def _derivative_run(expr: Expr, variable: Sym, count: int, max_terms: int) -> Expr:
    """``d^count expr / d variable^count``: repeated while cheap, else by Leibniz's rule."""
    result = repeated_derivative(expr, variable, count, max_terms)
    if result is not None:
        return result
    from symdiff.calculus.high_order import nth_derivative  # (rarely needed: start-up)

    return nth_derivative(expr, variable, count, max_terms)


def diff(expr: Expr, *variables: Any, max_terms: int = MAX_TERMS) -> Expr:
    """Derivative of ``expr`` with respect to each of ``variables`` in turn (not simplified).

    ``diff(f, "x")``, ``diff(f, x, y)`` (mixed partial), ``diff(f, ("x", 3))`` (third order).
    With no variable, ``expr`` must have exactly one free symbol.  High orders reuse the lower
    ones (``symdiff.calculus.high_order``) and stop at a derivative that is 0; one whose result
    would exceed about ``max_terms`` terms raises ``DerivativeTooLargeError`` (saying what to
    do instead) rather than run for minutes.
    """
    runs = _orders(variables)
    if not variables:
        free = free_symbols(expr)
        if len(free) != 1:
            names = ", ".join(s.name for s in free) or "none"
            raise ValueError(f"name the variable to differentiate by (free symbols: {names})")
        runs = [(free[0], 1)]
    result = expr
    for variable, count in runs:
        result = _derivative_run(result, variable, count, max_terms)
        if result is ZERO:
            break
    return result
