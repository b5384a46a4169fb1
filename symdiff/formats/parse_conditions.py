"""The parser's rules for conditions: comparisons, ``and``/``or``/``not``, ``True``, the
``(a, cond)`` pairs of ``piecewise``, and the check that keeps a condition (or a pair) out
of arithmetic.  ``ConditionRules`` is mixed into the parser's inline transformer; each method
is a grammar alias of ``grammar/symdiff.lark``."""

from __future__ import annotations

from symdiff.core.conditions import COMPARISONS, is_condition
from symdiff.core.nodes import ONE, ZERO, Expr
from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.core.vocabulary import call
from symdiff.formats.input_policy import Located
from symdiff.formats.lalr import Token

if TYPE_CHECKING:
    from typing import Any

__all__ = ["ConditionRules", "Unlocated", "number_operand"]

_COMPARISON_NAMES = {operator: name for name, operator in COMPARISONS.items()}


class Unlocated(ValueError):
    """An error without a token to point at (``parse`` reports it at the formula's start)."""


def located(message: str, token: Token | None) -> Exception:
    """The error for ``message``, at ``token`` when there is one."""
    return Located(message, token) if token is not None else Unlocated(message)


def number_operand(value: Any, token: Token | None = None) -> Any:
    """``value`` if it may take part in arithmetic; a condition or a pair is an error."""
    if type(value) is tuple:
        raise located(
            "a parenthesised list (a, b) is only a piece of piecewise((a, cond), ...)", token
        )
    if is_condition(value):
        raise located(
            f"the condition {value} is not a number: a condition is the first argument of "
            f"where(...) (where({value}, 1, 0) is its indicator)",
            token,
        )
    return value


class ConditionRules:
    """Grammar aliases for conditions (``comparison``, ``negation``, ``conjunction``,
    ``disjunction``, ``truth``) and for the pieces of ``piecewise`` (``pair``)."""

    def pair(self, *items: Expr) -> tuple[Expr, ...]:
        return tuple(items)

    def truth(self, token: Token) -> Expr:
        return ONE if token == "True" else ZERO

    def comparison(self, first: Expr, *rest: Any) -> Expr:
        """``a < b`` is one comparison; a chain ``a < b <= c`` is ``a < b and b <= c``."""
        if not rest:
            return first
        pairs, left = [], number_operand(first)
        for op, right in zip(rest[::2], rest[1::2], strict=True):
            pairs.append(call(_COMPARISON_NAMES[str(op)], left, number_operand(right, op)))
            left = right
        result = pairs[-1]
        for condition in reversed(pairs[:-1]):
            result = call("and", condition, result)
        return result

    def negation(self, c: Expr) -> Expr:
        return self._logic("not", c)

    def conjunction(self, *cs: Expr) -> Expr:
        return self._logic("and", *cs)

    def disjunction(self, *cs: Expr) -> Expr:
        return self._logic("or", *cs)

    @staticmethod
    def _logic(name: str, *cs: Expr) -> Expr:
        if len(cs) == 1 and name != "not":
            return cs[0]
        try:
            result = cs[-1]
            for c in reversed(cs[:-1]):
                result = call(name, c, result)
            return call(name, result) if name == "not" else result
        except ValueError as error:
            raise Unlocated(str(error)) from None
