"""Code generation: expressions to Python, NumPy and C source, and compiled callables."""

from .api import codegen, compile, compile_many, lambdify

__all__ = ["codegen", "compile", "compile_many", "lambdify"]
