"""Numeric evaluation of an expression DAG at a point: each shared node computed once."""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from symdiff.core.errors import EvaluationError
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import postorder
from symdiff.core.vocabulary import FUNCTIONS, row
from symdiff.numeric.extended import fits_float, wide, wide_value


def short_text(node: Expr, limit: int = 80) -> str:
    """The formula of ``node``, cut to ``limit`` characters for error messages."""
    text = str(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def power_value(base: float, exponent: float) -> float:
    """Real ``base ** exponent`` (``math.pow``; a negative base needs an integer exponent)."""
    if base == 0 and exponent < 0:
        raise ZeroDivisionError("zero to a negative power")
    return math.pow(base, exponent)


def node_value(node: Expr, args: list[float], values: Mapping[str, float]) -> float:
    """The float value of one node from the values of its arguments."""
    match node:
        case Num(value):
            return float(value)
        case Sym(name):
            try:
                return float(values[name])
            except KeyError:
                raise EvaluationError(f"no value given for symbol {name!r}") from None
        case Add():
            return math.fsum(args) if len(args) > 2 else args[0] + args[1]
        case Mul():
            result = 1.0
            for value in args:
                result *= value
            return result
        case Pow():
            return power_value(args[0], args[1])
        case Call(name):
            spec = FUNCTIONS.get(name)
            return (spec or row(name, len(args))).evaluate(*args)
    raise TypeError(f"cannot evaluate {type(node).__name__}")


class _OutOfFloats(Exception):
    """A float failed at some node: evaluate again in extended range before reporting it."""


def evaluate_all(
    roots: list[Expr], values: Mapping[str, float], order: list[Expr] | None = None
) -> dict[Expr, float]:
    """Values of every node under ``roots`` (``order``: their postorder, if known already).

    Floats first; if any node fails in floats (overflow, underflow into a division by zero or
    a logarithm, a non-finite result), the whole DAG is evaluated again in extended range
    (``symdiff.extended``), so that only the final values have to be finite floats: an
    intermediate ``cosh(1e5)`` is not an error when the root is ``1/cosh(1e5) = 0``.  There,
    intermediate values beyond the float range are ``±inf`` (or ``0.0``) in the table.  Raises
    ``EvaluationError`` naming the node that is undefined, or a root that overflows.
    """
    order = postorder(*roots) if order is None else order
    memo: dict[Expr, float] = {}
    try:
        for node in order:
            memo[node] = _float_value(node, [memo[a] for a in node.args], values)
    except _OutOfFloats:
        if _has_branches(order):
            return _evaluate_branches(roots, order, values)
        return _evaluate_wide(roots, order, values)
    return memo


def constant_value(node: Expr) -> float | None:
    """The float value of a symbol-free ``node`` as ``evaluate`` gives it, through extended
    range where an intermediate overflows (``csch(exp(8))`` is 0.0); None if it is undefined
    or beyond the float range itself."""
    try:
        return evaluate_all([node], {})[node]
    except (EvaluationError, ArithmeticError, ValueError):
        return None


#: Nodes that do not need all their arguments: a ``where`` takes one branch, and ``and``/``or``
#: short-circuit as in Python and C (``x > 0 or sqrt(x) < 1`` is true at ``x = 1``, and at
#: ``x = -1`` its value is that of ``sqrt(-1) < 1``, undefined).
LAZY = frozenset({"where", "and", "or"})


def _has_branches(order: list[Expr]) -> bool:
    return any(type(node) is Call and node.name in LAZY for node in order)  # type: ignore[attr-defined]


def _decided(node: Expr, first: float) -> float | None:
    """The value of ``and``/``or`` that its first operand alone decides (``first`` a number,
    not nan), or None."""
    if type(node) is Call and node.name in ("and", "or"):  # type: ignore[attr-defined]
        is_or = node.name == "or"  # type: ignore[attr-defined]
        if (first != 0) is is_or:
            return 1.0 if is_or else 0.0
    return None


def _evaluate_branches(
    roots: list[Expr], order: list[Expr], values: Mapping[str, float]
) -> dict[Expr, float]:
    """Like ``evaluate_all``, for a DAG with ``where``: a node that fails only matters if a
    ``where`` takes its branch, so ``where(x > 0, sqrt(x), 0)`` is 0 at ``x = -1``.  The value of
    a failed node in a branch not taken is ``nan`` in the table."""
    memo: dict[Expr, float] = {}
    for node in order:
        args = [memo[a] for a in node.args]
        if type(node) is Call and node.name == "where" and args[0] == args[0]:  # type: ignore[attr-defined]
            memo[node] = args[1] if args[0] != 0 else args[2]
        elif args and args[0] == args[0] and (decided := _decided(node, args[0])) is not None:
            memo[node] = decided
        elif any(a != a for a in args):
            memo[node] = math.nan
        else:
            try:
                memo[node] = _float_value(node, args, values)
            except _OutOfFloats:
                memo[node] = math.nan
    if all(memo[root] == memo[root] for root in roots):
        return memo
    return _evaluate_wide(roots, order, values, branches=True)


def _float_value(node: Expr, args: list[float], values: Mapping[str, float]) -> float:
    try:
        result = node_value(node, args, values)
    except EvaluationError:
        raise
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        raise _OutOfFloats from None
    if not math.isfinite(result):
        raise _OutOfFloats
    return result


def _evaluate_wide(
    roots: list[Expr], order: list[Expr], values: Mapping[str, float], branches: bool = False
) -> dict[Expr, float]:
    """Every node again: a float value that is trustworthy (``_trusted``) is kept, every other
    node is computed in extended range from its arguments' values."""
    floats: dict[Expr, float | None] = {}
    for node in order:
        args = [floats[a] for a in node.args]
        value = None
        if all(a is not None for a in args):
            with contextlib.suppress(_OutOfFloats):
                value = _float_value(node, args, values)  # type: ignore[arg-type]
        floats[node] = value
    point = {name: wide(float(value)) for name, value in values.items()}
    memo: dict[Expr, Decimal] = {}
    failed: dict[Expr, EvaluationError] = {}  # with branches: nodes that failed, by node
    for node in order:
        value = floats[node]
        if value is not None and _trusted(node, value, [floats[a] for a in node.args]):
            memo[node] = Decimal(value)
            continue
        if branches and (culprit := _dead(node, failed, memo)) is not None:
            failed[node] = culprit
            memo[node] = Decimal("NaN")
            continue
        try:
            memo[node] = wide_value(node, [memo[a] for a in node.args], point)
        except Exception as error:  # the same messages as in floats
            if not branches:
                raise _explained(node, error) from None
            failed[node], memo[node] = _explained(node, error), Decimal("NaN")
    for root in roots:
        if root in failed:
            raise failed[root]
        if not fits_float(memo[root]):
            raise EvaluationError(
                f"overflow: {short_text(root)} is about {memo[root]:.6e} here, beyond the "
                "float range"
            )
    return {node: float(value) for node, value in memo.items()}


def _dead(
    node: Expr, failed: dict[Expr, EvaluationError], memo: dict[Expr, Decimal]
) -> EvaluationError | None:
    """The error a node inherits from a failed argument (a ``where`` only from the condition or
    the branch it takes; then its value is that branch's, set here), or None."""
    if type(node) is Call and node.name == "where":  # type: ignore[attr-defined]
        condition, a, b = node.args
        if condition in failed:
            return failed[condition]
        taken = a if memo[condition] != 0 else b
        if taken in failed:
            return failed[taken]
        memo[node] = memo[taken]
        return None
    if type(node) is Call and node.name in ("and", "or"):  # type: ignore[attr-defined]
        first = node.args[0]
        if first in failed:
            return failed[first]
        decided = _decided(node, float(memo[first]))
        if decided is not None:
            memo[node] = Decimal(decided)
            return None
    return next((failed[a] for a in node.args if a in failed), None)


#: Functions that are exactly 0 at 1 (``log(1.0)`` is an exact 0.0, not an underflow).
_ZERO_AT_ONE = frozenset({"log", "acos", "acosh", "asec"})


def _trusted(node: Expr, value: float, args: list[float | None]) -> bool:
    """Whether a float result is as good as the extended one: a normal float, or an exact 0.

    A 0.0 or a subnormal can be an underflow (``exp(-1000)``, ``sech(1e5)``), which the
    extended range recomputes; but an exact zero must stay one, or ``1/log(log(e))`` (``1/0``
    in floats) would become ``1/-1e-40`` in 40 digits.
    """
    if value != 0:
        return abs(value) >= sys.float_info.min
    if isinstance(node, Add | Num | Sym):
        return True  # float sums are exact when they cancel to 0
    if any(a == 0 for a in args):
        return True  # 0*y, 0**y, sin(0), atan2(0, x)...
    return isinstance(node, Call) and node.name in _ZERO_AT_ONE and args[0] == 1


def _explained(node: Expr, error: BaseException) -> EvaluationError:
    """The ``EvaluationError`` that names ``node`` for a float or decimal failure."""
    if isinstance(error, EvaluationError):
        return error
    if isinstance(error, ZeroDivisionError):
        return EvaluationError(f"division by zero in {short_text(node)}")
    if isinstance(error, OverflowError):
        return EvaluationError(f"overflow evaluating {short_text(node)} ({error})")
    if isinstance(error, ValueError | TypeError):
        return EvaluationError(f"{short_text(node)} is undefined here ({error})")
    raise error


def checked_value(node: Expr, args: list[float], values: Mapping[str, float]) -> float:
    """``node_value`` with every float failure turned into an ``EvaluationError`` naming it.

    This is one node in floats, without the extended-range fallback of ``evaluate_all``.
    """
    try:
        result = node_value(node, args, values)
    except Exception as error:
        raise _explained(node, error) from None
    if not math.isfinite(result) and all(math.isfinite(a) for a in args):
        raise EvaluationError(f"{short_text(node)} is not finite here ({result})")
    return result


def evaluate(expr: Any, values: Mapping[str, float] | None = None, **kwargs: float) -> float:
    """The value of ``expr`` as a float: ``evaluate(f, x=2, y=5)`` or ``evaluate(f, {"x": 2})``.

    Domain errors (``log(-1)``, ``1/0``) raise ``EvaluationError`` naming the node; so does a
    value beyond the float range, but an intermediate one only when the result needs it
    (``sech(x**12)`` at ``x = 3`` is 0.0, see ``evaluate_all``).
    """
    from symdiff.formats.parser import parse_any

    expr = parse_any(expr)
    point = {**(values or {}), **kwargs}
    return evaluate_all([expr], point)[expr]
