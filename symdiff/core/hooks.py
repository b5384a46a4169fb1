"""The methods of ``Expr`` that modules above the node classes implement, registered at import.

``Expr.__add__`` calls ``HOOKS.add``, ``str(expr)`` calls ``HOOKS.to_str`` and so on: the node
classes stay at the bottom of the import graph, and the one place that says who provides what
is ``Hooks`` below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from symdiff.core.typing_lite import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from symdiff.core.nodes import Expr, Sym


def _missing(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("symdiff is only partly imported: `import symdiff` registers this method")


class Hooks:
    """The operations of ``Expr`` implemented above the node classes, one attribute each.

    ``symdiff.core.constructors`` registers the arithmetic, ``symdiff.core.vocabulary`` the
    function constructor, ``symdiff.core.conveniences`` substitution and pickling, and
    the package ``symdiff`` the printers, ``.diff`` and ``.evaluate`` (each loaded on first use).
    """

    coerce: Callable[[object], Expr | None] = _missing
    add: Callable[..., Expr] = _missing
    mul: Callable[..., Expr] = _missing
    power: Callable[[Any, Any], Expr] = _missing
    divide: Callable[[Any, Any], Expr] = _missing
    negate: Callable[[Any], Expr] = _missing
    call: Callable[..., Expr] = _missing
    to_str: Callable[[Expr], str] = _missing
    to_repr: Callable[[Expr], str] = _missing
    formula_repr: Callable[[Expr], str] = _missing
    to_latex: Callable[[Expr], str] = _missing
    diff: Callable[..., Expr] = _missing
    evaluate: Callable[..., float] = _missing
    substitute: Callable[[Expr, Mapping[Any, Any]], Expr] = _missing
    free_symbols: Callable[[Expr], tuple[Sym, ...]] = _missing
    to_rows: Callable[[Expr], list[tuple[Any, ...]]] = _missing
    from_rows: Callable[[list[tuple[Any, ...]]], Expr] = _missing


HOOKS = Hooks()


def register(**operations: Callable[..., Any]) -> None:
    """Install operations of ``Expr`` (names as the attributes of ``Hooks``)."""
    for name, operation in operations.items():
        if not hasattr(Hooks, name):
            raise AttributeError(f"no Expr hook named {name!r}")
        setattr(HOOKS, name, operation)
