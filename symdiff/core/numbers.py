"""Exact constant arithmetic with bounds, so that folding never hangs or overflows.

Numbers are ``int``, ``Fraction`` (never with denominator 1) or finite ``float``.
``power`` returns ``None`` when a result would be inexact (``2**(1/2)``) or too large
(``10**100000``): the caller then keeps the power symbolic.
"""

from __future__ import annotations

import decimal
import math
from fractions import Fraction

from symdiff.core.errors import DivisionByZeroError, NonFiniteError

Number = int | Fraction | float

#: Largest exact result (in bits) that folding may produce; larger stays symbolic.
MAX_BITS = 8192


def normalize(value: Number) -> Number:
    """Canonical form of a number: ``Fraction(4, 2) -> 2``, ``-0.0 -> 0.0``, ``True -> 1``."""
    if type(value) is int:  # the common case first (building nodes calls this constantly)
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NonFiniteError(
                f"non-finite number {value!r} cannot be a constant (float arithmetic overflowed; "
                "integers and fractions stay exact)"
            )
        return value + 0.0 if value == 0 else value
    if isinstance(value, int):
        return value
    raise TypeError(f"not a number: {value!r}")


def too_big(value: Number) -> bool:
    """True when an exact value has grown past ``MAX_BITS``."""
    if isinstance(value, int):
        return value.bit_length() > MAX_BITS
    if isinstance(value, Fraction):
        return max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_BITS
    return False


def _overflow(a: Number, sign: str, b: Number) -> NonFiniteError:
    def show(value: Number) -> str:
        digits = len(int_text(abs(int(value)))) if isinstance(value, int | Fraction) else 0
        return f"(a number of {digits:,} digits)" if digits > 30 else repr(value)

    return NonFiniteError(
        f"{show(a)} {sign} {show(b)} overflows a float: the exact number is too large to "
        "convert (write the float as a fraction, e.g. 3/2 for 1.5, to keep it exact)"
    )


def plus(a: Number, b: Number) -> Number:
    """``a + b``; a float meeting an integer too large for a float is a ``NonFiniteError``."""
    try:
        return a + b
    except OverflowError:
        raise _overflow(a, "+", b) from None


def times(a: Number, b: Number) -> Number:
    """``a * b``; a float meeting an integer too large for a float is a ``NonFiniteError``."""
    try:
        return a * b
    except OverflowError:
        raise _overflow(a, "*", b) from None


def divide(a: Number, b: Number) -> Number:
    """Exact division ``a / b``; raises ``DivisionByZeroError`` for a zero divisor."""
    if b == 0:
        raise DivisionByZeroError(f"division by zero: {a}/{b}")
    if isinstance(a, float) or isinstance(b, float):
        try:
            return normalize(a / b)
        except OverflowError:  # an integer too large for a float met a float
            raise NonFiniteError(
                f"{type(a).__name__} / {type(b).__name__} overflows a float"
            ) from None
    return normalize(Fraction(a) / Fraction(b))


def _exact_root(value: int, n: int) -> int | None:
    """The integer ``n``-th root of ``value >= 0`` if it is exact, else ``None``."""
    if value.bit_length() > MAX_BITS:
        return None
    root = round(value ** (1.0 / n)) if value < 2**1000 else math.isqrt(value) if n == 2 else None
    if root is None:
        return None
    for candidate in (root - 1, root, root + 1):
        if candidate >= 0 and candidate**n == value:
            return candidate
    return None


def power(base: Number, exponent: Number) -> Number | None:
    """``base ** exponent`` when exact (or float) and bounded, else ``None`` (stay symbolic)."""
    if isinstance(base, float) or isinstance(exponent, float):
        if base < 0 and float(exponent) != int(exponent):
            return None
        if base == 0 and exponent < 0:
            raise DivisionByZeroError(f"division by zero: {base}**{exponent}")
        try:
            result = float(base) ** float(exponent)
        except OverflowError:
            return None
        return normalize(result) if math.isfinite(result) else None
    if isinstance(exponent, int):
        if base == 0 and exponent < 0:
            raise DivisionByZeroError(f"division by zero: 0**{exponent}")
        if base in (0, 1, -1):
            return normalize(Fraction(base) ** exponent)
        size = max(abs(Fraction(base).numerator), Fraction(base).denominator).bit_length()
        if size * abs(exponent) > MAX_BITS and exponent != -1:  # 1/b does not grow: exact
            return None
        return normalize(Fraction(base) ** exponent)
    # rational exponent p/q: exact only for perfect q-th powers of a non-negative base
    if base < 0:
        return None
    if base == 0:
        if exponent < 0:
            raise DivisionByZeroError(f"division by zero: 0**({exponent})")
        return 0
    base = Fraction(base)
    p, q = exponent.numerator, exponent.denominator
    if q > 64:
        return None
    num, den = _exact_root(base.numerator, q), _exact_root(base.denominator, q)
    if num is None or den is None:
        return None
    return power(normalize(Fraction(num, den)), p)


#: Digits below which CPython's own quadratic conversions are the fastest.
_SMALL_DIGITS = 3000


def int_text(value: int) -> str:
    """``str(value)`` in O(M(n) log n), without CPython's 4300-digit limit on conversions.

    Large values are split in halves by bits and put together again in ``decimal`` arithmetic,
    whose multiplication is subquadratic (CPython 3.11's own ``str`` is quadratic).
    """
    if abs(value).bit_length() < 3 * _SMALL_DIGITS:
        return str(value)
    context = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, traps=[])
    powers: dict[int, decimal.Decimal] = {}

    def to_decimal(n: int, bits: int) -> decimal.Decimal:
        if bits <= 3 * _SMALL_DIGITS:
            return decimal.Decimal(n)
        low_bits = bits // 2
        if low_bits not in powers:
            powers[low_bits] = context.power(decimal.Decimal(2), low_bits)
        high = to_decimal(n >> low_bits, bits - low_bits)
        low = to_decimal(n & ((1 << low_bits) - 1), low_bits)
        return context.add(context.multiply(high, powers[low_bits]), low)

    magnitude = abs(value)
    digits = str(to_decimal(magnitude, magnitude.bit_length()))
    return "-" + digits if value < 0 else digits


def int_from_text(text: str) -> int:
    """``int(text)`` for decimal digits in O(M(n) log n), without CPython's 4300-digit limit:
    the halves are converted separately and joined with one multiplication."""
    if len(text) <= _SMALL_DIGITS:
        return int(text)
    powers: dict[int, int] = {}

    def convert(digits: str) -> int:
        if len(digits) <= _SMALL_DIGITS:
            return int(digits)
        low = len(digits) // 2
        if low not in powers:
            powers[low] = 10**low
        return convert(digits[:-low]) * powers[low] + convert(digits[-low:])

    return convert(text)


def digest_text(value: Number) -> str:
    """A process-independent text of a number for hashing (hex for exact values: no limits)."""
    if isinstance(value, int):
        return f"int:{value:x}"
    if isinstance(value, Fraction):
        return f"fraction:{value.numerator:x}/{value.denominator:x}"
    return f"float:{value!r}"
