"""The JSON API behind the page: one function per endpoint, request dict in, response dict out.

``respond(name, body)`` is what the server (through its worker processes) calls; it returns
``(status, payload)`` and never raises: bad input is a 4xx payload ``{"error": {...}}`` naming
the field (and, for a parse error, the position), and an unexpected failure a 500 payload that
says so without a traceback.  Everything here uses only symdiff's public API.
"""

from __future__ import annotations

import math
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import symdiff
from symdiff import Call, Expr, ParseError, Sym, SymdiffError
from symdiff.web.plot import Curve, plot_svg, sample

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


# ---- writing the response -----------------------------------------------------------------


def mathml_body(expr: Expr) -> str:
    """The content of ``to_mathml``'s ``<math>`` element, to combine with other pieces."""
    markup = symdiff.to_mathml(expr)
    return markup[markup.index(">") + 1 : -len("</math>")]


def math_block(body: str, display: bool = True) -> str:
    """A ``<math>`` element: a block of its own, or inline (still with full-size fractions)."""
    mode = ' display="block"' if display else ' displaystyle="true"'
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{mode}>{body}</math>'


def derivative_operator(wrt: list[str], order: int) -> str:
    """d/dx, d²/dx², ∂²/∂y∂x as MathML."""
    total = order * len(wrt)
    d = "\u2202" if len(wrt) > 1 else "d"
    top = f"<mi>{d}</mi>" if total == 1 else f"<msup><mi>{d}</mi><mn>{total}</mn></msup>"
    parts = []
    for name in reversed(wrt):
        variable = mathml_body(Sym(name))
        power = variable if order == 1 else f"<msup>{variable}<mn>{order}</mn></msup>"
        parts.append(f"<mi>{d}</mi>{power}")
    return f"<mfrac>{top}<mrow>{''.join(parts)}</mrow></mfrac>"


def forms(expr: Expr) -> dict[str, Any]:
    """Text, LaTeX and MathML of a result; a very large one only as text with shared parts."""
    size = symdiff.tree_size(expr)
    if size > LIMITS["typeset_nodes"]:
        return {
            "text": symdiff.cse_text([expr], ["result"]), "latex": None, "mathml": None,
            "note": f"{size} nodes written out: too large to typeset; repeated parts are named",
        }  # fmt: skip
    return {
        "text": symdiff.to_str(expr),
        "latex": symdiff.to_latex(expr),
        "mathml": math_block(mathml_body(expr)),
    }


def code(expr: Expr, args: list[str], name: str) -> dict[str, str | None]:
    """The derivative as Python, NumPy and C source (None where a target refuses it)."""
    sources: dict[str, str | None] = {}
    for target in ("python", "numpy", "c"):
        try:
            sources[target] = symdiff.codegen(expr, args or ["x"], target, name)
        except SymdiffError:
            sources[target] = None
    return sources


# ---- the endpoints ------------------------------------------------------------------------


def api_parse(body: dict[str, Any]) -> dict[str, Any]:
    """The formula as read: its forms and its variables (the live preview)."""
    expr = formula_field(body)
    return {"formula": forms(expr), "variables": [s.name for s in expr.free_symbols]}


def api_diff(body: dict[str, Any]) -> dict[str, Any]:
    """The derivative, raw and simplified, with code for it."""
    expr = formula_field(body)
    wrt = variables_field(body, expr)
    order = integer_field(body, "order", 1, 1, int(LIMITS["order"]))
    raw = symdiff.diff(expr, *((name, order) for name in wrt))
    simplified = symdiff.simplify(raw)
    args = [s.name for s in expr.free_symbols] or wrt
    name = "df_" + "_".join(f"d{v}" for v in wrt for _ in range(order))
    operator = derivative_operator(wrt, order)
    typeset = forms(simplified)
    equation = None
    if typeset["mathml"] is not None:
        head = f"{operator}{_operand(expr)}<mo>=</mo>"
        equation = math_block(head + mathml_body(simplified))
    return {
        "formula": forms(expr),
        "variables": [s.name for s in expr.free_symbols],
        "wrt": wrt,
        "order": order,
        "equation": equation,
        "derivative": {**typeset, "code": code(simplified, args, name)},
        "raw": forms(raw),
    }


def _operand(expr: Expr) -> str:
    """``expr`` as the operand of d/dx: in parentheses unless it is a name or a call; they
    stretch only around a fraction (browsers draw stretched ones around one line with gaps)."""
    body = mathml_body(expr)
    if isinstance(expr, Sym | Call) and not body.startswith("<mrow><mo"):
        return body
    mo = "<mo>" if "<mfrac" in body else '<mo stretchy="false">'
    return f"<mrow>{mo}(</mo>{body}{mo})</mo></mrow>"


def api_steps(body: dict[str, Any]) -> dict[str, Any]:
    """The derivation step by step (first derivative by one variable)."""
    expr = formula_field(body)
    (wrt,) = variables_field(body, expr, many=False)
    size = symdiff.tree_size(expr)
    if size > LIMITS["steps_nodes"]:
        raise ApiError(
            422, "too_large",
            f"the formula has {size} nodes written out; steps are shown up to "
            f"{LIMITS['steps_nodes']}", field="formula",
        )  # fmt: skip
    derivation = symdiff.explain(expr, wrt)
    operator = derivative_operator([wrt], 1)
    steps = []
    for step in derivation.steps:
        result = mathml_body(step.result)
        if step.rule == "simplify" and step.uses == (step.number - 1,):
            equation = f"<mo>=</mo>{result}"  # the rewrite of the whole previous result
        elif step.rule == "simplify":
            equation = f"{mathml_body(step.expr)}<mo>=</mo>{result}"
        else:
            equation = f"{operator}{_operand(step.expr)}<mo>=</mo>{result}"
        steps.append(
            {
                "number": step.number, "rule": step.rule, "detail": step.detail,
                "depth": step.depth, "uses": list(step.uses), "mathml": math_block(equation, False),
                "expr": symdiff.to_str(step.expr), "result": symdiff.to_str(step.result),
            }
        )  # fmt: skip
    return {"wrt": wrt, "steps": steps, "text": derivation.text(), "latex": derivation.to_latex()}


def api_plot(body: dict[str, Any]) -> dict[str, Any]:
    """An SVG plot of f and f' (and f'' with ``"second": true``) over ``from``..``to``."""
    expr = formula_field(body)
    (wrt,) = variables_field(body, expr, many=False)
    low, high = number_field(body, "from", -5.0), number_field(body, "to", 5.0)
    if not high - low >= 1e-9 * max(1.0, abs(low), abs(high)):
        raise ApiError(
            400, "bad_range", "'from' must be less than 'to' (by 1e-9 at least)", field="from"
        )
    second = body.get("second", False)
    if not isinstance(second, bool):
        raise ApiError(400, "bad_field", "'second' must be true or false", field="second")
    given = values_field(body, "values")  # the other variables (default 1)
    others = {s.name: given.get(s.name, 1.0) for s in expr.free_symbols if s.name != wrt}
    first = symdiff.simplify(symdiff.diff(expr, wrt))
    curves = [("f", expr), ("f\u2032", first)]
    if second:
        curves.append(("f\u2033", symdiff.simplify(symdiff.diff(first, wrt))))
    args = [wrt, *others]
    values = list(others.values())
    count = int(LIMITS["plot_samples"])
    sampled: list[Curve] = []
    for label, curve in curves:
        function = symdiff.compile(curve, args, "python")

        def at(x: float, f: Any = function) -> float:
            return float(f(x, *values))

        points = sample(at, low, high, count)
        if sampled:  # a derivative exists only where f is defined (1/x is no derivative at -1)
            points = [
                (x, y if f_y is not None else None)
                for (x, y), (_, f_y) in zip(points, sampled[0].points, strict=True)
            ]
        sampled.append(Curve(label, points))
    svg = plot_svg(sampled, low, high, wrt)
    return {
        "svg": svg,
        "wrt": wrt,
        "from": low,
        "to": high,
        "values": others,
        "curves": [{"label": c.label, "defined": c.defined} for c in sampled],
    }


def api_graph(body: dict[str, Any]) -> dict[str, Any]:
    """The computation graph at a point, with values and adjoints (SVG when Graphviz is here)."""
    expr = formula_field(body)
    point = point_field(body, "point", expr)
    nodes = symdiff.dag_size(expr)
    if nodes > LIMITS["graph_nodes"]:
        raise ApiError(
            422, "too_large",
            f"the graph has {nodes} nodes; it is drawn up to {LIMITS['graph_nodes']}",
            field="formula",
        )  # fmt: skip
    try:
        result = symdiff.partials_at(expr, point, "reverse") if point else None
    except SymdiffError as error:
        raise ApiError(400, "undefined", f"at this point: {error}", field="point") from None
    dot = symdiff.to_dot(expr, point or None)
    svg, message = None, None
    with tempfile.TemporaryDirectory(prefix="symdiff-graph-") as folder:
        path = Path(folder) / "graph.svg"
        try:
            symdiff.write_graph(expr, path, point or None)
            text = path.read_text(encoding="utf-8")
            svg = text[text.index("<svg") :]
        except SymdiffError as error:
            message = str(error)
    return {
        "svg": svg,
        "dot": dot,
        "message": message,
        "point": point,
        "value": symdiff.evaluate(expr, point) if result is None else result.value,
        "gradient": {} if result is None else result.gradient,
    }


def api_check(body: dict[str, Any]) -> dict[str, Any]:
    """Is ``answer`` the derivative of ``formula``?  The verdict with its reason."""
    expr = formula_field(body)
    answer = formula_field(body, "answer")
    wrt = variables_field(body, expr)
    order = integer_field(body, "order", 1, 1, int(LIMITS["order"]))
    result = symdiff.check(expr, answer, wrt, order=order)
    return {
        **result.to_dict(),
        "answer": forms(answer),
        "derivative_forms": forms(result.derivative),
    }


#: Endpoints by name (``POST /api/<name>``), each with a line of documentation.
ENDPOINTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "parse": api_parse,
    "diff": api_diff,
    "steps": api_steps,
    "plot": api_plot,
    "graph": api_graph,
    "check": api_check,
}


def describe() -> dict[str, Any]:
    """``GET /api``: the endpoints and the limits."""
    return {
        "endpoints": {
            f"POST /api/{name}": (function.__doc__ or "").strip()
            for name, function in ENDPOINTS.items()
        },
        "limits": LIMITS,
        "version": symdiff.__version__,
    }


def respond(name: str, body: Any) -> tuple[int, dict[str, Any]]:
    """``(status, payload)`` for ``POST /api/<name>`` with the decoded JSON ``body``."""
    endpoint = ENDPOINTS.get(name)
    if endpoint is None:
        return 404, ApiError(404, "not_found", f"no endpoint /api/{name}").payload()
    if not isinstance(body, dict):
        return 400, ApiError(400, "bad_request", "the body must be a JSON object").payload()
    try:
        return 200, endpoint(body)
    except ApiError as error:
        return error.status, error.payload()
    except SymdiffError as error:
        return 400, ApiError(400, "bad_input", str(error)).payload()
    except (RecursionError, MemoryError):
        return 422, ApiError(422, "too_much_work", "the request needs too much memory").payload()
    except Exception:
        traceback.print_exc(file=sys.stderr)  # for the operator; the client gets no trace
        return 500, ApiError(500, "internal", "internal error (reported on the server)").payload()
