"""The rules a derivation states, as data: each row's general formula in text and in LaTeX.

``DERIVATIVE_RULES`` holds the differentiation rules (sum, product, quotient, chain, ...);
``function_formula`` states a function's own rule from the vocabulary's partials (so a new row
of the function table is stated with no edit here); ``IDENTITIES`` holds the simplifier's
rewrites, pattern rows stated from their own pattern and replacement, the others by hand.  The
text, LaTeX and JSON renderings of a derivation all read these tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from symdiff.core.constructors import as_expr
from symdiff.core.nodes import ONE, Call, Expr, Sym
from symdiff.core.traverse import postorder, substitute
from symdiff.core.vocabulary import FUNCTIONS, call
from symdiff.formats.latex import to_latex
from symdiff.formats.text import to_str


class Formula(NamedTuple):
    """A rule's name as a reader says it, and its general formula as text and as LaTeX."""

    title: str
    text: str
    latex: str


#: The differentiation rules, by the rule name of a step.
DERIVATIVE_RULES: dict[str, Formula] = {
    "constant": Formula("constant rule", "c' = 0", r"c' = 0"),
    "variable": Formula("variable rule", "x' = 1", r"x' = 1"),
    "sum": Formula("sum rule", "(u + v)' = u' + v'", r"(u + v)' = u' + v'"),
    "constant multiple": Formula("constant multiple rule", "(c*u)' = c*u'", r"(c u)' = c u'"),
    "product": Formula("product rule", "(u*v)' = u'*v + u*v'", r"(u v)' = u' v + u v'"),
    "constant product": Formula(
        "product rule", "(c*u*v)' = c*(u'*v + u*v')", r"(c u v)' = c (u' v + u v')"
    ),
    "quotient": Formula(
        "quotient rule",
        "(u/v)' = (u'*v - u*v')/v**2",
        r"\left(\frac{u}{v}\right)' = \frac{u' v - u v'}{v^{2}}",
    ),
    "power": Formula("power rule", "(x**n)' = n*x**(n - 1)", r"(x^{n})' = n x^{n - 1}"),
    "exponential": Formula(
        "exponential rule",
        "(a**x)' = a**x*log(a)",
        r"(a^{x})' = a^{x} \ln a",
    ),
    "general power": Formula(
        "general power rule",
        "(u**v)' = u**v*(v'*log(u) + v*u'/u)",
        r"(u^{v})' = u^{v} \left(v' \ln u + \frac{v u'}{u}\right)",
    ),
    "chain": Formula("chain rule", "(f(u))' = f'(u)*u'", r"(f(u))' = f'(u)\, u'"),
    "chain power": Formula(
        "chain rule with the power rule", "(u**n)' = n*u**(n - 1)*u'", r"(u^{n})' = n u^{n - 1} u'"
    ),
    "chain exponential": Formula(
        "chain rule with the exponential rule",
        "(a**u)' = a**u*log(a)*u'",
        r"(a^{u})' = a^{u} \ln a\, u'",
    ),
    "simplify": Formula("identity", "an algebraic identity", r"\text{an algebraic identity}"),
}

#: The letters a function rule is stated in (``sin(u)' = cos(u)``, ``atan2(u, v)``).
LETTERS = tuple(Sym(name) for name in ("u", "v", "w"))


def function_formula(name: str, arity: int) -> Formula | None:
    """``sin(u)' = cos(u)*u'`` from the vocabulary's partials (``None`` for a head the table
    cannot state with plain letters, e.g. ``where``, whose first argument is a condition)."""
    row = FUNCTIONS.get(name)
    if row is None or arity > len(LETTERS):
        return None
    letters = LETTERS[:arity]
    try:
        head = call(name, *letters)
        terms = [
            (partial(*letters), letter)
            for partial, letter in zip(row.partials, letters, strict=False)
        ]
    except Exception:  # a condition slot, a domain refusal: stated by its family instead
        return None
    text = " + ".join(f"{_factor(to_str(p))}*{u.name}'" for p, u in terms if p is not ONE)
    latex = " + ".join(rf"{_factor(to_latex(p), True)}\, {u.name}'" for p, u in terms)
    family = row.family
    return Formula(
        f"{family} rule" if family != name else f"rule of {name}",
        f"({to_str(head)})' = {text or '0'}",
        rf"\left({to_latex(head)}\right)' = {latex or '0'}",
    )


def _factor(text: str, latex: bool = False) -> str:
    """``text`` as a factor: in parentheses when it is a sum or starts with a sign."""
    if " + " in text or " - " in text or (not latex and "/" in text):
        return rf"\left({text}\right)" if latex else f"({text})"
    return text


def _pattern_formula(name: str, pattern: Expr, replacement: object) -> Formula | None:
    """``sin(u)**2 + cos(u)**2 = 1`` from a pattern row (its wilds written as letters)."""
    if not isinstance(replacement, Expr | int):
        return None
    sides = [_lettered(pattern), _lettered(as_expr(replacement))]
    return Formula(name, " = ".join(map(to_str, sides)), " = ".join(map(to_latex, sides)))


def _lettered(expr: Expr) -> Expr:
    """``expr`` with each pattern variable replaced by the symbol of its name."""
    names = {
        node: Sym(getattr(node, "name", ""))
        for node in postorder(expr)
        if type(node).__name__ == "Wild"
    }
    return substitute(expr, names) if names else expr


#: Rewrites found by a search rather than a pattern, stated by hand.
STATED: dict[str, tuple[str, str]] = {
    "power-power": ("(u**a)**c = u**(a*c)", r"(u^{a})^{c} = u^{a c}"),
    "power-of-product": ("(u*v)**a = u**a*v**a", r"(u v)^{a} = u^{a} v^{a}"),
    "double-angle": ("2*sin(u)*cos(u) = sin(2*u)", r"2 \sin u \cos u = \sin 2u"),
    "cancel-gcd": ("(p*g)/(q*g) = p/q", r"\frac{p g}{q g} = \frac{p}{q}"),
    "factor-polynomial": (
        "a*x**2 + b*x + c = a*(x - r)*(x - s)",
        r"a x^{2} + b x + c = a (x - r)(x - s)",
    ),
    "factor-common": ("a*b + a*c = a*(b + c)", r"a b + a c = a (b + c)"),
    "factor-inner": ("u*(a*b + a*c) = a*u*(b + c)", r"u (a b + a c) = a u (b + c)"),
    "content": ("c*(c*a + c*b) = c**2*(a + b)", r"c (c a + c b) = c^{2} (a + b)"),
    "positive-exp": ("exp(-u) = 1/exp(u)", r"e^{-u} = \frac{1}{e^{u}}"),
    "positive-exp-sum": (
        "exp(u)*a + exp(u)*b = exp(u)*(a + b)",
        r"e^{u} a + e^{u} b = e^{u} (a + b)",
    ),
    "exp-ratio": (
        "exp(u + log(a))*b - exp(u)*c = exp(u)*(a*b - c)",
        r"e^{u + \ln a} b - e^{u} c = e^{u} (a b - c)",
    ),
    "exp-split": (
        "p*exp(a) + q*exp(a + d) = exp(a)*(p + q*exp(d))",
        r"p e^{a} + q e^{a + d} = e^{a} (p + q e^{d})",
    ),
    "half-angle": (
        "exp(u)/(exp(u) + 1)**2 = 1/(4*cosh(u/2)**2)",
        r"\frac{e^{u}}{(e^{u} + 1)^{2}} = \frac{1}{4 \cosh^{2}(u/2)}",
    ),
    "trig-squares": ("cos(u)**2 = 1 - sin(u)**2", r"\cos^{2} u = 1 - \sin^{2} u"),
    "factor-partial": ("a*b + a*c + d = a*(b + c) + d", r"a b + a c + d = a (b + c) + d"),
    "expand": ("a*(b + c) = a*b + a*c", r"a (b + c) = a b + a c"),
    "branch-product": (
        "where(c, u, v)*w = where(c, u*w, v*w)",
        r"\mathrm{where}(c, u, v)\, w = \mathrm{where}(c, u w, v w)",
    ),
    "branch-sum": (
        "where(c, u, v) + w = where(c, u + w, v + w)",
        r"\mathrm{where}(c, u, v) + w = \mathrm{where}(c, u + w, v + w)",
    ),
    "merge-branches": ("where(c, u, u) = u", r"\mathrm{where}(c, u, u) = u"),
    "readable-selection": (
        "where(u >= v, u, v) = max(u, v)",
        r"\mathrm{where}(u \geq v, u, v) = \max(u, v)",
    ),
    # the readable goal's identities (symdiff.rewrite.readable)
    "pythagorean-identity": ("1 + tan(u)**2 = sec(u)**2", r"1 + \tan^{2} u = \sec^{2} u"),
    "reciprocal-function": ("1/cos(u)**2 = sec(u)**2", r"\frac{1}{\cos^{2} u} = \sec^{2} u"),
    "even-power-sign": ("(-u)**2 = u**2", r"(-u)^{2} = u^{2}"),
    "canonical form": ("the terms collected in canonical order", r"\text{canonical form}"),
}


def _identities() -> dict[str, Formula]:
    from symdiff.rewrite.rules import RULES  # the simplifier's own table

    table: dict[str, Formula] = {}
    for rule in RULES:
        if rule.name in STATED:
            text, latex = STATED[rule.name]
            table[rule.name] = Formula(rule.name, text, latex)
        elif rule.pattern is not None:
            formula = _pattern_formula(rule.name, rule.pattern, rule.replacement)
            if formula is not None:
                table[rule.name] = formula
    for name, (text, latex) in STATED.items():
        table.setdefault(name, Formula(name, text, latex))
    return table


#: The simplifier's identities, by rule name.
IDENTITIES: dict[str, Formula] = _identities()


def step_formula(rule: str, detail: str, expr: Expr, letters: Iterable[str] = ()) -> Formula:
    """The formula a step of ``rule`` at ``expr`` states: a function's own rule where the table
    can state it (``(sin(u))' = cos(u)*u'``), else the rule's row."""
    if rule == "simplify":
        return identity(detail)
    if rule == "product" and "c" in letters:
        return DERIVATIVE_RULES["constant product"]
    if rule == "chain" and detail in ("power", "exponential"):
        return DERIVATIVE_RULES[f"chain {detail}"]
    if isinstance(expr, Call):
        stated = function_formula(expr.name, len(expr.args))
        if stated is not None and rule == "chain":
            return stated._replace(title=f"chain rule with the {stated.title}")
        if stated is not None:
            return stated
    row = DERIVATIVE_RULES.get(rule)
    return row if row is not None else Formula(f"{rule} rule", rule, rf"\text{{{rule}}}")


def identity(name: str) -> Formula:
    """The stated form of the rewrite called ``name`` (its name alone when none is known)."""
    return IDENTITIES.get(name, Formula(name, name, rf"\text{{{name}}}"))
