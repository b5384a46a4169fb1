"""What lowering hands to the targets: a straight-line ``Program`` and the function names every
target prints (rows of the vocabulary with a ``code`` rewrite are lowered away first)."""

from __future__ import annotations

from dataclasses import dataclass

from symdiff.backend.trees import Tree, operations
from symdiff.core.vocabulary import FUNCTIONS

#: Functions every target prints directly: the rows of the vocabulary without a ``code``
#: rewrite, plus ``sqrt`` and ``pow`` (the general power).
FUNCTION_NAMES = (
    *(name for name, row in FUNCTIONS.items() if row.arity and not row.code),
    "sqrt",
    "pow",
)
#: Rows written as ``1/g(u)`` (``code="1/g"``) or ``g(1/u)`` (``code="g(1/)"``).
RECIPROCAL_OF = {n: r.code[2:] for n, r in FUNCTIONS.items() if r.code.startswith("1/")}
OF_RECIPROCAL = {n: r.code[:-4] for n, r in FUNCTIONS.items() if r.code.endswith("(1/)")}
IDENTITY = frozenset(n for n, r in FUNCTIONS.items() if r.code == "identity")


@dataclass(frozen=True)
class Program:
    """Straight-line code: ``statements[k] = (k, tree)`` defines temporary ``k`` in order."""

    arity: int
    statements: tuple[tuple[int, Tree], ...]
    outputs: tuple[Tree, ...]
    output_symbols: tuple[frozenset[int], ...]  # argument indices each output depends on

    def operations(self) -> int:
        """Arithmetic operations of the whole program (``trees.operations``): the instruction
        count of the straight-line code, comparable with CasADi's ``n_instructions``."""
        trees = [tree for _, tree in self.statements] + list(self.outputs)
        return sum(operations(tree) for tree in trees)
