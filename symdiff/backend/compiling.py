"""``codegen``, ``compile`` and ``lambdify``: expressions to source text and ready callables."""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from symdiff.backend import arrays, c, numpy, python
from symdiff.backend.generated import ValueAndGradient, from_source, rebuildable
from symdiff.backend.lower import lower
from symdiff.backend.matrices import is_rows, matrix_source
from symdiff.backend.names import check_identifier
from symdiff.backend.program import Program
from symdiff.backend.stable import stabilize
from symdiff.core.errors import CodegenError
from symdiff.core.nodes import Expr, Sym

if TYPE_CHECKING:
    from symdiff.backend.build import CompiledFunction
from symdiff.core.traverse import free_symbols
from symdiff.formats.parser import parse_any

TARGETS: dict[str, Callable[[Program, Sequence[str], str, bool], str]] = {
    "python": python.source,
    "numpy": numpy.source,
    "c": c.source,
    **{target: arrays.printer(target) for target in arrays.LIBRARIES},
}
#: Targets that recompute one-operation shared nodes instead of storing them (see ``lower``).
RECOMPUTE = {"numpy"}
#: The functions each target prints (the stable rows use a helper only where it is printed).
PRINTED = {"python": python.FUNCTIONS, "numpy": numpy.FUNCTIONS, "c": c.FUNCTIONS} | {
    target: library.functions for target, library in arrays.LIBRARIES.items()
}


def _stable(target: str, stable: bool) -> frozenset[str] | None:
    """What ``lower`` needs for ``stable``: the printed names, or None for literal code."""
    return frozenset(PRINTED.get(target, ())) if stable else None


def symbols_of(args: Any) -> list[Sym]:
    """Argument symbols from names, symbols, or one string of names (``"x y"``, ``"x, y"``)."""
    if isinstance(args, str):
        args = args.replace(",", " ").split()
    elif isinstance(args, Expr):
        args = [args]
    symbols = []
    for arg in args:
        if isinstance(arg, Sym):
            symbols.append(arg)
        else:
            symbols.append(Sym(check_identifier(arg, "argument name")))
    return symbols


def prepare(exprs: Any, args: Any) -> tuple[list[Expr], list[Sym], bool]:
    """The root expressions, the argument symbols, and whether a single value is returned."""
    single = isinstance(exprs, Expr | str)
    roots = [parse_any(e) for e in ([exprs] if single else list(exprs))]
    if not roots:
        raise CodegenError("nothing to generate: give at least one expression")
    symbols = symbols_of(args)
    known = set(symbols)
    missing = [s.name for s in free_symbols(*roots) if s not in known]
    if missing:
        raise CodegenError(
            f"the expressions depend on {', '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not among the arguments "
            f"({', '.join(s.name for s in symbols) or 'none'})"
        )
    return roots, symbols, single


@functools.cache
def default_target() -> str:
    """The target of ``compile`` and ``lambdify`` when none is given: ``"numpy"`` when NumPy
    is importable, else ``"python"`` (as SymPy's ``lambdify`` chooses its modules)."""
    return "numpy" if importlib.util.find_spec("numpy") is not None else "python"


def _target(target: str) -> Callable[[Program, Sequence[str], str, bool], str]:
    try:
        return TARGETS[target]
    except (KeyError, TypeError):
        raise CodegenError(
            f"unknown target {target!r}: choose one of {', '.join(TARGETS)}"
        ) from None


def codegen(
    exprs: Any, args: Any, target: str = "python", name: str = "f", *, stable: bool = True
) -> str:
    """Source text of one function ``name(*args)`` computing all ``exprs`` together.

    Shared subexpressions are computed once (straight-line code in dependency order).  A single
    expression gives a function returning one value; a list gives a tuple.  Argument and function
    names that are reserved in the target are mangled by appending ``_``.  With ``stable``
    (the default) the code evaluates stable equivalents of formulas that overflow or cancel
    (``log(1 + exp(x))`` as ``softplus(x)``, see ``backend/stable.py``); ``stable=False``
    gives the literal formula.

    A list of rows (``[[a, b], [c, d]]``: a Jacobian or Hessian) gives a function returning a
    2-D array (``symdiff.backend.matrices``).

    >>> print(codegen(parse("x*y + sin(x*y)"), "x y"))  # doctest: +SKIP
    """
    printer = _target(target)
    check_identifier(name, "function name")
    if is_rows(exprs):
        return matrix_source(
            exprs,
            target,
            name,
            lambda flat, inner: codegen(flat, args, target, inner, stable=stable),
        )
    roots, symbols, single = prepare(exprs, args)
    program = lower(roots, symbols, target in RECOMPUTE, _stable(target, stable))
    names = [s.name for s in symbols]
    if target == "python":  # stable Python answers an inner overflow with IEEE infinities
        return python.source(program, names, name, single, ieee=stable)
    return printer(program, names, name, single)


def compile(
    exprs: Any, args: Any, target: str | None = None, name: str = "f", *,
    compiler: str | None = None, cache_dir: str | os.PathLike | None = None, stable: bool = True,
) -> Callable[..., Any]:  # fmt: skip
    """A callable computing ``exprs`` from positional ``args`` (see ``codegen``).

    ``python`` takes floats; ``numpy`` takes arrays (any shapes that broadcast); ``c`` compiles
    with the system C compiler (``compiler`` to choose one), caches the library in ``cache_dir``,
    and takes arrays or floats: where the interpreter's ``Python.h`` is installed, as an
    extension module whose float calls cost what a builtin call costs (``native.py``), else
    through ``ctypes``.  No compiler raises ``CodegenError`` naming what is missing.
    ``stable`` as in ``codegen``.  With no ``target``: ``"numpy"`` when NumPy is importable,
    else ``"python"`` (``default_target``); a scalar call then returns a NumPy float64.
    """
    if target is None:
        target = default_target()
    if target == "c":
        options = functools.partial(compile, compiler=compiler, cache_dir=cache_dir, stable=stable)
        recipe = (options, (exprs, symbols_of(args), target, name))
        return rebuildable(_compile_c(exprs, args, name, compiler, cache_dir, stable), recipe)
    return from_source(codegen(exprs, args, target, name, stable=stable), target, name)


def _compile_c(
    exprs: Any, args: Any, name: str, compiler: str | None,
    cache_dir: str | os.PathLike | None, stable: bool,
) -> Callable[..., Any]:  # fmt: skip
    from symdiff.backend.extension import available

    if not available():  # no Python.h: a ctypes library
        return compile_many(
            [(exprs, args, name)], compiler=compiler, cache_dir=cache_dir, stable=stable
        )[0]
    from symdiff.backend.native import scalar_function

    check_identifier(name, "function name")
    roots, symbols, single = prepare(exprs, args)
    if stable:  # C prints no helper: the stable DAG is made of vocabulary functions only
        roots = stabilize(roots, c.FUNCTIONS)
    return scalar_function(roots, symbols, single, name, compiler, cache_dir)


def compile_many(
    specs: Sequence[tuple[Any, Any, str]], *, compiler: str | None = None,
    cache_dir: str | os.PathLike | None = None, stable: bool = True,
) -> list[CompiledFunction]:  # fmt: skip
    """Several ``(exprs, args, name)`` compiled as one C translation unit (one compiler run)."""
    from symdiff.backend.build import load_functions

    functions, specs_out = [], []
    for exprs, args, name in specs:
        check_identifier(name, "function name")
        roots, symbols, single = prepare(exprs, args)
        program = lower(roots, symbols, stable=_stable("c", stable))
        function = c.CFunction(program, tuple(s.name for s in symbols), name)
        functions.append(function)
        specs_out.append((function.c_name, len(symbols), len(roots), single))
    source = c.translation_unit(functions)
    return load_functions(source, specs_out, compiler=compiler, cache_dir=cache_dir)


def gradient_of(f: Expr, variables: Sequence[Sym]) -> list[Expr]:
    """The gradient as one shared DAG (``symdiff.gradient``)."""
    from symdiff.calculus.reverse import gradient

    return list(gradient(f, list(variables)))


#: SymPy's ``lambdify(modules=...)`` names for symdiff's targets.
MODULES = {"math": "python", "numpy": "numpy", "jax": "jax", "torch": "torch", "cupy": "cupy",
           "array_api": "array_api", "c": "c", "python": "python"}  # fmt: skip


def lambdify(
    f: Any, args: Any, grad: bool = False, target: str | None = None, *,
    modules: str | None = None, wrt: Any = None, **options: Any,
) -> Callable[..., Any]:  # fmt: skip
    """A function of ``args`` computing ``f``; with ``grad=True`` it returns
    ``(value, gradient)``, the gradient a tuple with one entry per argument (data arguments
    too), or per name of ``wrt`` (``wrt="w b"``: the parameters only, the data arguments held
    fixed).  ``target`` defaults as in ``compile`` (``"numpy"`` when NumPy is importable, else
    ``"python"``); ``modules`` is SymPy's name for the target (``"math"``, ``"numpy"``,
    ``"jax"``, ``"torch"``, ``"cupy"``).

    >>> value_and_grad = lambdify("x**2*y", "x y", grad=True, target="python")
    >>> value_and_grad(3.0, 2.0)
    (18.0, (12.0, 9.0))
    """
    if modules is not None:
        if modules not in MODULES:
            raise CodegenError(f"unknown modules {modules!r}: choose one of {', '.join(MODULES)}")
        target = MODULES[modules]
    expr = parse_any(f)
    if not grad:
        return compile(expr, args, target, **options)
    symbols = symbols_of(args)
    by = symbols if wrt is None else symbols_of(wrt)
    outside = [s.name for s in by if s not in symbols]
    if outside:
        raise CodegenError(f"wrt names {', '.join(outside)}, which are not among the arguments")
    both = compile([expr, *gradient_of(expr, by)], symbols, target, **options)
    return ValueAndGradient(both, str(expr))
