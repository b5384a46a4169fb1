"""Code generation does work linear in the graph: many outputs over one shared graph must
not each walk it (issue 12: per-root walks in the stable pass and in inlining made the
8,192-state Brusselator Jacobian's compile grow like nodes**1.5).

Work is counted as nodes visited by the graph walks, not timed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pytest

import symdiff
from symdiff.backend import lower
from symdiff.core import traverse
from symdiff.core.nodes import Expr


def _visits(n: int, target: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Nodes visited by every walk while compiling ``n`` outputs ``x_i*shared``, where
    ``shared`` is a sum over all ``n`` variables."""
    xs = [symdiff.Sym(f"x{i}") for i in range(n)]
    shared = symdiff.parse(" + ".join(f"sin(x{i})" for i in range(n)))
    roots = [x * shared for x in xs]
    count = [0]
    walk = traverse.postorder_by

    def counting(roots: Iterable[Expr], children: Callable[[Expr], Sequence[Expr]]) -> list[Expr]:
        out = walk(roots, children)
        count[0] += len(out)
        return out

    monkeypatch.setattr(traverse, "postorder_by", counting)
    monkeypatch.setattr(lower, "postorder_by", counting)
    symdiff.compile(roots, xs, target=target)
    return count[0]


@pytest.mark.parametrize("target", ["python", "numpy"])
def test_walks_grow_linearly_with_the_outputs(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if target == "numpy":
        pytest.importorskip("numpy")
    small, large = _visits(100, target, monkeypatch), _visits(400, target, monkeypatch)
    assert large <= 5 * small, (small, large)  # 4x the graph; one walk per root would be 16x
