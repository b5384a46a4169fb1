"""Exact constant arithmetic with bounds, so that folding never hangs or overflows.

Numbers are ``int``, ``Fraction`` (never with denominator 1) or finite ``float``.
``power`` returns ``None`` when a result would be inexact (``2**(1/2)``) or too large
(``10**100000``): the caller then keeps the power symbolic.
"""

from __future__ import annotations

import math
from fractions import Fraction

from symdiff.core.errors import DivisionByZeroError

Number = int | Fraction | float

#: Largest exact result (in bits) that folding may produce; larger stays symbolic.
MAX_BITS = 8192


def normalize(value: Number) -> Number:
    """Canonical form of a number: ``Fraction(4, 2) -> 2``, ``-0.0 -> 0.0``, ``True -> 1``."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite number {value!r} cannot be a constant")
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


def divide(a: Number, b: Number) -> Number:
    """Exact division ``a / b``; raises ``DivisionByZeroError`` for a zero divisor."""
    if b == 0:
        raise DivisionByZeroError(f"division by zero: {a}/{b}")
    if isinstance(a, float) or isinstance(b, float):
        return normalize(a / b)
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
        if size * abs(exponent) > MAX_BITS:
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


def int_text(value: int) -> str:
    """``str(value)`` without CPython's 4300-digit limit on conversions."""
    if abs(value).bit_length() < 12000:
        return str(value)
    digits, rest, chunk = [], abs(value), 10**1000
    while rest:
        rest, low = divmod(rest, chunk)
        digits.append(str(low).zfill(1000) if rest else str(low))
    return ("-" if value < 0 else "") + "".join(reversed(digits))


def int_from_text(text: str) -> int:
    """``int(text)`` for decimal digits, without CPython's 4300-digit limit."""
    if len(text) < 4000:
        return int(text)
    value = 0
    for start in range(0, len(text), 1000):
        chunk = text[start : start + 1000]
        value = value * 10 ** len(chunk) + int(chunk)
    return value


def digest_text(value: Number) -> str:
    """A process-independent text of a number for hashing (hex for exact values: no limits)."""
    if isinstance(value, int):
        return f"int:{value:x}"
    if isinstance(value, Fraction):
        return f"fraction:{value.numerator:x}/{value.denominator:x}"
    return f"float:{value!r}"
