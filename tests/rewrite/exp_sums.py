"""Shared by the exp-sum family tests (``test_exp_ratio``, ``test_exp_split``): drawing a
parseable case, and checking ``simplify(e)`` against ``e`` where ``e`` is defined."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from outside_formulas import Undefined, close, random_point, symdiff_value

import symdiff


def parseable_case(draw: Callable[[int], str], seed: int) -> str:
    """``draw(seed)``, drawn again (a new sub-seed) while it does not parse (``c/0``)."""
    for attempt in range(50):
        text = draw(seed + 1_000_000 * attempt)
        try:
            symdiff.parse(text)
        except symdiff.ParseError:
            continue
        return text
    raise AssertionError(f"no parseable case for seed {seed}")


def assert_simplify_keeps_the_value(text: str, seed: int, goal: str = "readable") -> None:
    """``simplify(e, goal=goal)`` equals ``e`` (mpmath, real-domain semantics) at random points
    where ``e`` is defined, and is defined there."""
    e = symdiff.parse(text)
    s = symdiff.simplify(e, goal=goal)
    names = tuple(sorted(sym.name for sym in e.free_symbols))
    rng = random.Random(seed)
    for point in [random_point(rng, names) for _ in range(8)]:
        try:
            expected = symdiff_value(e, point)
        except Undefined:
            continue
        try:
            got = symdiff_value(s, point)
        except Undefined:
            pytest.fail(f"{text}: simplified {s} undefined at {point}, input = {expected}")
        assert close(got, expected, exact=False), (text, str(s), point, got, expected)
