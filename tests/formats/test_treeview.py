"""The ASCII tree picture: exact drawing, shared nodes drawn once, deep trees stay linear."""

from __future__ import annotations

from symdiff import Sym, parse, sin, to_tree


def test_picture() -> None:
    assert to_tree(parse("x**2*sin(x)")) == "\n".join(
        [
            "mul",
            "|-- pow",
            "|   |-- x",
            "|   `-- 2",
            "`-- sin",
            "    `-- x",
        ]
    )


def test_shared_node_is_drawn_once() -> None:
    lines = to_tree(parse("sin(x + 1)**2 + sin(x + 1)")).splitlines()
    assert sum("sin" in line for line in lines) == 2
    assert lines[-1] == "`-- [1] sin (shared, shown above)"
    assert "[1] sin" in lines[2] and lines.count("|   |   `-- add") == 1


def test_deep_tree_has_bounded_width() -> None:
    expr = Sym("x")
    for _ in range(10_000):
        expr = sin(expr)
    lines = to_tree(expr).splitlines()
    assert sum(line.endswith("sin") for line in lines) == 10_000
    assert max(len(line) for line in lines) < 300
