"""An indented ASCII picture of an expression, for debugging and teaching.

    >>> print(to_tree(parse("sin(x)**2 + sin(x)")))
    add
    |-- pow
    |   |-- [1] sin
    |   |   `-- x
    |   `-- 2
    `-- [1] sin (shared, shown above)

A composite node used more than once is drawn once, labelled ``[k]``, and referred to afterwards.
"""

from __future__ import annotations

from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import postorder
from symdiff.formats.text import to_str

#: Deeper than this many levels, indentation starts again from the left (with a marker).
MAX_INDENT = 40


def label(node: Expr) -> str:
    """The text of one node: its operation, or the value of a leaf."""
    match node:
        case Num() | Sym():
            return to_str(node)
        case Call("pi"):
            return "pi"
        case Call(name):
            return name
        case Add():
            return "add"
        case Mul():
            return "mul"
        case Pow():
            return "pow"
    raise TypeError(f"cannot draw {type(node).__name__}")


def to_tree(expr: Expr) -> str:
    """One line per node, children indented under their parent with ``|--`` and ```--``."""
    uses: dict[Expr, int] = {}
    for node in postorder(expr):
        for child in node.args:
            uses[child] = uses.get(child, 0) + 1
    numbers: dict[Expr, int] = {}
    lines: list[str] = []
    # (node, prefix for its own line, prefix for its children's lines)
    stack: list[tuple[Expr, str, str]] = [(expr, "", "")]
    while stack:
        node, own, below = stack.pop()
        if node in numbers:
            lines.append(f"{own}[{numbers[node]}] {label(node)} (shared, shown above)")
            continue
        text = label(node)
        if node.args and uses.get(node, 0) > 1:
            numbers[node] = len(numbers) + 1
            text = f"[{numbers[node]}] {text}"
        lines.append(own + text)
        last = len(node.args) - 1
        if len(below) >= 4 * MAX_INDENT:  # restart the guides: keeps deep pictures linear
            below = f"({len(lines)}) "
            lines.append(f"... continued below: lines starting {below.strip()} are inside it")
        for i in range(last, -1, -1):
            branch, rest = ("`-- ", "    ") if i == last else ("|-- ", "|   ")
            stack.append((node.args[i], below + branch, below + rest))
    return "\n".join(lines)
