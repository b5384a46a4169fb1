"""Local partial derivatives: ``d node / d argument`` for one node, as expressions.

This is the one place where the derivative rules of every node kind are written: sums (1),
products (the product of the other factors), powers (``v*u**(v-1)`` and ``u**v*log(u)``) and
function calls (their rows of the vocabulary).  The forward sweep of ``diff``, the reverse
sweep of ``gradient``, the step-by-step derivations and the numeric sweeps at a point all
combine these same partials (by the chain rule, with adjoints, or with numbers).
"""

from __future__ import annotations

from collections.abc import Sequence

from symdiff.core.conditions import SELECTING
from symdiff.core.constructors import add, mul, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ONE, ZERO, Call, Expr, Num, Pow
from symdiff.core.typing_lite import TYPE_CHECKING
from symdiff.core.vocabulary import call, partials

if TYPE_CHECKING:
    from symdiff.core.numbers import Number

#: Default bound on the terms built for one high-order derivative (about a second per 10**5);
#: ``high_order`` applies it.  (Kept here, below both sweeps, so that a first derivative never
#: loads ``high_order``: start-up.)
MAX_TERMS = 400_000


def partial_factors(node: Expr, wanted: Sequence[bool]) -> list[tuple[Expr, ...] | None]:
    """For each argument, the factors whose product is ``d node / d arg`` (None: not wanted).

    Kept as factors so that a product with the argument's own derivative is built at once:
    ``2*(x + 1)`` would otherwise be distributed before it meets ``dx``.  ``0**v`` has the
    partial 0 in ``v`` (it is 0 wherever it is defined); unwanted positions are never built.
    """
    args = node.args
    match node:
        case Add():
            return [() if w else None for w in wanted]
        case Mul():
            return [(*args[:i], *args[i + 1 :]) if w else None for i, w in enumerate(wanted)]
        case Pow():
            base, exponent = args
            by_base = (exponent, power(base, _minus_one(exponent))) if wanted[0] else None
            if base is ZERO:
                return [by_base, (ZERO,) if wanted[1] else None]
            return [by_base, (node, call("log", base)) if wanted[1] else None]
        case Call(name):
            rows = partials(name, len(args))
            return [(rule(*args),) if w else None for rule, w in zip(rows, wanted, strict=True)]
    return []  # symbols and numbers have no arguments


def _minus_one(exponent: Expr) -> Expr:
    """``add(exponent, -1)``, for an integer directly (the exponent of most powers)."""
    if type(exponent) is Num and type(exponent.value) is int:
        return Num(exponent.value - 1)
    return add(exponent, -1)


def local_partials(node: Expr, wanted: Sequence[bool]) -> list[Expr]:
    """``d node / d node.args[i]`` for each ``i`` where ``wanted[i]``; ``ZERO`` elsewhere."""
    kind = type(node)
    if kind is Add:  # what partial_factors gives, multiplied out: 1 for every term
        return [ONE if w else ZERO for w in wanted]
    if kind is Mul:  # the product of the other factors (one factor: itself)
        args = node.args
        result: list[Expr] = []
        for i, w in enumerate(wanted):
            if not w:
                result.append(ZERO)
                continue
            others = (*args[:i], *args[i + 1 :])
            result.append(others[0] if len(others) == 1 else mul(*others))
        return result
    factors = partial_factors(node, wanted)
    return [ZERO if f is None else mul(*f) if f else ONE for f in factors]


def chain_rule(node: Expr, dargs: Sequence[Expr]) -> Expr:
    """``sum(d node / d arg_i * dargs[i])``: the derivative of ``node`` from its arguments'."""
    wanted = [d is not ZERO for d in dargs]
    if not any(wanted):
        return ZERO
    if isinstance(node, Pow) and all(wanted) and node.base is not ZERO:
        # both partials of u**v share the factor u**v: u**v*(v'*log(u) + v*u'/u)
        base, exponent = node.args
        dbase, dexp = dargs
        inner = add(mul(dexp, call("log", base)), mul(exponent, dbase, power(base, -1)))
        return mul(node, inner)
    if isinstance(node, Pow) and wanted[0] and not wanted[1]:
        shared = _power_of_product(node, dargs[0])
        if shared is not None:
            return shared
    factors = partial_factors(node, wanted)
    if isinstance(node, Call) and node.name in SELECTING:
        branched = _branches([(f[0], d) for f, d in zip(factors, dargs, strict=True) if f])
        if branched is not None:
            return branched
    return add(*(mul(*f, d) for f, d in zip(factors, dargs, strict=True) if f is not None))


def _power_of_product(node: Pow, dbase: Expr) -> Expr | None:
    """``p*B**p*(B'/B)`` for ``B**p`` with ``B`` a product, ``p`` a number that is no integer,
    and ``B'/B`` made of fewer of the factors of ``B'``: ``d sqrt(u/z)/dz = -sqrt(u/z)/(2*z)``
    reuses the power itself (as SymPy's product rule does) instead of building
    ``(u/z)**(-1/2)*u/z**2``.

    Sound: ``B**p*B**-1 = B**(p-1)`` wherever ``B`` is not 0.  For ``p < 1`` the usual
    ``p*B**(p-1)*B'`` is undefined wherever ``B = 0``; for ``p > 1`` (defined, 0, there) the
    rule applies only when every denominator of ``B'/B`` is one of ``B`` or of ``B'`` (so it
    vanishes nowhere the input is defined).  None when the rule does not apply."""
    base, exponent = node.args
    if type(base) is not Mul or type(dbase) is not Mul or type(exponent) is not Num:
        return None
    value = exponent.value
    if type(value) is int:
        return None
    ratio = _quotient(dbase, base)
    if ratio is None:
        return None
    kept = ratio.args if type(ratio) is Mul else () if type(ratio) is Num else (ratio,)
    if len(kept) >= len(dbase.args) or not _bases(kept) <= _bases(dbase.args):
        return None  # B'/B must only cancel factors of B', never bring new ones
    if not value < 1 and not _denominators(ratio) <= _denominators(base) | _denominators(dbase):
        return None
    return mul(exponent, node, ratio)


def _quotient(numerator: Mul, denominator: Mul) -> Expr | None:
    """``numerator/denominator`` with the exponents of equal bases subtracted (``mul`` alone
    would leave ``exp(z)*exp(-z)``); None when an exponent is not a number."""
    exponents: dict[Expr, Number] = {}
    for sign, product in ((1, numerator), (-1, denominator)):
        for factor in product.args:
            base, exponent = factor.args if type(factor) is Pow else (factor, ONE)
            if type(exponent) is not Num:
                return None
            exponents[base] = exponents.get(base, 0) + sign * exponent.value
    if type(ratio := mul(*(power(b, e) for b, e in exponents.items() if e != 0))) is Add:
        return None
    return ratio


def _bases(factors: Sequence[Expr]) -> set[Expr]:
    """The bases of ``factors`` (a power's base, any other factor itself; numbers left out)."""
    return {f.args[0] if type(f) is Pow else f for f in factors if type(f) is not Num}


def _denominators(product: Expr) -> set[Expr]:
    """The bases of the factors of ``product`` that have a negative number as exponent."""
    factors = product.args if type(product) is Mul else (product,)
    return {
        f.args[0]
        for f in factors
        if type(f) is Pow and type(f.args[1]) is Num and f.args[1].value < 0
    }


def _branches(terms: list[tuple[Expr, Expr]]) -> Expr | None:
    """``sum(p_i * d_i)`` as one ``where`` when every partial ``p_i`` is a tree of ``where`` over
    the same conditions with numbers at its leaves: ``d max(x, x**2) = where(x >= x**2, 1, 2*x)``
    rather than ``where(x >= x**2, 1, 0) + 2*x*where(x >= x**2, 0, 1)``.  None otherwise."""
    wheres = [p for p, _ in terms if isinstance(p, Call) and p.name == "where"]
    if not wheres:
        return (
            add(*(mul(p, d) for p, d in terms))
            if all(isinstance(p, Num) for p, _ in terms)
            else None
        )
    condition = wheres[0].args[0]
    sides = []
    for side in (1, 2):
        picked: list[tuple[Expr, Expr]] = []
        for p, d in terms:
            if isinstance(p, Num):
                picked.append((p, d))
            elif isinstance(p, Call) and p.name == "where" and p.args[0] is condition:
                picked.append((p.args[side], d))
            else:
                return None
        branch = _branches(picked)
        if branch is None:
            return None
        sides.append(branch)
    return call("where", condition, *sides)
