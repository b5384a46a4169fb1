"""Constructors for every function of the vocabulary: ``sin(u)``, ``atan2(y, x)``, ``log(u, b)``.

One constructor per row of ``FUNCTIONS``, made from the row (``Abs`` is ``abs``, which would
shadow the builtin), plus the forms that are not rows: ``log(u, base)``, ``sqrt(u) = u**(1/2)``,
and the constants ``PI`` and ``E``.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from typing import Any

from symdiff.core.constructors import as_expr, divide, power
from symdiff.core.nodes import HALF, ONE, ZERO, Call, Expr, Sym
from symdiff.core.traverse import free_symbols, substitute
from symdiff.core.unknown import derivative_name, split_head
from symdiff.core.vocabulary import ALIASES, DEFINED, FUNCTIONS, call, unknown_head


def _constructor(name: str) -> Callable[..., Expr]:
    arity = FUNCTIONS[name].arity

    def constructor(*args: Any) -> Expr:
        return call(name, *args)

    constructor.__name__ = constructor.__qualname__ = name
    arguments = ", ".join("u" if arity == 1 else f"u{i}" for i in range(arity))
    constructor.__doc__ = f"``{name}({arguments})`` as an expression."
    return constructor


#: The constructor of each row, by the name it is exported under.
CONSTRUCTORS: dict[str, Callable[..., Expr]] = {
    ("Abs" if name == "abs" else name): _constructor(name)
    for name, row in FUNCTIONS.items()
    if row.arity and name != "log"
}
globals().update(CONSTRUCTORS)


def log(u: Any, base: Any = None) -> Expr:
    """Natural logarithm, or ``log(u, base) = log(u)/log(base)``."""
    if base is None:
        return call("log", u)
    return divide(call("log", u), call("log", base))


def sqrt(u: Any) -> Expr:
    """``sqrt(u)``, represented as ``u**(1/2)`` (printed as ``sqrt(u)``)."""
    return power(u, HALF)


def derivative_of_unknown(function: Any, *variables: Any) -> Expr:
    """``Derivative(f(x, y), x, y)`` as SymPy writes it: a derivative of an unknown function
    by variables that are its arguments (``Subs`` evaluates one at other points)."""
    u = as_expr(function)
    if not (isinstance(u, Call) and unknown_head(u.name)) or not variables:
        raise ValueError(
            "Derivative(...) is read for unknown functions, Derivative(f(x), x); "
            "differentiate other expressions with diff (or --wrt)"
        )
    split = split_head(u.name)
    assert split is not None
    positions = list(split[1])
    for variable in map(as_expr, variables):
        if not isinstance(variable, Sym):
            raise ValueError(f"Derivative(...) is taken by variables, not by {variable}")
        places = [i for i, a in enumerate(u.args) if a is variable]
        inside = [a for a in u.args if a is not variable and variable in free_symbols(a)]
        if not places and not inside:
            return ZERO
        if len(places) != 1 or inside:
            raise ValueError(
                f"Derivative by {variable.name}, which is not exactly one argument of "
                f"{split[0]}: write it with Subs, Subs(Derivative(f(_0), _0), _0, ...)"
            )
        positions.append(places[0])
    return call(derivative_name(split[0], positions), *u.args)


def substitution(expr: Any, variable: Any, value: Any) -> Expr:
    """``Subs(expr, x, value)`` as SymPy writes it: ``expr`` with ``value`` for ``x``."""
    variable = as_expr(variable)
    if not isinstance(variable, Sym):
        raise ValueError(f"Subs(...) replaces a variable, not {variable}")
    return substitute(as_expr(expr), {variable: as_expr(value)})


PI: Expr = call("pi")
E: Expr = call("exp", ONE)
detach = CONSTRUCTORS["stop_gradient"]

#: Names that are not table rows but constructors: ``log(x, b)`` and ``sqrt(x) = x**(1/2)``,
#: with the argument counts they accept.
SPECIAL_FORMS: dict[str, tuple[Callable[..., Expr], str]] = {
    "log": (log, "1 or 2 arguments"),
    "ln": (log, "1 or 2 arguments"),
    "sqrt": (sqrt, "1 argument"),
    "Derivative": (derivative_of_unknown, "a function and its variables"),
    "Subs": (substitution, "3 arguments"),
}

#: Names a formula reads as constants, not variables.
CONSTANTS: dict[str, Expr] = {"pi": PI, "e": E, "E": E}

#: Words ``float()`` reads as a non-finite value (in any case): a formula refuses them as names.
NON_FINITE_WORDS = frozenset({"inf", "infinity", "nan"})


def reserved_word(name: str) -> str | None:
    """What a bare ``name`` is in a formula when it is not a variable: ``"constant"``,
    ``"function"``, ``"keyword"`` (Python's) or ``"non-finite"`` (``inf``, ``nan``); else None.

    A symbol with such a name is printed ``Symbol('name')``, which formulas read back.
    """
    if name in CONSTANTS:
        return "constant"
    if name in FUNCTIONS or name in ALIASES or name in SPECIAL_FORMS or name in DEFINED:
        return "function"
    if keyword.iskeyword(name):
        return "keyword"
    if name.lower() in NON_FINITE_WORDS:
        return "non-finite"
    return None


__all__ = ["CONSTRUCTORS", "PI", "SPECIAL_FORMS", "E", "detach", "log", "sqrt", *CONSTRUCTORS]


def __getattr__(name: str) -> Callable[..., Expr]:
    """For type checkers: the constructors above are made from the table at import."""
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
