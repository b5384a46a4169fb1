"""Implicit differentiation: ``implicit("x**2 + y**2 = 25", y="x")`` is ``dy/dx = -x/y``.

With ``F = lhs - rhs``, the relation ``F(x, y(x)) = 0`` gives ``dy/dx = -F_x/F_y``; a higher
derivative is the total derivative of the one before, ``d/dx + y' d/dy`` (``y'`` the first),
each simplified.  Only two partial derivatives and one division per order: no equation
solving, which is where SymPy's ``idiff`` spends its time.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from symdiff.calculus.forward import diff
from symdiff.calculus.reverse import count_operations
from symdiff.core.constructors import add, divide, mul, negate
from symdiff.core.errors import ParseError
from symdiff.core.nary import Add
from symdiff.core.nodes import ZERO, Expr, Num, Sym
from symdiff.core.traverse import substitute
from symdiff.formats.parser import parse, parse_variable
from symdiff.rewrite.engine import simplify as simplified

#: One ``=`` that is not part of ``==``, ``<=``, ``>=`` or ``!=``.
_EQUALS = re.compile(r"(?<![=<>!])=(?!=)")


class ImplicitStep(NamedTuple):
    """One line of an implicit derivation: what it is, and its expression."""

    label: str
    expr: Expr


def equation_sides(text: str, functions: Any = None) -> tuple[Expr, Expr]:
    """``"x**2 + y**2 = 25"`` -> ``(x**2 + y**2, 25)``; a formula without ``=`` is ``F = 0``."""
    places = [m.start() for m in _EQUALS.finditer(text)]
    if len(places) > 1:
        raise ParseError("an equation has one '='", text, 1, places[1] + 1)
    if not places:
        return parse(text, functions), ZERO
    left, right = text[: places[0]], text[places[0] + 1 :]
    for side, column in ((left, 1), (right, places[0] + 2)):
        if not side.strip():
            raise ParseError("an equation needs a formula on each side of '='", text, 1, column)
    return parse(left, functions), parse(right, functions)


#: The simplifier's step budget per result: enough for readable forms (``-x/y``), small
#: enough to keep the whole derivation within milliseconds (``budget=None``: no limit).
BUDGET = 60


def implicit_steps(
    equation: Any,
    dependent: Any,
    independent: Any,
    order: int = 1,
    functions: Any = None,
    budget: int | None = BUDGET,
    use_relation: bool = False,
) -> list[ImplicitStep]:
    """The derivation of ``d^order y/dx^order`` from ``equation``, step by step (the last
    step's expression is the answer; see ``implicit`` for the options)."""

    def simplify(expr: Expr) -> Expr:
        return simplified(expr, budget=budget)

    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"order must be a positive integer, got {order!r}")
    if isinstance(equation, str):
        lhs, rhs = equation_sides(equation, functions)
    else:
        lhs, rhs = equation if isinstance(equation, tuple) else (equation, ZERO)
    y = dependent if isinstance(dependent, Sym) else parse_variable(str(dependent))
    x = independent if isinstance(independent, Sym) else parse_variable(str(independent))
    if x is y:
        raise ValueError(f"{y.name} cannot depend on itself")
    relation = simplify(add(lhs, negate(rhs)))
    fy = simplify(diff(relation, y))
    if fy is ZERO:
        raise ValueError(
            f"the equation does not involve {y.name}: it defines no {y.name}({x.name})"
        )
    fx = simplify(diff(relation, x))
    first = simplify(negate(divide(fx, fy)))
    steps = [
        ImplicitStep(f"F({x.name}, {y.name}) = lhs - rhs", relation),
        ImplicitStep(f"F_{x.name} = dF/d{x.name}", fx),
        ImplicitStep(f"F_{y.name} = dF/d{y.name}", fy),
        ImplicitStep(f"d{y.name}/d{x.name} = -F_{x.name}/F_{y.name}", first),
    ]
    current = first
    for k in range(2, order + 1):
        total = add(diff(current, x), mul(diff(current, y), first))
        current = simplify(total)
        label = (
            f"d^{k}{y.name}/d{x.name}^{k} = d/d{x.name}(previous) "
            f"+ d/d{y.name}(previous) * d{y.name}/d{x.name}"
        )
        steps.append(ImplicitStep(label, current))
    if use_relation:
        steps.extend(_with_relation(relation, current))
    return steps


def _with_relation(relation: Expr, result: Expr) -> list[ImplicitStep]:
    """The result with the relation used, ``F = P + c = 0`` so ``P = -c``, when it is smaller:
    ``-(x**2 + y**2)/y**3`` is ``-25/y**3`` on ``x**2 + y**2 = 25``."""
    constants = (
        [t for t in relation.args if isinstance(t, Num)] if isinstance(relation, Add) else []
    )
    if not constants:
        return []
    part = add(relation, negate(constants[0]))
    reduced = simplified(substitute(result, {part: negate(constants[0])}))
    if reduced is result or count_operations(reduced) > count_operations(result):
        return []
    return [ImplicitStep(f"using the relation {part} = {negate(constants[0])}", reduced)]


def implicit(
    equation: Any,
    order: int = 1,
    *,
    functions: Any = None,
    budget: int | None = BUDGET,
    use_relation: bool = False,
    **dependent: Any,
) -> Expr:
    """``d^order y / dx^order`` of ``y(x)`` defined by ``equation``: ``implicit(eq, y="x")``.

    ``equation`` is ``"lhs = rhs"`` (or an expression ``F``, meaning ``F = 0``, or a pair
    ``(lhs, rhs)``); the keyword names the dependent variable and its value the independent
    one.  The answer is in ``x`` and ``y`` (``-x/y`` for a circle), not solved for ``y``;
    ``budget`` bounds the simplifier's work on each step (``None``: simplify fully), and
    ``use_relation=True`` puts the equation back in where that shortens the result
    (``-25/y**3`` for the second derivative on ``x**2 + y**2 = 25``).
    """
    if len(dependent) != 1:
        raise TypeError("name the dependent variable and its variable once: implicit(eq, y='x')")
    ((name, variable),) = dependent.items()
    return implicit_steps(equation, name, variable, order, functions, budget, use_relation)[-1].expr
