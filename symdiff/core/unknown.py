"""Unknown functions ``f(x)``, ``g(x, y)`` and their derivatives, as ordinary ``Call`` nodes.

An unknown function is a ``Call`` whose name is not a row of the vocabulary: ``f(x)`` is
``Call("f", x)``.  Its derivatives are calls too, of a *derivative head* that names the
function and the argument positions differentiated (sorted, since mixed partials of a smooth
function commute; positions count from 0, as in Mathematica's ``Derivative[1, 0][f]``):

    d/dx f(x)          Call("D[0](f)", x)            printed Derivative(Function('f')(x), x)
    d/dx f(g(x))       Call("D[0](f)", g(x)) * g'(x) (the chain rule, as for any function)
    d2/dxdy f(x, y)    Call("D[0,1](f)", x, y)

So the node family stays the six kinds, hash-consed, and every walk that handles calls
handles these.  They have no value: evaluating one is an ``EvaluationError`` naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from symdiff.core.errors import EvaluationError
from symdiff.core.nodes import Call, Expr, is_name

#: A derivative head ``D[0,1](f)`` (compiled on first use, by ``re``'s cache: start-up).
_HEAD = r"D\[([0-9]+(?:,[0-9]+)*)\]\(([A-Za-z_][A-Za-z0-9_]*)\)\Z"


def derivative_name(function: str, positions: Iterable[int]) -> str:
    """The head of a derivative of ``function``: ``D[0,1](f)`` (positions sorted)."""
    ordered = sorted(positions)
    return function if not ordered else f"D[{','.join(map(str, ordered))}]({function})"


def split_head(name: str) -> tuple[str, tuple[int, ...]] | None:
    """``"f"`` -> ``("f", ())``, ``"D[0,1](f)"`` -> ``("f", (0, 1))``; None for other names.

    Says only whether ``name`` is *shaped* like an unknown function's head; whether a plain
    identifier is a function of the vocabulary is the vocabulary's question.
    """
    if is_name(name):
        return name, ()
    found = re.match(_HEAD, name)
    if found is None:
        return None
    positions = tuple(int(p) for p in found.group(1).split(","))
    if list(positions) != sorted(positions):
        return None
    return found.group(2), positions


def unknown_partials(name: str, arity: int) -> tuple[Callable[..., Expr], ...]:
    """The partials of an unknown head: ``d D[I](f)(args) / d args[j] = D[I+j](f)(args)``."""
    split = split_head(name)
    assert split is not None, name
    function, positions = split

    def partial(j: int) -> Callable[..., Expr]:
        head = derivative_name(function, (*positions, j))
        return lambda *args: Call._raw(head, tuple(args))

    return tuple(partial(j) for j in range(arity))


def unknown_value(name: str) -> Callable[..., float]:
    """The "value" of an unknown function: an ``EvaluationError`` that names it."""
    function = (split_head(name) or (name, ()))[0]

    def value(*args: float) -> float:
        raise EvaluationError(
            f"{function} is an unknown function: it has no value (give it one with "
            f"symdiff.define({function!r}, ...), or substitute an expression for it)"
        )

    return value


def is_unknown_call(node: Expr, known: Callable[[str], bool]) -> bool:
    """Whether ``node`` is a call of an unknown function (``known(name)``: a defined row)."""
    return isinstance(node, Call) and bool(node.args) and not known(node.name)
