"""The expression core: errors, numbers, nodes, constructors, the function vocabulary."""
