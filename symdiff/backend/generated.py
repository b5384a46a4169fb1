"""Generated functions that pickle: sent to ``multiprocessing``, dask, Ray or Spark workers.

A compiled function is a ``functools.partial`` of the generated callable (so calls cost what a
partial costs) that pickles as its *recipe*: the source text for the Python-level targets
(executed again on unpickling), the expressions and options for C (compiled again on
unpickling, which loads the library from the verified build cache when it is there).
"""

from __future__ import annotations

import builtins
import copyreg
import functools
from collections.abc import Callable
from typing import Any

from symdiff.backend.python import function_name


class Generated(functools.partial):  # type: ignore[type-arg]
    """A compiled function: the generated code, with its ``source`` and a pickling recipe."""

    recipe: tuple[Callable[..., Any], tuple[Any, ...]]
    source: str
    __name__: str

    def __reduce__(self) -> tuple[Any, ...]:
        return self.recipe

    def __getattr__(self, name: str) -> Any:  # attributes of the wrapped code (C: arity, …)
        if name.startswith("__") or name == "recipe":
            raise AttributeError(name)
        return getattr(self.func, name)


def from_source(source: str, target: str, name: str) -> Generated:
    """The function ``name`` defined by generated ``source`` (a Python-level target)."""
    namespace: dict[str, Any] = {}
    exec(builtins.compile(source, f"<symdiff {target} {name}>", "exec"), namespace)
    function = namespace[function_name(name)]
    generated = Generated(function)
    generated.source = source
    generated.__name__ = function.__name__
    generated.__doc__ = function.__doc__
    generated.recipe = (from_source, (source, target, name))
    return generated


def rebuildable(function: Any, recipe: tuple[Callable[..., Any], tuple[Any, ...]]) -> Any:
    """``function`` (C) made to pickle as ``recipe``: a partial is re-wrapped, a class instance
    gets the recipe as an attribute and a ``copyreg`` reducer for its class."""
    if isinstance(function, functools.partial):
        generated = Generated(function.func, *function.args, **function.keywords)
        generated.__dict__.update(function.__dict__)
        generated.recipe = recipe
        return generated
    function.recipe = recipe
    copyreg.pickle(type(function), _reduce_by_recipe)
    return function


def _reduce_by_recipe(function: Any) -> tuple[Any, ...]:
    recipe = getattr(function, "recipe", None)
    if recipe is None:
        raise TypeError(f"cannot pickle {type(function).__name__} without a recipe")
    return recipe


class ValueAndGradient:
    """``lambdify(..., grad=True)``: ``(value, gradient)`` from one generated function."""

    def __init__(self, both: Callable[..., Any], formula: str) -> None:
        self.both = both
        self.source = getattr(both, "source", "")
        self.__name__ = "value_and_gradient"
        self.__doc__ = f"({formula}, its gradient) at a point."

    def __call__(self, *values: Any) -> tuple[Any, tuple[Any, ...]]:
        value, *gradient = self.both(*values)
        return value, tuple(gradient)
