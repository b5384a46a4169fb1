"""Derivative sweeps pause the cyclic garbage collector and always restore it."""

from __future__ import annotations

import gc

import pytest

import symdiff
from symdiff.core.traverse import collection_paused


def test_paused_inside_and_restored_after_even_on_error():
    seen = []

    @collection_paused
    def work(fail: bool) -> int:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("inside")
        return 1

    assert gc.isenabled()
    assert work(False) == 1
    with pytest.raises(ValueError):
        work(True)
    assert seen == [False, False] and gc.isenabled()


def test_nested_pauses_restore_only_at_the_outermost():
    inner = collection_paused(gc.isenabled)
    outer = collection_paused(lambda: (inner(), gc.isenabled()))
    assert outer() == (False, False) and gc.isenabled()


@pytest.mark.parametrize("was", [True, False])
def test_derivatives_leave_the_collector_as_they_found_it(was):
    (gc.enable if was else gc.disable)()
    try:
        f = symdiff.parse("exp(x*y) + sin(x)**2")
        symdiff.gradient(f, "x y")
        symdiff.hvp(f, "x y", [1, 2])
        symdiff.hessian(f, "x y")
        assert gc.isenabled() == was
    finally:
        gc.enable()
