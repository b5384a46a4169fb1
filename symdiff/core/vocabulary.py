"""The function vocabulary: one table row per function (arity, float implementation).

``call(name, *args)`` is the smart constructor of ``Call`` nodes.  It folds only what is exact
and obvious (``sin(0) -> 0``, ``exp(0) -> 1``, ``abs(-3) -> 3``) or a function of float
constants; identities such as ``exp(log(u)) -> u`` are the simplifier's job.
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Callable
from typing import Any, NamedTuple

from symdiff.core.nodes import HALF, ONE, Call, Expr, Num, as_expr, divide, power


class Function(NamedTuple):
    """A row of the vocabulary: how many arguments, and how to compute it on floats."""

    arity: int
    evaluate: Callable[..., float]


def _sign(x: float) -> float:
    return float((x > 0) - (x < 0))


def _acot(x: float) -> float:
    return math.pi / 2 if x == 0 else math.atan(1 / x)


FUNCTIONS: dict[str, Function] = {
    "sin": Function(1, math.sin),
    "cos": Function(1, math.cos),
    "tan": Function(1, math.tan),
    "sec": Function(1, lambda x: 1 / math.cos(x)),
    "csc": Function(1, lambda x: 1 / math.sin(x)),
    "cot": Function(1, lambda x: 1 / math.tan(x)),
    "asin": Function(1, math.asin),
    "acos": Function(1, math.acos),
    "atan": Function(1, math.atan),
    "acot": Function(1, _acot),
    "asec": Function(1, lambda x: math.acos(1 / x)),
    "acsc": Function(1, lambda x: math.asin(1 / x)),
    "sinh": Function(1, math.sinh),
    "cosh": Function(1, math.cosh),
    "tanh": Function(1, math.tanh),
    "sech": Function(1, lambda x: 1 / math.cosh(x)),
    "csch": Function(1, lambda x: 1 / math.sinh(x)),
    "coth": Function(1, lambda x: 1 / math.tanh(x)),
    "asinh": Function(1, math.asinh),
    "acosh": Function(1, math.acosh),
    "atanh": Function(1, math.atanh),
    "acoth": Function(1, lambda x: math.atanh(1 / x)),
    "exp": Function(1, math.exp),
    "log": Function(1, math.log),
    "abs": Function(1, abs),
    "sign": Function(1, _sign),
    "erf": Function(1, math.erf),
    "atan2": Function(2, math.atan2),
    "stop_gradient": Function(1, lambda x: x),
    "pi": Function(0, lambda: math.pi),
}

#: Names the parser accepts besides the table's own (``ln(x)`` is ``log(x)``).
ALIASES: dict[str, str] = {"ln": "log", "detach": "stop_gradient", "arctan": "atan"}

#: Exact values at exact arguments, so that ``cos(0)`` is ``1`` and not ``cos(0)``.
_EXACT: dict[tuple[str, Any], Any] = {
    ("sin", 0): 0, ("cos", 0): 1, ("tan", 0): 0, ("asin", 0): 0, ("atan", 0): 0,
    ("sinh", 0): 0, ("cosh", 0): 1, ("tanh", 0): 0, ("sech", 0): 1, ("asinh", 0): 0,
    ("atanh", 0): 0, ("exp", 0): 1, ("log", 1): 0, ("erf", 0): 0, ("acos", 1): 0,
    ("acosh", 1): 0, ("sign", 0): 0,
}  # fmt: skip


def call(name: str, *args: Any) -> Expr:
    """Canonical function application; raises ``ValueError`` for unknown names or arity."""
    name = ALIASES.get(name, name)
    spec = FUNCTIONS.get(name)
    if spec is None:
        raise ValueError(f"unknown function {name!r}")
    if len(args) != spec.arity:
        raise ValueError(
            f"{name} takes {spec.arity} argument{'s' * (spec.arity != 1)}, got {len(args)}"
        )
    nodes = tuple(as_expr(a) for a in args)
    if all(isinstance(a, Num) for a in nodes) and nodes:
        values = tuple(a.value for a in nodes)  # type: ignore[attr-defined]
        if len(values) == 1 and (name, values[0]) in _EXACT:
            return Num(_EXACT[name, values[0]])
        if name == "abs" and not isinstance(values[0], float):
            return Num(abs(values[0]))
        if name == "sign":
            return Num((values[0] > 0) - (values[0] < 0))
        if any(isinstance(v, float) for v in values):
            try:
                return Num(spec.evaluate(*(float(v) for v in values)))
            except (ValueError, ZeroDivisionError, OverflowError):
                pass  # outside the real domain: stays symbolic, evaluation will say why
    if name == "abs" and isinstance(nodes[0], Call) and nodes[0].name == "abs":
        return nodes[0]
    return Call._raw(name, nodes)


def _unary(name: str) -> Callable[[Any], Expr]:
    def constructor(u: Any) -> Expr:
        return call(name, u)

    constructor.__name__ = constructor.__qualname__ = name
    constructor.__doc__ = f"``{name}(u)`` as an expression."
    return constructor


sin = _unary("sin")
cos = _unary("cos")
tan = _unary("tan")
sec = _unary("sec")
csc = _unary("csc")
cot = _unary("cot")
asin = _unary("asin")
acos = _unary("acos")
atan = _unary("atan")
acot = _unary("acot")
asec = _unary("asec")
acsc = _unary("acsc")
sinh = _unary("sinh")
cosh = _unary("cosh")
tanh = _unary("tanh")
sech = _unary("sech")
csch = _unary("csch")
coth = _unary("coth")
asinh = _unary("asinh")
acosh = _unary("acosh")
atanh = _unary("atanh")
acoth = _unary("acoth")
exp = _unary("exp")
erf = _unary("erf")
sign = _unary("sign")
stop_gradient = _unary("stop_gradient")
detach = stop_gradient
Abs = _unary("abs")


def log(u: Any, base: Any = None) -> Expr:
    """Natural logarithm, or ``log(u, base) = log(u)/log(base)``."""
    if base is None:
        return call("log", u)
    return divide(call("log", u), call("log", base))


def sqrt(u: Any) -> Expr:
    """``sqrt(u)``, represented as ``u**(1/2)`` (printed as ``sqrt(u)``)."""
    return power(u, HALF)


def atan2(y: Any, x: Any) -> Expr:
    """Two-argument arctangent ``atan2(y, x)``."""
    return call("atan2", y, x)


PI: Expr = call("pi")
E: Expr = call("exp", ONE)

#: Names that are not table rows but constructors: ``log(x, b)`` and ``sqrt(x) = x**(1/2)``,
#: with the argument counts they accept.
SPECIAL_FORMS: dict[str, tuple[Callable[..., Expr], str]] = {
    "log": (log, "1 or 2 arguments"),
    "ln": (log, "1 or 2 arguments"),
    "sqrt": (sqrt, "1 argument"),
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
    if name in FUNCTIONS or name in ALIASES or name in SPECIAL_FORMS:
        return "function"
    if keyword.iskeyword(name):
        return "keyword"
    if name.lower() in NON_FINITE_WORDS:
        return "non-finite"
    return None
