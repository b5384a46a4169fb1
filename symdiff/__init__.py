"""symdiff: symbolic differentiation that gives small, readable derivatives.

>>> import symdiff
>>> f = symdiff.parse("x**2*y + y + 2")
>>> str(symdiff.diff(f, "x"))
'2*x*y'
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from .cse import cse, cse_text
from .diff import derivative, derivative_at, diff
from .errors import CodegenError, DivisionByZeroError, EvaluationError, ParseError, SymdiffError
from .evaluate import evaluate
from .expr import Add, Call, Expr, Mul, NotConstantError, Num, Pow, Sym, symbols
from .functions import (
    FUNCTIONS,
    PI,
    Abs,
    E,
    acos,
    acosh,
    acot,
    acoth,
    acsc,
    asec,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cos,
    cosh,
    cot,
    coth,
    csc,
    csch,
    detach,
    erf,
    exp,
    log,
    sec,
    sech,
    sign,
    sin,
    sinh,
    sqrt,
    stop_gradient,
    tan,
    tanh,
)
from .high_order import DerivativeTooLargeError
from .parse import parse
from .printing import to_repr, to_str
from .traverse import dag_size, free_symbols, postorder, substitute, tree_size

__version__ = "0.1.0"

#: Public names loaded on first use (``symdiff.simplify``, ``symdiff.codegen`` …), so that
#: ``import symdiff`` and the ``symdiff`` command start fast: name -> (module, attribute).
_LAZY: dict[str, tuple[str, str | None]] = {
    "Derivation": ("explain", "Derivation"),
    "FORMATS": ("formats", "FORMATS"),
    "Step": ("explain", "Step"),
    "TracingError": ("tracing", "TracingError"),
    "Vector": ("gradient", "Vector"),
    "adjoint_of": ("gradient", "adjoint_of"),
    "grad_of": ("gradient", "grad_of"),
    "check_gradient": ("numeric", "check_gradient"),
    "codegen": ("codegen", "codegen"),
    "compare_methods": ("methods", "compare_methods"),
    "compile": ("codegen", "compile"),
    "count_operations": ("gradient", "count_operations"),
    "evaluation_trace": ("wengert", "evaluation_trace"),
    "explain": ("explain", "explain"),
    "format_expr": ("formats", "format_expr"),
    "format_partials": ("methods", "format_partials"),
    "forward_gradient": ("ad", "forward_gradient"),
    "forward_sweep": ("ad", "forward_sweep"),
    "from_json": ("jsonio", "from_json"),
    "grad_at": ("ad", "grad_at"),
    "gradient": ("gradient", "gradient"),
    "hessian": ("gradient", "hessian"),
    "jacobian": ("gradient", "jacobian"),
    "jvp": ("ad", "jvp"),
    "lambdify": ("codegen", "lambdify"),
    "math": ("math", None),
    "methods_table": ("methods", "methods_table"),
    "numeric_derivative": ("numeric", "numeric_derivative"),
    "numeric_gradient": ("numeric", "numeric_gradient"),
    "partials_at": ("methods", "partials_at"),
    "reverse_sweep": ("ad", "reverse_sweep"),
    "simplify": ("simplify", "simplify"),
    "to_dot": ("graph", "to_dot"),
    "to_json": ("jsonio", "to_json"),
    "to_latex": ("latex", "to_latex"),
    "to_tree": ("treeview", "to_tree"),
    "trace": ("tracing", "trace"),
    "vjp": ("ad", "vjp"),
    "write_graph": ("graph", "write_graph"),
}


class _Package(types.ModuleType):
    """The package module: a public function keeps its name when its same-named submodule is
    imported (the import system would otherwise replace ``symdiff.simplify`` the function by
    ``symdiff.simplify`` the module)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _names_a_function(self.__dict__, name):
            return
        super().__setattr__(name, value)


def _names_a_function(namespace: dict[str, Any], name: str) -> bool:
    current = namespace.get(name)
    if current is not None:
        return not isinstance(current, types.ModuleType)
    return name in _LAZY and _LAZY[name][1] is not None


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'symdiff' has no attribute {name!r}") from None
    module = importlib.import_module(f".{module_name}", __name__)
    value = module if attribute is None else getattr(module, attribute)
    setattr(sys.modules[__name__], name, value)
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "FORMATS", "FUNCTIONS", "PI", "Abs", "Add", "Call", "CodegenError", "Derivation",
    "DerivativeTooLargeError", "DivisionByZeroError", "E", "EvaluationError", "Expr", "Mul",
    "NotConstantError", "Num", "ParseError", "Pow", "Step", "Sym", "SymdiffError", "TracingError",
    "Vector", "__version__", "acos", "acosh", "acot", "acoth", "acsc", "adjoint_of", "asec",
    "asin", "asinh", "atan", "atan2", "atanh", "check_gradient", "codegen", "compare_methods",
    "compile", "cos", "cosh", "cot", "coth", "count_operations", "csc", "csch", "cse", "cse_text",
    "dag_size", "derivative", "derivative_at", "detach", "diff", "erf", "evaluate",
    "evaluation_trace", "exp", "explain", "format_expr", "format_partials", "forward_gradient",
    "forward_sweep", "free_symbols", "from_json", "grad_at", "grad_of", "gradient", "hessian",
    "jacobian", "jvp", "lambdify", "log", "math", "methods_table", "numeric_derivative",
    "numeric_gradient", "parse", "partials_at", "postorder", "reverse_sweep", "sec", "sech",
    "sign", "simplify", "sin", "sinh", "sqrt", "stop_gradient", "substitute", "symbols", "tan",
    "tanh", "to_dot", "to_json", "to_latex", "to_repr", "to_str", "to_tree", "trace", "tree_size",
    "vjp", "write_graph",
]  # fmt: skip
