"""Canonicalising constructors: ``add``, ``mul``, ``power`` (and ``negate``, ``divide``).

They canonicalise cheaply and locally: flatten, fold bounded exact constants, drop ``0``/``1``,
collect like terms and factors, sort deterministically.  Anything costlier (expanding,
factoring, identities) belongs to the simplifier.  Importing this module gives ``Expr`` its
arithmetic operators (``HOOKS``).
"""

from __future__ import annotations

from _weakref import ref
from collections.abc import Iterable
from fractions import Fraction

from symdiff.core import digests, numbers
from symdiff.core.hooks import register
from symdiff.core.nary import Add, Mul, ordered
from symdiff.core.nodes import MINUS_ONE, ONE, ZERO, Call, Expr, Num, Pow
from symdiff.core.numbers import Number
from symdiff.core.typing_lite import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


def _coerce_or_none(value: object) -> Expr | None:
    if isinstance(value, Expr):
        return value
    if isinstance(value, int | float | Fraction):
        return Num(value)
    return None


def as_expr(value: object) -> Expr:
    """Coerce an ``int``, ``Fraction`` or ``float`` to ``Num``; expressions pass through."""
    result = _coerce_or_none(value)
    if result is None:
        raise TypeError(
            f"cannot use {type(value).__name__} {value!r} as an expression"
            + (" (use symdiff.parse for strings)" if isinstance(value, str) else "")
        )
    return result


def _split_coefficient(term: Expr) -> tuple[Number, Expr]:
    """``3*x*y -> (3, x*y)``; a term without numeric coefficient has coefficient 1."""
    if isinstance(term, Mul) and isinstance(term.args[0], Num):
        rest = term.args[1:]
        return term.args[0].value, rest[0] if len(rest) == 1 else Mul._raw(rest)
    return 1, term


def _scale(coefficient: Number, monomial: Expr) -> Expr:
    if coefficient == 1:
        return monomial
    factors = monomial.args if isinstance(monomial, Mul) else (monomial,)
    return Mul._raw((Num(coefficient), *factors))


#: Sums and products at least this long grow in O(1) per new term (``_grow``).
_GROW_FROM = 16


#: The key index (monomials of a sum, bases of a product) of the last long sum or product
#: grown, handed on to the next one when it grows again: a side table, so nodes stay immutable.
#: Keyed by the node's id with a weak reference that drops the entry when the node goes: what
#: ``WeakKeyDictionary`` does (nodes compare by identity), without importing ``weakref``.
_INDEX: dict[int, tuple[ref[Expr], dict[Expr, None]]] = {}


def _forget_index(
    key: int,
    reference: ref[Expr],
    table: dict[int, tuple[ref[Expr], dict[Expr, None]]] = _INDEX,  # bound now: gone at exit
) -> None:
    entry = table.get(key)
    if entry is not None and entry[0] is reference:  # (not a newer node with the same id)
        del table[key]


def _keep_index(node: Expr, index: dict[Expr, None], replace: bool = True) -> None:
    """Keep ``index`` for ``node`` (``replace=False``: unless it has one already)."""
    key = id(node)
    entry = _INDEX.get(key)
    if not replace and entry is not None and entry[0]() is node:
        return
    _INDEX[key] = (ref(node, lambda reference: _forget_index(key, reference)), index)


def _index_of(node: Add | Mul, key_of: Any) -> dict[Expr, None]:
    """Take over the node's key index (building it if needed); the node keeps none."""
    entry = _INDEX.pop(id(node), None)
    index = entry[1] if entry is not None and entry[0]() is node else None
    if index is None:
        index = dict.fromkeys(key_of(a) for a in node.args if not isinstance(a, Num))
    return index


def _grow(node: Add | Mul, new: Expr, key_of: Any) -> Expr | None:
    """``node`` combined with ``new`` (a term, a number, or a collection of the same kind) when
    no key (monomial or base) of ``new`` is in ``node`` already; else None.

    Building a long sum term by term (``s = s + t`` in a loop) would otherwise re-collect the
    whole sum at every step, O(n**2); the grown node is pending (``nary._Collection``): it
    takes over its parent's index of keys and sorts its arguments only when they are read.
    """
    cls = type(node)
    identity = cls.IDENTITY
    old = node._constant
    terms: tuple[Expr, ...]
    if isinstance(new, Num):
        other, terms = new.value, ()
    elif isinstance(new, cls):
        other = new._constant
        terms = tuple(a for a in new.args if not isinstance(a, Num))
    else:
        other, terms = identity, (new,)
    constant = numbers.normalize(
        numbers.plus(old, other) if cls is Add else numbers.times(old, other)
    )
    if cls is Mul and constant == 0:
        return None  # the product is 0
    if constant == identity:  # no numeric argument (0.0 and 1.0 are dropped, as in add, mul)
        constant = identity
    index = _index_of(node, key_of)
    keys = [key_of(t) for t in terms]
    if len(set(keys)) != len(keys) or any(k in index for k in keys):
        _keep_index(node, index)
        return None
    digest = node._key[1] + sum(digests.mix(t._key[1]) for t in terms)
    count = node._count + len(terms)
    if old != identity:
        digest -= digests.mix(Num(old)._key[1])
        count -= 1
    if constant != identity:
        digest += digests.mix(Num(constant)._key[1])
        count += 1
    grown = cls._pending(digest & digests.MASK, count, constant, node, terms)
    index.update(dict.fromkeys(keys))
    _keep_index(grown, index, replace=False)
    return grown


def _larger(a: Expr, b: Expr, cls: type[Add] | type[Mul]) -> bool:
    """Whether ``a`` is the longer of two operands of kind ``cls`` (the one to grow)."""
    return isinstance(a, cls) and (not isinstance(b, cls) or a._count >= b._count)


def _monomial(term: Expr) -> Expr:
    return _split_coefficient(term)[1]


def add(*terms: Any) -> Expr:
    """Canonical sum: flatten, fold constants, collect like terms (``x + x -> 2*x``)."""
    if len(terms) == 1:  # every expression is canonical already
        return as_expr(terms[0])
    if len(terms) == 2:
        a, b = terms
        if not isinstance(a, Expr):
            a = as_expr(a)
        if not isinstance(b, Expr):
            b = as_expr(b)
        kind_a, kind_b = type(a), type(b)
        if kind_a is Add or kind_b is Add:
            big, new = (a, b) if _larger(a, b, Add) else (b, a)
            if big._count >= _GROW_FROM:  # type: ignore[attr-defined]
                grown = _grow(big, new, _monomial)  # type: ignore[arg-type]
                if grown is not None:  # never the truth value of an expression (see tracing)
                    return grown
        # two terms that are not sums, without like terms: the fast path of _add_collect
        # (the same node: the tests compare the two on random terms)
        elif kind_a is Num:
            if kind_b is Num:
                total = numbers.plus(numbers.plus(0, a.value), b.value)  # type: ignore[attr-defined]
                return Num(numbers.normalize(total))
            return b if a.value == 0 else Add._raw(_pair(a, b))  # type: ignore[attr-defined]
        elif kind_b is Num:
            return a if b.value == 0 else Add._raw(_pair(a, b))  # type: ignore[attr-defined]
        elif _like_key(a) != _like_key(b):
            return Add._raw(_pair(a, b))
    return _add_collect(terms)


def _pair(a: Expr, b: Expr) -> tuple[Expr, Expr]:
    """``ordered((a, b))`` for two nodes: one comparison."""
    key_a, key_b = a._key, b._key
    if key_a < key_b:
        return (a, b)
    if key_b < key_a:
        return (b, a)
    return ordered((a, b))  # type: ignore[return-value]


def _like_key(term: Expr) -> Any:
    """What like terms share: the monomial of ``term`` (``3*x*y -> x*y``), as the node itself
    or, for a product, the tuple of its non-numeric factors (no node is built for it)."""
    if type(term) is Mul:
        args = term.args
        if type(args[0]) is Num:
            return args[1] if len(args) == 2 else args[1:]
        return args
    return term


def _add_collect(terms: tuple[Any, ...]) -> Expr:
    """The general sum: flatten, fold the constants, collect like terms, sort."""
    constant: Number = 0
    coefficients: dict[Any, Number] = {}
    first: dict[Any, Expr] = {}  # the term that brought each monomial
    repeated: dict[Any, None] = {}  # monomials met more than once
    stack = [t if isinstance(t, Expr) else as_expr(t) for t in reversed(terms)]
    # (the inner loop of parsing and of differentiation: kinds by ``type``, as no class
    # derives from Num, Add or Mul, and the monomial keyed without building it)
    while stack:
        term = stack.pop()
        kind = type(term)
        if kind is Num:
            constant = numbers.plus(constant, term.value)  # type: ignore[attr-defined]
            continue
        if kind is Add:
            stack.extend(reversed(term.args))
            continue
        coefficient: Number = 1
        key: Any = term
        if kind is Mul:
            args = term.args
            if type(args[0]) is Num:
                coefficient = args[0].value
                key = args[1] if len(args) == 2 else args[1:]
            else:
                key = args
        old = coefficients.get(key)
        if old is None:
            coefficients[key] = coefficient
            first[key] = term
        else:
            repeated[key] = None
            coefficients[key] = numbers.plus(old, coefficient)
    # a term met once keeps its own (canonical) coefficient: it is the term itself
    for key in repeated:
        del first[key]
    collected = list(first.values())
    for key in repeated:
        c = numbers.normalize(coefficients[key])
        if c != 0:
            collected.append(_scale(c, Mul._raw(key) if type(key) is tuple else key))
    constant = numbers.normalize(constant)
    if constant != 0:
        collected.append(Num(constant))
    if not collected:
        return Num(constant)
    if len(collected) == 1:
        return collected[0]
    return Add._raw(ordered(collected))


def _mul_once(factors: Iterable[Expr]) -> tuple[Number, list[Expr], bool]:
    """One collection pass: coefficient, combined factors, and whether a re-pass is needed."""
    coefficient: Number = 1
    exponents: dict[Expr, list[Expr]] = {}
    stack = list(factors)
    while stack:  # (kinds by ``type``: no class derives from Num, Mul or Pow)
        factor = stack.pop()
        kind = type(factor)
        if kind is Num:
            coefficient = numbers.times(coefficient, factor.value)  # type: ignore[attr-defined]
        elif kind is Mul:
            stack.extend(factor.args)
        elif kind is Pow:
            base, exp = factor.args
            found = exponents.get(base)
            if found is None:
                exponents[base] = [exp]
            else:
                found.append(exp)
        else:
            found = exponents.get(factor)
            if found is None:
                exponents[factor] = [ONE]
            else:
                found.append(ONE)
    combined: list[Expr] = []
    again = False
    for base, exps in exponents.items():
        if len(exps) == 1:
            combined.append(Pow._raw(base, exps[0]) if exps[0] is not ONE else base)
            continue
        result = power(base, add(*exps))
        if isinstance(result, Num):
            coefficient = numbers.times(coefficient, result.value)
        else:
            # a Mul (to flatten), or a factor collected under another base than ``base`` (a
            # power whose exponents summed to 1, as x**(1/2)*x**(1/2) with x = u**a), may now
            # merge with the other factors: collect once more
            again = again or isinstance(result, Mul) or _base(result) is not base
            combined.append(result)
    return coefficient, combined, again


def _base(factor: Expr) -> Expr:
    return factor.base if isinstance(factor, Pow) else factor


def mul(*factors: Any) -> Expr:
    """Canonical product: flatten, fold constants, collect like factors (``x*x -> x**2``)."""
    if len(factors) == 1:
        return as_expr(factors[0])
    if len(factors) == 2:
        a, b = factors
        if not isinstance(a, Expr):
            a = as_expr(a)
        if not isinstance(b, Expr):
            b = as_expr(b)
        kind_a, kind_b = type(a), type(b)
        if kind_a is Mul or kind_b is Mul:
            big, new = (a, b) if _larger(a, b, Mul) else (b, a)
            if big._count >= _GROW_FROM:  # type: ignore[attr-defined]
                grown = _grow(big, new, _base)  # type: ignore[arg-type]
                if grown is not None:
                    return grown
        # a number times a node, two factors of distinct bases: the fast path of _mul_distinct
        # (the same node: the tests compare the two on random factors)
        elif kind_a is Num or kind_b is Num:
            if kind_a is kind_b:
                product = numbers.times(numbers.times(1, b.value), a.value)  # type: ignore[attr-defined]
                return Num(numbers.normalize(product))
            number, other = (a, b) if kind_a is Num else (b, a)
            value = number.value  # type: ignore[attr-defined]
            if value == 0:
                return number
            if value == 1:
                return other
            if type(other) is Add:
                return _distribute(value, other)
            return Mul._raw((number, other))
        elif (a.args[0] if kind_a is Pow else a) is not (b.args[0] if kind_b is Pow else b):
            return Mul._raw(_pair(a, b))
        factors = (a, b)
    quick = _mul_distinct(factors)
    return quick if quick is not None else _mul_collect(factors)


def _mul_distinct(factors: tuple[Any, ...]) -> Expr | None:
    """The product when no two factors share a base (else None): no exponent is summed, so
    the factors stay as they are.  The fast path of ``_mul_collect`` (the same node: the tests
    compare the two on random factors); the numbers are multiplied in its order."""
    coefficient: Number = 1
    body: list[Expr] = []
    for factor in reversed(factors):
        kind = type(factor)
        if kind is not Num and kind is not Mul and not isinstance(factor, Expr):
            factor = _coerce_or_none(factor)  # an int, Fraction or float: a Num
            if factor is None:
                return None  # the general pass raises, naming the first such factor
            kind = type(factor)
        if kind is Num:
            coefficient = numbers.times(coefficient, factor.value)
        elif kind is Mul:
            for arg in reversed(factor.args):
                if type(arg) is Num:
                    coefficient = numbers.times(coefficient, arg.value)
                elif type(arg) is Mul:
                    return None  # not flat (a raw product): let the general pass flatten it
                else:
                    body.append(arg)
        else:
            body.append(factor)
    if len(body) > 1:
        bases = {f.args[0] if type(f) is Pow else f for f in body}
        if len(bases) < len(body):
            return None
    coefficient = numbers.normalize(coefficient)
    if coefficient == 0 or not body:
        return Num(coefficient)
    if len(body) == 1:
        (single,) = body
        if coefficient == 1:
            return single
        if type(single) is Add:
            return _distribute(coefficient, single)
        return Mul._raw((Num(coefficient), single))
    ordered_body = ordered(body)
    if coefficient == 1:
        return Mul._raw(ordered_body)
    return Mul._raw((Num(coefficient), *ordered_body))


def _times(a: Number, b: Number) -> Number:
    """``normalize(times(a, b))``, with integers (the common case) multiplied directly."""
    if type(a) is int and type(b) is int:
        return a * b
    return numbers.normalize(numbers.times(a, b))


#: Kinds that a canonical product holds only as its first factor (a number) or never.
_NOT_FLAT = (Add, Mul, Num)


def _distribute(coefficient: Number, total: Add) -> Expr:
    """``coefficient * total`` as a sum, as a reader would write it (``2*(x + 1) = 2*x + 2``).

    The terms of ``total`` have distinct monomials, and so have the scaled terms: nothing is
    collected, only sorted again (a product that underflows to 0 takes the general way)."""
    scaled: list[Expr] = []
    for term in total.args:
        kind = type(term)
        if kind is Add or (kind is Mul and type(term.args[-1]) in _NOT_FLAT):
            return add(*(_scale_term(coefficient, t) for t in total.args))  # a raw sum
        if kind is Num:
            product = _times(coefficient, term.value)  # type: ignore[attr-defined]
            if product == 0:
                return add(*(_scale_term(coefficient, t) for t in total.args))
            scaled.append(Num(product))
            continue
        if kind is Mul and type(term.args[0]) is Num:
            rest = term.args[1:]
            product = _times(coefficient, term.args[0].value)
        else:
            rest = term.args if kind is Mul else (term,)
            product = coefficient
        if product == 0:
            return add(*(_scale_term(coefficient, t) for t in total.args))
        if product == 1:
            scaled.append(rest[0] if len(rest) == 1 else Mul._raw(rest))
        else:
            scaled.append(Mul._raw((Num(product), *rest)))
    return Add._raw(ordered(scaled))


def _mul_collect(factors: tuple[Any, ...]) -> Expr:
    """The general product: flatten, fold the constants, combine the powers of each base."""
    items = [f if isinstance(f, Expr) else as_expr(f) for f in factors]
    for _ in range(8):  # re-collect when combining exposed new factors; converges fast
        coefficient, combined, again = _mul_once(items)
        if not again:
            break
        items = [Num(numbers.normalize(coefficient)), *combined]
    coefficient = numbers.normalize(coefficient)
    if coefficient == 0:
        return Num(coefficient)
    if not combined:
        return Num(coefficient)
    if len(combined) == 1:
        (single,) = combined
        if coefficient == 1:
            return single
        if isinstance(single, Add):  # distribute a number over a sum, as a reader would
            return add(*(_scale_term(coefficient, t) for t in single.args))
    body = ordered(combined)
    if coefficient == 1:
        return Mul._raw(body)
    return Mul._raw((Num(coefficient), *body))


def _scale_term(coefficient: Number, term: Expr) -> Expr:
    own, monomial = (term.value, ONE) if isinstance(term, Num) else _split_coefficient(term)
    product = numbers.normalize(numbers.times(coefficient, own))
    if monomial is ONE:
        return Num(product)
    return ZERO if product == 0 else _scale(product, monomial)


def negate(value: Any) -> Expr:
    """``-value``."""
    return mul(MINUS_ONE, value)


def divide(numerator: Any, denominator: Any) -> Expr:
    """``numerator / denominator``; exact constants divide exactly."""
    numerator, denominator = as_expr(numerator), as_expr(denominator)
    if isinstance(numerator, Num) and isinstance(denominator, Num):
        return Num(numbers.divide(numerator.value, denominator.value))
    return mul(numerator, power(denominator, MINUS_ONE))


def power(base: Any, exp: Any) -> Expr:
    """Canonical power: fold bounded constants, ``(u**a)**n -> u**(a*n)`` for integer ``n``,
    ``(u*v)**n -> u**n * v**n`` for integer ``n``, ``exp(u)**v -> exp(u*v)``."""
    if not isinstance(base, Expr):
        base = as_expr(base)
    if not isinstance(exp, Expr):
        exp = as_expr(exp)
    return _power(base, exp)


def _power(base: Expr, exp: Expr) -> Expr:
    if isinstance(exp, Num):
        e = exp.value
        if e == 0:
            return ONE
        if e == 1:
            return base
        if isinstance(base, Num):
            folded = numbers.power(base.value, e)
            if folded is not None:
                return Num(folded)
        if isinstance(e, int):
            if isinstance(base, Pow):
                return power(base.base, mul(base.exp, exp))
            if isinstance(base, Mul):
                return mul(*(power(f, exp) for f in base.args))
    if isinstance(base, Num) and base.value == 1:
        return ONE
    if isinstance(base, Call) and base.name == "exp":
        return Call("exp", mul(base.args[0], exp))
    return Pow._raw(base, exp)


register(coerce=_coerce_or_none, add=add, mul=mul, power=power, divide=divide, negate=negate)
