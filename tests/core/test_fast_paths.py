"""The constructors' fast paths give the very node of the general path (issue 12).

``add`` and ``mul`` take shortcuts for the common cases (two terms without like terms, a
number times a node, factors with distinct bases, a number distributed over a sum); each is
checked here against the general collection on random inputs: the results must be the
identical object, not merely equal.  ``_add_original`` is the general sum as it was before
the fast paths (monomials built as nodes), kept as an oracle for the new ``_add_collect``.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

import pytest

import symdiff.core.constructors as core
from symdiff import Num, Sym
from symdiff.core import numbers
from symdiff.core.constructors import add, mul, power
from symdiff.core.errors import SymdiffError
from symdiff.core.nary import Add, Mul, ordered
from symdiff.core.nodes import HALF
from symdiff.core.vocabulary import call

XS = [Sym(name) for name in "abcdefg"]
NUMBERS = [0, 1, -1, 2, -3, Fraction(1, 2), Fraction(-2, 3), 0.5, -1.5, 1.0, 0.0, 1e-200, 1e200]


def _atom(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.5:
        return rng.choice(XS)
    if r < 0.7:
        return Num(rng.choice(NUMBERS))
    if r < 0.85:
        return power(rng.choice(XS), rng.choice([2, -1, 3, Fraction(1, 2), 0.5]))
    return call(rng.choice(["sin", "exp", "log"]), rng.choice(XS))


def _node(rng: random.Random, depth: int = 2) -> Any:
    """A random canonical node (and now and then a raw, non-flat one)."""
    try:
        return _random_node(rng, depth)
    except SymdiffError:  # 0**-1, a float overflow: take a symbol instead
        return rng.choice(XS)


def _random_node(rng: random.Random, depth: int) -> Any:
    if depth == 0 or rng.random() < 0.3:
        return _atom(rng)
    r = rng.random()
    parts = [_node(rng, depth - 1) for _ in range(rng.randint(1, 4))]
    if r < 0.35:
        return add(*parts)
    if r < 0.7:
        return mul(*parts)
    if r < 0.8:
        return power(parts[0], rng.choice([2, -1, -2]))
    if r < 0.9:
        return mul(rng.choice(NUMBERS), *parts)
    total = add(*parts, rng.choice(XS))
    if isinstance(total, Add):  # the raw (u + v)/2 of the stable fallbacks
        return Mul._raw((HALF, total))
    return total


def _add_original(terms: tuple[Any, ...]) -> Any:
    """The general sum before the fast paths: monomials as nodes (``_split_coefficient``)."""
    constant: Any = 0
    coefficients: dict[Any, Any] = {}
    stack = [core.as_expr(t) for t in reversed(terms)]
    while stack:
        term = stack.pop()
        if isinstance(term, Num):
            constant = numbers.plus(constant, term.value)
            continue
        if isinstance(term, Add):
            stack.extend(reversed(term.args))
            continue
        coefficient, monomial = core._split_coefficient(term)
        old = coefficients.get(monomial)
        coefficients[monomial] = coefficient if old is None else numbers.plus(old, coefficient)
    collected = [core._scale(numbers.normalize(c), m) for m, c in coefficients.items() if c != 0]
    constant = numbers.normalize(constant)
    if constant != 0:
        collected.append(Num(constant))
    if not collected:
        return Num(constant)
    if len(collected) == 1:
        return collected[0]
    return Add._raw(ordered(collected))


def _outcome(build: Any) -> Any:
    """The node built, or the kind of error raised (both paths must agree on errors too)."""
    try:
        return build()
    except (SymdiffError, ValueError, ArithmeticError) as error:
        return type(error)


@pytest.mark.parametrize("seed", range(8))
def test_add_is_the_general_sum(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(400):
        terms = tuple(_node(rng) for _ in range(rng.choice([2, 2, 2, 3, 4])))
        if rng.random() < 0.2:  # a like term on purpose
            terms = (*terms, mul(rng.choice([2, -1, 0.5]), rng.choice(terms)))
        fast = _outcome(lambda terms=terms: add(*terms))
        assert fast is _outcome(lambda terms=terms: core._add_collect(terms)), terms
        assert fast is _outcome(lambda terms=terms: _add_original(terms)), terms


@pytest.mark.parametrize("seed", range(8))
def test_mul_is_the_general_product(seed: int) -> None:
    rng = random.Random(100 + seed)
    for _ in range(400):
        factors = tuple(_node(rng) for _ in range(rng.choice([2, 2, 3, 4, 5])))
        if rng.random() < 0.3:  # plain numbers, coerced on the way in
            factors = (rng.choice([2, -1, 0.25, Fraction(3, 4)]), *factors)
        fast = _outcome(lambda factors=factors: mul(*factors))
        assert fast is _outcome(lambda factors=factors: core._mul_collect(factors)), factors


@pytest.mark.parametrize("seed", range(4))
def test_distributing_a_number_is_the_general_sum(seed: int) -> None:
    rng = random.Random(200 + seed)
    for _ in range(300):
        total = add(*(_node(rng) for _ in range(rng.randint(2, 5))))
        if not isinstance(total, Add):
            continue
        coefficient = rng.choice([2, -1, Fraction(1, 3), 0.5, 1e-200, -7])
        fast = _outcome(lambda c=coefficient, s=total: mul(c, s))
        general = _outcome(
            lambda c=coefficient, s=total: add(*(core._scale_term(c, t) for t in s.args))
        )
        assert fast is general, (coefficient, total)


def test_the_fast_paths_are_taken() -> None:
    """The common binary cases never reach the general collection."""
    x, y = XS[:2]
    two = Num(2)
    cases = [
        lambda: add(x, y),
        lambda: add(two, x),
        lambda: add(mul(3, x), y),
        lambda: mul(two, x),
        lambda: mul(x, y),
        lambda: mul(two, add(x, 1)),
    ]
    general = {"add": core._add_collect, "mul": core._mul_collect}
    calls = []
    try:
        core._add_collect = lambda *a: calls.append("add") or general["add"](*a)  # type: ignore[assignment]
        core._mul_collect = lambda *a: calls.append("mul") or general["mul"](*a)  # type: ignore[assignment]
        for case in cases:
            case()
    finally:
        core._add_collect, core._mul_collect = general["add"], general["mul"]  # type: ignore[assignment]
    assert calls == []


def test_like_terms_and_factors_still_collect() -> None:
    x, y = XS[:2]
    assert str(add(x, x)) == "2*a"
    assert str(add(mul(3, x, y), mul(-3, y, x))) == "0"
    assert str(mul(x, power(x, 2))) == "a**3"
    assert str(mul(2, add(x, 1), Fraction(1, 2))) == "a + 1"
    assert mul(0.0, x) is Num(0.0) and add(0.0, x) is x


def test_call_of_one_argument_is_the_general_call(monkeypatch) -> None:
    """``call``'s shortcut for a row of one symbolic argument gives the general path's node."""
    from symdiff.core import vocabulary

    rng = random.Random(7)
    names = [n for n, spec in vocabulary.FUNCTIONS.items() if spec.arity == 1]
    cases = [(name, _node(rng)) for name in names for _ in range(6)]
    fast = [_outcome(lambda n=n, u=u: call(n, u)) for n, u in cases]
    monkeypatch.setattr(vocabulary, "_PLAIN", ())  # every argument takes the general path
    general = [_outcome(lambda n=n, u=u: call(n, u)) for n, u in cases]
    assert all(a is b for a, b in zip(fast, general, strict=True))
