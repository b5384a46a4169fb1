"""Plots of f, f' and f'' as SVG, drawn on the server from sampled points.

Where a function is undefined (or not finite) its line has a gap.  Near a pole, where two
neighbouring samples are further apart than the view is tall, on either side of it, the line is
broken instead of drawn across the plot.  The vertical range comes from the bulk of the values
of f and f' (see ``value_range``), so huge values beside a pole do not flatten the rest.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 28, 36  # margins around the plotting area
COLORS = ("#1f6fb4", "#d0422b", "#2f9a3c")
DASHES = ("", "", ' stroke-dasharray="6 4"')

Point = tuple[float, float | None]
HUGE = 1e300  # larger values count as undefined (overflow), so that ranges stay finite


@dataclass(frozen=True)
class Curve:
    """One function's samples ``(x, y)``; ``y`` is None where it is undefined."""

    label: str
    points: list[Point]

    @property
    def defined(self) -> int:
        return sum(y is not None for _, y in self.points)


def sample(function: Callable[[float], float], low: float, high: float, count: int) -> list[Point]:
    """``count`` evenly spaced samples of ``function`` on ``[low, high]`` (None where it fails)."""
    points: list[Point] = []
    for i in range(count):
        x = low + (high - low) * i / (count - 1)
        try:
            y: float | None = float(function(x))
        except (ArithmeticError, ValueError, TypeError):
            y = None
        points.append((x, y if y is not None and abs(y) <= HUGE else None))
    return points


def nice_ticks(low: float, high: float, target: int = 7) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) covering ``[low, high]``."""
    raw = (high - low) / target
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step)
    return [k * step for k in range(first, math.floor(high / step) + 1)]


def tick_text(value: float, step: float) -> str:
    digits = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    text = f"{value:.{digits}f}"
    return "0" if float(text) == 0 else text.replace("-", "\u2212")


def value_range(curves: list[Curve]) -> tuple[float, float]:
    """The vertical range shown: the bulk of the values of f (5th to 95th percentile) and f'
    (10th to 90th: derivatives have heavier tails at poles), or all of their values when that is
    at most three times as tall; padded.  f'' may leave the view: it should not flatten f."""
    low, high, least, most = math.inf, -math.inf, math.inf, -math.inf
    for cut, curve in zip((5, 10), curves[:2], strict=False):
        values = sorted(y for _, y in curve.points if y is not None)
        if values:
            low = min(low, values[len(values) * cut // 100])
            high = max(high, values[max(len(values) * (100 - cut) // 100 - 1, 0)])
            least, most = min(least, values[0]), max(most, values[-1])
    if low > high:
        return -1.0, 1.0
    if most - least <= 3 * (high - low):
        low, high = least, most
    if high - low < 1e-9 * max(1.0, abs(high)):
        low, high = low - 1, high + 1
    pad = (high - low) * (0.08 if (low, high) == (least, most) else 0.25)
    return low - pad, high + pad


def _path(points: list[Point], sx: Callable[[float], float], sy: Callable[[float], float],
          low: float, high: float) -> str:  # fmt: skip
    """SVG path data: a new piece after every gap and across every pole."""
    span, middle = high - low, (high + low) / 2
    parts: list[str] = []
    previous: float | None = None
    for x, y in points:
        if y is None:
            previous = None
            continue
        # a pole: the neighbours are more than the view's height apart, on either side of it
        jump = (
            previous is not None
            and abs(y - previous) > span
            and (y - middle) * (previous - middle) < 0
        )
        clamped = min(max(y, low - 10 * span), high + 10 * span)
        command = "L" if previous is not None and not jump else "M"
        parts.append(f"{command}{sx(x):.1f},{sy(clamped):.1f}")
        previous = y
    return " ".join(parts)


def _line(x1: float, y1: float, x2: float, y2: float, color: str, extra: str = "") -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}"{extra}/>'
    )


def _text(x: float, y: float, anchor: str, content: str, extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="12"{extra}>'
        f"{escape(content)}</text>"
    )


def plot_svg(curves: list[Curve], low: float, high: float, variable: str) -> str:
    """The plot of ``curves`` over ``[low, high]`` as an SVG document fragment."""
    bottom_value, top_value = value_range(curves)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    names = ", ".join(c.label for c in curves)

    def sx(x: float) -> float:
        return LEFT + (x - low) / (high - low) * inner_w

    def sy(y: float) -> float:
        return TOP + (top_value - y) / (top_value - bottom_value) * inner_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="plot" role="img" aria-label="plot of {escape(names)}">',
        f'<defs><clipPath id="plot-area"><rect x="{LEFT}" y="{TOP}" width="{inner_w}" '
        f'height="{inner_h}"/></clipPath></defs>',
        f'<rect x="{LEFT}" y="{TOP}" width="{inner_w}" height="{inner_h}" fill="#ffffff" '
        'stroke="#999999"/>',
    ]
    axes = (("x", low, high, sx), ("y", bottom_value, top_value, sy))
    for axis, start, stop, scale in axes:
        ticks = nice_ticks(start, stop)
        step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
        for tick in ticks:
            at = scale(tick)
            label = tick_text(tick, step)
            color = "#777777" if tick == 0 else "#e4e4e4"
            if axis == "x":
                out.append(_line(at, TOP, at, TOP + inner_h, color))
                out.append(_text(at, TOP + inner_h + 16, "middle", label))
            else:
                out.append(_line(LEFT, at, LEFT + inner_w, at, color))
                out.append(_text(LEFT - 6, at + 4, "end", label))
    out.append(_text(LEFT + inner_w / 2, HEIGHT - 4, "middle", variable, ' font-style="italic"'))
    box = f'x="{LEFT + 4}" y="{TOP + 4}" width="64" height="{18 * len(curves) + 6}"'
    paths, legend = [], [f'<rect {box} fill="#ffffff" fill-opacity="0.85"/>']
    for i, curve in enumerate(curves):
        data = _path(curve.points, sx, sy, bottom_value, top_value)
        color, style = COLORS[i % len(COLORS)], f' stroke-width="2"{DASHES[i % len(DASHES)]}'
        paths.append(
            f'<path class="curve" data-label="{escape(curve.label)}" d="{data}" fill="none" '
            f'stroke="{color}"{style} clip-path="url(#plot-area)"/>'
        )
        y = TOP + 16 + 18 * i  # the legend
        legend.append(_line(LEFT + 10, y - 4, LEFT + 34, y - 4, color, style))
        legend.append(_text(LEFT + 40, y, "start", curve.label))
    out += [*paths, *legend, "</svg>"]
    return "\n".join(out)
