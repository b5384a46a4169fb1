"""``error_report``: how accurate generated code is, measured against mpmath.

The formula (and its gradient) is compiled for a target and evaluated at random points of a
domain; the reference is the *literal* formula evaluated by mpmath at a precision that is raised
until two precisions agree, so cancellation and overflow in float64 do not reach it.  Errors are
reported in ulps of the correctly rounded reference and as relative errors, with the point where
the worst one occurred.  Points where the true value is not a finite float64 (or is undefined)
are left out; a non-finite output where the true value is finite is counted separately.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from symdiff.backend.compiling import compile, gradient_of, prepare
from symdiff.core.errors import CodegenError

#: Precisions (bits) tried in turn; two successive results that agree are accepted.  The jump
#: from the first to the second is large: ``log(1 + exp(-x))`` at x = 1000 cancels every digit
#: below about 1450 bits, so two nearby low precisions would agree on a wrong 0.
PRECISIONS = (160, 320, 2400, 4800)
#: Agreement on an exact 0 is trusted only from this precision on (see PRECISIONS).
ZERO_TRUSTED = 2400
#: Agreement asked of two successive precisions (relative).
AGREEMENT = 2.0**-70

TINY = 2.2250738585072014e-308  # the smallest normal float64

Interval = tuple[float, float] | tuple[float, float, str]


@dataclass
class OutputAccuracy:
    """The errors of one output (the value or one gradient entry)."""

    label: str
    ulps: list[float] = field(default_factory=list)
    nonfinite: int = 0
    nonfinite_at: dict[str, float] | None = None
    worst_relative: float = 0.0
    worst_at: dict[str, float] | None = None

    @property
    def median_ulp(self) -> float:
        ordered = sorted(self.ulps)
        return ordered[len(ordered) // 2] if ordered else math.nan

    @property
    def max_ulp(self) -> float:
        return max(self.ulps, default=math.nan)


@dataclass
class AccuracyReport:
    """``error_report``'s answer: one ``OutputAccuracy`` per output, and the points used."""

    formula: str
    target: str
    stable: bool
    points: int
    outputs: list[OutputAccuracy]
    skipped: int  # points where the true value is undefined or not a finite float64

    @property
    def worst(self) -> OutputAccuracy:
        return max(self.outputs, key=lambda o: (o.nonfinite, o.worst_relative))

    def __str__(self) -> str:
        lines = [
            f"accuracy of {self.formula} ({self.target}, {'stable' if self.stable else 'literal'})"
            f" at {self.points} points ({self.skipped} without a finite true value):",
            f"  {'output':<14} {'median ulp':>10} {'max ulp':>12} {'worst rel':>10} "
            f"{'non-finite':>10}  worst at",
        ]
        for o in self.outputs:
            where = ", ".join(f"{k}={v:.17g}" for k, v in (o.worst_at or {}).items())
            lines.append(
                f"  {o.label:<14} {o.median_ulp:>10.3g} {o.max_ulp:>12.4g} "
                f"{o.worst_relative:>10.3g} {o.nonfinite:>10}  {where}"
            )
        return "\n".join(lines)


def sample(domain: Mapping[str, Interval], names: Sequence[str], points: int, seed: int) -> Any:
    """``points`` random points (rows) of ``domain``: ``(lo, hi)`` uniform, ``(lo, hi, "log")``
    log-uniform in ``[lo, hi]`` (``0 < lo``), ``(lo, hi, "±log")`` the same with a random sign."""
    import numpy as np

    rng = np.random.default_rng(seed)
    columns = []
    for name in names:
        if name not in domain:
            raise CodegenError(f"the domain gives no interval for {name}")
        lo, hi, *scale = domain[name]
        if not scale:
            columns.append(rng.uniform(lo, hi, points))
            continue
        if scale[0] not in ("log", "±log") or not 0 < lo < hi:
            raise CodegenError(f"bad interval for {name}: {domain[name]!r}")
        magnitude = np.exp(rng.uniform(math.log(lo), math.log(hi), points))
        sign = rng.choice([-1.0, 1.0], points) if scale[0] == "±log" else 1.0
        columns.append(sign * magnitude)
    return np.stack(columns, axis=1) if columns else np.zeros((points, 0))


class _MpMath:
    """The ``math`` module of generated Python code, computing with mpmath instead."""

    def __init__(self, mp: Any) -> None:
        self.mp = mp
        self.inf, self.nan, self.pi, self.e = mp.inf, mp.nan, mp.pi, mp.e
        names = "exp log log1p expm1 sqrt sin cos tan asin acos atan sinh cosh tanh asinh acosh"
        for name in [*names.split(), "atanh", "erf", "atan2", "hypot"]:
            setattr(self, name, getattr(mp, name))
        self.pow, self.fabs = mp.power, mp.fabs


def _reference(function: Any, shim: _MpMath, point: Sequence[float]) -> list[Any] | None:
    """The true outputs at ``point`` (mpmath numbers), or None where undefined."""
    mp = shim.mp
    previous = None
    for bits in PRECISIONS:
        mp.prec = bits
        try:
            values = function(*(mp.mpf(v) for v in point))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return None
        values = list(values)
        if any(not isinstance(v, mp.mpf) or not mp.isfinite(v) for v in values):
            return None  # complex (outside the real domain) or infinite
        if (
            previous is not None
            and all(abs(a - b) <= AGREEMENT * abs(b) for a, b in zip(previous, values, strict=True))
            and (bits >= ZERO_TRUSTED or all(v != 0 for v in values))
        ):
            return values
        previous = values
    return None


def error_report(
    f: Any, domain: Mapping[str, Interval], *, grad: bool = True, target: str = "numpy",
    stable: bool = True, points: int = 10_000, seed: int = 0,
) -> AccuracyReport:  # fmt: skip
    """The errors of ``f`` (and, with ``grad``, its gradient) as compiled for ``target``, at
    ``points`` random points of ``domain`` (a mapping ``name -> (lo, hi)``, see ``sample``).

    >>> print(error_report("log(1 + exp(x))", {"x": (-1000, 1000)}, points=1000))  # doctest: +SKIP
    """
    try:
        import mpmath  # type: ignore[import-untyped]
    except ImportError:
        raise CodegenError("error_report needs mpmath (pip install mpmath)") from None
    import numpy as np

    roots, symbols, _ = prepare(f, sorted(domain))
    expr = roots[0]
    names = [s.name for s in symbols]
    exprs = [expr, *gradient_of(expr, symbols)] if grad else [expr]
    labels = ["f", *(f"df/d{n}" for n in names)] if grad else ["f"]
    compiled = compile(exprs, symbols, target, stable=stable)
    reference: Any = compile(exprs, symbols, "python", stable=False)
    shim = _MpMath(mpmath.mp)
    reference.func.__globals__["math"] = shim  # a Generated partial of the function
    grid = sample(domain, names, points, seed)
    with np.errstate(all="ignore"):
        if target == "python":  # floats in, floats out: one call per point
            got = np.array([_call_floats(compiled, row, len(exprs)) for row in grid.tolist()]).T
        else:
            got = np.array(compiled(*(grid[:, i] for i in range(len(names)))), dtype=float)
    got = np.broadcast_to(got.reshape(len(exprs), -1), (len(exprs), points))
    outputs = [OutputAccuracy(label) for label in labels]
    skipped, saved = 0, mpmath.mp.prec
    try:
        skipped = _compare(reference, shim, grid, got, names, outputs)
    finally:
        mpmath.mp.prec = saved
    return AccuracyReport(builtins.str(expr), target, stable, points, outputs, skipped)


def _compare(
    reference: Any, shim: _MpMath, grid: Any, got: Any, names: list[str],
    outputs: list[OutputAccuracy],
) -> int:  # fmt: skip
    """Record every point's errors; the number of points without a finite true value."""
    skipped = 0
    for k in range(len(grid)):
        point = [float(v) for v in grid[k]]
        true = _reference(reference, shim, point)
        rounded = None if true is None else [float(v) for v in true]
        if true is None or rounded is None or not all(map(math.isfinite, rounded)):
            skipped += 1
            continue
        at = dict(zip(names, point, strict=True))
        for output, value, exact, near in zip(outputs, got[:, k], true, rounded, strict=True):
            _record(output, float(value), exact, near, at)
    return skipped


def _call_floats(function: Any, point: list[float], outputs: int) -> list[float]:
    try:
        return list(function(*point))
    except (ArithmeticError, ValueError):  # math's OverflowError, domain errors: not a number
        return [math.nan] * outputs


def _record(output: OutputAccuracy, got: float, exact: Any, near: float, at: dict) -> None:
    if not math.isfinite(got):
        output.nonfinite += 1
        output.nonfinite_at = output.nonfinite_at or at
        output.worst_relative, output.worst_at = math.inf, at
        return
    error = abs(exact - got)
    output.ulps.append(float(error / math.ulp(near)))
    # relative to the smallest normal number at least: an underflowed 0.0 is correctly rounded
    relative = float(error / max(abs(exact), TINY))
    if relative > output.worst_relative:
        output.worst_relative, output.worst_at = relative, at
