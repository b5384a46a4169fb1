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

from symdiff.core import vocabulary as _functions
from symdiff.core.nodes import Sym

__all__ = [
    "Sym", "abs", "acos", "acosh", "acot", "acoth", "acsc", "asec", "asin", "asinh", "atan",
    "atan2", "atanh", "cos", "cosh", "cot", "coth", "csc", "csch", "detach", "e", "erf", "exp",
    "log", "pi", "sec", "sech", "sign", "sin", "sinh", "sqrt", "stop_gradient", "tan", "tanh",
]  # fmt: skip

pi = _math.pi
e = _math.e


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Fraction) and not isinstance(value, bool)


def _dual(name: str) -> Callable[..., Any]:
    """A function of ``FUNCTIONS[name]`` that gives a float on numbers and a node otherwise."""
    numeric = _functions.FUNCTIONS[name].evaluate

    def function(*args: Any) -> Any:
        if all(_is_number(a) for a in args):
            return float(numeric(*(float(a) for a in args)))
        return _functions.call(name, *args)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``{name}`` of numbers (a float) or of expressions (a node)."
    return function


sin = _dual("sin")
cos = _dual("cos")
tan = _dual("tan")
sec = _dual("sec")
csc = _dual("csc")
cot = _dual("cot")
asin = _dual("asin")
acos = _dual("acos")
atan = _dual("atan")
acot = _dual("acot")
asec = _dual("asec")
acsc = _dual("acsc")
sinh = _dual("sinh")
cosh = _dual("cosh")
tanh = _dual("tanh")
sech = _dual("sech")
csch = _dual("csch")
coth = _dual("coth")
asinh = _dual("asinh")
acosh = _dual("acosh")
atanh = _dual("atanh")
acoth = _dual("acoth")
exp = _dual("exp")
erf = _dual("erf")
sign = _dual("sign")
atan2 = _dual("atan2")
abs = _dual("abs")  # shadows the builtin on purpose: the same name for numbers and nodes


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
