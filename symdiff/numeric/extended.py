"""Extended-range evaluation: what ``evaluate`` falls back on when a float overflows.

An intermediate value may leave the float range although the result does not: ``sech(x**12)``
at ``x = 2.63`` needs ``cosh(108253)``, ``10**100000*x`` at ``x = 0`` needs ``10**100000``.  Here
every value is a ``decimal.Decimal`` with 40 significant digits and exponents up to ±10**15, so
such intermediates are ordinary numbers and only the final value has to fit a float.  Functions
that ``decimal`` lacks are computed in floats when their argument fits one, and from their
limits otherwise (``atan(huge) = pi/2``); where no float can say (``sin(10**400)``) the node
overflows, as it would in floats.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal, DivisionByZero, InvalidOperation
from fractions import Fraction

from symdiff.core.conditions import TESTS
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow
from symdiff.core.vocabulary import row

#: Past ±10**(10**15) a value is ``Infinity`` (IEEE semantics once more, at a scale where the
#: limits ``tanh(inf) = 1``, ``1/inf = 0`` are exact to float precision); ``inf - inf`` and
#: ``0*inf`` are errors.
CONTEXT = Context(prec=40, Emax=10**15, Emin=-(10**15), traps=[InvalidOperation, DivisionByZero])
_FLOAT_MAX = Decimal("1.7976931348623157e308")
_ZERO, _ONE, _TWO = Decimal(0), Decimal(1), Decimal(2)


def wide(value: float | int | Fraction) -> Decimal:
    """An exact number as a ``Decimal`` (rounded to 40 digits only for fractions)."""
    if isinstance(value, Fraction):
        return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
    return Decimal(value)


def fits_float(value: Decimal) -> bool:
    """Whether ``float(value)`` is finite (tiny values round to 0, as in floats)."""
    return value.is_finite() and value.copy_abs() <= _FLOAT_MAX


def _strict(value: Decimal) -> float:
    if not fits_float(value):
        raise OverflowError(f"argument {value:.6e} is beyond the float range")
    return float(value)


def _in_floats(fn: Callable[..., float]) -> Callable[..., Decimal]:
    """A float function for arguments that fit a float (``sin(1e400)`` overflows)."""
    return lambda *args: Decimal(fn(*map(_strict, args)))


def _with_limits(fn: Callable[..., float]) -> Callable[..., Decimal]:
    """A float function that has limits at infinity (``atan(inf) = pi/2``, ``erf(-inf) = -1``)."""
    return lambda *args: Decimal(fn(*map(float, args)))


def _of_reciprocal(fn: Callable[[float], float]) -> Callable[[Decimal], Decimal]:
    """``fn(1/u)`` with the reciprocal taken in extended range (``asec``, ``acoth`` …)."""
    return lambda u: Decimal(fn(float(CONTEXT.divide(_ONE, u))))


def _sinh(u: Decimal) -> Decimal:
    if fits_float(u) and u.copy_abs() < 700:
        return Decimal(math.sinh(float(u)))
    return CONTEXT.divide(CONTEXT.subtract(CONTEXT.exp(u), CONTEXT.exp(u.copy_negate())), _TWO)


def _cosh(u: Decimal) -> Decimal:
    if fits_float(u) and u.copy_abs() < 700:
        return Decimal(math.cosh(float(u)))
    return CONTEXT.divide(CONTEXT.add(CONTEXT.exp(u), CONTEXT.exp(u.copy_negate())), _TWO)


def _tanh(u: Decimal) -> Decimal:
    return Decimal(math.tanh(float(u)))  # saturates at ±1 long before the float range ends


def _reciprocal(fn: Callable[[Decimal], Decimal]) -> Callable[[Decimal], Decimal]:
    return lambda u: CONTEXT.divide(_ONE, fn(u))


def _log(u: Decimal) -> Decimal:
    if u <= 0:
        raise ValueError("math domain error")
    return CONTEXT.ln(u)


def _expm1(u: Decimal) -> Decimal:
    if fits_float(u) and u < 700:
        return Decimal(math.expm1(float(u)))  # exact near 0, where exp(u) - 1 cancels
    return CONTEXT.subtract(CONTEXT.exp(u), _ONE)


def _log1p(u: Decimal) -> Decimal:
    if fits_float(u):
        return Decimal(math.log1p(float(u)))
    return _log(CONTEXT.add(u, _ONE))


def _asinh(u: Decimal) -> Decimal:
    if fits_float(u):
        return Decimal(math.asinh(float(u)))
    return (CONTEXT.ln(CONTEXT.multiply(_TWO, u.copy_abs()))).copy_sign(u)  # exact beyond 1e308


def _acosh(u: Decimal) -> Decimal:
    if fits_float(u):
        return Decimal(math.acosh(float(u)))
    return CONTEXT.ln(CONTEXT.multiply(_TWO, u))


def _atan2(y: Decimal, x: Decimal) -> Decimal:
    scale = max(y.copy_abs(), x.copy_abs())
    if scale == 0 or (fits_float(scale) and scale > Decimal("1e-300")):
        return Decimal(math.atan2(float(y), float(x)))
    return Decimal(math.atan2(float(CONTEXT.divide(y, scale)), float(CONTEXT.divide(x, scale))))


def _sign(u: Decimal) -> Decimal:
    return Decimal((u > 0) - (u < 0))


#: The extended-range counterpart of each ``FUNCTIONS`` row (a test keeps the keys equal).
WIDE: dict[str, Callable[..., Decimal]] = {
    "sin": _in_floats(math.sin),
    "cos": _in_floats(math.cos),
    "tan": _in_floats(math.tan),
    "sec": _in_floats(lambda u: 1 / math.cos(u)),
    "csc": _in_floats(lambda u: 1 / math.sin(u)),
    "cot": _in_floats(lambda u: 1 / math.tan(u)),
    "asin": _in_floats(math.asin),
    "acos": _in_floats(math.acos),
    "atan": _with_limits(math.atan),
    "acot": _of_reciprocal(math.atan),
    "asec": _of_reciprocal(math.acos),
    "acsc": _of_reciprocal(math.asin),
    "sinh": _sinh,
    "cosh": _cosh,
    "tanh": _tanh,
    "sech": _reciprocal(_cosh),
    "csch": _reciprocal(_sinh),
    "coth": _reciprocal(_tanh),
    "asinh": _asinh,
    "acosh": _acosh,
    "atanh": _in_floats(math.atanh),
    "acoth": _of_reciprocal(math.atanh),
    "exp": CONTEXT.exp,
    "expm1": _expm1,
    "log": _log,
    "log1p": _log1p,
    "abs": Decimal.copy_abs,
    "sign": _sign,
    "erf": _with_limits(math.erf),
    "atan2": _atan2,
    "stop_gradient": lambda u: u,
    "pi": lambda: Decimal(math.pi),
    # the selecting rows and conditions: exact on decimals, as on floats (vocabulary.py)
    "max": lambda a, b: a if a >= b else b,
    "min": lambda a, b: a if a <= b else b,
    "relu": lambda u: u if u > 0 else Decimal(0),
    "heaviside": lambda u: Decimal(1 if u > 0 else 0) if u != 0 else Decimal("0.5"),
    "clip": lambda u, lo, hi: lo if u < lo else hi if u > hi else u,
    "floor": lambda u: u.to_integral_value(rounding=ROUND_FLOOR),
    "ceil": lambda u: u.to_integral_value(rounding=ROUND_CEILING),
    "hypot": lambda a, b: CONTEXT.sqrt(CONTEXT.add(CONTEXT.multiply(a, a), CONTEXT.multiply(b, b))),
    "where": lambda c, a, b: a if c != 0 else b,
    **{name: (lambda a, b, t=test: Decimal(int(t(a, b)))) for name, test in TESTS.items()},
    "and": lambda a, b: Decimal(int(a != 0 and b != 0)),
    "or": lambda a, b: Decimal(int(a != 0 or b != 0)),
    "not": lambda a: Decimal(int(a == 0)),
}


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    if base == 0 and exponent < 0:
        raise ZeroDivisionError("zero to a negative power")
    if base < 0 and exponent != exponent.to_integral_value(context=CONTEXT):
        raise ValueError("a negative number to a fractional power")
    return CONTEXT.power(base, exponent)


def wide_value(node: Expr, args: list[Decimal], values: dict[str, Decimal]) -> Decimal:
    """The extended-range value of one node from those of its arguments.

    Raises ``ZeroDivisionError``, ``ValueError`` (outside the domain) or ``OverflowError``.
    """
    try:
        match node:
            case Num(value):
                return wide(value)
            case Add():
                total = args[0]
                for term in args[1:]:
                    total = CONTEXT.add(total, term)
                return total
            case Mul():
                product = args[0]
                for factor in args[1:]:
                    product = CONTEXT.multiply(product, factor)
                return product
            case Pow():
                return _power(args[0], args[1])
            case Call(name):
                wide_function = WIDE.get(name)
                if wide_function is None:  # a defined function (or an unknown one: an error)
                    wide_function = _in_floats(row(name, len(args)).evaluate)
                return wide_function(*args)
    except DivisionByZero:
        raise ZeroDivisionError("division by zero") from None
    except InvalidOperation:
        if any(a.is_infinite() for a in args):
            raise OverflowError("an intermediate value beyond ±1e1000000000000000") from None
        raise ValueError("outside the domain") from None
    return values[node.name]  # type: ignore[attr-defined]  # a symbol
