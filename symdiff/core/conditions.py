"""Conditions and the functions that select: comparisons, ``and``/``or``/``not``, ``where``,
``max``/``min`` and the other rows whose value is one of their arguments.

A condition is an ordinary ``Call`` node (``gt(x, 0)`` prints ``x > 0``): one hash-consed node
family, true is ``1`` and false is ``0``.  A condition is not a number: it appears only as the
first argument of ``where`` or inside another condition (``check_kinds``), and ``bool`` of one
raises (``if x > 0`` on an expression cannot be decided).  ``fold`` is the part of the smart
constructor ``call`` that knows these rows: exact folding of numbers, ``where(c, a, a) -> a``,
``where(c, a, where(c, b, d)) -> where(c, a, d)``, ``not (x > 0) -> x <= 0``.

The kink convention (README, "Kinks"): ``max(a, b)`` *is* ``where(a >= b, a, b)`` and
``min(a, b)`` is ``where(a <= b, a, b)``, derivative included, so at a tie the derivative is
that of the first argument; ``relu(u)`` is ``where(u > 0, u, 0)`` (``relu'(0) = 0``);
``clip(u, lo, hi)`` is ``u`` on the closed interval ``[lo, hi]`` (derivative ``du`` there).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from symdiff.core.hooks import HOOKS
from symdiff.core.nodes import ONE, ZERO, Call, Expr, Num
from symdiff.core.numbers import Number

#: Comparison rows and their operators, in the order the grammar lists them.
COMPARISONS: dict[str, str] = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}
#: Logical rows (n-ary ``and``/``or`` are nested to the right).
LOGIC = ("and", "or", "not")
CONDITIONS = frozenset({*COMPARISONS, *LOGIC})
#: ``not`` of each comparison (exact for reals: symdiff's numbers are finite).
NEGATED = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt", "eq": "ne", "ne": "eq"}
#: Comparisons as Python operators on exact numbers or floats.
TESTS: dict[str, Callable[[Number, Number], bool]] = {
    "lt": lambda a, b: a < b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
}  # fmt: skip

#: Which arguments of a row are conditions (``c``) and which are values (``v``).
KINDS = {"where": "cvv", "and": "cc", "or": "cc", "not": "c"}
#: The rows whose construction this module checks and folds.
SELECTING = frozenset({*CONDITIONS, "where", "max", "min", "relu", "heaviside", "clip", "floor",
                       "ceil"})  # fmt: skip


def is_condition(node: Expr) -> bool:
    """Whether ``node`` is a comparison or a logical combination of comparisons."""
    return isinstance(node, Call) and node.name in CONDITIONS


def check_kinds(name: str, args: tuple[Expr, ...]) -> None:
    """Raise ``ValueError`` if a condition is used as a number or a number as a condition."""
    kinds = KINDS.get(name, "")
    for position, arg in enumerate(args):
        wanted = kinds[position] if position < len(kinds) else "v"
        if wanted == "c" and not (is_condition(arg) or isinstance(arg, Num)):
            raise ValueError(
                f"the condition of {name} must be a comparison such as x > 0 (and, or, not "
                f"combine them), got {arg}"
            )
        if wanted == "v" and is_condition(arg):
            what = f"an argument of {name}" if name not in COMPARISONS else "a comparison"
            raise ValueError(
                f"the condition {arg} is not a number and cannot be {what}: write "
                f"where({arg}, 1, 0) for its indicator"
            )


def _opposite(c: Expr, d: Expr) -> bool:
    """Whether ``c`` is the negation of ``d`` (``x <= 0`` and ``x > 0``)."""
    if not (isinstance(c, Call) and isinstance(d, Call)):
        return False
    if c.name == "not":
        return c.args[0] is d
    if d.name == "not":
        return d.args[0] is c
    return NEGATED.get(c.name) == d.name and c.args == d.args


def _truth(node: Expr) -> bool | None:
    """The truth of a constant condition (a number: nonzero is true), else None."""
    return bool(node.value) if isinstance(node, Num) else None


def _heaviside(value: Number) -> Number:
    return 1 if value > 0 else 0 if value < 0 else Fraction(1, 2)


def _clip(u: Number, lo: Number, hi: Number) -> Number:
    return lo if u < lo else hi if u > hi else u


#: Rows whose value on exact numbers is exact (floats stay floats).
EXACT: dict[str, Callable[..., Number]] = {
    "max": lambda a, b: a if a >= b else b,
    "min": lambda a, b: a if a <= b else b,
    "relu": lambda u: u if u > 0 else 0 * u,
    "heaviside": _heaviside,
    "clip": _clip,
    "floor": math.floor,
    "ceil": math.ceil,
}


def fold(name: str, args: tuple[Expr, ...]) -> Expr | None:
    """The canonical form of ``name(*args)`` for the rows of this module, or None."""
    if name == "where":
        condition, a, b = args
        truth = _truth(condition)
        if truth is not None:
            return a if truth else b
        if a is b:
            return a
        # a branch that cannot be taken: its condition is decided by the outer one
        if isinstance(b, Call) and b.name == "where":
            if b.args[0] is condition:
                return HOOKS.call("where", condition, a, b.args[2])
            if _opposite(b.args[0], condition):
                return HOOKS.call("where", condition, a, b.args[1])
        if isinstance(a, Call) and a.name == "where":
            if a.args[0] is condition:
                return HOOKS.call("where", condition, a.args[1], b)
            if _opposite(a.args[0], condition):
                return HOOKS.call("where", condition, a.args[2], b)
        return None
    if name in COMPARISONS:
        a, b = args
        if isinstance(a, Num) and isinstance(b, Num):
            return ONE if TESTS[name](a.value, b.value) else ZERO
        if a is b:
            return ONE if name in ("le", "ge", "eq") else ZERO
        return None
    if name == "not":
        (c,) = args
        truth = _truth(c)
        if truth is not None:
            return ZERO if truth else ONE
        if isinstance(c, Call) and c.name in NEGATED:
            return Call._raw(NEGATED[c.name], c.args)
        if isinstance(c, Call) and c.name == "not":
            return c.args[0]
        return None
    if name in ("and", "or"):
        return _logic(name, *args)
    if name in EXACT and all(isinstance(a, Num) for a in args):
        values = [a.value for a in args]  # type: ignore[attr-defined]
        if not any(isinstance(v, float) for v in values):
            return Num(EXACT[name](*values))
        return None
    if name in ("max", "min"):
        a, b = args
        if a is b:
            return a
        if isinstance(a, Call) and a.name == name:  # nest to the right: max(a, max(b, c))
            return HOOKS.call(name, a.args[0], HOOKS.call(name, a.args[1], b))
    return None


def _logic(name: str, a: Expr, b: Expr) -> Expr | None:
    absorbing = name == "or"  # true absorbs an or, false an and
    for one, other in ((a, b), (b, a)):
        truth = _truth(one)
        if truth is not None:
            return (ONE if absorbing else ZERO) if truth is absorbing else other
    if a is b:
        return a
    if isinstance(a, Call) and a.name == name:  # nest to the right
        return HOOKS.call(name, a.args[0], HOOKS.call(name, a.args[1], b))
    return None
