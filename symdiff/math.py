"""Math functions for code that runs on numbers *and* on expressions (``symdiff.math``).

``symdiff.math.sin(0.5)`` is a float (from the standard ``math`` module); ``sin(x)`` for an
expression ``x`` is a node.  Functions written with these and the arithmetic operators can be
called on numbers as usual and turned into expressions with ``symdiff.trace``.

>>> from symdiff import math as sm
>>> sm.sin(0.0), str(sm.sin(sm.Sym("x")))
(0.0, 'sin(x)')
"""

from __future__ import annotations

import math as _math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from symdiff.core import functions as _functions
from symdiff.core import vocabulary as _vocabulary
from symdiff.core.conditions import CONDITIONS
from symdiff.core.nodes import Sym

pi = _math.pi
e = _math.e


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Fraction) and not isinstance(value, bool)


def _dual(name: str) -> Callable[..., Any]:
    """The function of row ``name`` that gives a float on numbers and a node otherwise."""
    numeric = _vocabulary.FUNCTIONS[name].evaluate

    def function(*args: Any) -> Any:
        if all(_is_number(a) for a in args):
            return float(numeric(*(float(a) for a in args)))
        return _vocabulary.call(name, *args)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``{name}`` of numbers (a float) or of expressions (a node)."
    return function


#: One function per row of the vocabulary (``abs`` shadows the builtin on purpose: the same
#: name for numbers and nodes).
DUALS: dict[str, Callable[..., Any]] = {
    name: _dual(name)
    for name, row in _vocabulary.FUNCTIONS.items()
    if row.arity and name not in ("log", "stop_gradient", "where", "max", "min", *CONDITIONS)
}
globals().update(DUALS)


def where(condition: Any, a: Any, b: Any) -> Any:
    """``a if condition else b`` for a condition that is a Python truth value; for a symbolic
    condition (``x > 0`` of an expression ``x``), the node ``where(x > 0, a, b)``, which is how
    traced code branches on a symbolic value."""
    if isinstance(condition, bool | int | float):
        return a if condition else b
    return _functions.where(condition, a, b)


def maximum(*args: Any) -> Any:
    """The largest argument (a float for numbers, ``max(...)`` of expressions); at a tie the
    first, which is also whose derivative symdiff takes (README, "Kinks")."""
    if all(_is_number(a) for a in args):
        return float(max(args))
    return _functions.maximum(*args)


def minimum(*args: Any) -> Any:
    """The smallest argument (a float for numbers, ``min(...)`` of expressions); at a tie the
    first."""
    if all(_is_number(a) for a in args):
        return float(min(args))
    return _functions.minimum(*args)


def stop_gradient(u: Any) -> Any:
    """``u`` itself for numbers; for expressions, a node whose derivative is zero."""
    return u if _is_number(u) else _functions.stop_gradient(u)


detach = stop_gradient


def log(u: Any, base: Any = None) -> Any:
    """Natural logarithm, or the logarithm in ``base``; floats for numbers, nodes otherwise."""
    if _is_number(u) and (base is None or _is_number(base)):
        return _math.log(u) if base is None else _math.log(u, base)
    return _functions.log(u, base)


def sqrt(u: Any) -> Any:
    """Square root: a float for a number, ``u**(1/2)`` for an expression."""
    return _math.sqrt(u) if _is_number(u) else _functions.sqrt(u)


__all__ = [
    "DUALS", "Sym", "detach", "e", "log", "maximum", "minimum", "pi", "sqrt", "stop_gradient",
    "where", *DUALS,
]  # fmt: skip


def __getattr__(name: str) -> Callable[..., Any]:
    """For type checkers: the functions of ``DUALS`` are made from the table at import."""
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
