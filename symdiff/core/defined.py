"""Calls of user-defined functions replaced by their bodies (``symdiff.define``), for the
places that need plain formulas: code generation, and checks that compare with the body."""

from __future__ import annotations

from collections.abc import Sequence

from symdiff.core.errors import CodegenError
from symdiff.core.nodes import Call, Expr, Sym
from symdiff.core.traverse import fold, postorder, substitute
from symdiff.core.vocabulary import BODIES, known

#: Most rounds of inlining (a body may call other defined functions; a cycle must end).
MAX_ROUNDS = 64


def inline_defined(expr: Expr, purpose: str = "code generation") -> Expr:
    """``expr`` with every call of a function defined by a formula replaced by its body.

    Raises ``CodegenError`` for a function defined by a Python callable or an unknown
    function, which have no formula, naming the function and ``purpose``.
    """

    def visit(node: Expr, args: list[Expr]) -> Expr:
        if isinstance(node, Call) and node.name in BODIES:
            parameters, body = BODIES[node.name]
            if body is None:
                raise CodegenError(
                    f"{node.name} is defined by a Python callable: {purpose} needs a formula "
                    f"(symdiff.define({node.name!r}, 'formula', args=...))"
                )
            return substitute(body, dict(zip(map(Sym, parameters), args, strict=True)))
        if isinstance(node, Call) and node.args and not known(node.name):
            raise CodegenError(
                f"{node.name} is an unknown function: {purpose} needs its definition "
                f"(symdiff.define({node.name!r}, ...))"
            )
        return node.rebuild(args) if node.args else node

    for _ in range(MAX_ROUNDS):
        if not any(_to_inline(n) for n in postorder(expr)):
            return expr
        expr = fold(expr, visit)
    raise CodegenError("the defined functions call each other without end")


def inline_defined_all(roots: Sequence[Expr], purpose: str = "code generation") -> list[Expr]:
    """``inline_defined`` of each root, with one walk over their shared DAG when there is
    nothing to inline (the common case: a Jacobian's roots share most of their nodes)."""
    if not any(_to_inline(n) for n in postorder(*roots)):
        return list(roots)
    return [inline_defined(root, purpose) for root in roots]


def _to_inline(node: Expr) -> bool:
    return (
        isinstance(node, Call) and bool(node.args) and (node.name in BODIES or not known(node.name))
    )
