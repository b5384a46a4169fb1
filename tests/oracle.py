"""The SymPy oracle: the only module of symdiff's tests that imports SymPy.

Expressions cross over through their string form, and values are compared numerically at
random points inside the domain (points where either side is undefined are skipped).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

import mpmath
import sympy

from symdiff import EvaluationError, Expr, Num, evaluate
from symdiff.numeric.evaluation import evaluate_all


class stop_gradient(sympy.Function):
    """symdiff's ``stop_gradient(u)``: the value of ``u`` with derivative zero."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.S.Zero


class floor(sympy.floor):
    """``floor`` with symdiff's derivative: 0 (almost everywhere)."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.S.Zero


class ceiling(sympy.ceiling):
    """``ceil`` with symdiff's derivative: 0 (almost everywhere)."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.S.Zero


class clip(sympy.Function):
    """``clip(u, lo, hi)`` by its definition: ``lo`` below ``lo``, ``hi`` above ``hi``, else
    ``u``; a function of all three arguments (a ``Piecewise`` would not need ``hi`` defined
    where ``u < lo``), with the textbook partial derivatives away from the kinks."""

    @classmethod
    def eval(cls, u: sympy.Expr, lo: sympy.Expr, hi: sympy.Expr) -> sympy.Expr | None:
        if u.is_number and lo.is_number and hi.is_number:
            return sympy.Piecewise((lo, u < lo), (hi, u > hi), (u, True))
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        u, lo, hi = self.args
        slope = [sympy.S.Zero] * 3
        slope[argindex - 1] = sympy.S.One
        return sympy.Piecewise((slope[1], u < lo), (slope[2], u > hi), (slope[0], True))


class hypot(sympy.Function):
    """``hypot(a, b) = sqrt(a**2 + b**2)`` for real ``a``, ``b`` (as a plain formula SymPy
    would turn ``sqrt(x)**2`` into ``x`` and find ``hypot(1, sqrt(x))`` real for ``x < 0``)."""

    @classmethod
    def eval(cls, a: sympy.Expr, b: sympy.Expr) -> sympy.Expr | None:
        if a.is_number and b.is_number:
            return sympy.sqrt(a**2 + b**2)
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return self.args[argindex - 1] / self


def _max(*args: Any) -> sympy.Expr:
    return sympy.Max(*args)


SYMPY_NAMES: dict[str, Any] = {
    "max": _max,
    "min": lambda *args: sympy.Min(*args),
    "relu": lambda u: sympy.Max(u, 0),
    "heaviside": lambda u: sympy.Heaviside(u, sympy.S.Half),
    "floor": floor,
    "ceil": ceiling,
    "clip": clip,
    "hypot": hypot,
    "where": lambda c, a, b: sympy.Piecewise((a, c), (b, True)),
    "abs": sympy.Abs,
    "sign": sympy.sign,
    "stop_gradient": stop_gradient,
    "E": sympy.E,
    "e": sympy.E,  # symdiff prints Euler's number as e (a symbol named e prints Symbol('e'))
    "pi": sympy.pi,
    "erf": sympy.erf,
    "atan2": sympy.atan2,
    "log1p": lambda u: sympy.log(1 + u),  # by their definitions, not by symdiff's rules
    "expm1": lambda u: sympy.exp(u) - 1,
}
for _name in ("x", "y", "z", "a", "b", "c", "w0", "w1", "w2", "x1", "x2", "lam"):
    SYMPY_NAMES[_name] = sympy.Symbol(_name, real=True)


_LOGIC = {"and": sympy.And, "or": sympy.Or, "not": sympy.Not}
_RELATIONS = {"lt": sympy.Lt, "le": sympy.Le, "gt": sympy.Gt, "ge": sympy.Ge, "eq": sympy.Eq,
              "ne": sympy.Ne}  # fmt: skip


def _has_logic(expr: Expr) -> bool:
    from symdiff import postorder

    return any(
        getattr(n, "name", None) in ("and", "or", "not", "eq", "ne") for n in postorder(expr)
    )


def _nonreal_number(value: sympy.Expr) -> bool:
    """True for a constant that is not a real number (``(-4/3)**(3/2)``, ``log(-1)``)."""
    if not value.is_number:
        return False
    try:
        number = sympy.N(value.replace(stop_gradient, lambda u: u), 30)
        return bool(number.as_real_imag()[1] != 0) or not number.is_finite
    except (TypeError, ValueError):
        return True


def _structural(expr: Expr) -> sympy.Expr:
    """SymPy's expression built node by node (Python's ``and``/``or`` cannot be sympified)."""
    from symdiff.core.traverse import fold_once

    def visit(node: Expr, args: list) -> Any:
        name = getattr(node, "name", None)
        if name in _LOGIC:
            return _LOGIC[name](*args)
        if name in _RELATIONS:
            if any(_nonreal_number(a) for a in args):
                raise ValueError(f"{node}: SymPy decides a comparison of a non-real number")
            return _RELATIONS[name](*args)
        if type(node).__name__ in ("Num", "Sym", "Call") and name not in _LOGIC:
            if type(node).__name__ == "Call":
                return (
                    SYMPY_NAMES.get(name, getattr(sympy, name, None))(*args)
                    if name != "pi"
                    else sympy.pi
                )
            return to_sympy(node)
        if type(node).__name__ == "Add":
            return sympy.Add(*args)
        if type(node).__name__ == "Mul":
            return sympy.Mul(*args)
        return sympy.Pow(*args)

    return fold_once(expr, visit)


def to_sympy(expr: Expr | str) -> sympy.Expr:
    """SymPy's reading of symdiff's string form (symbols are real); expressions with logical
    operators are built structurally."""
    if isinstance(expr, Expr) and _has_logic(expr):
        return _structural(expr)
    text = str(expr)
    names = dict(SYMPY_NAMES)
    for token in set(_identifiers(text)):
        names.setdefault(token, sympy.Symbol(token, real=True))
    return sympy.sympify(text, locals=names)


def _identifiers(text: str) -> list[str]:
    import re

    found = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()", text)
    return [t for t in found if t not in SYMPY_NAMES]


def sympy_value(expr: sympy.Expr, point: dict[str, float]) -> float | None:
    """The real value at ``point`` with mpmath (50 digits), or None if undefined or complex."""
    # derivatives of abs/sign bring DiracDelta, which is zero away from the (measure-zero) jump
    try:
        expr = expr.replace(sympy.DiracDelta, lambda *args: sympy.S.Zero)
        expr = expr.replace(stop_gradient, lambda u: u)  # the identity, for values
    except (TypeError, ValueError):  # rebuilt, SymPy compares a non-real number (Max(I, 1))
        return None
    if expr.has(sympy.Derivative, sympy.Subs):
        return None  # SymPy left a derivative unevaluated: nothing numeric to compare with
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    if expr.has(sympy.Piecewise, sympy.Heaviside, sympy.Max, sympy.Min, sympy.floor,
                sympy.ceiling, clip, hypot):  # fmt: skip
        return _substituted_value(expr, symbols, point)  # lambdify rewrites these slowly
    try:
        function = sympy.lambdify(symbols, expr, modules="mpmath")
    except (KeyError, ValueError, TypeError):
        return None  # e.g. zoo (complex infinity): no real value to compare with
    with mpmath.workdps(50):
        try:
            value = function(*(mpmath.mpf(point[s.name]) for s in symbols))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError, AttributeError):
            return None  # undefined here, or complex inside a real-only mpmath function
        if isinstance(value, mpmath.mpc):
            if abs(value.imag) > 1e-30 * max(1, abs(value.real)):
                return None
            value = value.real
        try:
            result = float(value)
        except (TypeError, ValueError, OverflowError):
            return None
    return result if math.isfinite(result) else None


def _substituted_value(expr: sympy.Expr, symbols: list, point: dict[str, float]) -> float | None:
    """The value at ``point`` for non-smooth functions, node by node at 50 digits: undefined
    (None) when any subexpression on the way is non-real, as in symdiff's real domain
    (SymPy would carry ``sqrt(-1)`` on, and call ``Eq(I, 1)`` false or ``floor(0.9*I)`` 0);
    a ``Piecewise`` evaluates its conditions in order and only the branch it takes."""
    exact = {s: sympy.Rational(point[s.name]) for s in symbols}
    value = _real_node(expr, exact)
    if value is None or isinstance(value, bool):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def _real_node(node: Any, exact: dict) -> Any:
    """``node``'s value at ``exact``: a real SymPy number, a bool for a condition, or None."""
    if isinstance(node, sympy.Piecewise):
        for branch, condition in node.args:
            truth = _real_node(condition, exact)
            if truth is None:
                return None
            if truth:
                return _real_node(branch, exact)
        return None  # no piece applies
    if node in (sympy.true, sympy.false):
        return bool(node)
    if isinstance(node, sympy.Symbol):
        return exact[node]
    if node.is_Atom:
        return node if node.is_extended_real and node.is_finite else None
    args = [_real_node(arg, exact) for arg in node.args]
    if any(arg is None for arg in args):
        return None
    try:
        value = node.func(*args)
        if isinstance(value, sympy.logic.boolalg.Boolean):
            return bool(value) if value in (sympy.true, sympy.false) else None
        number = complex(value.evalf(50))
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, OverflowError):
        return None
    if not (math.isfinite(number.real) and math.isfinite(number.imag)):
        return None
    real, imag = value.evalf(50).as_real_imag()
    if imag != 0 and abs(imag) > 1e-30 * abs(real):  # (-0.98)**(2e9): tiny, still not real
        return None
    return sympy.Float(real, 50)


def symdiff_value(expr: Expr, point: dict[str, float]) -> float | None:
    try:
        return evaluate(expr, point)
    except EvaluationError:
        return None


def _degenerate(expr: Expr, point: dict[str, float]) -> bool:
    """True when some non-constant subexpression is exactly zero at ``point`` (``atan2(0, x)``,
    ``sign(x - x)``): the chain rule may then divide by that zero where SymPy, having simplified
    the subexpression away first, does not."""
    values = evaluate_all([expr], point)
    return any(value == 0.0 and not isinstance(node, Num) for node, value in values.items())


def close(a: float, b: float, rel: float = 1e-7, abs_: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def random_points(
    variables: Sequence[str], count: int = 8, seed: int = 0, low: float = -2.5, high: float = 2.5
) -> list[dict[str, float]]:
    rng = random.Random(seed)
    return [{v: rng.uniform(low, high) for v in variables} for _ in range(count)]


def agree_numerically(
    ours: Expr,
    theirs: sympy.Expr,
    variables: Sequence[str],
    guard: Expr | None = None,
    points: int = 8,
    seed: int = 0,
    rel: float = 1e-7,
) -> int:
    """Compare at random points; returns how many points were checked (raises on mismatch).

    A point counts only where ``guard`` (e.g. the function being differentiated) and both
    results are defined and finite, and away from poles (huge values).
    """
    checked = 0
    for point in random_points(variables, points, seed):
        if guard is not None and symdiff_value(guard, point) is None:
            continue
        expected = sympy_value(theirs, point)
        if expected is None or abs(expected) > 1e8:
            continue
        actual = symdiff_value(ours, point)
        if actual is None and guard is not None and _degenerate(guard, point):
            continue
        assert actual is not None, f"symdiff undefined at {point} where SymPy gives {expected}"
        assert close(actual, expected, rel=rel, abs_=rel), (
            f"at {point}: symdiff {actual!r} != sympy {expected!r}\n  ours: {ours}\n"
            f"  theirs: {theirs}"
        )
        checked += 1
    return checked


def sympy_function(expr: Expr, variables: Sequence[str]) -> Any:
    """SymPy's ``lambdify`` of ``to_sympy(expr)`` over ``variables`` (NumPy and SciPy names)."""
    theirs = to_sympy(expr).replace(sympy.DiracDelta, lambda *args: sympy.S.Zero)
    theirs = theirs.replace(SYMPY_NAMES["stop_gradient"], lambda u: u)  # the identity, for values
    symbols = [sympy.Symbol(v, real=True) for v in variables]
    if theirs.has(sympy.zoo, sympy.nan):  # SymPy proved it undefined: nothing to compare
        return lambda *args: float("nan")
    return sympy.lambdify(symbols, theirs, modules=["scipy", "numpy"])
