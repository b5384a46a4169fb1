"""symdiff: symbolic differentiation that gives small, readable derivatives.

>>> import symdiff
>>> f = symdiff.parse("x**2*y + y + 2")
>>> str(symdiff.diff(f, "x"))
'2*x*y'
"""

from __future__ import annotations

from symdiff import math
from symdiff.api import (
    adjoint_of,
    derivative,
    diff,
    grad_of,
    gradient,
    hessian,
    jacobian,
    simplify,
)
from symdiff.backend.compiling import codegen, compile, lambdify
from symdiff.calculus.high_order import DerivativeTooLargeError
from symdiff.calculus.reverse import Vector, count_operations
from symdiff.calculus.tracing import TracingError, trace
from symdiff.check import CheckResult, check
from symdiff.core.conveniences import symbols
from symdiff.core.errors import (
    CodegenError,
    DivisionByZeroError,
    EvaluationError,
    ParseError,
    SymdiffError,
)
from symdiff.core.functions import *  # noqa: F403  (one constructor per vocabulary row)
from symdiff.core.functions import CONSTRUCTORS, PI, E, detach, log, sqrt
from symdiff.core.nodes import Add, Call, Expr, Mul, NotConstantError, Num, Pow, Sym
from symdiff.core.traverse import dag_size, free_symbols, postorder, substitute, tree_size
from symdiff.core.vocabulary import FUNCTIONS
from symdiff.formats.common_subexpressions import cse, cse_text
from symdiff.formats.jsonio import from_json, to_json
from symdiff.formats.latex import to_latex
from symdiff.formats.mathml import to_mathml
from symdiff.formats.parser import parse
from symdiff.formats.registry import FORMATS, format_expr
from symdiff.formats.text import to_repr, to_str
from symdiff.formats.treeview import to_tree
from symdiff.numeric.ad import forward_gradient, forward_sweep, grad_at, jvp, reverse_sweep, vjp
from symdiff.numeric.evaluation import evaluate
from symdiff.numeric.finite_differences import check_gradient, numeric_derivative, numeric_gradient
from symdiff.numeric.graph import to_dot, write_graph
from symdiff.numeric.methods import compare_methods, format_partials, methods_table, partials_at
from symdiff.numeric.taylor import derivative_at
from symdiff.numeric.wengert import evaluation_trace
from symdiff.steps.derivation import Derivation, Step
from symdiff.steps.sweep import explain

__version__ = "0.1.0"

__all__ = [
    "FORMATS", "FUNCTIONS", "PI", "Add", "Call", "CodegenError", "Derivation",
    "DerivativeTooLargeError", "NotConstantError", "adjoint_of", "derivative_at", "grad_of",
    "DivisionByZeroError", "E", "EvaluationError", "Expr", "Mul", "Num", "ParseError", "Pow",
    "Step", "Sym", "SymdiffError", "TracingError", "Vector", "__version__",
    "CheckResult", "check", "check_gradient", "codegen",
    "compare_methods", "compile", "count_operations",
    "cse", "cse_text", "dag_size", "derivative", "detach", "diff",
    "evaluate", "evaluation_trace", "explain", "format_expr", "format_partials",
    "forward_gradient", "forward_sweep", "free_symbols", "from_json", "grad_at", "gradient",
    "hessian", "jacobian", "jvp", "lambdify", "log", "math", "methods_table", "numeric_derivative",
    "numeric_gradient", "parse", "partials_at", "postorder", "reverse_sweep",
    "simplify", "sqrt", "substitute", "symbols",
    "to_dot", "to_json", "to_latex", "to_mathml",
    "to_repr", "to_str", "to_tree", "trace", "tree_size",
    "vjp", "write_graph",
    *CONSTRUCTORS,  # sin, cos, ..., Abs: one per row of FUNCTIONS
]  # fmt: skip
