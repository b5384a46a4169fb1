"""What ``error_report`` and ``compare_accuracy`` return: the errors of each output, and the
reports as text tables and as strict JSON (``symdiff.backend.accuracy`` measures them)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

#: A variable's interval: bounds, and optionally a scale (``"log"``, ``"±log"``).
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

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready values (an infinity is ``"inf"``, no data is ``None``)."""
        return {
            "label": self.label, "median_ulp": _number(self.median_ulp),
            "max_ulp": _number(self.max_ulp), "worst_relative": _number(self.worst_relative),
            "worst_at": self.worst_at, "nonfinite": self.nonfinite,
            "nonfinite_at": self.nonfinite_at, "measured": len(self.ulps),
        }  # fmt: skip


def _number(value: float) -> float | str | None:
    """``value`` for strict JSON: NaN (nothing measured) is None, an infinity ``"inf"``."""
    if math.isnan(value):
        return None
    return value if math.isfinite(value) else ("inf" if value > 0 else "-inf")


@dataclass
class AccuracyReport:
    """``error_report``'s answer: one ``OutputAccuracy`` per output, and the points used."""

    formula: str
    target: str
    stable: bool
    points: int
    outputs: list[OutputAccuracy]
    skipped: int  # points where the true value is undefined or not a finite float64
    domain: dict[str, Interval] = field(default_factory=dict)

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

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values (see ``OutputAccuracy.to_dict``)."""
        return {
            "formula": self.formula, "target": self.target, "stable": self.stable,
            "points": self.points, "skipped": self.skipped,
            "domain": {name: list(interval) for name, interval in self.domain.items()},
            "outputs": [output.to_dict() for output in self.outputs],
        }  # fmt: skip


@dataclass
class AccuracyComparison:
    """``compare_accuracy``'s answer: one report per kind of code, all at the same points."""

    reports: list[AccuracyReport]

    def __str__(self) -> str:
        first = self.reports[0]
        where = ", ".join(f"{name} in {_interval_text(i)}" for name, i in first.domain.items())
        lines = [
            f"accuracy of {first.formula} ({first.target} code) at {first.points} points"
            f"{' of ' + where if where else ''} ({first.skipped} without a finite true value):",
            f"  {'output':<10} {'code':<16} {'median ulp':>10} {'max ulp':>11} "
            f"{'worst rel':>10} {'non-finite':>10}  worst at",
        ]
        for k in range(len(first.outputs)):
            for report in self.reports:
                o = report.outputs[k]
                code = "stable (default)" if report.stable else "literal"
                label = o.label if report is self.reports[0] else ""
                at = ", ".join(f"{n}={v:.17g}" for n, v in (o.worst_at or {}).items())
                lines.append(
                    f"  {label:<10} {code:<16} {o.median_ulp:>10.3g} {o.max_ulp:>11.4g} "
                    f"{o.worst_relative:>10.3g} {o.nonfinite:>10}  {at}"
                )
        lines.append(
            "  (ulps of the correctly rounded true value; non-finite: inf or nan where the true "
            "value is finite)"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """``{"reports": [...]}``, each as ``AccuracyReport.to_dict``."""
        return {"reports": [report.to_dict() for report in self.reports]}


def _interval_text(interval: Interval) -> str:
    lo, hi, *scale = interval
    return f"[{lo:g}, {hi:g}]" + (f" ({scale[0]})" if scale else "")
