"""Exceptions raised at symdiff's boundaries; every user-facing failure is a ``SymdiffError``."""

from __future__ import annotations


class SymdiffError(Exception):
    """Base class of every error symdiff reports to its users."""


#: Characters shown on each side of an error's column in the caret line.
WINDOW = 40


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
        """The offending source line with a caret under the column (empty when unknown).

        A line longer than ``2 * WINDOW`` characters is cut to a window around the column, with
        ``...`` where text was left out, so the caret line stays short.
        """
        if not self.text or self.line < 1:
            return ""
        lines = self.text.split("\n")  # as the parser counts lines
        source = lines[min(self.line, len(lines)) - 1].rstrip("\r")
        at = max(self.column - 1, 0)
        if len(source) > 2 * WINDOW:
            start = min(max(at - WINDOW, 0), max(len(source) - 2 * WINDOW, 0))
            end = start + 2 * WINDOW
            head = "..." if start > 0 else ""
            source = head + source[start:end] + ("..." if end < len(source) else "")
            at += len(head) - start
        return f"{source}\n{' ' * at}^"

    def _format(self) -> str:
        where = f" at line {self.line}, column {self.column}" if self.line else ""
        context = self.context
        return f"{self.message}{where}" + (f"\n{context}" if context else "")


class NonFiniteError(SymdiffError, ValueError):
    """A constant would be infinite or NaN (``Num(float("inf"))``, or ``1e308*10.0`` folded)."""


class FormulaWarning(UserWarning):
    """A formula was read in a legal way that is easy to get wrong (``x y`` read as ``x*y``, a
    formula over several lines); the message says how it was read and how to say it plainly."""


class EvaluationError(SymdiffError, ArithmeticError):
    """Numeric evaluation failed (domain error, overflow, missing value); names the node."""


class DivisionByZeroError(SymdiffError, ZeroDivisionError):
    """An exact constant was divided by zero while building an expression."""


class CodegenError(SymdiffError):
    """Code generation or compilation failed (unsafe name, missing compiler, …)."""


class MissingDerivativeError(SymdiffError, NotImplementedError):
    """A user-defined function has no partial derivative by one of its arguments."""
