"""The public face of single derivatives and the simplifier: text is parsed here, once; the
layers below take expressions (``symdiff.matrices`` is the face of the reverse sweep).

Options that compose layers are composed here too (``diff(..., simplify=True)`` runs the
simplifier on the derivative).  ``Expr.diff`` is this ``diff`` (registered by ``symdiff``).
"""

from __future__ import annotations

from collections.abc import Iterable

from symdiff.calculus import forward
from symdiff.core.nodes import Expr
from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.formats.parser import parse_any
from symdiff.rewrite import engine

if TYPE_CHECKING:
    from typing import Any


def diff(
    expr: Any, *variables: Any, simplify: bool | str = False, max_terms: int = forward.MAX_TERMS
) -> Expr:
    """Derivative of ``expr`` with respect to each of ``variables`` in turn.

    ``diff(f, "x")``, ``diff(f, x, y)`` (mixed partial), ``diff(f, ("x", 3))`` (third order).
    With no variable, ``expr`` must have exactly one free symbol.  ``simplify=True`` runs
    ``symdiff.simplify`` on the result (``simplify="compact"``: with ``goal="compact"``).
    High orders reuse the lower ones and stop at a
    derivative that is 0 (``diff("x**5", ("x", 10**8))`` is instant); a result that would need
    more than about ``max_terms`` terms raises ``DerivativeTooLargeError``, which says what to
    do instead (``symdiff.derivative_at`` gives its value at a point).
    """
    result = forward.diff(parse_any(expr), *variables, max_terms=max_terms)
    if not simplify:
        return result
    return engine.simplify(result, goal=simplify if isinstance(simplify, str) else "readable")


derivative = diff


def simplify(
    expr: Any,
    *,
    assume_positive: Iterable[str] = (),
    budget: int | None = None,
    goal: str = "readable",
) -> Expr:
    """A smaller equivalent of ``expr`` (sound on the real domain), for people by default.

    ``assume_positive=("x", "y")`` (or ``"x y"``) also allows rewrites valid only for positive
    symbols, e.g. ``sqrt(x**2) -> x``, and splits logarithms where that pays
    (``log(x*y) - log(x) -> log(y)``; ``symdiff.rewrite.positive_logs``).  ``budget`` caps the
    rule attempts (default proportional to the size of ``expr``).

    ``goal="readable"`` (the default) is the textbook face: expanded polynomials
    (``5*x**4 + 4*x**3 + 1``), squared bases with a positive leading term (``(x - 1)**2``).
    ``goal="compact"`` is the form with the fewest operations (Horner nesting), never costlier
    than ``expr``: what code generation and the size benchmarks use.

    >>> str(simplify("sin(x)**2 + cos(x)**2"))
    '1'
    """
    return engine.simplify(
        parse_any(expr), assume_positive=assume_positive, budget=budget, goal=goal
    )
