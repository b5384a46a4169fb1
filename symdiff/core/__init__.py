"""The expression core: errors, numbers, nodes, constructors, the function vocabulary.

Importing any part of it imports all of it, so that every ``Expr`` has its operators.
"""

from symdiff.core import constructors, conveniences, nodes, traverse, vocabulary

__all__ = ["constructors", "conveniences", "nodes", "traverse", "vocabulary"]
