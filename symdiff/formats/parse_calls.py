"""The parser's rules for function calls: the vocabulary's functions and special forms
(``sin(x)``, ``max(a, b)``, ``piecewise(...)``), unknown functions (``Function('f')(x)``, or
``f(x)`` for a name declared with ``functions=``) and their primed derivatives (``f'(x)``).
``CallRules`` is mixed into the parser's inline transformer; ``declared_functions`` checks
the names given to ``functions=``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from symdiff.core.errors import ParseError
from symdiff.core.functions import SPECIAL_FORMS, reserved_word
from symdiff.core.nodes import Expr
from symdiff.core.unknown import derivative_name
from symdiff.core.vocabulary import call
from symdiff.formats.input_policy import Located, shown
from symdiff.formats.lalr import Token
from symdiff.formats.parse_conditions import number_operand

__all__ = ["CallRules", "declared_functions"]


class CallRules:
    """Grammar aliases for calls: ``call``, ``function_call``, ``primed_call``, ``arguments``."""

    def arguments(self, *args: Expr) -> list[Expr]:
        return list(args)

    def call(self, token: Token, arguments: list[Expr] | None) -> Expr:
        name, args = str(token), arguments or []
        if name != "piecewise":
            for arg in args:
                if type(arg) is tuple:
                    number_operand(arg, token)
        if name in SPECIAL_FORMS:
            constructor, accepted = SPECIAL_FORMS[name]
            try:
                return constructor(*args)
            except TypeError as error:
                message = f"{name} takes {accepted}, got {len(args)}"
                raise Located(str(error) if name == "piecewise" else message, token) from None
            except ValueError as error:
                raise Located(str(error), token) from None
        if reserved_word(name) != "function":
            short = shown(name)
            hint = (
                f" (for a product write {short}*(...); for an unknown function declare it, "
                f"functions='{short}', or write Function('{short}')(...))"
                if len(args) == 1
                else f" (declare an unknown function: functions='{short}')"
            )
            if name == "Symbol":
                hint = " (a variable with a reserved name is written Symbol('name'))"
            raise Located(f"unknown function {short!r}{hint}", token)
        try:
            return call(name, *args)
        except ValueError as error:
            raise Located(str(error), token) from None

    def function_call(self, token: Token, arguments: list[Expr] | None) -> Expr:
        """``Function('f')(x)``, or ``f(x)`` for a name declared by ``functions=``."""
        text = str(token)
        name = text.split("(", 1)[1].strip(" )")[1:-1] if "(" in text else text  # FUNCTION
        kind = reserved_word(name)
        if kind is not None:
            raise Located(f"{name} is a {kind}, not an unknown function", token)
        try:
            return call(name, *(arguments or []))
        except ValueError as error:
            raise Located(str(error), token) from None

    def primed_call(self, token: Token, arguments: list[Expr] | None) -> Expr:
        """``f'(x)``, ``f''(g(x))``: derivatives of an unknown function of one argument."""
        text = str(token)
        name, primes = text.rstrip("'"), len(text) - len(text.rstrip("'"))
        kind = reserved_word(name)
        if kind is not None:
            raise Located(
                f"{name}{chr(39) * primes} is read for unknown functions only "
                f"({name} is a {kind}): differentiate with diff",
                token,
            )
        if len(arguments or []) != 1:
            raise Located(
                f"{text}(...) takes one argument: for partial derivatives write "
                f"Derivative({name}(x, y), x)",
                token,
            )
        return call(derivative_name(name, [0] * primes), *(arguments or []))


def declared_functions(functions: str | Iterable[str] | None) -> frozenset[str]:
    """The names of ``functions="f g"`` (or ``"f,g"``, or a list), checked: each must be a
    name that formulas do not reserve (``sin`` is a function of the vocabulary already)."""
    if functions is None:
        return frozenset()
    names = functions.replace(",", " ").split() if isinstance(functions, str) else functions
    for name in names:
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ParseError(f"{name!r} is not a function name: use letters, digits and '_'")
        kind = reserved_word(name)
        if kind is not None:
            raise ParseError(f"{name} cannot be declared an unknown function: it is a {kind}")
    return frozenset(names)
