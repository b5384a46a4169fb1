"""Constructors for every function of the vocabulary: ``sin(u)``, ``atan2(y, x)``, ``log(u, b)``.

One constructor per row of ``FUNCTIONS``, made from the row (``Abs`` is ``abs``, which would
shadow the builtin), plus the forms that are not rows: ``log(u, base)``, ``sqrt(u) = u**(1/2)``,
and the constants ``PI`` and ``E``.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable

from symdiff.core.conditions import CONDITIONS
from symdiff.core.constructors import as_expr, divide, power
from symdiff.core.nodes import HALF, ONE, ZERO, Call, Expr, Sym
from symdiff.core.traverse import free_symbols, substitute
from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.core.unknown import derivative_name, split_head
from symdiff.core.vocabulary import ALIASES, DEFINED, FUNCTIONS, call, unknown_head

if TYPE_CHECKING:
    from typing import Any


def _constructor(name: str) -> Callable[..., Expr]:
    arity = FUNCTIONS[name].arity

    def constructor(*args: Any) -> Expr:
        return call(name, *args)

    constructor.__name__ = constructor.__qualname__ = name
    arguments = ", ".join("u" if arity == 1 else f"u{i}" for i in range(arity))
    constructor.__doc__ = f"``{name}({arguments})`` as an expression."
    return constructor


#: Rows exported under another name: ``abs``, ``max`` and ``min`` would shadow builtins.
EXPORTED_AS = {"abs": "Abs", "max": "Max", "min": "Min"}


def _truth_value(value: Any) -> Any:
    """``True``/``False`` as the conditions ``1``/``0``; anything else unchanged."""
    return (ONE if value else ZERO) if isinstance(value, bool) else value


def where(condition: Any, a: Any, b: Any) -> Expr:
    """``a`` where ``condition`` holds, else ``b`` (``where(x > 0, x, 0)``); a condition is a
    comparison of expressions, ``and``/``or``/``not`` of comparisons, or ``True``/``False``."""
    return call("where", _truth_value(condition), a, b)


def _fold_right(name: str, args: tuple[Any, ...]) -> Expr:
    if not args:
        raise TypeError(f"{name} takes 1 or more arguments, got 0")
    result = args[-1]
    for arg in reversed(args[:-1]):
        result = call(name, arg, result)
    return call(name, result, result) if len(args) == 1 else result  # max(a) is a (checked)


def maximum(*args: Any) -> Expr:
    """``max(a, b, ...)``: the first argument that is not less than every other one."""
    return _fold_right("max", args)


def minimum(*args: Any) -> Expr:
    """``min(a, b, ...)``: the first argument that is not greater than every other one."""
    return _fold_right("min", args)


def piecewise(*pieces: Any) -> Expr:
    """``piecewise((a, cond1), (b, cond2), ..., (c, True))``: the value of the first piece whose
    condition holds, as nested ``where``; the last condition must be ``True``."""
    if not pieces or any(not isinstance(p, tuple) or len(p) != 2 for p in pieces):
        raise TypeError("piecewise takes (value, condition) pairs, the last (value, True)")
    last_value, last_condition = pieces[-1]
    if _truth_value(last_condition) is not ONE:
        raise TypeError(
            "the last piece of piecewise must be (value, True): every point needs a value"
        )
    result = last_value
    for value, condition in reversed(pieces[:-1]):
        result = where(condition, value, result)
    return call("where", ONE, result, result)  # a plain value is checked to be one


#: The constructor of each row, by the name it is exported under.
CONSTRUCTORS: dict[str, Callable[..., Expr]] = {
    EXPORTED_AS.get(name, name): _constructor(name)
    for name, row in FUNCTIONS.items()
    if row.arity and name != "log" and name not in CONDITIONS
} | {"where": where, "Max": maximum, "Min": minimum}
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
    "max": (maximum, "1 or more arguments"),
    "min": (minimum, "1 or more arguments"),
    "piecewise": (piecewise, "(value, condition) pairs"),
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
    if (
        (name in FUNCTIONS and name not in CONDITIONS)
        or name in ALIASES
        or name in SPECIAL_FORMS
        or name in DEFINED
    ):
        return "function"
    if keyword.iskeyword(name):
        return "keyword"
    if name.lower() in NON_FINITE_WORDS:
        return "non-finite"
    return None


__all__ = [
    "CONSTRUCTORS", "PI", "SPECIAL_FORMS", "E", "detach", "log", "maximum", "minimum", "piecewise",
    "sqrt", *CONSTRUCTORS,
]  # fmt: skip


def __getattr__(name: str) -> Callable[..., Expr]:
    """For type checkers: the constructors above are made from the table at import."""
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
