"""Several formulas in one string: ``"x*y, x + y**2"`` (a Jacobian's outputs, a system's
right-hand sides) split at the commas that are outside brackets."""

from __future__ import annotations


def split_formulas(text: str) -> list[str]:
    """``"x*y, atan2(y, x)"`` -> ``["x*y", "atan2(y, x)"]``: split at commas outside brackets."""
    parts: list[str] = []
    depth = start = 0
    for i, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [part for part in parts if part.strip()]
