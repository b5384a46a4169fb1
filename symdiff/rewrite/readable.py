"""The readable face of a simplified expression: what a textbook would print.

The simplifier's cost model counts operations, which rewards Horner nesting
(``x*(x*(5*x + 4) + 3) + 1``) and is blind to the sign of a squared base (``(1 - x)**2`` and
``(x - 1)**2`` cost the same).  ``tidy`` rewrites a compact form for people, with two exact
identities applied bottom-up:

- a nested polynomial in one variable is expanded (``5*x**4 + 4*x**3 + ... + 1``) when the
  expanded form is not much longer; a factored form that saves real work (``10*(x + 1)**9``)
  and a number times a sum (``2*(x + 1)``) are kept;
- ``1/cos(u)**2`` is ``sec(u)**2`` (also ``csc``, ``sech``, ``csch``) and ``-1 - cot(u)**2``
  is ``-csc(u)**2`` (the Pythagorean identities of tan, cot, tanh, coth), as tables write them;
- ``(-u)**k`` with an even integer ``k`` is written ``u**k`` with the leading (highest-degree)
  term of ``u`` positive: ``-2/(x - 1)**2``, not ``-2/(1 - x)**2``.

Both are identities on every value, so ``tidy`` is sound wherever its input is defined.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from symdiff.core import numbers
from symdiff.core.constructors import add, mul, power
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import dag_size, fold_once, free_symbols
from symdiff.core.vocabulary import call
from symdiff.rewrite.cost import count_ops
from symdiff.rewrite.polynomial import MAX_POLY_DEGREE, Poly, from_poly

#: An expanded polynomial may cost this much more than its nested form (ops ``a*k + b``).
EXPAND_FACTOR, EXPAND_SLACK = 2, 4
#: Larger nodes are not examined (each examination walks the node).
MAX_NODES = 200
#: Distribution is for small factors over small sums (``x*exp(x)*(x + 2)``).
MAX_DISTRIBUTED_TERMS, MAX_DISTRIBUTED_SIZE = 8, 12


#: The names of the identities ``tidy`` applies (the steps of a derivation name them).
READABLE_RULES = ("pythagorean-identity", "expand", "reciprocal-function", "even-power-sign")


def tidy(
    expr: Expr,
    used: list[str] | None = None,
    trace: Callable[[str, Expr, Expr], object] | None = None,
) -> Expr:
    """``expr`` with nested polynomials expanded and squared bases signed as a reader expects;
    the names (``READABLE_RULES``) of the identities that changed something go to ``used``,
    and ``trace(name, before, after)`` is told of each rewrite (for step-by-step output)."""
    names = used if used is not None else []

    def step(name: str, before: Expr, after: Expr) -> Expr:
        if after is not before:
            names.append(name)
            if trace is not None:
                trace(name, before, after)
        return after

    def visit(node: Expr, args: list[Expr]) -> Expr:
        current = node if all(a is b for a, b in zip(args, node.args, strict=True)) else None
        if current is None:
            current = node.rebuild(args)
        if isinstance(current, Add):
            current = step("pythagorean-identity", current, _pythagorean(current))
        if isinstance(current, Add | Mul):
            return step("expand", current, _expanded(current))
        if isinstance(current, Pow):
            signed = step("even-power-sign", current, _signed_base(current))
            return step("reciprocal-function", signed, _reciprocal_function(signed))
        return current

    return fold_once(expr, visit)


#: ``1/f(u)**2`` as the squared reciprocal function a table writes (``sec(x)**2``).
RECIPROCALS = {"cos": "sec", "sin": "csc", "cosh": "sech", "sinh": "csch"}
#: ``c + s*f(u)**2`` -> ``k*g(u)**2`` (Pythagorean identities): (c, s, f) -> (g, k).
PYTHAGOREAN = {
    (1, 1, "tan"): ("sec", 1), (-1, -1, "tan"): ("sec", -1),
    (1, 1, "cot"): ("csc", 1), (-1, -1, "cot"): ("csc", -1),
    (1, -1, "tanh"): ("sech", 1), (-1, 1, "tanh"): ("sech", -1),
    (1, -1, "coth"): ("csch", -1), (-1, 1, "coth"): ("csch", 1),
}  # fmt: skip


def _reciprocal_function(node: Expr) -> Expr:
    """``1/cos(u)**2`` -> ``sec(u)**2`` (and ``csc``, ``sech``, ``csch``): what tables print."""
    if (
        isinstance(node, Pow)
        and isinstance(node.base, Call)
        and node.base.name in RECIPROCALS
        and isinstance(node.exp, Num)
        and type(node.exp.value) is int
        and node.exp.value == -2
    ):
        return power(call(RECIPROCALS[node.base.name], *node.base.args), 2)
    return node


def _pythagorean(node: Add) -> Expr:
    """``-cot(u)**2 - 1`` -> ``-csc(u)**2``, ``1 - coth(u)**2`` -> ``-csch(u)**2`` (identities)."""
    if len(node.args) != 2:
        return node
    numbers_ = [t for t in node.args if isinstance(t, Num)]
    if len(numbers_) != 1:
        return node
    constant = numbers_[0].value
    term = node.args[1] if node.args[0] is numbers_[0] else node.args[0]
    sign, square = 1, term
    if isinstance(term, Mul) and len(term.args) == 2 and isinstance(term.args[0], Num):
        sign, square = term.args[0].value, term.args[1]  # type: ignore[assignment]
    if not (
        isinstance(square, Pow)
        and isinstance(square.base, Call)
        and isinstance(square.exp, Num)
        and type(square.exp.value) is int
        and square.exp.value == 2
    ):
        return node
    found = PYTHAGOREAN.get((constant, sign, square.base.name))  # type: ignore[arg-type]
    if found is None or type(constant) is not int or type(sign) is not int:
        return node
    name, coefficient = found
    return mul(coefficient, power(call(name, *square.base.args), 2))


def _leading_negative(base: Add) -> bool:
    """Whether the highest-degree terms of a sum are all negative (``1 - x``, ``-x**2 + 1``)."""
    degrees = [(_term_degree(t), t) for t in base.args]
    top = max(d for d, _ in degrees)
    return all(_is_negative(t) for d, t in degrees if d == top)


def _is_negative(term: Expr) -> bool:
    if isinstance(term, Num):
        return term.value < 0
    return isinstance(term, Mul) and isinstance(term.args[0], Num) and term.args[0].value < 0


def _term_degree(term: Expr) -> Fraction:
    factors = term.args if isinstance(term, Mul) else (term,)
    total = Fraction(0)
    for factor in factors:
        if isinstance(factor, Sym):
            total += 1
        elif isinstance(factor, Pow) and isinstance(factor.base, Sym):
            exp = factor.exp
            if isinstance(exp, Num) and not isinstance(exp.value, float):
                total += Fraction(exp.value)
    return total


def _signed_base(node: Pow) -> Expr:
    base, exp = node.base, node.exp
    if (
        isinstance(base, Add)
        and isinstance(exp, Num)
        and type(exp.value) is int
        and exp.value % 2 == 0
        and _leading_negative(base)
    ):
        flipped = power(mul(-1, base), exp)
        if isinstance(flipped, Pow) and not _leading_negative(flipped.base):  # type: ignore[arg-type]
            return flipped
    return node


def _expanded(node: Add | Mul) -> Expr:
    """``node`` as a reader writes it: a monomial factor distributed over a sum (``x*(x*cos(x)
    + 2*sin(x))`` -> ``x**2*cos(x) + 2*x*sin(x)``, Horner forms unnested), a product of sums in
    one variable expanded, and a perfect power of a linear polynomial kept as the power."""
    if dag_size(node) > MAX_NODES:
        return node
    candidate = _distributed(node) if isinstance(node, Mul) else None
    found = _polynomial(candidate if candidate is not None else node)
    if found is not None:
        variable, poly = found
        powered = _linear_power(poly, variable)
        if powered is not None:
            return powered
        if isinstance(node, Mul) and sum(isinstance(f, Add) for f in node.args) > 1:
            candidate = from_poly(poly, variable)
    if candidate is None or candidate is node:
        return node
    if count_ops(candidate) <= EXPAND_FACTOR * count_ops(node) + EXPAND_SLACK:
        return candidate
    return node


def _distributed(node: Mul) -> Expr | None:
    """``a*b*(u + v)/d`` -> ``(a*b*u + a*b*v)/d`` for one sum and small factors above the line
    (at least one not a number; a sum of two terms unless the factors are a monomial), in
    one variable;
    ``None`` when the product is not of that shape."""
    sums = [f for f in node.args if isinstance(f, Add)]
    below = [f for f in node.args if _is_denominator(f)]
    above = [f for f in node.args if not isinstance(f, Add) and not _is_denominator(f)]
    if len(sums) != 1 or not any(not isinstance(f, Num) for f in above):
        return None
    if len(free_symbols(node)) > 1:
        return None  # x*(y + z) is a fine factored form; expansion is for one variable
    monomial = all(
        isinstance(f, Num | Sym) or (isinstance(f, Pow) and isinstance(f.base, Sym)) for f in above
    )  # x**2*(5*x + 4): a Horner layer, any length; exp(x)*(u + v): two terms only
    if len(sums[0].args) > (MAX_DISTRIBUTED_TERMS if monomial else 2):
        return None
    if sum(dag_size(f) for f in above) > MAX_DISTRIBUTED_SIZE:
        return None
    return mul(add(*(mul(*above, term) for term in sums[0].args)), *below)


def _is_denominator(factor: Expr) -> bool:
    return (
        isinstance(factor, Pow)
        and isinstance(factor.exp, Num)
        and not isinstance(factor.exp.value, float)
        and factor.exp.value < 0
    )


def _linear_power(poly: Poly, variable: Sym) -> Expr | None:
    """``c*(a*x + b)**n`` (integers ``a``, ``b``; ``n >= 2``) when ``poly`` is one; else None."""
    n = len(poly) - 1
    if n < 2 or poly[0] == 0:
        return None
    lead = poly[n]
    root = -poly[n - 1] / (n * lead)
    if _times_power([Fraction(1)], [-root, Fraction(1)], n) != [c / lead for c in poly]:
        return None
    a, b = root.denominator, -root.numerator  # x - root = (a*x + b)/a
    scale = numbers.normalize(lead / Fraction(a) ** n)
    return mul(scale, power(add(mul(a, variable), b), n))


def _times_power(p: Poly, q: Poly, n: int) -> Poly:
    for _ in range(n):
        p = _times(p, q)
    return p


def _polynomial(node: Expr) -> tuple[Sym, Poly] | None:
    """``(x, coefficients)`` when ``node`` is a polynomial in one symbol ``x`` with rational
    coefficients and degree at most ``MAX_POLY_DEGREE``; ``None`` otherwise."""
    variable: list[Sym] = []

    def visit(item: Expr, polys: list[Poly | None]) -> Poly | None:
        if any(p is None for p in polys):
            return None
        parts: list[Poly] = polys  # type: ignore[assignment]
        match item:
            case Num(value):
                return None if isinstance(value, float) else [Fraction(value)]
            case Sym():
                if variable and variable[0] is not item:
                    return None
                variable[:1] = [item]
                return [Fraction(0), Fraction(1)]
            case Add():
                total: Poly = []
                for p in parts:
                    total = _plus(total, p)
                return total
            case Mul():
                product: Poly = [Fraction(1)]
                for p in parts:
                    product = _times(product, p)
                    if len(product) > MAX_POLY_DEGREE + 1:
                        return None
                return product
            case Pow(_, Num(k)) if type(k) is int and 0 <= k <= MAX_POLY_DEGREE:
                result: Poly = [Fraction(1)]
                for _ in range(k):
                    result = _times(result, parts[0])
                    if len(result) > MAX_POLY_DEGREE + 1:
                        return None
                return result
            case Call() | Pow():
                return None
        return None

    poly = fold_once(node, visit)
    if poly is None or not variable:
        return None
    while poly and poly[-1] == 0:
        poly = poly[:-1]
    return (variable[0], poly) if poly else None


def _plus(p: Poly, q: Poly) -> Poly:
    n = max(len(p), len(q))
    return [
        (p[i] if i < len(p) else Fraction(0)) + (q[i] if i < len(q) else Fraction(0))
        for i in range(n)
    ]


def _times(p: Poly, q: Poly) -> Poly:
    if not p or not q:
        return []
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] += a * b
    return out
