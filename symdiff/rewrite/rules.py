"""The simplifier's rule table: named rows ``Rule(name, pattern, replacement, when=...)``.

Rows that need more than a pattern (common factors, expansion, cancelling polynomial gcds) are
rows too, with ``match=`` a small function returning candidate rewrites.  Every row is sound on
the real domain wherever both sides are defined; rows that need positivity say so with
``when=`` and fire only for symbols listed in ``simplify(..., assume_positive=...)``.
Unsound rewrites (``sqrt(x**2) -> x``, ``log(x*y) -> log(x) + log(y)``) have no row; the tests
keep a ``MUST_NOT`` table of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

from symdiff.core.constructors import add, mul, power
from symdiff.core.functions import Abs, cos, cosh, cot, exp, log, sign, sin, sinh, tan, tanh
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import ZERO, Call, Expr, Num, Pow, Sym
from symdiff.core.numbers import normalize
from symdiff.core.typing_lite import TYPE_CHECKING, NamedTuple
from symdiff.rewrite import algebra, branches, exponentials, polynomial, trig_squares
from symdiff.rewrite.pattern import (
    Bindings,
    Wild,
    head_of,
    instantiate,
    match,
    names_near_top,
    wilds,
)

if TYPE_CHECKING:
    from typing import Any


class Facts(NamedTuple):
    """What the caller asserts beyond the real domain: symbols known to be positive."""

    positive: frozenset[str] = frozenset()


Condition = Callable[[Bindings, Facts], bool]
Replacement = Expr | int | Callable[[Bindings], Expr]


class Rule:
    """A named rewrite: ``pattern -> replacement`` if ``when``, or ``match(node)`` candidates.

    Immutable; a plain class rather than a dataclass, which would import ``inspect`` at start-up.
    """

    __slots__ = (
        "_names", "heads", "match", "name", "needs_facts", "pattern", "replacement", "when",
    )  # fmt: skip

    name: str
    pattern: Expr | None
    replacement: Replacement | None
    when: Condition | None
    match: Callable[..., Iterable[Expr]] | None
    heads: tuple[type | tuple[type, str], ...]  # (Call, "where"): calls of one name
    needs_facts: bool  # ``match(node, facts)`` instead of ``match(node)``
    _names: frozenset[str] | None

    def __init__(
        self,
        name: str,
        pattern: Expr | None = None,
        replacement: Replacement | None = None,
        when: Condition | None = None,
        match: Callable[..., Iterable[Expr]] | None = None,
        heads: tuple[type | tuple[type, str], ...] = (),
        needs_facts: bool = False,
    ) -> None:
        fields: dict[str, Any] = {"name": name, "pattern": pattern, "replacement": replacement}
        fields |= {"when": when, "match": match, "heads": heads, "needs_facts": needs_facts}
        fields["_names"] = None
        for key, value in fields.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("rules are immutable")

    def __repr__(self) -> str:
        return f"Rule({self.name!r})"

    @property
    def needs_names(self) -> frozenset[str]:
        """Function names every match must contain near its top (cheap pre-filter)."""
        names: frozenset[str] | None = self._names
        if names is None:
            names = frozenset() if self.pattern is None else names_near_top(self.pattern)
            object.__setattr__(self, "_names", names)
        return names

    def heads_keys(self) -> list[tuple[type, str | None]]:
        """The node kinds (and function names) this rule can apply to."""
        if self.pattern is not None:
            return [head_of(self.pattern)]
        return [head if isinstance(head, tuple) else (head, None) for head in self.heads]

    def candidates(self, node: Expr, facts: Facts) -> Iterable[Expr]:
        """Rewrites of ``node`` proposed by this rule (the caller weighs them)."""
        if self.match is not None:
            yield from self.match(node, facts) if self.needs_facts else self.match(node)
            return
        assert self.pattern is not None
        found = match(self.pattern, node)
        if found is None or (self.when is not None and not self.when(found.bindings, facts)):
            return
        value = self.replacement
        if callable(value) and not isinstance(value, Expr):
            value = value(found.bindings)
        elif isinstance(value, Expr):
            value = instantiate(value, found.bindings)
        if isinstance(node, Add) and isinstance(self.pattern, Add):
            yield add(mul(found.scale, value), *found.rest)
        elif isinstance(node, Mul) and isinstance(self.pattern, Mul):
            yield mul(value, *found.rest)
        else:
            yield value  # type: ignore[misc]


# --- conditions -------------------------------------------------------------------------------

POSITIVE_FUNCTIONS = frozenset({"exp", "cosh", "pi"})


def is_positive(expr: Expr, facts: Facts, depth: int = 12) -> bool:
    """True when ``expr`` is provably > 0 (a bounded structural check, never deep)."""
    if depth == 0:
        return False
    match expr:
        case Num(value):
            return value > 0
        case Sym(name):
            return name in facts.positive
        case Call(name) if name in POSITIVE_FUNCTIONS:
            return True
        case Mul():
            return all(is_positive(a, facts, depth - 1) for a in expr.args)
        case Add():  # x**2 + 1: every term >= 0 and one > 0
            return all(is_nonnegative(a, facts, depth - 1) for a in expr.args) and any(
                is_positive(a, facts, depth - 1) for a in expr.args
            )
        case Pow(base, _):
            return is_positive(base, facts, depth - 1)
    return False


def is_nonnegative(expr: Expr, facts: Facts, depth: int = 12) -> bool:
    """True when ``expr`` is provably >= 0 wherever it is defined (bounded check)."""
    if depth == 0:
        return False
    match expr:
        case Num(value):
            return value >= 0
        case Call("abs"):
            return True
        case Pow(_, Num(k)) if not (type(k) is int and k % 2):
            return True  # even powers, and real roots (defined only for a base >= 0)
        case Add() | Mul():
            return all(is_nonnegative(a, facts, depth - 1) for a in expr.args)
    return is_positive(expr, facts, depth)


def opposite(first: str, second: str) -> Condition:
    """The bound values are numbers with ``first == -second``."""

    def check(b: Bindings, facts: Facts) -> bool:
        x, y = b[first], b[second]
        return isinstance(x, Num) and isinstance(y, Num) and x.value == -y.value

    return check


def double_angle(node: Expr) -> Iterable[Expr]:
    """``c*sin(u)*cos(u) -> c/2*sin(2*u)`` (kept only where it is cheaper, e.g. ``c = 2``)."""
    if not isinstance(node, Mul):
        return
    sines = {f.args[0]: f for f in node.args if isinstance(f, Call) and f.name == "sin"}
    for factor in node.args:
        if isinstance(factor, Call) and factor.name == "cos" and factor.args[0] in sines:
            sine = sines[factor.args[0]]
            rest = [f for f in node.args if f is not sine and f is not factor]
            yield mul(Fraction(1, 2), sin(2 * factor.args[0]), *rest)
            return


def power_of_product(node: Expr, facts: Facts) -> Iterable[Expr]:
    """``(u*v)**a -> u**a * v**a`` when all factors but one are >= 0 (so no sign is lost)."""
    if not (isinstance(node, Pow) and isinstance(node.base, Mul)):
        return
    factors = node.base.args
    if sum(not is_nonnegative(f, facts) for f in factors) <= 1:
        yield mul(*(power(f, node.exp) for f in factors))


def numeric(*names: str) -> Condition:
    """The bound values of ``names`` are exact numbers."""
    return lambda b, facts: all(
        isinstance(v := b[n], Num) and not isinstance(v.value, float) for n in names
    )


def _even(value: object) -> bool:
    return type(value) is int and value % 2 == 0


def log_power_ok(b: Bindings, facts: Facts) -> bool:
    """``log(u**a) = a*log(u)``: exact unless ``a`` is even (then ``u < 0`` is allowed left)."""
    a = b["a"]
    return isinstance(a, Num) and not isinstance(a.value, float) and not _even(a.value)


def power_of_power(b: Bindings) -> Expr:
    """``(u**a)**b`` for numbers ``a``, ``b``: ``u**(a*b)``, with ``abs(u)`` when ``a`` is even."""
    u, a, c = b["u"], b["a"].value, b["c"].value  # type: ignore[attr-defined]
    product = normalize(a * c)
    if (
        _even(a)
        and not (type(product) is int and product % 2 == 0)
        and not isinstance(product, float)
    ):
        return power(Abs(u), product)
    return power(u, product)


def positive(*names: str) -> Condition:
    """The bound values of ``names`` are positive (given the facts)."""
    return lambda b, facts: all(is_positive(b[n], facts) for n in names)


def either_positive(*names: str) -> Condition:
    """One of ``names`` is positive: then ``log(u*v)`` and ``log(u) + log(v)`` share a domain."""
    return lambda b, facts: any(is_positive(b[n], facts) for n in names)


def _even_power(b: Bindings, facts: Facts) -> bool:
    a = b["a"]
    return isinstance(a, Num) and _even(a.value)


# --- the table --------------------------------------------------------------------------------

u, v, w = wilds("u v w")
a, c = Wild("a"), Wild("c")

RULES: tuple[Rule, ...] = (
    # exp / log laws (the domain is real: log(exp(u)) = u for every real u)
    Rule("exp-log", exp(log(u)), u),
    Rule("log-exp", log(exp(u)), u),
    Rule("exp-times-log", exp(u * log(v)), v**u),
    Rule("exp-product", exp(u) * exp(v), exp(u + v)),
    Rule("log-power", log(u**a), a * log(u), when=log_power_ok),
    # 0**u is 0 for u > 0, 1 for u = 0 and undefined for u < 0: it folds only for u > 0
    Rule("zero-power", Pow(ZERO, u), ZERO, when=positive("u")),
    # power laws: (u**a)**c with numbers; integer c is already canonical
    Rule("power-power", (u**a) ** c, power_of_power, when=numeric("a", "c")),
    Rule("power-of-product", match=power_of_product, heads=(Pow,), needs_facts=True),
    Rule("abs-even-power", Abs(u) ** a, u**a, when=_even_power),
    Rule("times-sign", u * sign(u), Abs(u)),
    Rule("abs-times-sign", Abs(u) * sign(u), u),
    # Pythagorean and hyperbolic identities (an Add pattern matches any multiple of itself)
    Rule("pythagoras", sin(u) ** 2 + cos(u) ** 2, 1),
    Rule("one-minus-sin-squared", 1 - sin(u) ** 2, cos(u) ** 2),
    Rule("one-minus-cos-squared", 1 - cos(u) ** 2, sin(u) ** 2),
    Rule("hyperbolic-pythagoras", cosh(u) ** 2 - sinh(u) ** 2, 1),
    Rule("one-plus-sinh-squared", 1 + sinh(u) ** 2, cosh(u) ** 2),
    Rule("cosh-squared-minus-one", cosh(u) ** 2 - 1, sinh(u) ** 2),
    Rule("one-plus-tan-squared", 1 + tan(u) ** 2, cos(u) ** -2),
    Rule("one-minus-tanh-squared", 1 - tanh(u) ** 2, cosh(u) ** -2),
    Rule("sin-over-cos", sin(u) / cos(u), tan(u)),
    Rule("cos-over-sin", cos(u) / sin(u), cot(u)),
    Rule("sinh-over-cosh", sinh(u) / cosh(u), tanh(u)),
    Rule("tan-times-cos", tan(u) * cos(u), sin(u)),
    Rule("tan-power", sin(u) ** a * cos(u) ** c, tan(u) ** a, when=opposite("a", "c")),
    Rule("tanh-power", sinh(u) ** a * cosh(u) ** c, tanh(u) ** a, when=opposite("a", "c")),
    Rule("double-angle", match=double_angle, heads=(Mul,)),
    Rule("cos-double-angle", cos(u) ** 2 - sin(u) ** 2, cos(2 * u)),
    # rewrites that hold only for positive quantities (assume_positive=...)
    Rule("abs-positive", Abs(u), u, when=positive("u")),
    Rule("power-power-positive", (u**v) ** w, u ** (v * w), when=positive("u")),
    Rule("log-product", log(u * v), log(u) + log(v), when=either_positive("u", "v")),
    Rule("log-power-positive", log(u**v), v * log(u), when=positive("u")),
    # algebra: candidates weighed by the cost model
    Rule("cancel-gcd", match=polynomial.cancel_candidates, heads=(Mul,)),
    Rule("factor-polynomial", match=polynomial.root_factor_candidates, heads=(Add,)),
    Rule("factor-common", match=algebra.factor_candidates, heads=(Add,)),
    Rule("factor-inner", match=algebra.inner_factor_candidates, heads=(Mul,)),
    Rule("content", match=algebra.content_candidates, heads=(Mul,)),
    Rule("positive-exp", match=exponentials.positive_exp_candidates, heads=(Mul, Pow)),
    Rule("positive-exp-sum", match=exponentials.positive_exp_sum_candidates, heads=(Add,)),
    Rule("exp-ratio", match=exponentials.exp_ratio_candidates, heads=(Add,)),
    Rule("exp-split", match=exponentials.exp_split_candidates, heads=(Add,)),
    Rule("half-angle", match=exponentials.half_angle_candidates, heads=(Mul,)),
    Rule("trig-squares", match=trig_squares.trig_square_candidates, heads=(Add,)),
    Rule("factor-partial", match=algebra.partial_factor_candidates, heads=(Add,)),
    Rule("expand", match=algebra.expand_candidates, heads=(Add, Mul, Pow)),
    # where and the selecting functions (rewrite/branches.py)
    Rule("branch-product", match=branches.product_candidates, heads=(Mul,)),
    Rule("branch-sum", match=branches.sum_candidates, heads=(Add,)),
    Rule("merge-branches", match=branches.merge_candidates, heads=((Call, "where"),)),
    Rule("readable-selection", match=branches.readable_candidates, heads=((Call, "where"),)),
)


def index(rules: Iterable[Rule]) -> dict[tuple[type, str | None], tuple[Rule, ...]]:
    """Rules grouped by the head they apply to (a node's rules are found in O(1))."""
    table: dict[tuple[type, str | None], list[Rule]] = {}
    for rule in rules:
        for key in rule.heads_keys():
            table.setdefault(key, []).append(rule)
    return {key: tuple(rows) for key, rows in table.items()}


RULE_INDEX = index(RULES)


def rules_for(node: Expr) -> list[Rule]:
    """The rules that may apply at ``node``: right head, and the functions their patterns need
    occur near the top of ``node`` (a cheap filter before matching)."""
    key = (Call, node.name) if isinstance(node, Call) else (type(node), None)
    rows = RULE_INDEX.get(key, ())
    names = names_near_top(node, 4)  # 4: a scaled term of a sum adds one level
    return [row for row in rows if row.needs_names <= names]


def rule_named(name: str) -> Rule:
    """The row called ``name`` (for tests and tracing)."""
    for rule in RULES:
        if rule.name == name:
            return rule
    raise KeyError(name)
