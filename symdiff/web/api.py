"""The JSON API behind the page: one function per endpoint, request dict in, response dict out.

``respond(name, body)`` is what the server (through its worker processes) calls; it returns
``(status, payload)`` and never raises: bad input is a 4xx payload ``{"error": {...}}`` naming
the field (and, for a parse error, the position), and an unexpected failure a 500 payload that
says so without a traceback.  Everything here uses only symdiff's public API.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import symdiff
from symdiff import Call, Expr, Sym, SymdiffError
from symdiff.web.fields import (
    LIMITS,
    ApiError,
    formula_field,
    integer_field,
    number_field,
    point_field,
    values_field,
    variables_field,
)
from symdiff.web.plot import Curve, plot_svg, sample

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
    raw = symdiff.diff(expr, *((name, order) for name in wrt), simplify=False)
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
    first = symdiff.diff(expr, wrt)  # simplified, as the derivative is shown
    curves = [("f", expr), ("f\u2032", first)]
    if second:
        curves.append(("f\u2033", symdiff.diff(first, wrt)))
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
