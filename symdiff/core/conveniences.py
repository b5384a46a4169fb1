"""Conveniences on top of the core: ``symbols("x y")``, substitution, and pickling.

A pickled expression is its postorder rows (``("num", 2)``, ``("add", (0, 1))``...), rebuilt
through the canonical constructors, so unpickling in another process gives the interned nodes.
"""

from __future__ import annotations

from symdiff.core.constructors import add, mul, power
from symdiff.core.hooks import register
from symdiff.core.nodes import Call, Expr, Num, Sym
from symdiff.core.traverse import free_symbols, postorder, substitute
from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.core.vocabulary import call

if TYPE_CHECKING:
    from typing import Any


def symbols(names: str) -> Any:
    """``symbols("x y")`` -> ``(x, y)``; a single name gives a single symbol (as SymPy)."""
    parts = names.replace(",", " ").split()
    result = tuple(Sym(n) for n in parts)
    return result[0] if len(result) == 1 else result


def to_rows(root: Expr) -> list[tuple[Any, ...]]:
    """The nodes of ``root`` in postorder, children by row number."""
    index: dict[Expr, int] = {}
    rows: list[tuple[Any, ...]] = []
    for node in postorder(root):
        index[node] = len(rows)
        children = tuple(index[a] for a in node.args)
        match node:
            case Num(value):
                rows.append(("num", value))
            case Sym(name):
                rows.append(("sym", name))
            case Call(name):
                rows.append(("call", name, children))
            case _:
                rows.append((type(node).__name__.lower(), children))
    return rows


def from_rows(rows: list[tuple[Any, ...]]) -> Expr:
    """The expression of ``to_rows``."""
    built: list[Expr] = []
    for row in rows:
        match row:
            case ("num", value):
                built.append(Num(value))
            case ("sym", name):
                built.append(Sym(name))
            case ("call", name, children):
                built.append(call(name, *(built[i] for i in children)))
            case (kind, children):
                maker = {"add": add, "mul": mul, "pow": power}[kind]
                built.append(maker(*(built[i] for i in children)))
    return built[-1]


register(to_rows=to_rows, from_rows=from_rows, free_symbols=free_symbols, substitute=substitute)
