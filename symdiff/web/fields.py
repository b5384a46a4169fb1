"""Reading a request of the JSON API: work limits, the 4xx error, and one reader per kind of field.

Every reader takes the request dict and a field name and returns a checked Python value, or
raises ``ApiError`` naming the field (a parse error also gives its position).
"""

from __future__ import annotations

import math
from typing import Any

import symdiff
from symdiff import Expr, ParseError, SymdiffError

#: Work limits per request (also served by ``GET /api`` so the page and clients can read them).
LIMITS: dict[str, float] = {
    "body_bytes": 64 * 1024,  # the request body
    "formula_chars": 2000,  # each formula in the request
    "formula_nodes": 500,  # distinct subexpressions of a parsed formula
    "variables": 3,  # variables differentiated by (a mixed partial)
    "order": 8,  # times each variable
    "typeset_nodes": 4000,  # a result larger than this (as a tree) is shown in CSE text only
    "steps_nodes": 2000,  # formulas up to this size (as a tree) are explained step by step
    "graph_nodes": 150,  # computation graphs are drawn up to this many nodes
    "plot_samples": 600,  # points per curve
    "seconds": 10,  # wall-clock time per request (then the worker running it is ended)
    "memory_mib": 1024,  # address space of a worker process
}


class ApiError(Exception):
    """A 4xx answer: HTTP status, a short machine-readable code, a message for people."""

    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def payload(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.details}}


# ---- reading the request ------------------------------------------------------------------


def text_field(body: dict[str, Any], name: str, default: str | None = None) -> str:
    value = body.get(name, default)
    if value is None:
        raise ApiError(400, "missing_field", f"the request needs a {name!r} string", field=name)
    if not isinstance(value, str):
        raise ApiError(400, "bad_field", f"{name!r} must be a string", field=name)
    if len(value) > LIMITS["formula_chars"]:
        raise ApiError(
            413, "too_long",
            f"{name!r} has {len(value)} characters; the limit is {LIMITS['formula_chars']}",
            field=name,
        )  # fmt: skip
    return value


def formula_field(body: dict[str, Any], name: str = "formula") -> Expr:
    """The parsed formula; a parse error names the field and the position (0-based offset)."""
    text = text_field(body, name)
    try:
        expr = symdiff.parse(text)
    except ParseError as error:
        raise ApiError(
            400, "parse_error", error.message, field=name, line=error.line, column=error.column,
            position=_offset(text, error.line, error.column), context=error.context,
        ) from None  # fmt: skip
    except SymdiffError as error:
        raise ApiError(400, "bad_formula", str(error), field=name) from None
    size = symdiff.dag_size(expr)
    if size > LIMITS["formula_nodes"]:
        raise ApiError(
            422, "too_complex",
            f"{name!r} has {size} distinct parts; the limit is {LIMITS['formula_nodes']}",
            field=name,
        )  # fmt: skip
    return expr


def _offset(text: str, line: int, column: int) -> int:
    """The 0-based character offset of a 1-based line and column."""
    lines = text.split("\n")
    if line < 1:
        return 0
    before = sum(len(row) + 1 for row in lines[: line - 1])
    return min(before + max(column - 1, 0), len(text))


def variables_field(body: dict[str, Any], expr: Expr, many: bool = True) -> list[str]:
    """``wrt``: a name or a list of names; default the formula's only variable."""
    value = body.get("wrt")
    names = [s.name for s in expr.free_symbols]
    if value in (None, "", []):
        if len(names) > 1:
            raise ApiError(
                400, "choose_variable",
                f"the formula has several variables ({', '.join(names)}): choose one in 'wrt'",
                field="wrt", variables=names,
            )  # fmt: skip
        return names or ["x"]
    wanted = [value] if isinstance(value, str) else value
    if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
        raise ApiError(400, "bad_field", "'wrt' must be a name or a list of names", field="wrt")
    if len(wanted) > (LIMITS["variables"] if many else 1):
        limit = LIMITS["variables"] if many else 1
        raise ApiError(400, "bad_field", f"'wrt' may name at most {limit}", field="wrt")
    for name in wanted:
        if not name.strip().isidentifier():
            raise ApiError(400, "bad_field", f"{name!r} is not a variable name", field="wrt")
    return [name.strip() for name in wanted]


def integer_field(body: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, "bad_field", f"{name!r} must be a whole number", field=name)
    if not low <= value <= high:
        raise ApiError(
            422 if value > high else 400, "out_of_range",
            f"{name!r} must be between {low} and {high}", field=name,
        )  # fmt: skip
    return value


def number_field(body: dict[str, Any], name: str, default: float) -> float:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ApiError(400, "bad_field", f"{name!r} must be a finite number", field=name)
    if abs(value) > 1e12:
        raise ApiError(400, "out_of_range", f"{name!r} must be at most 1e12 in size", field=name)
    return float(value)


def values_field(body: dict[str, Any], name: str) -> dict[str, float]:
    """``{"x": 1.5, "y": "pi/4"}``: values given as numbers or as constant formulas."""
    value = body.get(name, {})
    if not isinstance(value, dict):
        raise ApiError(400, "bad_field", f"{name!r} must be an object of values", field=name)
    values: dict[str, float] = {}
    for key, given in value.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise ApiError(400, "bad_field", f"{key!r} is not a variable name", field=name)
        if isinstance(given, str):
            try:
                given = symdiff.evaluate(symdiff.parse(text_field(value, key)))
            except SymdiffError as error:
                message = f"{key} = {value[key]}: {error}"
                raise ApiError(400, "bad_value", message, field=name) from None
        if isinstance(given, bool) or not isinstance(given, int | float):
            raise ApiError(400, "bad_field", f"the value of {key} must be a number", field=name)
        values[key] = float(given)
    return values


def point_field(body: dict[str, Any], name: str, expr: Expr) -> dict[str, float]:
    """Values of every variable of ``expr`` (see ``values_field``), in the formula's order."""
    values = values_field(body, name)
    missing = [s.name for s in expr.free_symbols if s.name not in values]
    if missing:
        raise ApiError(400, "missing_value", f"give a value for {', '.join(missing)}", field=name)
    return {s.name: values[s.name] for s in expr.free_symbols}
