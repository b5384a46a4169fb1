"""Random formulas built from the outside: text for symdiff, a SymPy tree for the oracle.

The generator knows nothing about symdiff's rules or canonical forms.  It draws a small syntax
tree with ``random.Random(seed)`` (so every case is reproducible from its seed), renders it as
fully parenthesised formula text (what a user types) and builds the same tree directly in SymPy
(never through symdiff's printer).  The vocabulary is every operator and every function the
README lists, with the shapes that are easy to get wrong: bases shifted to be negative on part of
the line (``(5 - x)``, ``(a - x)``, ``(y - x)``), symbolic exponents (``u**x``, ``u**(2*x)``,
``u**sqrt(x)``), powers of powers with fractional and float exponents, several variables and
nesting up to depth 10.  The non-smooth and conditional functions are drawn too (``max``/``min``
with 2 or 3 arguments, ``relu``, ``heaviside``, ``floor``, ``ceil``, ``clip``, ``hypot``,
``where`` and ``piecewise`` on comparisons combined with ``and``/``or``/``not``), translated to
SymPy by their definitions (``Max``, ``Min``, ``Heaviside(u, 1/2)``, ``Piecewise``, ``floor``,
``ceiling``, ``sqrt(a**2 + b**2)``).

Values are computed with mpmath at high precision, node by node, with real-domain semantics (any
complex intermediate, a negative base to a non-integer power or a division by zero means
*undefined here*), for symdiff's expressions and for SymPy's alike.  A branch that ``where`` or
``Piecewise`` does not take is not evaluated.  At a kink or a jump (a comparison, ``max``,
``floor``, ... of arguments equal up to rounding) the value is *undecided*, hence undefined
there: the tests compare away from kinks, where every convention agrees.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import sympy
from oracle import stop_gradient  # tests/oracle.py: SymPy's stop_gradient

import symdiff

Node = tuple  # ("sym", name) | ("num", text) | ("const", name) | (op, *children) | ("call", f, *a)

VARIABLES = ("x", "y", "z", "a", "c")
UNARY_FUNCTIONS = (
    "sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "acot", "asec", "acsc",
    "sinh", "cosh", "tanh", "sech", "csch", "coth", "asinh", "acosh", "atanh", "acoth",
    "exp", "log", "ln", "sqrt", "abs", "sign", "erf", "stop_gradient", "detach", "arctan",
    "log1p", "expm1",
)  # fmt: skip
INTEGERS = ("0", "1", "2", "3", "5", "7", "10")
DECIMALS = ("0.5", "2.5", "1.5", "0.1", "3.7", "1e-1", "2.5E+0")
NUMERIC_EXPONENTS = (
    "2", "3", "-1", "-2", "4", "5", "-3", "(1/2)", "(-1/2)", "(1/3)", "(2/3)", "(5/6)",
    "(3/2)", "(-3/2)", "2.5", "0.5", "1.5", "-0.75", "(7/4)",
)  # fmt: skip
SHIFTS = ("1", "2", "3", "5", "(1/2)", "2.5", "pi")
KINKED_UNARY = ("relu", "heaviside", "floor", "ceil")
COMPARISON_OPERATORS = ("<", "<=", ">", ">=", "==", "!=")
THRESHOLDS = ("0", "1", "(1/2)", "(-1)", "2.5")


@dataclass
class Generator:
    """Draws formula trees; ``rng`` alone decides, so a seed reproduces a formula."""

    rng: random.Random
    variables: tuple[str, ...] = VARIABLES

    def variable(self) -> Node:
        # x is the usual variable of differentiation: make it the most frequent
        return ("sym", self.rng.choice(("x", "x", "x", *self.variables)))

    def leaf(self) -> Node:
        r = self.rng.random()
        if r < 0.55:
            return self.variable()
        if r < 0.75:
            return ("num", self.rng.choice(INTEGERS))
        if r < 0.83:
            return ("div", ("num", self.rng.choice(("1", "3", "5"))), ("num", "4"))
        if r < 0.93:
            return ("num", self.rng.choice(DECIMALS))
        return ("const", self.rng.choice(("pi", "e", "E")))

    def shifted(self, depth: int, budget: int) -> Node:
        """A base that is negative on part of the line: ``(k - u)``, ``(a - u)``, ``-u + k``."""
        inner = self.tree(depth - 1, budget) if budget > 1 else self.variable()
        shift: Node = (
            self.variable() if self.rng.random() < 0.35 else ("num", self.rng.choice(SHIFTS))
        )
        return self.rng.choice(
            (("sub", shift, inner), ("add", ("neg", inner), shift), ("sub", inner, shift))
        )

    def exponent(self, depth: int) -> Node:
        r = self.rng.random()
        if r < 0.45:
            return ("num", self.rng.choice(NUMERIC_EXPONENTS))
        if r < 0.65:
            return self.variable()
        if r < 0.8:
            return ("mul", ("num", self.rng.choice(("2", "3", "(1/2)", "-1"))), self.variable())
        if r < 0.9:
            return ("call", self.rng.choice(("sqrt", "sin", "exp", "log", "erf")), self.variable())
        return self.tree(min(depth - 1, 2), 3)

    def tree(self, depth: int, budget: int) -> Node:
        """A formula of nesting depth at most ``depth`` with about ``budget`` leaves."""
        if depth <= 0 or (budget <= 1 and self.rng.random() < 0.6):
            return self.leaf()
        r = self.rng.random()
        if r < 0.08:  # a non-smooth or conditional function
            return self.kinked(depth, budget)
        if r < 0.32:  # a function call; calls do not spend the leaf budget, so chains go deep
            name = self.rng.choice(UNARY_FUNCTIONS)
            return ("call", name, self.tree(depth - 1, budget))
        if r < 0.36:
            left, right = self.split(depth, budget)
            return ("call", self.rng.choice(("atan2", "log")), left, right)
        if r < 0.52:
            base = (
                self.shifted(depth, budget)
                if self.rng.random() < 0.5
                else self.tree(depth - 1, budget)
            )
            if self.rng.random() < 0.2:  # a power of a power: (u**p)**q
                base = ("pow", base, ("num", self.rng.choice(NUMERIC_EXPONENTS)))
            return ("pow", base, self.exponent(depth))
        if r < 0.58:
            return self.shifted(depth, budget)
        if r < 0.62:
            return ("neg", self.tree(depth - 1, budget))
        op = self.rng.choice(("add", "sub", "mul", "div", "add", "mul"))
        left, right = self.split(depth, budget)
        return (op, left, right)

    def split(self, depth: int, budget: int) -> tuple[Node, Node]:
        share = self.rng.randint(1, max(1, budget - 1))
        return self.tree(depth - 1, share), self.tree(depth - 1, max(1, budget - share))

    def kinked(self, depth: int, budget: int) -> Node:
        """``relu(u)``, ``max(u, v, w)``, ``clip(u, lo, hi)``, ``where(c, u, v)``, ..."""
        kind = self.rng.choice(
            ("unary", "unary", "max", "min", "clip", "hypot", "where", "where", "piecewise")
        )
        if kind == "unary":
            return ("call", self.rng.choice(KINKED_UNARY), self.tree(depth - 1, budget))
        if kind in ("max", "min", "hypot"):
            left, right = self.split(depth, budget)
            if kind != "hypot" and self.rng.random() < 0.3:
                return ("call", kind, left, right, self.tree(depth - 1, 1))
            return ("call", kind, left, right)
        if kind == "clip":
            low = self.tree(depth - 1, 1)
            high = ("add", low, ("num", self.rng.choice(("1", "2", "(1/2)"))))
            if self.rng.random() < 0.3:  # the bounds in either order
                low, high = high, low
            return ("call", "clip", self.tree(depth - 1, budget), low, high)
        left, right = self.split(depth, budget)
        if kind == "where":
            return ("where", self.condition(depth - 1), left, right)
        first, second = self.condition(depth - 1), self.condition(depth - 1)
        return ("piecewise", left, first, right, second, self.tree(depth - 1, 1))

    def condition(self, depth: int) -> Node:
        """A comparison (against a threshold or another formula), or ``and``/``or``/``not``."""
        r = self.rng.random()
        if depth > 0 and r < 0.15:
            return ("and" if r < 0.08 else "or", self.condition(depth - 1), self.condition(0))
        if depth > 0 and r < 0.2:
            return ("not", self.condition(depth - 1))
        left = self.tree(max(depth - 1, 0), 2)
        r = self.rng.random()
        right = (
            self.tree(max(depth - 1, 0), 1)
            if r < 0.4
            else self.variable()
            if r < 0.55
            else ("num", self.rng.choice(THRESHOLDS))
        )
        return ("cmp", self.rng.choice(COMPARISON_OPERATORS), left, right)


def formula(seed: int, max_depth: int = 10) -> Node:
    """The formula tree of case ``seed`` (sizes: mostly small, some medium, a few large)."""
    rng = random.Random(seed)
    size = rng.random()
    budget = rng.randint(2, 5) if size < 0.5 else rng.randint(6, 10) if size < 0.9 else 14
    return Generator(rng).tree(rng.randint(2, max_depth), budget)


def has_decimal(node: Node) -> bool:
    """Whether the formula contains a decimal (a double, so only float-accurate)."""
    if node[0] == "num":
        return any(ch in node[1] for ch in ".eE")
    return any(has_decimal(a) for a in node[1:] if isinstance(a, tuple))


# --- rendering ---------------------------------------------------------------------------------

_INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


def to_text(node: Node, rng: random.Random | None = None) -> str:
    """Fully parenthesised formula text (``^`` instead of ``**`` when ``rng`` says so)."""
    kind = node[0]
    if kind in ("sym", "num", "const"):
        return node[1]
    if kind == "neg":
        return f"(-{to_text(node[1], rng)})"
    if kind in _INFIX:
        return f"({to_text(node[1], rng)} {_INFIX[kind]} {to_text(node[2], rng)})"
    if kind == "pow":
        op = "^" if rng is not None and rng.random() < 0.3 else "**"
        return f"({to_text(node[1], rng)}){op}({to_text(node[2], rng)})"
    if kind == "cmp":
        return f"({to_text(node[2], rng)}) {node[1]} ({to_text(node[3], rng)})"
    if kind in ("and", "or"):
        return f"({to_text(node[1], rng)}) {kind} ({to_text(node[2], rng)})"
    if kind == "not":
        return f"not ({to_text(node[1], rng)})"
    if kind == "where":
        return f"where({', '.join(to_text(a, rng) for a in node[1:])})"
    if kind == "piecewise":
        a, c1, b, c2, d = (to_text(part, rng) for part in node[1:])
        return f"piecewise(({a}, {c1}), ({b}, {c2}), ({d}, True))"
    return f"{node[1]}({', '.join(to_text(a, rng) for a in node[2:])})"


class real_sign(sympy.Function):
    """The sign of a real number; its derivative is zero away from 0."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.S.Zero


class real_abs(sympy.Function):
    """``|u|`` of a real ``u`` (SymPy's ``Abs`` differentiates complex-valued arguments through
    ``re``/``im``, which cannot be evaluated)."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return real_sign(self.args[0])


class floor(sympy.floor):
    """``floor`` with its derivative almost everywhere, 0 (SymPy leaves it unevaluated)."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.S.Zero


class ceiling(sympy.ceiling):
    """``ceiling`` with its derivative almost everywhere, 0."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.S.Zero


SYMBOLS = {name: sympy.Symbol(name, real=True) for name in VARIABLES}
_SYMPY_CALLS: dict[str, Callable[..., sympy.Expr]] = {
    "ln": sympy.log,
    "arctan": sympy.atan,
    "detach": stop_gradient,
    "stop_gradient": stop_gradient,
    "abs": real_abs,
    "sign": real_sign,
    "sqrt": sympy.sqrt,
    "log": sympy.log,
    "log1p": lambda u: sympy.log(1 + u),
    "expm1": lambda u: sympy.exp(u) - 1,
    "max": sympy.Max,
    "min": sympy.Min,
    "relu": lambda u: sympy.Max(u, 0),
    "heaviside": lambda u: sympy.Heaviside(u, sympy.S.Half),
    "floor": floor,
    "ceil": ceiling,
    "clip": lambda u, lo, hi: sympy.Piecewise((lo, u < lo), (hi, u > hi), (u, True)),
    "hypot": lambda a, b: sympy.sqrt(a**2 + b**2),
}
_SYMPY_RELATIONS = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge,
                    "==": sympy.Eq, "!=": sympy.Ne}  # fmt: skip


def _sympy_number(text: str) -> sympy.Expr:
    if any(ch in text for ch in ".eE"):
        return sympy.Float(float(text), 50)  # the binary double symdiff reads, to 50 digits
    return sympy.Integer(int(text))


def to_sympy(node: Node) -> sympy.Expr:
    """The same formula built directly as a SymPy tree (symbols real)."""
    kind = node[0]
    if kind == "sym":
        return SYMBOLS[node[1]]
    if kind == "num":
        text = node[1].strip("()")
        if "/" in text:
            p, q = text.split("/")
            return sympy.Rational(int(p), int(q))
        return _sympy_number(text)
    if kind == "const":
        return sympy.pi if node[1] == "pi" else sympy.E
    if kind == "cmp":
        return _SYMPY_RELATIONS[node[1]](to_sympy(node[2]), to_sympy(node[3]))
    args = [to_sympy(a) for a in node[1:]] if kind != "call" else []
    match kind:
        case "and":
            return sympy.And(*args)
        case "or":
            return sympy.Or(*args)
        case "not":
            return sympy.Not(args[0])
        case "where":
            return sympy.Piecewise((args[1], args[0]), (args[2], True))
        case "piecewise":
            return sympy.Piecewise((args[0], args[1]), (args[2], args[3]), (args[4], True))
        case "neg":
            return -args[0]
        case "add":
            return args[0] + args[1]
        case "sub":
            return args[0] - args[1]
        case "mul":
            return args[0] * args[1]
        case "div":
            return args[0] / args[1]
        case "pow":
            return args[0] ** args[1]
    name, call_args = node[1], [to_sympy(a) for a in node[2:]]
    function = _SYMPY_CALLS.get(name) or getattr(sympy, name)
    return function(*call_args)


# --- high-precision real evaluation ----------------------------------------------------------


class Undefined(Exception):
    """The expression has no real, finite value at this point."""


class TooLarge(Undefined):
    """A value beyond the range of doubles: defined, but a float evaluation overflows."""


LIMIT = mpmath.mpf(10) ** 300  # beyond double range: a float evaluation could not compare
TINY = mpmath.mpf(10) ** -30


def _real(value: Any) -> mpmath.mpf:
    if isinstance(value, mpmath.mpc):
        if value.imag != 0:
            raise Undefined("complex")
        value = value.real
    if not mpmath.isfinite(value) or abs(value) > LIMIT:
        raise TooLarge("beyond the range of doubles")
    return value


def _inv(f: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def apply(u: Any) -> Any:
        if u == 0:
            raise Undefined("pole")
        return f(1 / u)

    return apply


def _recip(f: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``1/f(u)`` for ``f`` of size about 1 (sin, cos, tan, sinh, cosh, tanh): a value below
    1e-30 is a zero of ``f`` up to rounding (``cot(pi)``), a pole, not a huge number."""

    def apply(u: Any) -> Any:
        value = f(u)
        if abs(value) < TINY:
            raise Undefined("pole")
        return 1 / value

    return apply


def _residual(u: Any) -> bool:
    """A value that is zero up to rounding (``tan(pi)`` with the 40-digit ``pi`` is about
    1e-41): where a function jumps at 0, its side is decided by rounding, not by the formula."""
    return bool(u != 0 and abs(u) < TINY)


def _sign(u: Any) -> Any:
    if _residual(u):
        raise Undefined("the sign of a rounding residual")
    return mpmath.sign(u)


def _acot(u: Any) -> Any:
    if _residual(u):
        raise Undefined("acot jumps at 0")
    return mpmath.pi / 2 if u == 0 else mpmath.atan(1 / u)


def _atan2(y: Any, x: Any) -> Any:
    if x == 0 and y == 0:
        raise Undefined("atan2(0, 0)")
    if x < 0 and _residual(y):
        raise Undefined("atan2 jumps at y = 0 for x < 0")
    return mpmath.atan2(y, x)


def _decided(a: Any, b: Any) -> None:
    """Raise ``Undefined`` when ``a`` and ``b`` are equal up to rounding: a comparison there
    (a kink of ``max``, a jump of ``heaviside``) is decided by rounding, not by the formula."""
    if abs(a - b) <= TINY * max(1, abs(a), abs(b)):
        raise Undefined("at a kink")


def _comparison(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        _decided(a, b)
        return mpmath.mpf(1) if test(a, b) else mpmath.mpf(0)

    return apply


def _extreme(pick: Callable[..., Any]) -> Callable[..., Any]:
    """``max``/``min`` of any number of arguments, undecided at a tie of two of them."""

    def apply(*args: Any) -> Any:
        for i, a in enumerate(args):
            for b in args[i + 1 :]:
                _decided(a, b)
        return pick(args)

    return apply


def _step(u: Any) -> Any:
    _decided(u, 0)
    return mpmath.mpf(1) if u > 0 else mpmath.mpf(0)


def _rounded(f: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``floor``/``ceil``, undecided at an integer (a jump)."""

    def apply(u: Any) -> Any:
        _decided(u, mpmath.nint(u))
        return f(u)

    return apply


def _clip(u: Any, lo: Any, hi: Any) -> Any:
    _decided(u, lo)
    _decided(u, hi)
    return lo if u < lo else hi if u > hi else u


def _truth(u: Any) -> bool:
    return bool(u != 0)


KINKED_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "max": _extreme(max), "min": _extreme(min),
    "relu": lambda u: u * _step(u), "heaviside": _step,
    "floor": _rounded(mpmath.floor), "ceil": _rounded(mpmath.ceil),
    "clip": _clip, "hypot": lambda a, b: mpmath.sqrt(a * a + b * b),
    "lt": _comparison(lambda a, b: a < b), "le": _comparison(lambda a, b: a <= b),
    "gt": _comparison(lambda a, b: a > b), "ge": _comparison(lambda a, b: a >= b),
    "eq": _comparison(lambda a, b: a == b), "ne": _comparison(lambda a, b: a != b),
    "and": lambda *cs: mpmath.mpf(all(_truth(c) for c in cs)),
    "or": lambda *cs: mpmath.mpf(any(_truth(c) for c in cs)),
    "not": lambda c: mpmath.mpf(not _truth(c)),
}  # fmt: skip


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan,
    "sec": _recip(mpmath.cos), "csc": _recip(mpmath.sin), "cot": _recip(mpmath.tan),
    "asin": mpmath.asin, "acos": mpmath.acos, "atan": mpmath.atan, "acot": _acot,
    "asec": _inv(mpmath.acos), "acsc": _inv(mpmath.asin),
    "sinh": mpmath.sinh, "cosh": mpmath.cosh, "tanh": mpmath.tanh,
    "sech": _recip(mpmath.cosh), "csch": _recip(mpmath.sinh), "coth": _recip(mpmath.tanh),
    "asinh": mpmath.asinh, "acosh": mpmath.acosh, "atanh": mpmath.atanh,
    "acoth": _inv(mpmath.atanh),
    "exp": mpmath.exp, "log": mpmath.log, "erf": mpmath.erf, "atan2": _atan2,
    "log1p": mpmath.log1p, "expm1": mpmath.expm1,
    "abs": abs, "sign": _sign, "stop_gradient": lambda u: u,
    "pi": lambda: +mpmath.pi,
    **KINKED_FUNCTIONS,
}  # fmt: skip


def real_power(base: Any, exponent: Any) -> Any:
    """``base**exponent`` on the reals: a negative base needs an integer exponent."""
    if base == 0:
        if exponent < 0:
            raise Undefined("zero to a negative power")
        return mpmath.mpf(1) if exponent == 0 else mpmath.mpf(0)
    if base < 0 and exponent != mpmath.floor(exponent):
        raise Undefined("negative base")
    return mpmath.power(base, exponent)


@dataclass
class Value:
    """A real value and the largest sum of term magnitudes met on the way (the scale that
    rounding in float constants is relative to)."""

    value: mpmath.mpf
    scale: mpmath.mpf


def _exact(value: Any) -> mpmath.mpf:
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    return mpmath.mpf(value)


def symdiff_value(expr: symdiff.Expr, point: dict[str, float]) -> Value:
    """The value of a symdiff expression (walked by its ``.args``, iteratively; only the
    branch of a ``where`` that its condition takes is evaluated)."""
    scale = [mpmath.mpf(0)]
    value = _symdiff_walk(expr, point, scale)
    return Value(value, max(scale[0], abs(value)))


def _symdiff_walk(expr: symdiff.Expr, point: dict[str, float], scale: list) -> mpmath.mpf:
    memo: dict[symdiff.Expr, Any] = {}
    stack = [expr]
    while stack:
        node = stack[-1]
        if node in memo:
            stack.pop()
            continue
        lazy = isinstance(node, symdiff.Call) and node.name in ("where", "and", "or")
        missing = [a for a in node.args[: 1 if lazy else None] if a not in memo]
        if missing:
            stack.extend(missing)
            continue
        stack.pop()
        args = [memo[a] for a in node.args[: 1 if lazy else None]]
        try:
            match node:
                case symdiff.Num(value):
                    result = _exact(value)
                case symdiff.Sym(name):
                    result = mpmath.mpf(point[name])
                case symdiff.Add():
                    result = mpmath.fsum(args)
                    scale[0] = max(scale[0], mpmath.fsum(abs(a) for a in args))
                case symdiff.Mul():
                    result = mpmath.fprod(args)
                case symdiff.Pow():
                    result = real_power(*args)
                case symdiff.Call("where"):
                    taken = node.args[1] if _truth(args[0]) else node.args[2]
                    result = _symdiff_walk(taken, point, scale)
                case symdiff.Call("and" | "or"):  # short-circuit, as Python and C
                    first = _truth(args[0])
                    if first is (node.name == "or"):
                        result = mpmath.mpf(first)
                    else:
                        result = mpmath.mpf(_truth(_symdiff_walk(node.args[1], point, scale)))
                case symdiff.Call(name):
                    result = FUNCTIONS[name](*args)
                case _:
                    raise TypeError(f"unknown node {node!r}")
        except (ZeroDivisionError, ValueError) as error:
            raise Undefined(str(error)) from None
        memo[node] = _real(result)
    return memo[expr]


_SYMPY_FUNCTIONS = {
    sympy.sin: "sin", sympy.cos: "cos", sympy.tan: "tan", sympy.sec: "sec", sympy.csc: "csc",
    sympy.cot: "cot", sympy.asin: "asin", sympy.acos: "acos", sympy.atan: "atan",
    sympy.acot: "acot", sympy.asec: "asec", sympy.acsc: "acsc", sympy.sinh: "sinh",
    sympy.cosh: "cosh", sympy.tanh: "tanh", sympy.sech: "sech", sympy.csch: "csch",
    sympy.coth: "coth", sympy.asinh: "asinh", sympy.acosh: "acosh", sympy.atanh: "atanh",
    sympy.acoth: "acoth", sympy.exp: "exp", sympy.log: "log", sympy.erf: "erf",
    sympy.atan2: "atan2", sympy.Abs: "abs", real_abs: "abs", sympy.sign: "sign",
    real_sign: "sign", stop_gradient: "stop_gradient", sympy.Max: "max", sympy.Min: "min",
    floor: "floor", ceiling: "ceil", sympy.floor: "floor", sympy.ceiling: "ceil",
    sympy.And: "and", sympy.Or: "or", sympy.Not: "not",
}  # fmt: skip
_RELATION_NAMES = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}


class NoOracle(Exception):
    """SymPy's expression contains something without a numeric value (an unevaluated
    ``Derivative``, ``zoo``, ...)."""


def sympy_value(expr: sympy.Expr, point: dict[str, float]) -> Value:
    """The value of a SymPy expression, with the same real-domain semantics (only the piece
    of a ``Piecewise`` that its conditions select is evaluated)."""
    scale = [mpmath.mpf(0)]
    value = _sympy_walk(expr, point, scale)
    return Value(value, max(scale[0], abs(value)))


def _sympy_walk(expr: sympy.Basic, point: dict[str, float], scale: list) -> mpmath.mpf:
    memo: dict[sympy.Basic, Any] = {}
    stack = [expr]
    while stack:
        node = stack[-1]
        if node in memo:
            stack.pop()
            continue
        lazy = node.is_Atom or isinstance(node, sympy.Piecewise)
        missing = [a for a in node.args if a not in memo] if not lazy else []
        if missing:
            stack.extend(missing)
            continue
        stack.pop()
        args = [] if lazy else [memo[a] for a in node.args]
        try:
            if node.is_Symbol:
                result = mpmath.mpf(point[node.name])
            elif node.is_Rational:
                result = mpmath.mpf(int(node.p)) / int(node.q)
            elif node.is_Float:
                result = mpmath.mpf(node._mpf_)
            elif node is sympy.pi:
                result = +mpmath.pi
            elif node is sympy.E:
                result = mpmath.e
            elif node in (sympy.true, sympy.false):
                result = mpmath.mpf(node is sympy.true)
            elif node.is_Add:
                result = mpmath.fsum(args)
                scale[0] = max(scale[0], mpmath.fsum(abs(a) for a in args))
            elif node.is_Mul:
                result = mpmath.fprod(args)
            elif node.is_Pow:
                result = real_power(*args)
            elif isinstance(node, sympy.Piecewise):
                result = _piece(node, point, scale)
            elif node.is_Relational:
                result = FUNCTIONS[_RELATION_NAMES[node.rel_op]](*args)
            elif node.func in _SYMPY_FUNCTIONS:
                result = FUNCTIONS[_SYMPY_FUNCTIONS[node.func]](*args)
            elif node.func is sympy.Heaviside:
                result = FUNCTIONS["heaviside"](args[0])
            elif node.func is sympy.DiracDelta:
                if abs(args[0]) <= TINY:
                    raise Undefined("DiracDelta(0)")
                result = mpmath.mpf(0)  # zero away from the jump of abs/sign/heaviside
            else:
                raise NoOracle(f"no value for {node.func}")
        except (ZeroDivisionError, ValueError) as error:
            raise Undefined(str(error)) from None
        memo[node] = _real(result)
    return memo[expr]


def _piece(node: sympy.Piecewise, point: dict[str, float], scale: list) -> mpmath.mpf:
    for piece, condition in node.args:
        if _truth(_sympy_walk(condition, point, scale)):
            return _sympy_walk(piece, point, scale)
    raise Undefined("no piece of the Piecewise applies")


def close(ours: Value, theirs: Value, exact: bool) -> bool:
    """Equal up to rounding: double-precision float constants (``exact`` false) are good to
    about 1e-16 of the largest magnitude met while summing, exact inputs to far more."""
    tolerance = mpmath.mpf("1e-20") if exact else mpmath.mpf("1e-9")
    scale = max(ours.scale, theirs.scale, mpmath.mpf(1))
    return abs(ours.value - theirs.value) <= tolerance * scale


def random_point(rng: random.Random, variables: tuple[str, ...]) -> dict[str, float]:
    """Values mostly in [-3, 3], some in (0, 1) and (-1, 0) (the domain of asin, atanh, ...),
    a few larger."""

    def one() -> float:
        r = rng.random()
        if r < 0.5:
            return rng.uniform(-3, 3)
        if r < 0.8:
            return rng.uniform(-1, 1)
        if r < 0.9:
            return rng.uniform(0, 0.5)
        return rng.uniform(3, 8) * rng.choice((1, -1))

    return {v: one() for v in variables}
