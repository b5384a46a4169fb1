"""Check my answer: is ``answer`` the derivative of ``expr``?

>>> result = check("x**2*sin(x)", "2*x*sin(x) + x**2*cos(x)", "x")
>>> result.correct, result.reason
(True, 'proof')
>>> check("sin(x)**2", "2*sin(x)", "x").counterexample.point
{'x': 1}

The verdict rests on two kinds of evidence.  A *proof*: the simplifier, which never changes a
value where its input is defined, reduces ``derivative - answer`` to 0.  And *samples*: the two
are evaluated at points of the real domain of ``expr`` (a few simple points first, then random
ones, rounded to three digits so that a reported point can be typed back exactly).  A point where
they differ is a counterexample; a point where ``expr`` and its derivative are defined but the
answer is not makes the answer wrong there too (a domain caveat: ``2*exp(log(x))`` is not the
derivative of ``x**2`` for negative ``x``).  Points outside the domain of ``expr`` are skipped and
said so.  Sampling is seeded, so the same question always gets the same answer.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from symdiff.calculus.forward import diff
from symdiff.core.errors import EvaluationError, ParseError, SymdiffError
from symdiff.core.nodes import ZERO, Call, Expr, Sym
from symdiff.core.traverse import free_symbols, postorder
from symdiff.core.unknown import split_head
from symdiff.core.vocabulary import known
from symdiff.formats.parser import parse, parse_any
from symdiff.formats.text import to_str
from symdiff.numeric.evaluation import evaluate_all
from symdiff.numeric.wengert import format_number
from symdiff.rewrite.engine import simplify

#: Simple points tried first (so that a counterexample is easy to check by hand).
SIMPLE_POINTS = (1, 2, 0.5, -1, 1.5, -0.5, 3, -2)
#: How many points of the domain are compared, and how many candidates are tried at most.
WANTED_POINTS, MAX_CANDIDATES = 12, 300
#: Agreement: a difference at most this fraction of the largest magnitude met while evaluating.
RELATIVE_TOLERANCE = 1e-9
#: A wrong answer this close (relative difference) is called out as "close": a rounded constant?
CLOSE = 1e-3


@dataclass(frozen=True)
class Sample:
    """One point where the derivative and the answer were compared (``answer`` None where the
    answer is undefined)."""

    point: dict[str, float]
    expected: float
    answer: float | None

    def where(self) -> str:
        return point_text(self.point)


def point_text(point: Mapping[str, float]) -> str:
    """``x = 1, y = -0.25``."""
    return ", ".join(f"{name} = {format_number(value, 6)}" for name, value in point.items())


@dataclass(frozen=True)
class CheckResult:
    """The verdict on an answer, and why.

    ``correct`` is True, False, or None when nothing could be decided; ``reason`` is one of
    ``proof`` (the difference simplifies to 0), ``samples`` (no proof, but equal at every sampled
    point), ``counterexample``, ``domain`` (the answer is undefined where the derivative is
    defined) or ``undecided``.
    """

    correct: bool | None
    reason: str
    message: str
    expr: Expr
    answer: Expr
    derivative: Expr
    difference: Expr
    wrt: tuple[str, ...]
    order: int
    samples: tuple[Sample, ...] = ()
    counterexample: Sample | None = None
    caveats: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.correct)

    @property
    def verdict(self) -> str:
        return {True: "correct", False: "incorrect", None: "undecided"}[self.correct]

    def text(self) -> str:
        """The verdict and its reason, then the caveats, one per line."""
        lines = [f"{self.verdict}: {self.message}"]
        lines += [f"note: {caveat}" for caveat in self.caveats]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (expressions in text form)."""

        def sample(s: Sample | None) -> dict[str, Any] | None:
            if s is None:
                return None
            return {"point": s.point, "expected": s.expected, "answer": s.answer}

        return {
            "correct": self.correct,
            "verdict": self.verdict,
            "reason": self.reason,
            "message": self.message,
            "derivative": to_str(self.derivative),
            "difference": to_str(self.difference),
            "wrt": list(self.wrt),
            "order": self.order,
            "points_compared": len(self.samples),
            "samples": [sample(s) for s in self.samples],
            "counterexample": sample(self.counterexample),
            "caveats": list(self.caveats),
        }


def derivative_label(wrt: Sequence[str], order: int) -> str:
    """``f'``-style names in text: ``d/dx f``, ``d2f/dx2``, ``d2f/dydx``."""
    total = order * len(wrt)
    if total == 1:
        return f"d/d{wrt[0]} f"
    parts = "".join(f"d{name}{order if order > 1 else ''}" for name in reversed(wrt))
    return f"d{total}f/{parts}"


def _parse(text: Any, what: str, functions: Any = None) -> Expr:
    try:
        return parse(text, functions) if isinstance(text, str) else parse_any(text)
    except ParseError as error:
        raise ParseError(
            f"in {what}: {error.message}", error.text, error.line, error.column
        ) from None


def _variables(expr: Expr, answer: Expr, wrt: Any) -> list[str]:
    if wrt is None:
        names = [s.name for s in free_symbols(expr)] or [s.name for s in free_symbols(answer)]
        if len(names) > 1:
            raise SymdiffError(
                f"the formula has several variables ({', '.join(names)}): say which to "
                "differentiate by"
            )
        return names or ["x"]
    if isinstance(wrt, str | Sym):
        wrt = [wrt]
    return [w.name if isinstance(w, Sym) else str(w).strip() for w in wrt]


def _unknown_functions(*roots: Expr) -> list[str]:
    """The names of the unknown functions under ``roots`` (``f`` for ``f`` and ``D[0](f)``)."""
    names = {
        (split_head(node.name) or (node.name,))[0]
        for node in postorder(*roots)
        if isinstance(node, Call) and node.args and not known(node.name)
    }
    return sorted(names)


def _round(value: float) -> float:
    return float(f"{value:.3g}")


def candidate_points(names: Sequence[str], seed: int = 0) -> list[dict[str, float]]:
    """The simple points (staggered between variables), then seeded random ones from a mix of
    moderate (-3..3) and wide (0.03..30 in size) values, each rounded to three digits."""
    points = [
        {name: SIMPLE_POINTS[(k + 3 * i) % len(SIMPLE_POINTS)] for i, name in enumerate(names)}
        for k in range(len(SIMPLE_POINTS))
    ]
    rng = random.Random(seed)
    while len(points) < MAX_CANDIDATES:
        point = {}
        for name in names:
            if rng.random() < 0.5:
                value = rng.uniform(-3, 3)
            else:
                value = rng.choice((-1, 1)) * 10 ** rng.uniform(-1.5, 1.5)
            point[name] = _round(value) or 0.001
        points.append(point)
    return points


def _value(expr: Expr, point: Mapping[str, float]) -> tuple[float | None, float]:
    """The value (None where undefined) and the largest magnitude met on the way there."""
    try:
        values = evaluate_all([expr], point)
    except EvaluationError:
        return None, 0.0
    value = values[expr]
    if not math.isfinite(value):
        return None, 0.0
    return value, max((abs(v) for v in values.values() if math.isfinite(v)), default=0.0)


def check(
    expr: Any,
    answer: Any,
    wrt: Any = None,
    *,
    order: int = 1,
    seed: int = 0,
    functions: Any = None,
) -> CheckResult:
    """Is ``answer`` the derivative of ``expr`` (``order`` times by each of ``wrt``)?

    ``wrt`` is a variable name, several names (a mixed partial), or None for the formula's only
    variable; ``functions`` declares unknown functions, as for ``parse`` (with them, only a
    symbolic proof can decide).  See the module docstring for how the verdict is reached.
    """
    if order < 1:
        raise SymdiffError("the order of the derivative to check must be 1 or more")
    expr = _parse(expr, "the formula", functions)
    answer = _parse(answer, "the answer", functions)
    names = _variables(expr, answer, wrt)
    derivative = diff(expr, *((name, order) for name in names))
    difference = simplify(derivative - answer, goal="compact")  # a proof: every rule
    simplified = simplify(derivative)
    proof = difference is ZERO
    variables = [s.name for s in free_symbols(expr, answer)] or names
    caveats: list[str] = []
    extra = sorted({s.name for s in free_symbols(answer)} - {s.name for s in free_symbols(expr)})
    if extra:
        caveats.append(f"the answer uses {', '.join(extra)}, which the formula does not")

    # unknown functions have no values: only a symbolic proof can decide
    unknown = _unknown_functions(expr, answer)
    samples: list[Sample] = []
    mismatches: list[Sample] = []
    undefined_answer: list[Sample] = []
    outside: dict[str, float] | None = None
    outside_count = tried = 0
    for point in [] if unknown else candidate_points(variables, seed):
        if len(samples) >= WANTED_POINTS:
            break
        tried += 1
        value, _ = _value(expr, point)
        expected, scale_d = _value(derivative, point) if value is not None else (None, 0.0)
        if expected is None:
            outside_count += 1
            outside = outside or point
            continue
        got, scale_a = _value(answer, point)
        sample = Sample(point, expected, got)
        samples.append(sample)
        if got is None:
            undefined_answer.append(sample)
        elif abs(got - expected) > RELATIVE_TOLERANCE * max(1.0, scale_d, scale_a):
            mismatches.append(sample)
    if outside is not None:
        where = point_text(outside)
        caveats.append(
            f"the formula or its derivative is undefined at {outside_count} of {tried} sampled "
            f"points (e.g. {where}); only points of its real domain were compared"
        )
    label = derivative_label(names, order)
    common = dict(
        expr=expr, answer=answer, derivative=simplified, difference=difference,
        wrt=tuple(names), order=order, samples=tuple(samples),
    )  # fmt: skip
    if mismatches and not proof:
        bad = mismatches[0]
        message = (
            f"at {bad.where()}, {label} = {format_number(bad.expected, 6)} but the answer gives "
            f"{format_number(bad.answer, 6)}"
        )
        relative = abs(bad.answer - bad.expected) / max(abs(bad.expected), 1e-300)  # type: ignore[operator]
        if relative < CLOSE and len(mismatches) == len(samples):
            caveats.append("the answer is close everywhere but not equal: a rounded constant?")
        return CheckResult(False, "counterexample", message, counterexample=bad,
                           caveats=tuple(caveats), **common)  # fmt: skip
    if mismatches:  # a proof and a disagreeing float evaluation: rounding in the evaluation
        caveats.append(
            f"evaluating in floating point disagreed at {mismatches[0].where()} (rounding error)"
        )
    if undefined_answer:
        bad = undefined_answer[0]
        message = (
            f"the answer is undefined at {bad.where()}, where {label} = "
            f"{format_number(bad.expected, 6)}"
        )
        if proof or not mismatches:
            message += " (where both are defined, they agree)"
        return CheckResult(False, "domain", message, counterexample=bad,
                           caveats=tuple(caveats), **common)  # fmt: skip
    if proof:
        message = f"simplify({label} - answer) = 0"
        if samples:
            message += f", and the two agree at {len(samples)} points"
        return CheckResult(True, "proof", message, caveats=tuple(caveats), **common)
    if samples:
        message = (
            f"the answer agrees with {label} at {len(samples)} sampled points (the simplifier "
            "did not reduce the difference to 0, so this is evidence, not a proof)"
        )
        return CheckResult(True, "samples", message, caveats=tuple(caveats), **common)
    if unknown:
        message = (
            f"no proof was found, and {', '.join(unknown)} (unknown) cannot be evaluated at "
            "points: define them (symdiff.define) to compare values"
        )
        return CheckResult(None, "undecided", message, caveats=tuple(caveats), **common)
    message = "the formula is undefined at every sampled point and no proof was found"
    return CheckResult(None, "undecided", message, caveats=tuple(caveats), **common)
