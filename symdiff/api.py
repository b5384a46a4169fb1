"""The public face of single derivatives and the simplifier: text is parsed here, once; the
layers below take expressions (``symdiff.matrices`` is the face of the reverse sweep).

Options that compose layers are composed here too: ``diff`` runs the simplifier on the
derivative by default, so it answers what ``symdiff F --wrt x`` prints (the command line calls
this very function).  ``Expr.diff`` is this ``diff`` (registered by ``symdiff``).  Library code
that wants the raw derivative DAG calls ``symdiff.calculus.forward.diff`` (or passes
``simplify=False``).
"""

from __future__ import annotations

from collections.abc import Iterable

from symdiff.calculus import forward
from symdiff.core.nodes import Expr
from symdiff.core.traverse import tree_size
from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.formats.parser import parse_any
from symdiff.rewrite.monomials import is_monomial

if TYPE_CHECKING:
    from typing import Any


def diff(
    expr: Any, *variables: Any, simplify: bool | str = "auto", max_terms: int = forward.MAX_TERMS
) -> Expr:
    """Derivative of ``expr`` with respect to each of ``variables`` in turn.

    ``diff(f, "x")``, ``diff(f, x, y)`` (mixed partial), ``diff(f, ("x", 3))`` (third order).
    With no variable, ``expr`` must have exactly one free symbol.

    ``simplify="auto"`` (the default) is exactly what the command line prints: the derivative
    simplified for reading (``symdiff.simplify``, ``goal="readable"``; ``diff("x**2*y + y + 2",
    "x")`` is ``2*x*y``) when the raw derivative written out as a tree has at most
    ``symdiff.SIMPLIFY_LIMIT`` nodes, else the raw derivative (a huge high-order derivative
    would cost seconds to gigabytes to simplify).  ``simplify=True`` always simplifies for
    reading, ``simplify="compact"`` gives the form with the fewest operations
    (``goal="compact"``), and ``simplify=False`` the raw derivative DAG, which shares the
    subexpressions of ``expr`` and costs no simplifier time.

    High orders reuse the lower ones and stop at a
    derivative that is 0 (``diff("x**5", ("x", 10**8))`` is instant); a result that would need
    more than about ``max_terms`` terms raises ``DerivativeTooLargeError``, which says what to
    do instead (``symdiff.derivative_at`` gives its value at a point).
    """
    result = forward.diff(parse_any(expr), *variables, max_terms=max_terms)
    if simplify == "auto":
        return simplified_if_small(result)
    if not simplify:
        return result
    from symdiff.rewrite import engine  # (the simplifier loads when it is used: start-up)

    return engine.simplify(result, goal=simplify if isinstance(simplify, str) else "readable")


#: The one size rule for simplifying derivatives by default: ``diff(..., simplify="auto")``, the
#: command line's derivative mode (which calls ``diff``) and each entry ``--grad``,
#: ``--hessian`` and ``--jacobian`` print simplify a derivative whose raw tree has at most this
#: many nodes (every first derivative of the benchmark corpus, at most 4 s each; the 10th
#: derivative of ``x**x``, 5,755 nodes, would take 9 s, that of ``sin(sin(sin(sin(x))))``
#: 10 GB) and leave larger ones raw (printed in CSE form when shared).
SIMPLIFY_LIMIT = 2000


def simplified_if_small(derivative: Expr) -> Expr:
    """``derivative`` simplified for reading if its tree has at most ``SIMPLIFY_LIMIT`` nodes,
    else ``derivative`` itself.  A monomial (``2*x*y``) is returned at once: ``simplify``
    returns it unchanged, and loading the simplifier would be a tenth of the command's time."""
    if is_monomial(derivative) or tree_size(derivative) > SIMPLIFY_LIMIT:
        return derivative
    from symdiff.rewrite import engine

    return engine.simplify(derivative)


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
    from symdiff.rewrite import engine

    return engine.simplify(
        parse_any(expr), assume_positive=assume_positive, budget=budget, goal=goal
    )
