"""Wildcards and a matcher for rewrite-rule patterns built with the ordinary constructors.

A pattern is an expression containing ``Wild`` leaves: ``exp(log(u))`` with ``u = Wild("u")``.
``Pow`` and ``Call`` match structurally.  An ``Add`` or ``Mul`` pattern matches a sub-multiset of
the target's terms (factors) in any order; the unmatched ones are returned as ``rest``, so no
commutativity or associativity rule is ever needed (the canonical order replaces them).  An
``Add`` pattern also matches a scaled copy of itself: ``3*sin(x)**2 + 3*cos(x)**2`` matches
``sin(u)**2 + cos(u)**2`` with ``scale = 3``.  Patterns are small, so the matcher may recurse
over the *pattern* (never over the target's depth).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from symdiff.core.constructors import _split_coefficient
from symdiff.core.digests import of_text
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, Call, Expr, Num, Pow
from symdiff.core.numbers import Number, normalize
from symdiff.core.typing_lite import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Self

Bindings = dict[str, Expr]


class Wild(Expr):
    """A pattern variable; it binds to any expression (the same one at every occurrence)."""

    __slots__ = ("name",)
    __match_args__ = ("name",)
    RANK = 1
    name: str

    def __new__(cls, name: str) -> Self:
        return cls._intern((Wild, name), (), of_text(f"wild:{name}"), name=name)

    def rebuild(self, args: object) -> Expr:
        return self

    def __repr__(self) -> str:
        return f"Wild({self.name!r})"

    __str__ = __repr__


def wilds(names: str) -> tuple[Wild, ...]:
    """``wilds("u v")`` -> ``(Wild("u"), Wild("v"))``."""
    return tuple(Wild(name) for name in names.split())


class Match(NamedTuple):
    """A successful match: the bindings, the unmatched terms/factors, and an Add's scale."""

    bindings: Bindings
    rest: tuple[Expr, ...] = ()
    scale: Number = 1


def _match(pattern: Expr, target: Expr, bindings: Bindings) -> Iterator[Bindings]:
    """All ways ``target`` is an instance of ``pattern`` extending ``bindings`` (exact, no rest)."""
    match pattern:
        case Wild(name):
            bound = bindings.get(name)
            if bound is None:
                yield {**bindings, name: target}
            elif bound is target:
                yield bindings
        case Num() | Call(_, ()):
            if pattern is target:
                yield bindings
        case Pow() | Call():
            if type(target) is type(pattern) and len(target.args) == len(pattern.args):
                if isinstance(pattern, Call) and target.name != pattern.name:  # type: ignore[union-attr]
                    return
                yield from _match_sequence(pattern.args, target.args, bindings)
        case Add() | Mul():
            if type(target) is type(pattern):
                yield from _match_nested(pattern, target, bindings)
        case _:
            if pattern is target:
                yield bindings


def _match_nested(pattern: Expr, target: Expr, bindings: Bindings) -> Iterator[Bindings]:
    """A sum/product inside a pattern: one unbound wildcard term may take all the rest."""
    free = [p for p in pattern.args if isinstance(p, Wild) and p.name not in bindings]
    if len(free) == 1:
        others = tuple(p for p in pattern.args if p is not free[0])
        for found, rest in _match_multiset(others, target.args, bindings):
            if rest:
                yield {**found, free[0].name: target.rebuild(rest)}
        return
    for found, rest in _match_multiset(pattern.args, target.args, bindings):
        if not rest:
            yield found


def _split_term(term: Expr) -> tuple[Number, Expr]:
    """``3*x -> (3, x)``, ``5 -> (5, 1)``."""
    if isinstance(term, Num):
        return term.value, ONE
    return _split_coefficient(term)


def _match_sequence(
    patterns: tuple[Expr, ...], targets: tuple[Expr, ...], bindings: Bindings
) -> Iterator[Bindings]:
    if not patterns:
        yield bindings
        return
    for found in _match(patterns[0], targets[0], bindings):
        yield from _match_sequence(patterns[1:], targets[1:], found)


def _match_multiset(
    patterns: tuple[Expr, ...], targets: tuple[Expr, ...], bindings: Bindings
) -> Iterator[tuple[Bindings, tuple[Expr, ...]]]:
    """Match each pattern to a distinct target; yields bindings and the unused targets."""
    if not patterns:
        yield bindings, targets
        return
    first, others = patterns[0], patterns[1:]
    for i, target in enumerate(targets):
        for found in _match(first, target, bindings):
            yield from _match_multiset(others, targets[:i] + targets[i + 1 :], found)


def _match_scaled_terms(
    patterns: tuple[Expr, ...], targets: tuple[Expr, ...]
) -> Iterator[tuple[Bindings, tuple[Expr, ...], Number]]:
    """Add patterns: match terms up to one common numeric factor ``scale``."""
    split_patterns = [_split_term(p) for p in patterns]
    split_targets = [_split_term(t) for t in targets]

    def search(
        k: int, used: tuple[int, ...], bindings: Bindings, scale: Number | None
    ) -> Iterator[tuple[Bindings, tuple[int, ...], Number]]:
        if k == len(split_patterns):
            yield bindings, used, 1 if scale is None else normalize(scale)
            return
        p_coefficient, p_monomial = split_patterns[k]
        for i, (t_coefficient, t_monomial) in enumerate(split_targets):
            if i in used or isinstance(t_coefficient, float):
                continue
            for found in _match(p_monomial, t_monomial, bindings):
                ratio = Fraction(t_coefficient) / Fraction(p_coefficient)
                if scale is None or ratio == scale:
                    yield from search(k + 1, (*used, i), found, ratio)

    for bindings, used, scale in search(0, (), {}, None):
        rest = tuple(t for i, t in enumerate(targets) if i not in used)
        yield bindings, rest, scale


def match(pattern: Expr, target: Expr) -> Match | None:
    """The first match of ``pattern`` against ``target``, or ``None``.

    >>> u, = wilds("u"); match(exp(log(u)), exp(log(x))).bindings   # {'u': x}
    """
    if isinstance(pattern, Add) and isinstance(target, Add):
        for bindings, rest, scale in _match_scaled_terms(pattern.args, target.args):
            return Match(bindings, rest, scale)
        return None
    if isinstance(pattern, Mul) and isinstance(target, Mul):
        for bindings, rest in _match_multiset(pattern.args, target.args, {}):
            return Match(bindings, rest)
        return None
    for bindings in _match(pattern, target, {}):
        return Match(bindings)
    return None


def instantiate(template: Expr, bindings: Bindings) -> Expr:
    """``template`` with each wildcard replaced by its binding, re-canonicalised."""
    if isinstance(template, Wild):
        return bindings[template.name]
    if not template.args:
        return template
    return template.rebuild([instantiate(a, bindings) for a in template.args])


def names_near_top(node: Expr, depth: int = 3) -> frozenset[str]:
    """Function names within ``depth`` levels of ``node`` (a cheap pre-filter for matching)."""
    found: set[str] = set()
    level = [node]
    for _ in range(depth):
        found.update(n.name for n in level if isinstance(n, Call))
        level = [a for n in level for a in n.args]
    return frozenset(found)


def head_of(pattern: Expr) -> tuple[type, str | None]:
    """The index key of a pattern: its node kind, and the function name for calls."""
    return type(pattern), pattern.name if isinstance(pattern, Call) else None


__all__ = [
    "Bindings",
    "Match",
    "Wild",
    "head_of",
    "instantiate",
    "match",
    "names_near_top",
    "wilds",
]
