"""User-defined functions: ``symdiff.define("softclip", "log(1 + exp(k*x))/k", args="x k")``.

A defined function is a row of the vocabulary like ``sin`` (``symdiff.core.vocabulary.DEFINED``):
``softclip(x, 2)`` parses and prints as a call, differentiates through its partials (by
default the derivatives of its body; or given, as Maxima's ``gradef`` and JAX's
``custom_jvp``), evaluates through its body or a Python callable, and code generation writes
its body inline.  The registry is the process's, as the vocabulary is: a name means one
function everywhere, and a node ``softclip(x, 2)`` is the same interned object in every
expression.  Redefining a name differently needs ``replace=True``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from symdiff.calculus.forward import diff
from symdiff.core.errors import EvaluationError, MissingDerivativeError, ParseError
from symdiff.core.functions import reserved_word
from symdiff.core.nodes import Expr, Sym
from symdiff.core.traverse import free_symbols, substitute
from symdiff.core.vocabulary import BODIES, DEFINED, call
from symdiff.core.vocabulary import Function as Row
from symdiff.formats.parser import parse, parse_any
from symdiff.numeric.evaluation import evaluate

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_LINE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s*=\s*(.+?)\s*\Z")

Formula = str | Expr


def _parameters(args: str | Sequence[str]) -> tuple[str, ...]:
    names = tuple(args.replace(",", " ").split() if isinstance(args, str) else args)
    if not names or len(set(names)) != len(names) or not all(_NAME.match(n) for n in names):
        raise ValueError(f"args must be distinct variable names, got {args!r}")
    return names


def _template(partial: Expr, parameters: tuple[str, ...]) -> Callable[..., Expr]:
    symbols = [Sym(p) for p in parameters]
    return lambda *args: substitute(partial, dict(zip(symbols, args, strict=True)))


def _missing(name: str, index: int, parameter: str) -> Callable[..., Expr]:
    def partial(*args: Any) -> Expr:
        raise MissingDerivativeError(
            f"no derivative of {name} with respect to its argument {index + 1} ({parameter}): "
            f"give it, symdiff.define({name!r}, ..., partials=[...])"
        )

    return partial


def define(
    name: str,
    body: Formula | Callable[..., float],
    *,
    args: str | Sequence[str] = "x",
    partials: Sequence[Formula | None] | None = None,
    replace: bool = False,
) -> Callable[..., Expr]:
    """Define the function ``name(args)``; returns its constructor (``softclip(x, 2)``).

    ``body`` is a formula in ``args`` (a string or an expression), or a Python callable on
    floats.  ``partials`` (one formula per argument, in ``args``, which may call ``name``
    itself; ``None`` where unknown) default to the derivatives of a formula body; a callable
    without them has none, and differentiating it is a ``MissingDerivativeError`` naming the
    argument.
    """
    parameters = _parameters(args)
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"invalid function name {name!r}: use letters, digits and '_'")
    if name in DEFINED and not replace:
        same = partials is None and isinstance(body, str | Expr)
        if same and BODIES.get(name) == (parameters, parse_any(body)):
            return _constructor(name)  # the very same definition again: nothing changes
        raise ValueError(f"{name} is defined already (define it again with replace=True)")
    if name not in DEFINED and reserved_word(name) is not None:
        raise ValueError(f"{name} cannot be defined: it is a {reserved_word(name)}")
    symbols = [Sym(p) for p in parameters]
    previous = DEFINED.get(name), BODIES.get(name)
    missing = tuple(_missing(name, i, p) for i, p in enumerate(parameters))
    # defined at once, so that the body and the partials may call ``name`` itself
    DEFINED[name] = Row(len(parameters), _no_value(name), missing, "defined function")
    try:
        formula = None if callable(body) and not isinstance(body, Expr) else parse_any(body)
        if formula is not None:
            stray = [s.name for s in free_symbols(formula) if s not in symbols]
            if stray:
                raise ValueError(f"the body of {name} uses {', '.join(stray)}, not in args")
        given = list(partials) if partials is not None else [None] * len(parameters)
        if len(given) != len(parameters):
            raise ValueError(f"{name} has {len(parameters)} arguments, {len(given)} partials")
        rules = []
        for i, (parameter, partial) in enumerate(zip(parameters, given, strict=True)):
            if partial is None and formula is not None:
                partial = diff(formula, Sym(parameter))
            if partial is None:
                rules.append(_missing(name, i, parameter))
            else:
                rules.append(_template(parse_any(partial), parameters))
        value = _formula_value(formula, parameters) if formula is not None else body
        DEFINED[name] = Row(len(parameters), value, tuple(rules), "defined function")  # type: ignore[arg-type]
        BODIES[name] = (parameters, formula)
    except BaseException:
        _restore(name, *previous)
        raise
    return _constructor(name)


def _no_value(name: str) -> Callable[..., float]:
    def value(*args: float) -> float:
        raise EvaluationError(f"{name} is being defined: it has no value yet")

    return value


def Function(name: str) -> Callable[..., Expr]:
    """The constructor of the unknown function ``name``: ``f = Function("f"); f(x)``."""
    if not isinstance(name, str) or not _NAME.match(name) or reserved_word(name) is not None:
        raise ValueError(f"{name!r} cannot name an unknown function")
    return _constructor(name)


def _restore(name: str, row: Row | None, body: Any) -> None:
    DEFINED.pop(name, None)
    BODIES.pop(name, None)
    if row is not None:
        DEFINED[name], BODIES[name] = row, body


def _formula_value(formula: Expr, parameters: tuple[str, ...]) -> Callable[..., float]:
    return lambda *values: evaluate(formula, dict(zip(parameters, values, strict=True)))


def _constructor(name: str) -> Callable[..., Expr]:
    def constructor(*args: Any) -> Expr:
        return call(name, *args)

    constructor.__name__ = constructor.__qualname__ = name
    constructor.__doc__ = f"``{name}(...)`` as an expression."
    return constructor


def undefine(name: str) -> None:
    """Forget the defined function ``name`` (its calls become calls of an unknown function)."""
    if name not in DEFINED:
        raise ValueError(f"{name} is not a defined function")
    _restore(name, None, None)


def define_from_text(text: str) -> list[str]:
    """Definitions, one a line: ``softclip(x, k) = log(1 + exp(k*x))/k`` (``#`` comments);
    the names defined, in order.  A bad line is a ``ParseError`` naming the line."""
    names = []
    for number, line in enumerate(text.splitlines(), 1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        found = _LINE.match(content)
        if found is None:
            raise ParseError(f"line {number}: expected name(args) = formula, got {content!r}")
        name, parameters, formula = found.groups()
        try:
            define(name, parse(formula), args=parameters, replace=name in names)
        except (ValueError, ParseError) as error:
            raise ParseError(f"line {number}: {error}") from None
        names.append(name)
    return names


def define_from_file(path: str) -> list[str]:
    """``define_from_text`` of a file's contents."""
    with open(path, encoding="utf-8") as file:
        return define_from_text(file.read())
