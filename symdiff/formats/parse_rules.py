"""The parser's arithmetic rules: numbers, variables, sums, products, signs and powers.

``Build`` is the inline transformer of the grammar's LALR tables: one method per grammar alias
(``-> sum``, ``-> pow`` …; calls and conditions come from ``parse_calls`` and
``parse_conditions``), each calling a smart constructor, so parsing builds the canonical DAG
directly on the parser's value stack.  A terminal comes as a ``Token``
(``symdiff.formats.lalr``) or as its plain text (``symdiff.formats.fast_read``): the rules
read only its text, and its position when they raise ``Located``.
"""

from __future__ import annotations

import re

from symdiff.core.conditions import CONDITIONS
from symdiff.core.constructors import add, mul, negate, power
from symdiff.core.errors import DivisionByZeroError
from symdiff.core.functions import CONSTANTS, SPECIAL_FORMS
from symdiff.core.nodes import MINUS_ONE, Call, Expr, Num, Sym
from symdiff.core.numbers import int_from_text
from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.core.vocabulary import ALIASES, DEFINED, FUNCTIONS
from symdiff.formats.input_policy import MAX_DIGITS, Located, shown
from symdiff.formats.lalr import Token
from symdiff.formats.parse_calls import CallRules
from symdiff.formats.parse_conditions import ConditionRules, number_operand

if TYPE_CHECKING:
    from typing import Any

__all__ = ["Build"]

_FUNCTION_NAMES = frozenset(n for n in {*FUNCTIONS, *ALIASES, *SPECIAL_FORMS} - CONDITIONS)


class _Factors(list):
    """A product's factors, not multiplied yet: a sign in front of the product joins its
    coefficient in the same ``mul`` call, so ``-1.0*x`` keeps its float coefficient."""


def _product_value(item: Any, negative: bool = False) -> Expr:
    if type(item) is _Factors:
        return mul(*item, MINUS_ONE) if negative else mul(*item)
    return negate(item) if negative else item


class Build(CallRules, ConditionRules):
    """Stateless inline transformer: one method per grammar alias (calls and conditions
    come from ``parse_calls`` and ``parse_conditions``)."""

    #: Aliases whose method returns a lone child unchanged (``comparison(a)`` is ``a``): the
    #: parser skips the call for a one-child rule (``symdiff.formats.lalr``; start-up of a
    #: parse, and a third of the reductions on ordinary formulas).
    PASS_ON = frozenset({"disjunction", "conjunction", "comparison", "product"})

    def number(self, token: Token) -> Expr:
        text = str(token)
        if len(text) > MAX_DIGITS:
            mantissa = re.split("[eE]", text)[0]
            if len(mantissa) - mantissa.count(".") > MAX_DIGITS:
                raise Located(f"number with more than {MAX_DIGITS:,} digits", token)
        if "." not in text and "e" not in text and "E" not in text:
            return Num(int_from_text(text))
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise Located(f"number {shown(text)} is too large for a float", token)
        if value == 0 and any(c in "123456789" for c in re.split("[eE]", text)[0]):
            raise Located(f"number {shown(text)} is too small for a float (it would be 0)", token)
        return Num(value)

    def var(self, token: Token) -> Expr:
        name = str(token)
        constant = CONSTANTS.get(name)
        if constant is not None:
            return constant
        if name in _FUNCTION_NAMES or name in DEFINED:
            raise Located(f"{name} is a function: write {name}(...)", token)
        return Sym(name)

    def symbol(self, token: Token) -> Expr:
        return Sym(str(token).split("(", 1)[1].strip(" )")[1:-1])

    def sum(self, first: Any, *rest: Any) -> Expr:
        if not rest:  # (a product's factors are multiplied here)
            return mul(*first) if type(first) is _Factors else first
        if len(rest) == 2:  # a + b, a - b: the common case, written out
            op, term = rest
            if type(first) is tuple or (type(first) is Call and first.name in CONDITIONS):
                number_operand(first, op)  # (raises)
            a = mul(*first) if type(first) is _Factors else first
            if type(term) is tuple or (type(term) is Call and term.name in CONDITIONS):
                number_operand(term, op)  # (raises)
            return add(a, _product_value(term, op == "-"))
        terms = [_product_value(number_operand(first, rest[0]))]
        for op, term in zip(rest[::2], rest[1::2], strict=True):
            if type(term) is tuple or (type(term) is Call and term.name in CONDITIONS):
                number_operand(term, op)  # (raises)
            terms.append(_product_value(term, op == "-"))
        return add(*terms)

    def product(self, first: Expr, *rest: Expr | Token) -> Expr | _Factors:
        if not rest:
            return first
        at = rest[0] if type(rest[0]) is Token or type(rest[0]) is str else None
        factors, op = _Factors([number_operand(first, at)]), None
        for item in rest:
            if type(item) is Token or type(item) is str:  # (str: the tokens of fast_read)
                op = item
                continue
            if type(item) is tuple or (type(item) is Call and item.name in CONDITIONS):
                number_operand(item, op)  # (raises)
            if op is not None and op == "/":
                try:
                    item = power(item, MINUS_ONE)
                except DivisionByZeroError:
                    raise Located("division by zero", op) from None
            factors.append(item)
            op = None
        return factors

    def signed(self, product: Expr | _Factors) -> Expr | _Factors:
        number_operand(product)
        if type(product) is _Factors:
            product.append(MINUS_ONE)
            return product
        return negate(product)

    def neg(self, a: Expr) -> Expr:
        return negate(number_operand(a))

    def pow(self, base: Expr, op: Token, exp: Expr) -> Expr:
        if type(base) is Call or type(exp) is Call or type(base) is tuple or type(exp) is tuple:
            number_operand(base, op)  # (raises for a condition or a pair)
            number_operand(exp, op)
        try:
            return power(base, exp)
        except DivisionByZeroError:
            raise Located("division by zero", op) from None
