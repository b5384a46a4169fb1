"""Numbers from constant expressions (``float(sqrt(2))``, ``int(parse("7/2"))``, ``round``),
comparisons that build conditions (``x < 1`` is the node ``lt(x, 1)``, for ``where``) and the
refusal to decide one (``if x < 1:``): a mixin of ``nodes.Expr``."""

from __future__ import annotations

import math
from fractions import Fraction

from symdiff.core import numbers
from symdiff.core.errors import SymdiffError
from symdiff.core.hooks import HOOKS
from symdiff.core.numbers import Number
from symdiff.core.typing_lite import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from symdiff.core.nodes import Expr


class SymbolicComparisonError(SymdiffError, TypeError):
    """A comparison (``<``, ``>``…) was asked of a symbolic expression."""


class NotConstantError(SymbolicComparisonError):
    """A number (``float(e)``, ``int(e)``, ``math.sin(e)``) was asked of a symbolic expression."""


def _short(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Conversions:
    """Python's numeric protocols for constants; a symbolic value raises ``NotConstantError``."""

    __slots__ = ()

    def constant_value(self, wanted: str = "a number") -> Number:
        """The value of an expression without symbols: exact for numbers, else a float.

        Raises ``NotConstantError`` (a ``TypeError``) naming the symbols it depends on.
        """
        value = getattr(self, "value", None)  # only numbers carry a value
        if value is not None:
            return value  # type: ignore[no-any-return]
        free = HOOKS.free_symbols(cast("Expr", self))
        if free:
            names = ", ".join(s.name for s in free)
            hint = " (functions of expressions: symdiff.math, not math)" * (wanted == "float")
            raise NotConstantError(
                f"cannot convert {_short(self)} to {wanted}: it depends on {names}; evaluate "
                f"it at a point instead (expr.evaluate({free[0].name}=...)){hint}"
            )
        return HOOKS.evaluate(cast("Expr", self), {})

    def __float__(self) -> float:
        return float(self.constant_value("float"))

    def __complex__(self) -> complex:
        return complex(self.constant_value("complex"))

    def __int__(self) -> int:
        return int(self.constant_value("int"))  # truncates, as int(2.7) and int(Fraction)

    def __index__(self) -> int:
        """Lossless ``int`` for exact integer constants only (``range(n)``, indexing)."""
        value = getattr(self, "value", None)
        if isinstance(value, int):
            return value
        raise NotConstantError(f"{_short(self)} is not an exact integer constant")

    def __trunc__(self) -> int:
        return math.trunc(self.constant_value("int"))

    def __floor__(self) -> int:
        return math.floor(self.constant_value("int"))

    def __ceil__(self) -> int:
        return math.ceil(self.constant_value("int"))

    def __round__(self, ndigits: int | None = None) -> Number:
        value = self.constant_value("a rounded number")
        if isinstance(value, float):
            return round(value) if ndigits is None else round(value, ndigits)
        exact = Fraction(value)
        return round(exact) if ndigits is None else numbers.normalize(round(exact, ndigits))

    def _compare(self, other: object, name: str) -> Expr:
        operand = HOOKS.coerce(other)
        if operand is None:
            return NotImplemented  # type: ignore[no-any-return]
        return HOOKS.call(name, self, operand)

    def __lt__(self, other: object) -> Expr:
        return self._compare(other, "lt")

    def __le__(self, other: object) -> Expr:
        return self._compare(other, "le")

    def __gt__(self, other: object) -> Expr:
        return self._compare(other, "gt")

    def __ge__(self, other: object) -> Expr:
        return self._compare(other, "ge")

    def __bool__(self) -> bool:
        """True, like any object; a condition (``x > 0``) cannot be decided and raises."""
        refuse_condition(self)
        return True


#: The logical rows (kept in step with ``conditions.CONDITIONS``, which a test checks).
_CONDITIONS = frozenset({"lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not"})


def refuse_condition(node: object) -> None:
    """Raise ``SymbolicComparisonError`` if ``node`` is a condition: ``if x > 0:`` on an
    expression cannot be decided, and the way to branch is ``symdiff.where``."""
    if getattr(node, "name", None) in _CONDITIONS and len(getattr(node, "args", ())) > 0:
        raise SymbolicComparisonError(
            f"the condition {_short(node)} has no truth value: it depends on symbolic values; "
            f"write symdiff.where({_short(node, 40)}, a, b) (symdiff.math.where in traced "
            "code) for a value that depends on it"
        )
