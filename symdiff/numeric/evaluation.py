"""Numeric evaluation of an expression DAG at a point: each shared node computed once."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from symdiff.core.errors import EvaluationError
from symdiff.core.nodes import Add, Call, Expr, Mul, Num, Pow, Sym
from symdiff.core.traverse import postorder
from symdiff.core.vocabulary import FUNCTIONS


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
            return FUNCTIONS[name].evaluate(*args)
    raise TypeError(f"cannot evaluate {type(node).__name__}")


def evaluate_all(roots: list[Expr], values: Mapping[str, float]) -> dict[Expr, float]:
    """Values of every node under ``roots``; raises ``EvaluationError`` naming a failing node."""
    memo: dict[Expr, float] = {}
    for node in postorder(*roots):
        memo[node] = checked_value(node, [memo[a] for a in node.args], values)
    return memo


def checked_value(node: Expr, args: list[float], values: Mapping[str, float]) -> float:
    """``node_value`` with every float failure turned into an ``EvaluationError`` naming it."""
    try:
        result = node_value(node, args, values)
    except EvaluationError:
        raise
    except ZeroDivisionError:
        raise EvaluationError(f"division by zero in {short_text(node)}") from None
    except OverflowError:
        raise EvaluationError(f"overflow evaluating {short_text(node)}") from None
    except (ValueError, TypeError) as error:
        raise EvaluationError(f"{short_text(node)} is undefined here ({error})") from None
    if not math.isfinite(result) and all(math.isfinite(a) for a in args):
        raise EvaluationError(f"{short_text(node)} is not finite here ({result})")
    return result


def evaluate(expr: Any, values: Mapping[str, float] | None = None, **kwargs: float) -> float:
    """The value of ``expr`` as a float: ``evaluate(f, x=2, y=5)`` or ``evaluate(f, {"x": 2})``.

    Domain errors (``log(-1)``, ``1/0``, overflow) raise ``EvaluationError`` naming the node.
    """
    from symdiff.formats.parser import parse_any

    expr = parse_any(expr)
    point = {**(values or {}), **kwargs}
    return evaluate_all([expr], point)[expr]
