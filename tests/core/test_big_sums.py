"""Long sums and products build in linear time and stay canonical (issue 10, item 15).

Growing a long sum by a term (``s = s + t`` in a loop, ``sum(...)`` in ``trace``) makes a
*pending* node that sorts its arguments only when read; these tests check, without timing,
that the work is linear and that the result is exactly the node built without the fast path.
"""

from __future__ import annotations

import pickle
import random
from fractions import Fraction

import pytest

import symdiff.core.constructors as core
import symdiff.core.nary as nary
from symdiff import Add, Mul, Num, Sym, parse, trace
from symdiff.core import digests
from symdiff.core.constructors import add, mul

XS = [Sym(f"y{i}") for i in range(60)]


def _term(rng: random.Random) -> object:
    v, r = rng.choice(XS), rng.random()
    if r < 0.4:
        return v
    if r < 0.55:
        return Num(rng.choice([1, 2, -1, 0.5, Fraction(1, 3), -2]))
    if r < 0.7:
        return rng.choice([2, 3, -1]) * v
    if r < 0.85:
        return v - 1
    if r < 0.95:
        return (v + rng.choice(XS)) ** 2
    return add(*rng.sample(XS, 20))


def _factor(rng: random.Random) -> object:
    v, r = rng.choice(XS), rng.random()
    if r < 0.5:
        return v
    if r < 0.65:
        return Num(rng.choice([2, 0.5, -1, Fraction(3, 2)]))
    if r < 0.8:
        return v ** rng.choice([2, -1, Fraction(1, 2)])
    if r < 0.9:
        return v + 1
    if r < 0.95:
        return v * rng.choice(XS)
    return mul(*rng.sample(XS, 20))


def _prefixes(items: list, start: object, op) -> list:
    out, value = [], start
    for item in items:
        value = op(value, item)
        out.append(value)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_growing_gives_the_node_built_without_the_fast_path(seed: int, monkeypatch) -> None:
    rng = random.Random(seed)
    terms = [_term(rng) for _ in range(rng.randint(1, 90))]
    factors = [_factor(rng) for _ in range(rng.randint(1, 70))]
    sums = _prefixes(terms, 0, lambda a, b: a + b)  # every intermediate kept alive
    products = _prefixes(factors, 1, lambda a, b: a * b)
    if seed % 2:  # read some intermediate arguments in the middle of the chain
        for node in sums[::7] + products[::5]:
            assert isinstance(node.args, tuple)
    monkeypatch.setattr(core, "_GROW_FROM", 10**9)
    assert _prefixes(terms, 0, lambda a, b: a + b) == sums  # `==` is identity for nodes
    assert _prefixes(factors, 1, lambda a, b: a * b) == products
    for node in (sums[-1], products[-1]):
        assert pickle.loads(pickle.dumps(node)) is node


def test_grown_sums_are_the_nary_sums_in_any_order() -> None:
    rng = random.Random(7)
    terms = [v**2 for v in XS]
    for _ in range(5):
        rng.shuffle(terms)
        total = 0
        for t in terms:
            total = total + t
        assert total is add(*terms)
        assert total.args == add(*reversed(terms)).args


def test_digest_collisions_keep_nodes_apart(monkeypatch) -> None:
    """With every digest equal, interning still tells sums apart by their arguments."""
    # every mixed digest 12345 (mix(d) = d*MIX_FACTOR + MIX_OFFSET, which sums and grown
    # sums use alike)
    monkeypatch.setattr(digests, "MIX_FACTOR", 0)
    monkeypatch.setattr(digests, "MIX_OFFSET", 12345)
    names = [Sym(f"c{i}") for i in range(40)]
    a, b = add(*names[:20]), add(*names[20:])
    assert a is not b and len({a, b}) == 2
    assert a is add(*reversed(names[:20]))
    grown = a
    for v in names[20:30]:
        grown = grown + v
    assert grown is add(*names[:30])
    other = b
    for v in names[:10]:
        other = other + v
    assert other is not grown and set(other.args) == set(names[:10] + names[20:])


def test_the_work_is_linear(monkeypatch) -> None:
    handled = 0
    pending_args = nary._pending_args

    def counted(*args):
        nonlocal handled
        result = pending_args(*args)
        handled += len(result)
        return result

    monkeypatch.setattr(nary, "_pending_args", counted)
    n = 20_000
    names = [Sym(f"w{i}") for i in range(n)]
    total = 0
    for v in names:
        total = total + v * 2 - 1
    product = 1
    for v in names:
        product = product * (v + 1)
    assert len(total.args) == n + 1 and len(product.args) == n
    assert handled <= 2 * (2 * n + 1)  # each argument sorted once, not once per step
    assert total.args[0] is Num(-n)


def test_trace_and_parse_build_the_same_big_sum() -> None:
    n = 5_000
    names = [f"v{i}" for i in range(n)]
    traced = trace(lambda *v: sum(v), names)
    assert traced is parse("+".join(names))
    assert isinstance(traced, Add) and len(traced.args) == n
    assert parse("+".join(["x"] * 100_000)) is mul(100_000, Sym("x"))
    assert isinstance(parse("*".join(names)), Mul)
