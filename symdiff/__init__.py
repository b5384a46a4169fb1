"""symdiff: symbolic differentiation that gives small, readable derivatives.

>>> import symdiff
>>> f = symdiff.parse("x**2*y + y + 2")
>>> str(symdiff.diff(f, "x"))
'2*x*y'
"""

from . import math
from .cse import cse, cse_text
from .diff import derivative, diff
from .errors import CodegenError, DivisionByZeroError, EvaluationError, ParseError, SymdiffError
from .evaluate import evaluate
from .expr import Add, Call, Expr, Mul, Num, Pow, Sym, symbols
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
from .gradient import Vector, count_operations, gradient, hessian, jacobian
from .parse import parse
from .printing import to_repr, to_str
from .tracing import TracingError, trace
from .traverse import dag_size, free_symbols, postorder, substitute, tree_size

__version__ = "0.1.0"

__all__ = [
    "FUNCTIONS", "PI", "Abs", "Add", "Call", "CodegenError", "DivisionByZeroError", "E",
    "EvaluationError", "Expr", "Mul", "Num", "ParseError", "Pow", "Sym", "SymdiffError",
    "TracingError", "Vector", "__version__", "acos", "acosh", "acot", "acoth", "acsc", "asec",
    "asin", "asinh", "atan", "atan2", "atanh", "cos", "cosh", "cot", "coth", "count_operations",
    "csc", "csch", "cse", "cse_text", "dag_size", "derivative", "detach", "diff", "erf",
    "evaluate", "exp", "free_symbols", "gradient", "hessian", "jacobian", "log", "math", "parse",
    "postorder", "sec", "sech", "sign", "sin", "sinh", "sqrt", "stop_gradient", "substitute",
    "symbols", "tan", "tanh", "to_repr", "to_str", "trace", "tree_size"
]  # fmt: skip
