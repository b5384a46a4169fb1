"""Local derivatives at a point: for one node, the partial derivative by each argument, as floats.

Forward and reverse mode both run on this one function: forward mode multiplies the partials
by the arguments' tangents, reverse mode multiplies the node's adjoint by them.  The partials
are the symbolic ones of ``symdiff.calculus.partials`` evaluated at the point, so every method
is defined at exactly the same points as ``diff``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

from symdiff.calculus.partials import local_partials
from symdiff.core.conditions import CONDITIONS
from symdiff.core.errors import EvaluationError
from symdiff.core.nary import Mul
from symdiff.core.nodes import ZERO, Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import postorder
from symdiff.core.vocabulary import FUNCTIONS, row
from symdiff.numeric.evaluation import evaluate_all, short_text


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


@functools.lru_cache(maxsize=4096)
def _templates(template: Expr, wanted: tuple[bool, ...]) -> tuple[Expr, ...]:
    """The symbolic partials of a node whose non-number arguments are the symbols ``_u<i>``."""
    return tuple(local_partials(template, wanted))


def _template_of(node: Expr) -> tuple[Expr, dict[str, int]]:
    """``node`` over placeholders ``_u0, _u1, ...`` (numbers stay), and their argument indices."""
    slots = {f"_u{i}": i for i, a in enumerate(node.args) if not isinstance(a, Num)}
    args = [a if isinstance(a, Num) else Sym(f"_u{i}") for i, a in enumerate(node.args)]
    return node.rebuild(args), slots


def _partials(node: Expr, args: list[float], value: float, wanted: list[bool]) -> list[float]:
    if isinstance(node, Mul):  # the product of the other factors, in O(n) for long products
        others = _products_of_others(args)
        return [o if w else 0.0 for o, w in zip(others, wanted, strict=True)]
    if isinstance(node, Call) and node.name in CONDITIONS:
        return [0.0] * len(args)  # a condition only selects
    if isinstance(node, Call) and node.name == "where":  # the branch taken, exactly
        taken = 1 if args[0] != 0 else 2
        return [1.0 if i == taken and w else 0.0 for i, w in enumerate(wanted)]
    if isinstance(node, Pow) and wanted[1] and value == 0:
        wanted = [wanted[0], False]  # 0**v is 0 for every v > 0: its slope in v is 0
    template, slots = _template_of(node)
    point = {name: args[i] for name, i in slots.items()}
    partials = _templates(template, tuple(wanted))
    values = evaluate_all([p for p, w in zip(partials, wanted, strict=True) if w], point)
    return [values[p] if w else 0.0 for p, w in zip(partials, wanted, strict=True)]


def numeric_partials(
    node: Expr, args: list[float], value: float, wanted: list[bool]
) -> list[float]:
    """``d node / d args[i]`` at these argument values, for each ``i`` where ``wanted[i]``.

    Unwanted positions (arguments that do not depend on the variables) are 0.0 and are not
    computed, so ``x**2`` at a negative ``x`` never needs ``log(x)``.  Raises
    ``EvaluationError`` naming the node where its derivative is undefined (``sqrt(x)`` at 0).
    """
    try:
        result = _partials(node, args, value, wanted)
    except EvaluationError as error:
        reason = str(error).replace("_u0", "u").replace("_u1", "v")
        raise EvaluationError(
            f"the derivative of {short_text(node)} is undefined here ({reason})"
        ) from None
    if not all(math.isfinite(p) for p in result):
        raise EvaluationError(f"the derivative of {short_text(node)} is not finite here")
    return result


def _always_zero(name: str, index: int) -> bool:
    """Whether the row's partial is identically zero (``sign``, ``stop_gradient``)."""
    arity = FUNCTIONS[name].arity
    symbols = [Sym(f"_u{i}") for i in range(arity)]
    try:
        return FUNCTIONS[name].partials[index](*symbols) is ZERO
    except ValueError:  # where(_u0, ...): its condition must be a condition, so not zero
        return False


_ALWAYS_ZERO: frozenset[tuple[str, int]] = frozenset(
    (name, i) for name, row in FUNCTIONS.items() for i in range(row.arity) if _always_zero(name, i)
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
            rules = row(node.name, len(node.args)).partials
            for i, flag in enumerate(flags):
                if flag and (
                    (node.name, i) in _ALWAYS_ZERO
                    or (not all(flags) and rules[i](*node.args) is ZERO)
                ):
                    flags[i] = False
        if any(flags):
            live[node] = flags
    return live
