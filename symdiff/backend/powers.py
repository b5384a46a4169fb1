"""Powers in straight-line code: ``u**n`` and ``u**(n/2)`` as products through shared squares.

``x**13`` is 5 multiplications, ``x**-2`` is ``1/t`` with ``t = x*x``, half-integer powers use
``sqrt``; a computed power of an atom is cached and reused by later powers of it.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from symdiff.backend.trees import Tree, is_atom
from symdiff.core.nodes import Expr, Num

#: Largest ``|n|`` of ``u**n`` or ``u**(n/2)`` written with multiplications instead of ``pow``.
MAX_EXPANDED_POWER = 16


#: An exponent written with products: an ``int``, or a ``Fraction`` n/2 (ints hash and compare
#: as the equal fractions do, and cost no Python-level ``Fraction.__hash__`` as cache keys).
Exponent = int | Fraction


def expanded_exponent(exponent: Expr) -> Exponent | None:
    """``n`` or ``n/2`` if ``u**exponent`` is written with products (and ``sqrt``), else None."""
    if isinstance(exponent, Num):
        value = exponent.value
        if type(value) is int:  # the common case
            return value if 0 < abs(value) <= MAX_EXPANDED_POWER else None
        if isinstance(value, Fraction) and value.denominator == 2:
            return value if abs(value) <= MAX_EXPANDED_POWER else None
    return None


class PowerWriter:
    """The power half of a lowering: ``powers`` caches ``(atom, exponent) -> temporary``."""

    powers: dict[tuple[Tree, Exponent], Tree]
    recompute: bool
    emit: Callable[[Tree], Tree]
    named: Callable[[Tree], Tree]

    def _power_factors(self, base: Tree, exponent: Exponent) -> list[Tree]:
        """Factors whose product is ``base**exponent`` (``exponent > 0``, integer or n/2)."""
        if exponent == 1:
            return [base]
        if exponent == 2 and not is_atom(base):  # (u)**2: one pass over a temporary
            return [("call", "square", (base,))]
        base = self.named(base)
        cached = self.powers.get((base, exponent))
        if cached is not None:
            return [cached]
        if exponent.denominator == 2:
            root = self.powers.get((base, Fraction(1, 2)), ("call", "sqrt", (base,)))
            whole = int(exponent - Fraction(1, 2))
            return [root, *self._integer_power(base, whole)] if whole else [root]
        return self._integer_power(base, int(exponent))

    def _integer_power(self, base: Tree, n: int) -> list[Tree]:
        """Factors of ``base**n`` for an atom ``base``: squares go through (cached) temporaries."""
        cached = self.powers.get((base, n))
        if cached is not None:
            return [cached]
        if n == 1:
            return [base]
        if n == 2:  # squares are named: x**2, x**3, x**-2 and x**4 then share one x*x
            inline = self.recompute and (base, 2) not in self.powers
            return [base, base] if inline else [self._power_temporary(base, 2)]
        if n == 3:
            return [self._power_temporary(base, 2), base]
        half = self._power_temporary(base, n // 2)
        return [half, half] + [base] * (n % 2)

    def _power_temporary(self, base: Tree, n: int) -> Tree:
        if n == 1:
            return base
        key = (base, n)
        if key not in self.powers:
            factors = (base, base) if n == 2 else tuple(self._integer_power(base, n))
            self.powers[key] = self.emit(("product", factors, ()))
        return self.powers[key]
