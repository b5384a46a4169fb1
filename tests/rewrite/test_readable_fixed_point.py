"""The readable goal is a fixed point even when ``tidy`` and the compact simplifier cycle.

Found by the soak run of issue 10: on two second derivatives, ``tidy`` and the simplifier
alternated between two forms of equal size forever, so a second ``simplify`` picked the other
one. Here the two passes are replaced by maps with cycles of every short length, and the
property ``simplify(simplify(e)) is simplify(e)`` is checked from every entry point.
"""

import pytest

from symdiff import Sym, simplify
from symdiff.rewrite import engine

FORMS = [Sym(f"r{i}") for i in range(12)]


def _cycling(length: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The compact pass maps r_i to c_i, tidy maps c_i to r_(i+1 mod length): a cycle."""
    compact = {FORMS[i]: Sym(f"c{i}") for i in range(length)}
    readable = {Sym(f"c{i}"): FORMS[(i + 1) % length] for i in range(length)}

    def run(expr, assume_positive, budget, trace=False, skip=frozenset()):
        return compact.get(expr, expr), _NoTrace()

    monkeypatch.setattr(engine, "_run", run)
    monkeypatch.setattr(engine, "tidy", lambda expr, trace=None: readable.get(expr, expr))


class _NoTrace:
    """What ``_run`` returns beside its result, when nothing is traced."""

    trace = None


@pytest.mark.parametrize("length", [2, 3, 4, 5])
def test_a_cycle_settles_on_one_member_from_every_entry(length, monkeypatch) -> None:
    _cycling(length, monkeypatch)
    results = {simplify(FORMS[i]) for i in range(length)}
    assert len(results) == 1
    (settled,) = results
    assert simplify(settled) is settled
