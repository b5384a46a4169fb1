"""symdiff: symbolic differentiation that gives small, readable derivatives.

>>> import symdiff
>>> f = symdiff.parse("x**2*y + y + 2")
>>> str(symdiff.diff(f, "x"))
'2*x*y'

The expression core is imported here; every other public name is loaded from the module that
defines it the first time it is used (PEP 562: ``EXPORTS`` below is the one table of public
name -> defining module), so ``symdiff "x**2" --wrt x`` never imports the code generator, the
step explainer or the numeric sweeps.  Layers still run one way: this module sits above every
module it names (``tests/test_layers.py`` checks the table as well as the imports).
"""

from __future__ import annotations

import sys

from symdiff.core.conveniences import symbols
from symdiff.core.conversions import NotConstantError
from symdiff.core.errors import (
    CodegenError,
    DivisionByZeroError,
    EvaluationError,
    FormulaWarning,
    ParseError,
    SymdiffError,
)
from symdiff.core.functions import *  # noqa: F403  (one constructor per vocabulary row)
from symdiff.core.functions import (
    CONSTRUCTORS,
    PI,
    E,
    detach,
    log,
    maximum,
    minimum,
    piecewise,
    sqrt,
)
from symdiff.core.hooks import register
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import dag_size, free_symbols, postorder, substitute, tree_size
from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.core.vocabulary import FUNCTIONS

if TYPE_CHECKING:  # the same names as EXPORTS, for type checkers (a test keeps them equal)
    from typing import Any

    from symdiff import math
    from symdiff.api import SIMPLIFY_LIMIT, derivative, diff, simplify
    from symdiff.backend.accuracy import compare_accuracy, error_report, parse_domain
    from symdiff.backend.accuracy_reports import AccuracyComparison, AccuracyReport
    from symdiff.backend.compiling import codegen, compile, lambdify
    from symdiff.backend.models import Objective, System, compile_objective, compile_system
    from symdiff.backend.vector import VectorFunction, compile_vector
    from symdiff.calculus.high_order import DerivativeTooLargeError
    from symdiff.calculus.reverse import Vector, count_operations
    from symdiff.calculus.sparse import SparseMatrix
    from symdiff.calculus.sparsity import Sparsity
    from symdiff.calculus.tracing import TracingError, trace
    from symdiff.checking import CheckResult, check
    from symdiff.defining import (
        Function,
        define,
        define_from_file,
        define_from_text,
        undefine,
    )
    from symdiff.formats.common_subexpressions import cse, cse_text
    from symdiff.formats.formula_lists import split_formulas
    from symdiff.formats.jsonio import from_json, to_json
    from symdiff.formats.latex import to_latex
    from symdiff.formats.mathml import to_mathml
    from symdiff.formats.parser import parse, parse_variable
    from symdiff.formats.registry import FORMATS, format_expr
    from symdiff.formats.text import formula_repr, to_repr, to_str
    from symdiff.formats.treeview import to_tree
    from symdiff.implicit_diff import implicit, implicit_steps
    from symdiff.matrices import (
        adjoint_of,
        grad_of,
        gradient,
        hessian,
        hessian_sparsity,
        hvp,
        jacobian,
        jacobian_sparsity,
        jvp_expr,
        vjp_expr,
    )
    from symdiff.numeric.ad import forward_gradient, forward_sweep, grad_at, jvp, reverse_sweep, vjp
    from symdiff.numeric.evaluation import evaluate
    from symdiff.numeric.finite_differences import (
        check_gradient,
        numeric_derivative,
        numeric_gradient,
    )
    from symdiff.numeric.graph import to_dot, write_graph
    from symdiff.numeric.methods import compare_methods, format_partials, methods_table, partials_at
    from symdiff.numeric.taylor import derivative_at
    from symdiff.numeric.wengert import evaluation_trace
    from symdiff.steps.derivation import Derivation, Step
    from symdiff.steps.sweep import explain

__version__ = "0.1.0"

#: Public names loaded on first use, by defining module (``math`` is the module ``symdiff.math``).
EXPORTS: dict[str, tuple[str, ...]] = {
    "symdiff.api": ("SIMPLIFY_LIMIT", "derivative", "diff", "simplify"),
    "symdiff.backend.accuracy": ("compare_accuracy", "error_report", "parse_domain"),
    "symdiff.backend.accuracy_reports": ("AccuracyComparison", "AccuracyReport"),
    "symdiff.backend.compiling": ("codegen", "compile", "lambdify"),
    "symdiff.backend.models": ("Objective", "System", "compile_objective", "compile_system"),
    "symdiff.backend.vector": ("VectorFunction", "compile_vector"),
    "symdiff.calculus.high_order": ("DerivativeTooLargeError",),
    "symdiff.calculus.reverse": ("Vector", "count_operations"),
    "symdiff.calculus.sparse": ("SparseMatrix",),
    "symdiff.calculus.sparsity": ("Sparsity",),
    "symdiff.calculus.tracing": ("TracingError", "trace"),
    "symdiff.checking": ("CheckResult", "check"),
    "symdiff.defining": (
        "Function", "define", "define_from_file", "define_from_text", "undefine",
    ),
    "symdiff.implicit_diff": ("implicit", "implicit_steps"),
    "symdiff.matrices": (
        "adjoint_of", "grad_of", "gradient", "hessian", "hessian_sparsity", "hvp", "jacobian",
        "jacobian_sparsity", "jvp_expr", "vjp_expr",
    ),
    "symdiff.formats.common_subexpressions": ("cse", "cse_text"),
    "symdiff.formats.jsonio": ("from_json", "to_json"),
    "symdiff.formats.latex": ("to_latex",),
    "symdiff.formats.mathml": ("to_mathml",),
    "symdiff.formats.formula_lists": ("split_formulas",),
    "symdiff.formats.parser": ("parse", "parse_variable"),
    "symdiff.formats.registry": ("FORMATS", "format_expr"),
    "symdiff.formats.text": ("formula_repr", "to_repr", "to_str"),
    "symdiff.formats.treeview": ("to_tree",),
    "symdiff.math": ("math",),
    "symdiff.numeric.ad": (
        "forward_gradient", "forward_sweep", "grad_at", "jvp", "reverse_sweep", "vjp",
    ),
    "symdiff.numeric.evaluation": ("evaluate",),
    "symdiff.numeric.finite_differences": (
        "check_gradient", "numeric_derivative", "numeric_gradient",
    ),
    "symdiff.numeric.graph": ("to_dot", "write_graph"),
    "symdiff.numeric.methods": (
        "compare_methods", "format_partials", "methods_table", "partials_at",
    ),
    "symdiff.numeric.taylor": ("derivative_at",),
    "symdiff.numeric.wengert": ("evaluation_trace",),
    "symdiff.steps.derivation": ("Derivation", "Step"),
    "symdiff.steps.sweep": ("explain",),
}  # fmt: skip

_DEFINED_IN = {name: module for module, names in EXPORTS.items() for name in names}


def __getattr__(name: str) -> Any:
    """Load a public name from its defining module on first use (then it is a plain global)."""
    module = _DEFINED_IN.get(name)
    if module is None:
        raise AttributeError(f"module 'symdiff' has no attribute {name!r}")
    __import__(module)  # (importlib.import_module, without importing importlib: start-up)
    loaded = sys.modules[module]
    value = loaded if module == f"symdiff.{name}" else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_DEFINED_IN})


def _on_first_use(name: str) -> Any:
    """An ``Expr`` method that loads the public function ``name`` the first time it is called
    and installs it in its place (``str(x)`` is ``symdiff.to_str(x)``)."""

    def method(*args: Any, **kwargs: Any) -> Any:
        function = __getattr__(name)
        register(**{name: function})
        return function(*args, **kwargs)

    return method


#: ``str(x)``, ``x.diff("x")``, ``x.evaluate(x=1)`` work right after ``import symdiff``.
register(
    **{
        hook: _on_first_use(hook)
        for hook in ("to_str", "to_repr", "formula_repr", "to_latex", "diff", "evaluate")
    }
)

__all__ = [
    "FUNCTIONS", "PI", "Add", "Call", "CodegenError", "DivisionByZeroError", "E",
    "EvaluationError", "Expr", "FormulaWarning", "Mul", "NotConstantError", "Num", "ParseError",
    "Pow", "Sym",
    "SymdiffError",
    "__version__", "dag_size", "detach", "free_symbols", "log", "maximum", "minimum",
    "piecewise", "postorder", "sqrt",
    "substitute", "symbols", "tree_size",
    *_DEFINED_IN,
    *CONSTRUCTORS,  # sin, cos, ..., Abs, Max, Min, where: one per row of FUNCTIONS
]  # fmt: skip
