"""Numeric local derivatives: for one node at a point, the partial derivative by each argument.

Forward and reverse mode both run on this one function: forward mode multiplies the partials
by the arguments' tangents, reverse mode multiplies the node's adjoint by them.  ``NUMERIC``
mirrors the symbolic ``DERIVATIVES`` table formula for formula (a test keeps them equal), so
every method is defined at exactly the same points.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from symdiff.calculus.partials import DERIVATIVES
from symdiff.core.errors import EvaluationError
from symdiff.numeric.evaluation import power_value, short_text
from symdiff.core.nodes import ZERO, Add, Call, Expr, Mul, Num, Pow, Sym
from symdiff.core.traverse import postorder

NumericPartial = Callable[..., float]


def _sign(u: float) -> float:
    return float((u > 0) - (u < 0))


def _atan2_by_y(y: float, x: float) -> float:
    return x / (x**2 + y**2)


def _atan2_by_x(y: float, x: float) -> float:
    return -y / (x**2 + y**2)


#: ``NUMERIC[name][i](*args)`` is the float value of ``DERIVATIVES[name][i](*args)``.
NUMERIC: dict[str, tuple[NumericPartial, ...]] = {
    "sin": (math.cos,),
    "cos": (lambda u: -math.sin(u),),
    "tan": (lambda u: math.tan(u) ** 2 + 1,),
    "sec": (lambda u: math.tan(u) / math.cos(u),),
    "csc": (lambda u: -1 / (math.sin(u) * math.tan(u)),),
    "cot": (lambda u: -((1 / math.tan(u)) ** 2) - 1,),
    "asin": (lambda u: 1 / math.sqrt(1 - u**2),),
    "acos": (lambda u: -1 / math.sqrt(1 - u**2),),
    "atan": (lambda u: 1 / (u**2 + 1),),
    "acot": (lambda u: -1 / (u**2 + 1),),
    "asec": (lambda u: 1 / (u**2 * math.sqrt(1 - 1 / u**2)),),
    "acsc": (lambda u: -1 / (u**2 * math.sqrt(1 - 1 / u**2)),),
    "sinh": (math.cosh,),
    "cosh": (math.sinh,),
    "tanh": (lambda u: 1 - math.tanh(u) ** 2,),
    "sech": (lambda u: -math.tanh(u) / math.cosh(u),),
    "csch": (lambda u: -1 / (math.sinh(u) * math.tanh(u)),),
    "coth": (lambda u: 1 - (1 / math.tanh(u)) ** 2,),
    "asinh": (lambda u: 1 / math.sqrt(u**2 + 1),),
    "acosh": (lambda u: 1 / (math.sqrt(u - 1) * math.sqrt(u + 1)),),
    "atanh": (lambda u: 1 / (1 - u**2),),
    "acoth": (lambda u: 1 / (1 - u**2),),
    "exp": (math.exp,),
    "log": (lambda u: 1 / u,),
    "abs": (_sign,),
    "sign": (lambda u: 0.0,),
    "erf": (lambda u: 2 / math.sqrt(math.pi) * math.exp(-(u**2)),),
    "atan2": (_atan2_by_y, _atan2_by_x),
    "stop_gradient": (lambda u: 0.0,),
    "pi": (),
}


def _products_of_others(factors: Sequence[float]) -> list[float]:
    """``[prod(factors without factors[i]) for i]`` in O(n), exact when a factor is zero."""
    count = len(factors)
    prefix = [1.0] * (count + 1)
    for i, factor in enumerate(factors):
        prefix[i + 1] = prefix[i] * factor
    others = [0.0] * count
    suffix = 1.0
    for i in range(count - 1, -1, -1):
        others[i] = prefix[i] * suffix
        suffix *= factors[i]
    return others


def _partials(node: Expr, args: list[float], value: float, wanted: list[bool]) -> list[float]:
    match node:
        case Add():
            return [1.0] * len(args)
        case Mul():
            if len(args) == 2:
                return [args[1], args[0]]
            return _products_of_others(args)
        case Pow():
            base, exponent = args
            by_base = exponent * power_value(base, exponent - 1) if wanted[0] else 0.0
            # 0**v is 0 for every v > 0, so its slope in v is 0 (log(0) would say undefined)
            by_exponent = value * math.log(base) if wanted[1] and value != 0 else 0.0
            return [by_base, by_exponent]
        case Call(name):
            try:
                row = NUMERIC[name]
            except KeyError:
                raise NotImplementedError(f"no numeric derivative for function {name!r}") from None
            return [rule(*args) if w else 0.0 for rule, w in zip(row, wanted, strict=True)]
        case Num() | Sym():
            return []
    raise TypeError(f"no local derivative for {type(node).__name__}")


def local_partials(node: Expr, args: list[float], value: float, wanted: list[bool]) -> list[float]:
    """``d node / d args[i]`` at these argument values, for each ``i`` where ``wanted[i]``.

    Unwanted positions (arguments that do not depend on the variables) are 0.0 and are not
    computed, so ``x**2`` at a negative ``x`` never needs ``log(x)``.  Raises
    ``EvaluationError`` naming the node where its derivative is undefined (``sqrt(x)`` at 0).
    """
    try:
        result = _partials(node, args, value, wanted)
    except (ZeroDivisionError, ValueError, OverflowError) as error:
        raise EvaluationError(
            f"the derivative of {short_text(node)} is undefined here ({error})"
        ) from None
    if not all(math.isfinite(p) for p in result):
        raise EvaluationError(f"the derivative of {short_text(node)} is not finite here")
    return result


def _always_zero(name: str, index: int) -> bool:
    """Whether the table's partial is identically zero (``sign``, ``stop_gradient``)."""
    arity = len(DERIVATIVES[name])
    symbols = [Sym(f"_u{i}") for i in range(arity)]
    return DERIVATIVES[name][index](*symbols) is ZERO


_ALWAYS_ZERO: frozenset[tuple[str, int]] = frozenset(
    (name, i) for name, row in DERIVATIVES.items() for i in range(len(row)) if _always_zero(name, i)
)


def live_arguments(roots: Sequence[Expr], variables: Sequence[Sym]) -> dict[Expr, list[bool]]:
    """For each node that depends on ``variables``: which arguments carry derivative to it.

    An argument is live when it depends on the variables and its partial is not symbolically
    zero: ``stop_gradient(x)`` and ``sign(x)`` stop the flow, and so does ``atan2(0, y)``,
    whose partial by ``y`` is ``-0/y**2 = 0``.  This is the symbolic zero of ``diff``, so the
    AD modes need exactly the partials that symbolic differentiation builds.
    """
    live: dict[Expr, list[bool]] = {v: [] for v in variables}
    for node in postorder(*roots):
        if node in live or not node.args:
            continue
        flags = [a in live for a in node.args]
        if isinstance(node, Call) and any(flags):
            for i, flag in enumerate(flags):
                if flag and (
                    (node.name, i) in _ALWAYS_ZERO
                    or (not all(flags) and DERIVATIVES[node.name][i](*node.args) is ZERO)
                ):
                    flags[i] = False
        if any(flags):
            live[node] = flags
    return live
