"""Turn an ordinary Python function into an expression DAG by running it on symbols.

``trace(fn, "a b")`` calls ``fn(Sym("a"), Sym("b"))``.  The operators and ``symdiff.math``
functions build nodes, so Python control flow that does not look at symbolic values simply runs:
loops unroll, branches on numbers and lengths are taken.  Hash-consing shares every repeated
value, so a 1,000-step loop gives a DAG of O(1,000) nodes even when its tree would not fit in the
universe.  Branching on a symbolic value (``if z > 0``, ``if z:``) raises ``TracingError``, with
the line of ``fn`` that did it and the advice to write ``symdiff.where(z > 0, a, b)``.  ``==``
cannot be refused: it is identity for expressions (``z == 0`` is simply False for a symbolic
``z``), so compare numbers, not expressions.

>>> from symdiff.math import cos
>>> def step(a, b):
...     z = 0
...     for i in range(2):
...         z = a * cos(z + i) + z * b
...     return z
>>> str(trace(step, "a b"))
'a*b + a*cos(a + 1)'
"""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from symdiff.calculus.reverse import variables_of
from symdiff.core.constructors import as_expr
from symdiff.core.conversions import NotConstantError, SymbolicComparisonError, refuse_condition
from symdiff.core.errors import SymdiffError
from symdiff.core.nodes import Expr

_tracing: ContextVar[bool] = ContextVar("symdiff_tracing", default=False)


class TracingError(SymdiffError, TypeError):
    """The traced function branched on a symbolic value, or returned something not numeric."""


def _truth_while_tracing(self: Expr) -> bool:
    """``bool(expr)``: refused while tracing (a branch would silently pick one path), and
    always for a condition (``x > 0``)."""
    refuse_condition(self)
    if _tracing.get():
        raise SymbolicComparisonError(
            f"the truth value of the symbolic expression {self} is unknown while tracing"
        )
    return True


def _install_truth_guard() -> None:
    # Outside ``trace`` the guard returns True, exactly like ``object``; Expr defines no
    # ``__bool__`` of its own (checked), so nothing else changes.
    if "__bool__" not in vars(Expr):
        type.__setattr__(Expr, "__bool__", _truth_while_tracing)


_BRANCH_HINT = (
    "write the branch as a value: symdiff.where(x > 0, a, b) (or symdiff.math.where, "
    "maximum, minimum) instead of if/else; control flow that depends only on numbers is "
    "fine (pass such values as constants: trace(fn, vars, n=3))"
)


def _parameter_names(fn: Callable[..., Any]) -> list[str]:
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in inspect.signature(fn).parameters.values() if p.kind in kinds]


def _where(error: BaseException, fn: Callable[..., Any]) -> str:
    """``file:line: source`` of the innermost frame of ``fn`` (or of any user frame) in error."""
    code = getattr(fn, "__code__", None)
    frames = traceback.extract_tb(error.__traceback__)
    chosen = next((f for f in reversed(frames) if code and f.name == code.co_name), None)
    chosen = chosen or (frames[-1] if frames else None)
    if chosen is None:
        return ""
    return f" at {chosen.filename}:{chosen.lineno}: {(chosen.line or '').strip()}"


def _as_output(value: Any) -> Expr | tuple[Expr, ...]:
    if isinstance(value, tuple | list):
        return tuple(as_expr(v) for v in value)
    try:
        return as_expr(value)
    except TypeError:
        raise TracingError(
            f"the traced function returned {type(value).__name__}, not a number or expression"
        ) from None


def trace(fn: Callable[..., Any], vars: Any = None, **constants: Any) -> Any:
    """The expression computed by ``fn`` on symbolic arguments (a tuple if it returns several).

    ``vars`` names the symbols passed positionally ("a b", or a list); by default the names of
    ``fn``'s positional parameters.  ``constants`` are passed on as keyword arguments unchanged.
    """
    names = _parameter_names(fn) if vars is None else [s.name for s in variables_of(vars)]
    symbols = variables_of(names)
    _install_truth_guard()
    token = _tracing.set(True)
    try:
        result = fn(*symbols, **constants)
    except SymbolicComparisonError as error:
        name = getattr(fn, "__qualname__", repr(fn))
        if isinstance(error, NotConstantError):
            what, hint = "needs a plain number, not", "use symdiff.math functions on symbols"
        else:
            what, hint = "branches on", _BRANCH_HINT
        raise TracingError(
            f"{name} {what} a symbolic value{_where(error, fn)}\n  {error}\n  {hint}"
        ) from error
    finally:
        _tracing.reset(token)
    return _as_output(result)
