"""The derivative table: for each function, one partial derivative per argument.

``DERIVATIVES[name][i](*args)`` is ``d name(*args) / d args[i]``; the chain rule that combines
them is written once, in ``symdiff.diff``.  Keys and arities match ``FUNCTIONS`` (tested).
"""

from __future__ import annotations

from collections.abc import Callable

from symdiff.core.nodes import ZERO, Expr
from symdiff.core.vocabulary import PI, cos, cosh, cot, coth, csc, csch, exp, sec, sech, sign, sin, sinh, sqrt, tan, tanh

Partial = Callable[..., Expr]


def _over_sum_of_squares(y: Expr, x: Expr) -> Expr:
    return x / (x**2 + y**2)


DERIVATIVES: dict[str, tuple[Partial, ...]] = {
    "sin": (lambda u: cos(u),),
    "cos": (lambda u: -sin(u),),
    "tan": (lambda u: tan(u) ** 2 + 1,),
    "sec": (lambda u: sec(u) * tan(u),),
    "csc": (lambda u: -csc(u) * cot(u),),
    "cot": (lambda u: -(cot(u) ** 2) - 1,),
    "asin": (lambda u: 1 / sqrt(1 - u**2),),
    "acos": (lambda u: -1 / sqrt(1 - u**2),),
    "atan": (lambda u: 1 / (u**2 + 1),),
    "acot": (lambda u: -1 / (u**2 + 1),),
    "asec": (lambda u: 1 / (u**2 * sqrt(1 - 1 / u**2)),),
    "acsc": (lambda u: -1 / (u**2 * sqrt(1 - 1 / u**2)),),
    "sinh": (lambda u: cosh(u),),
    "cosh": (lambda u: sinh(u),),
    "tanh": (lambda u: 1 - tanh(u) ** 2,),
    "sech": (lambda u: -sech(u) * tanh(u),),
    "csch": (lambda u: -csch(u) * coth(u),),
    "coth": (lambda u: 1 - coth(u) ** 2,),
    "asinh": (lambda u: 1 / sqrt(u**2 + 1),),
    "acosh": (lambda u: 1 / (sqrt(u - 1) * sqrt(u + 1)),),
    "atanh": (lambda u: 1 / (1 - u**2),),
    "acoth": (lambda u: 1 / (1 - u**2),),
    "exp": (lambda u: exp(u),),
    "log": (lambda u: 1 / u,),
    "abs": (lambda u: sign(u),),
    "sign": (lambda u: ZERO,),
    "erf": (lambda u: 2 / sqrt(PI) * exp(-(u**2)),),
    "atan2": (
        lambda y, x: _over_sum_of_squares(y, x),
        lambda y, x: -y / (x**2 + y**2),
    ),
    "stop_gradient": (lambda u: ZERO,),
    "pi": (),
}


def partials(name: str) -> tuple[Partial, ...]:
    """The row of ``name``, with a precise error when a function has no rule."""
    try:
        return DERIVATIVES[name]
    except KeyError:
        raise NotImplementedError(f"no derivative rule for function {name!r}") from None
