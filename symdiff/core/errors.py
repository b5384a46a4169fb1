"""Exceptions raised at symdiff's boundaries; every user-facing failure is a ``SymdiffError``."""

from __future__ import annotations


class SymdiffError(Exception):
    """Base class of every error symdiff reports to its users."""


class ParseError(SymdiffError, ValueError):
    """A formula string could not be parsed; carries the position and a caret line."""

    def __init__(self, message: str, text: str = "", line: int = 0, column: int = 0) -> None:
        self.message = message
        self.text = text
        self.line = line
        self.column = column
        super().__init__(self._format())

    @property
    def context(self) -> str:
        """The offending source line with a caret under the column (empty when unknown)."""
        if not self.text or self.line < 1:
            return ""
        lines = self.text.splitlines() or [""]
        source = lines[min(self.line, len(lines)) - 1]
        return f"{source}\n{' ' * max(self.column - 1, 0)}^"

    def _format(self) -> str:
        where = f" at line {self.line}, column {self.column}" if self.line else ""
        context = self.context
        return f"{self.message}{where}" + (f"\n{context}" if context else "")


class EvaluationError(SymdiffError, ArithmeticError):
    """Numeric evaluation failed (domain error, overflow, missing value); names the node."""


class DivisionByZeroError(SymdiffError, ZeroDivisionError):
    """An exact constant was divided by zero while building an expression."""


class CodegenError(SymdiffError):
    """Code generation or compilation failed (unsafe name, missing compiler, …)."""
