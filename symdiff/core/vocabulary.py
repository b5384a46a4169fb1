"""The function vocabulary: ONE table, one row per function.

A row says everything symdiff knows about a function: its arity, its value on floats, its exact
values, its partial derivatives (symbolic, in terms of its arguments), the textbook rule that
differentiates it, its LaTeX macro and how generated code computes it.  Parsing, printing,
evaluation, differentiation (symbolic and at a point), step-by-step derivations and code
generation all read this table, so a new function is one row (plus its tests).

``call(name, *args)`` is the smart constructor of ``Call`` nodes.  It folds only what is exact
and obvious (``sin(0) -> 0``, ``exp(0) -> 1``, ``abs(-3) -> 3``) or a function of float
constants; identities such as ``exp(log(u)) -> u`` are the simplifier's job.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from symdiff.core import conditions
from symdiff.core.constructors import as_expr, power
from symdiff.core.hooks import register
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import HALF, ZERO, Call, Expr, Num, Pow, Sym
from symdiff.core.numbers import Number
from symdiff.core.typing_lite import TYPE_CHECKING, NamedTuple
from symdiff.core.unknown import split_head, unknown_partials, unknown_value

if TYPE_CHECKING:
    from typing import Any

Partial = Callable[..., Expr]


class Function(NamedTuple):
    """A row of the vocabulary.

    ``partials[i](*args)`` is ``d f(*args) / d args[i]``.  ``code`` says how generated code
    computes the function: ``""`` by the target library's function of the same name,
    ``"1/cos"`` as the reciprocal of another row, ``"atanh(1/)"`` as another row of the
    reciprocal argument, ``"identity"`` as its argument.
    """

    arity: int
    evaluate: Callable[..., float]
    partials: tuple[Partial, ...]
    family: str
    latex: str = ""
    code: str = ""
    exact: tuple[tuple[Number, Number], ...] = ()


def _sign(x: float) -> float:
    return float((x > 0) - (x < 0))


def _acot(x: float) -> float:
    return math.pi / 2 if x == 0 else math.atan(1 / x)


def _sqrt(u: Expr) -> Expr:
    return power(u, HALF)


def _zero(*args: Expr) -> Expr:
    return ZERO


def _pick(condition: Expr, a: Any = 1, b: Any = 0) -> Expr:
    """``where(condition, a, b)``: the partials of the selecting rows (see ``conditions``)."""
    return call("where", condition, a, b)


def _select(condition: bool, a: float, b: float) -> float:
    return a if condition else b


def _heaviside(x: float) -> float:
    return 1.0 if x > 0 else 0.0 if x < 0 else 0.5


def _clip_partials(u: Expr, lo: Expr, hi: Expr) -> tuple[Expr, Expr, Expr]:
    below, above = call("lt", u, lo), call("gt", u, hi)
    return _pick(below, 0, _pick(above, 0, 1)), _pick(below), _pick(below, 0, _pick(above))


TRIG, INV_TRIG = "trigonometric", "inverse trigonometric"
HYP, INV_HYP = "hyperbolic", "inverse hyperbolic"

# fmt: off
FUNCTIONS: dict[str, Function] = {
    # name: Function(arity, value on floats, (partials,), family, LaTeX, code, exact values)
    "sin": Function(1, math.sin, (lambda u: call("cos", u),), TRIG, r"\sin", exact=((0, 0),)),
    "cos": Function(1, math.cos, (lambda u: -call("sin", u),), TRIG, r"\cos", exact=((0, 1),)),
    "tan": Function(1, math.tan, (lambda u: call("tan", u) ** 2 + 1,), TRIG, r"\tan",
                    exact=((0, 0),)),
    "sec": Function(1, lambda x: 1 / math.cos(x), (lambda u: call("sec", u) * call("tan", u),),
                    TRIG, r"\sec", code="1/cos"),
    "csc": Function(1, lambda x: 1 / math.sin(x), (lambda u: -call("csc", u) * call("cot", u),),
                    TRIG, r"\csc", code="1/sin"),
    "cot": Function(1, lambda x: 1 / math.tan(x), (lambda u: -(call("cot", u) ** 2) - 1,), TRIG,
                    r"\cot", code="1/tan"),
    "asin": Function(1, math.asin, (lambda u: 1 / _sqrt(1 - u**2),), INV_TRIG, r"\arcsin",
                     exact=((0, 0),)),
    "acos": Function(1, math.acos, (lambda u: -1 / _sqrt(1 - u**2),), INV_TRIG, r"\arccos",
                     exact=((1, 0),)),
    "atan": Function(1, math.atan, (lambda u: 1 / (u**2 + 1),), INV_TRIG, r"\arctan",
                     exact=((0, 0),)),
    "acot": Function(1, _acot, (lambda u: -1 / (u**2 + 1),), INV_TRIG, code="atan(1/)"),
    "asec": Function(1, lambda x: math.acos(1 / x),
                     (lambda u: 1 / (u**2 * _sqrt(1 - 1 / u**2)),), INV_TRIG, code="acos(1/)"),
    "acsc": Function(1, lambda x: math.asin(1 / x),
                     (lambda u: -1 / (u**2 * _sqrt(1 - 1 / u**2)),), INV_TRIG, code="asin(1/)"),
    "sinh": Function(1, math.sinh, (lambda u: call("cosh", u),), HYP, r"\sinh", exact=((0, 0),)),
    "cosh": Function(1, math.cosh, (lambda u: call("sinh", u),), HYP, r"\cosh", exact=((0, 1),)),
    "tanh": Function(1, math.tanh, (lambda u: 1 - call("tanh", u) ** 2,), HYP, r"\tanh",
                     exact=((0, 0),)),
    "sech": Function(1, lambda x: 1 / math.cosh(x),
                     (lambda u: -call("sech", u) * call("tanh", u),), HYP, code="1/cosh",
                     exact=((0, 1),)),
    "csch": Function(1, lambda x: 1 / math.sinh(x),
                     (lambda u: -call("csch", u) * call("coth", u),), HYP, code="1/sinh"),
    "coth": Function(1, lambda x: 1 / math.tanh(x), (lambda u: 1 - call("coth", u) ** 2,), HYP,
                     r"\coth", code="1/tanh"),
    "asinh": Function(1, math.asinh, (lambda u: 1 / _sqrt(u**2 + 1),), INV_HYP,
                      exact=((0, 0),)),
    "acosh": Function(1, math.acosh, (lambda u: 1 / (_sqrt(u - 1) * _sqrt(u + 1)),), INV_HYP,
                      exact=((1, 0),)),
    "atanh": Function(1, math.atanh, (lambda u: 1 / (1 - u**2),), INV_HYP, exact=((0, 0),)),
    "acoth": Function(1, lambda x: math.atanh(1 / x), (lambda u: 1 / (1 - u**2),), INV_HYP,
                      code="atanh(1/)"),
    "exp": Function(1, math.exp, (lambda u: call("exp", u),), "exponential", exact=((0, 1),)),
    "log": Function(1, math.log, (lambda u: 1 / u,), "logarithm", r"\log", exact=((1, 0),)),
    "log1p": Function(1, math.log1p, (lambda u: 1 / (u + 1),), "logarithm", exact=((0, 0),)),
    "expm1": Function(1, math.expm1, (lambda u: call("exp", u),), "exponential",
                      exact=((0, 0),)),
    "abs": Function(1, abs, (lambda u: call("sign", u),), "absolute value"),
    "sign": Function(1, _sign, (lambda u: ZERO,), "sign"),
    "erf": Function(1, math.erf, (lambda u: 2 / _sqrt(call("pi")) * call("exp", -(u**2)),),
                    "error function", exact=((0, 0),)),
    "atan2": Function(2, math.atan2, (lambda y, x: x / (x**2 + y**2),
                                      lambda y, x: -y / (x**2 + y**2)), INV_TRIG),
    "stop_gradient": Function(1, lambda x: x, (lambda u: ZERO,), "stop gradient",
                              code="identity"),
    "pi": Function(0, lambda: math.pi, (), "constant"),
    # non-smooth and conditional rows; the kink convention is conditions.py's (README, "Kinks")
    "max": Function(2, lambda a, b: _select(a >= b, a, b),
                    (lambda a, b: _pick(call("ge", a, b)),
                     lambda a, b: _pick(call("ge", a, b), 0, 1)),
                    "maximum", r"\max"),
    "min": Function(2, lambda a, b: _select(a <= b, a, b),
                    (lambda a, b: _pick(call("le", a, b)),
                     lambda a, b: _pick(call("le", a, b), 0, 1)),
                    "minimum", r"\min"),
    "relu": Function(1, lambda x: _select(x > 0, x, 0.0), (lambda u: _pick(call("gt", u, 0)),),
                     "rectifier", r"\operatorname{relu}"),
    "heaviside": Function(1, _heaviside, (_zero,), "step function", r"\operatorname{H}"),
    "clip": Function(3, lambda u, lo, hi: _select(u < lo, lo, _select(u > hi, hi, u)),
                     (lambda *a: _clip_partials(*a)[0], lambda *a: _clip_partials(*a)[1],
                      lambda *a: _clip_partials(*a)[2]), "clipping", r"\operatorname{clip}"),
    "floor": Function(1, lambda x: float(math.floor(x)), (_zero,), "step function"),
    "ceil": Function(1, lambda x: float(math.ceil(x)), (_zero,), "step function"),
    "hypot": Function(2, math.hypot, (lambda a, b: a / call("hypot", a, b),
                                      lambda a, b: b / call("hypot", a, b)), "algebraic"),
    "where": Function(3, lambda c, a, b: _select(c != 0, a, b),
                      (_zero, lambda c, a, b: _pick(c), lambda c, a, b: _pick(c, 0, 1)),
                      "conditional"),
    **{name: Function(2, lambda a, b, test=test: float(test(a, b)), (_zero, _zero), "comparison")
       for name, test in conditions.TESTS.items()},
    "and": Function(2, lambda a, b: float(a != 0 and b != 0), (_zero, _zero), "logic"),
    "or": Function(2, lambda a, b: float(a != 0 or b != 0), (_zero, _zero), "logic"),
    "not": Function(1, lambda a: float(a == 0), (_zero,), "logic"),
}
# fmt: on

#: Names the parser accepts besides the table's own (``ln(x)`` is ``log(x)``).
ALIASES: dict[str, str] = {"ln": "log", "detach": "stop_gradient", "arctan": "atan"}


#: Functions the user defined (``symdiff.define``), by name: rows like those of ``FUNCTIONS``,
#: for the whole process (as Maxima's ``gradef``), so a name means one function everywhere and
#: the node ``softclip(x, k)`` stays the same interned object.  Only ``symdiff.define`` and
#: ``symdiff.undefine`` change it.
DEFINED: dict[str, Function] = {}

#: What each defined function is: its parameters and body (``None`` for a Python callable).
BODIES: dict[str, tuple[tuple[str, ...], Expr | None]] = {}


def known(name: str) -> bool:
    """Whether ``name`` is a row: of the vocabulary, or defined by the user."""
    return name in FUNCTIONS or name in DEFINED


def unknown_head(name: str) -> bool:
    """Whether ``name`` is the head of an unknown function or of one of its derivatives."""
    split = split_head(name)
    if split is None:
        return False
    function = split[0]
    return not (known(function) or function in ALIASES or function in ("sqrt", "Symbol"))


def row(name: str, arity: int | None = None) -> Function:
    """The row of ``name``: the vocabulary's, a defined function's, or (for an unknown head,
    given its ``arity``) one whose partials are derivative heads and whose value is an error."""
    spec = FUNCTIONS.get(name) or DEFINED.get(name)
    if spec is not None:
        return spec
    if arity is None or not unknown_head(name):
        raise ValueError(f"unknown function {name!r}")
    return Function(arity, unknown_value(name), unknown_partials(name, arity), "unknown function")


#: Argument kinds that are never numbers or conditions.
_PLAIN = (Sym, Add, Mul, Pow)
#: Rows whose call ``call`` checks or folds beyond its arity (``abs(abs(u))`` is ``abs(u)``).
_SPECIAL = conditions.SELECTING | {"abs"}


def call(name: str, *args: Any) -> Expr:
    """Canonical function application; raises ``ValueError`` for bad names or arity.

    A name that is no row is an unknown function (``call("f", x)`` is ``f(x)``); the parser
    accepts such names only when declared (``parse(..., functions="f")``).
    """
    if len(args) == 1 and name not in ALIASES:  # the common case: a row of one symbolic argument
        u = args[0]
        kind = type(u)
        if kind in _PLAIN or (kind is Call and u.name not in conditions.CONDITIONS):
            spec = FUNCTIONS.get(name)
            if spec is not None and spec.arity == 1 and name not in _SPECIAL:
                return Call._raw(name, (u,))  # what the checks below come to for it
    name = ALIASES.get(name, name)
    spec = FUNCTIONS.get(name) or DEFINED.get(name)
    nodes = tuple(as_expr(a) for a in args)
    if spec is None:
        split = split_head(name) if unknown_head(name) else None
        if split is None:
            raise ValueError(f"unknown function {name!r}")
        if not nodes:
            raise ValueError(f"the unknown function {split[0]} needs at least one argument")
        if split[1] and split[1][-1] >= len(nodes):
            raise ValueError(f"{name} differentiates an argument {name} does not have")
        return Call._raw(name, nodes)
    if len(args) != spec.arity:
        raise ValueError(
            f"{name} takes {spec.arity} argument{'s' * (spec.arity != 1)}, got {len(args)}"
        )
    if name in conditions.SELECTING or any(conditions.is_condition(a) for a in nodes):
        conditions.check_kinds(name, nodes)
        folded = conditions.fold(name, nodes)
        if folded is not None:
            return folded
    if nodes and all(isinstance(a, Num) for a in nodes) and name in FUNCTIONS:
        values = tuple(a.value for a in nodes if isinstance(a, Num))
        for at, value in spec.exact:
            if len(values) == 1 and values[0] == at:
                return Num(value)
        if name == "abs" and not isinstance(values[0], float):
            return Num(-values[0] if values[0] < 0 else values[0])
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


def partials(name: str, arity: int | None = None) -> tuple[Partial, ...]:
    """The partial derivatives of the row ``name`` (of an unknown head: given its ``arity``)."""
    try:
        return row(name, arity).partials
    except ValueError:
        raise NotImplementedError(f"no derivative rule for function {name!r}") from None


register(call=call)
