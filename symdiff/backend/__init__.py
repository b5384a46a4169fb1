"""Code generation: expressions to Python, NumPy and C source, and compiled callables."""

from symdiff.backend.compiling import codegen, compile, compile_many, lambdify

__all__ = ["codegen", "compile", "compile_many", "lambdify"]
