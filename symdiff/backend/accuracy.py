"""``error_report``: how accurate generated code is, measured against mpmath.

The formula (and its gradient) is compiled for a target and evaluated at random points of a
domain; the reference is the *literal* formula evaluated by mpmath at a precision that is raised
until two precisions agree, so cancellation and overflow in float64 do not reach it.  Errors are
reported in ulps of the correctly rounded reference and as relative errors, with the point where
the worst one occurred.  Points where the true value is not a finite float64 (or is undefined)
are left out; a non-finite output where the true value is finite is counted separately.
``compare_accuracy`` measures stable and literal code against one reference (computed once).
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Mapping, Sequence
from typing import Any

from symdiff.backend.accuracy_reports import (
    AccuracyComparison,
    AccuracyReport,
    Interval,
    OutputAccuracy,
)
from symdiff.backend.compiling import compile, gradient_of, prepare
from symdiff.core.errors import CodegenError, SymdiffError

#: Precisions (bits) tried in turn; two successive results that agree are accepted.  The jump
#: from the first to the second is large: ``log(1 + exp(-x))`` at x = 1000 cancels every digit
#: below about 1450 bits, so two nearby low precisions would agree on a wrong 0.
PRECISIONS = (160, 320, 2400, 4800)
#: Agreement on an exact 0 is trusted only from this precision on (see PRECISIONS).
ZERO_TRUSTED = 2400
#: Agreement asked of two successive precisions (relative).
AGREEMENT = 2.0**-70

TINY = 2.2250738585072014e-308  # the smallest normal float64
#: The interval of every variable when no domain is given: wide enough to reach exp's overflow.
DEFAULT_INTERVAL = (-1000.0, 1000.0)
SCALES = ("log", "±log")

Domain = Mapping[str, Interval] | str | None


def parse_domain(text: str) -> dict[str, Interval]:
    """``"x=-1000:1000,y=1e-20:1e-10:log"`` as ``{"x": (-1000.0, 1000.0), "y": (1e-20, 1e-10,
    "log")}``; each bound may be a constant formula (``x=-pi:pi``), the scale ``log``/``±log``."""
    from symdiff.formats.parser import parse_any
    from symdiff.numeric.evaluation import evaluate

    domain: dict[str, Interval] = {}
    for assignment in (part for part in text.split(",") if part.strip()):
        name, equals, bounds = assignment.partition("=")
        name, parts = name.strip(), bounds.split(":")
        if not equals or not name.isidentifier() or len(parts) not in (2, 3):
            raise CodegenError(
                f"a domain is name=lo:hi pairs like x=-1000:1000,y=0:1 (or x=1e-9:1:log), "
                f"not {assignment.strip()!r}"
            )
        if name in domain:
            raise CodegenError(f"the domain gives {name} twice")
        try:
            lo, hi = (float(evaluate(parse_any(part))) for part in parts[:2])
        except SymdiffError as error:
            raise CodegenError(f"bad bound in the domain of {name}: {error}") from None
        scale = [part.strip() for part in parts[2:]]
        if not lo < hi or (scale and scale[0] not in SCALES):
            raise CodegenError(f"bad interval for {name}: {assignment.strip()!r} (lo < hi, "
                               f"scale {' or '.join(SCALES)})")  # fmt: skip
        domain[name] = (lo, hi, scale[0]) if scale else (lo, hi)
    if not domain:
        raise CodegenError("the domain is empty: give name=lo:hi pairs like x=-1000:1000")
    return domain


def _domain_of(f: Any, domain: Domain) -> dict[str, Interval]:
    """``domain`` as a mapping: parsed from text, or ``DEFAULT_INTERVAL`` for every variable."""
    if isinstance(domain, str):
        return parse_domain(domain)
    if domain is not None:
        return dict(domain)
    from symdiff.core.traverse import free_symbols
    from symdiff.formats.parser import parse_any

    return {s.name: DEFAULT_INTERVAL for s in free_symbols(parse_any(f))}


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
    f: Any, domain: Domain = None, *, grad: bool = True, target: str = "numpy",
    stable: bool = True, points: int = 10_000, seed: int = 0,
) -> AccuracyReport:  # fmt: skip
    """The errors of ``f`` (and, with ``grad``, its gradient) as compiled for ``target``, at
    ``points`` random points of ``domain``: a mapping ``name -> (lo, hi)`` (see ``sample``),
    text for ``parse_domain``, or None for ``DEFAULT_INTERVAL`` in every variable.

    >>> print(error_report("log(1 + exp(x))", {"x": (-1000, 1000)}, points=1000))  # doctest: +SKIP
    """
    return _measure(f, domain, grad, target, (stable,), points, seed)[0]


def compare_accuracy(
    f: Any, domain: Domain = None, *, grad: bool = True, target: str = "numpy",
    points: int = 10_000, seed: int = 0,
) -> AccuracyComparison:  # fmt: skip
    """``error_report`` of the stable code (the default of ``compile``) and of the literal code
    (``stable=False``) at the same points, against one reference."""
    return AccuracyComparison(_measure(f, domain, grad, target, (True, False), points, seed))


def _measure(
    f: Any, domain: Domain, grad: bool, target: str, stables: Sequence[bool], points: int,
    seed: int,
) -> list[AccuracyReport]:  # fmt: skip
    """One report per entry of ``stables``; the reference is computed once for all."""
    try:
        import numpy  # noqa: F401  (the sample and the numpy target need it)
    except ImportError:
        raise CodegenError("error_report needs NumPy (pip install numpy)") from None
    try:
        import mpmath  # type: ignore[import-untyped]
    except ImportError:
        raise CodegenError("error_report needs mpmath (pip install mpmath)") from None
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise CodegenError(f"points must be a whole number of at least 1, not {points!r}")
    intervals = _domain_of(f, domain)
    try:
        roots, symbols, _ = prepare(f, sorted(intervals))
    except CodegenError as error:
        if "not among the arguments" not in str(error):
            raise
        raise CodegenError(f"the domain does not cover the formula: {error}") from None
    expr = roots[0]
    names = [s.name for s in symbols]
    exprs = [expr, *gradient_of(expr, symbols)] if grad else [expr]
    labels = ["f", *(f"df/d{n}" for n in names)] if grad else ["f"]
    reference: Any = compile(exprs, symbols, "python", stable=False)
    shim = _MpMath(mpmath.mp)
    reference.func.__globals__["math"] = shim  # a Generated partial of the function
    grid = sample(intervals, names, points, seed)
    got = [_outputs(compile(exprs, symbols, target, stable=s), target, grid, len(exprs))
           for s in stables]  # fmt: skip
    reports = [
        AccuracyReport(builtins.str(expr), target, s, points,
                       [OutputAccuracy(label) for label in labels], 0, intervals)
        for s in stables
    ]  # fmt: skip
    saved = mpmath.mp.prec
    try:
        skipped = _compare(reference, shim, grid, got, names, [r.outputs for r in reports])
    finally:
        mpmath.mp.prec = saved
    for report in reports:
        report.skipped = skipped
    return reports


def _outputs(compiled: Any, target: str, grid: Any, count: int) -> Any:
    """The compiled function's outputs at every point of ``grid``: ``count`` rows."""
    import numpy as np

    points = len(grid)
    with np.errstate(all="ignore"):
        if target == "python":  # floats in, floats out: one call per point
            got = np.array([_call_floats(compiled, row, count) for row in grid.tolist()]).T
        else:
            got = np.array(compiled(*(grid[:, i] for i in range(grid.shape[1]))), dtype=float)
    return np.broadcast_to(got.reshape(count, -1), (count, points))


def _compare(
    reference: Any, shim: _MpMath, grid: Any, got: list[Any], names: list[str],
    outputs: list[list[OutputAccuracy]],
) -> int:  # fmt: skip
    """Record every point's errors (``got[i]`` into ``outputs[i]``); the number of points
    without a finite true value."""
    skipped = 0
    for k in range(len(grid)):
        point = [float(v) for v in grid[k]]
        true = _reference(reference, shim, point)
        rounded = None if true is None else [float(v) for v in true]
        if true is None or rounded is None or not all(map(math.isfinite, rounded)):
            skipped += 1
            continue
        at = dict(zip(names, point, strict=True))
        for values, records in zip(got, outputs, strict=True):
            for output, value, exact, near in zip(records, values[:, k], true, rounded,
                                                  strict=True):  # fmt: skip
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
