"""The point mode: values, partials by any method, the evaluation trace and the graph picture.

``symdiff "x**2*y + y + 2" --at x=3,y=4`` prints the value and every partial derivative;
``--method all`` compares the four methods, ``--trace`` prints the Wengert list and
``--graph FILE`` draws the computation graph (``.dot``, or ``.svg``/``.png`` with Graphviz).
"""

from __future__ import annotations

import symdiff
from symdiff import SymdiffError
from symdiff.cli.options import read_formula

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from symdiff.cli.flags import Arguments


def _top_level_parts(text: str) -> list[str]:
    """``"x=3,y=atan2(1, 2)"`` split at the commas outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def parse_point(text: str) -> dict[str, float]:
    """``"x=3,y=4"`` as ``{"x": 3.0, "y": 4.0}``; each value may be a constant formula."""
    point: dict[str, float] = {}
    for assignment in _top_level_parts(text):
        name, equals, value = assignment.partition("=")
        name = name.strip()
        if not equals or not name.isidentifier() or not value.strip():
            raise SymdiffError(f"--at expects name=value pairs like x=3,y=4, not {assignment!r}")
        if name in point:
            raise SymdiffError(f"--at gives {name} twice")
        point[name] = symdiff.evaluate(symdiff.parse(value))
    return point


def run(args: Arguments, formula: str) -> str:
    if args.at is not None and (args.jacobian or args.hessian):
        return _matrix_at(args, formula, parse_point(args.at))
    expr = read_formula(args, formula)
    if args.at is None:
        if args.method or args.trace:
            option = "--method" if args.method else "--trace"
            raise SymdiffError(f"{option} needs a point: add --at, e.g. --at x=3,y=4")
        symdiff.write_graph(expr, args.graph)
        return f"wrote {args.graph}"
    point = parse_point(args.at)
    missing = [s.name for s in expr.free_symbols if s.name not in point]
    if missing:
        raise SymdiffError(f"--at gives no value for {', '.join(missing)}")
    wrt = args.wrt
    unknown = [name for name in wrt or () if name not in point]
    if unknown:
        raise SymdiffError(f"--wrt {unknown[0]} needs a value in --at")
    order = args.order or 1  # (order 0 at a point: the value and the first partials, as before)
    if order > 1 and (args.method not in (None, "symbolic") or args.trace):
        option = f"--method {args.method}" if args.method not in (None, "symbolic") else "--trace"
        raise SymdiffError(
            f"--order {order} --at prints the symbolic partials of order {order}; {option} works "
            "with first derivatives only: drop one"
        )
    parts = []
    if args.format in ("json", "latex") and (args.method == "all" or args.trace or args.graph):
        raise SymdiffError(
            f"--format {args.format} writes the value and partials at --at; --method all, "
            "--trace and --graph print text: drop one"
        )
    if args.format == "json":
        return _json_at(symdiff.partials_at(expr, point, args.method or "symbolic", wrt, order),
                        point)  # fmt: skip
    if args.format == "latex":
        return _latex_at(symdiff.partials_at(expr, point, args.method or "symbolic", wrt, order))
    if args.method == "all":
        parts.append(symdiff.methods_table(symdiff.compare_methods(expr, point, wrt)))
    else:
        parts.append(
            symdiff.format_partials(
                symdiff.partials_at(expr, point, args.method or "symbolic", wrt, order)
            )
        )
    if args.trace:
        parts.append(str(symdiff.evaluation_trace(expr, point, wrt[0] if wrt else None)))
    if args.graph:
        symdiff.write_graph(expr, args.graph, point)
        parts.append(f"wrote {args.graph}")
    return "\n\n".join(parts)


def _json_at(result: Any, point: dict[str, float]) -> str:
    """The value and partials at the point as one JSON document."""
    import json  # (only this path needs it: start-up)

    document = {"point": point, "method": result.method, "value": result.value,
                "gradient": result.gradient}  # fmt: skip
    if result.order > 1:  # the pure n-th partials, named as such
        document["order"] = result.order
        document["partials"] = document.pop("gradient")
    return json.dumps(document)


def _latex_at(result: Any) -> str:
    r"""``f &= 42 \ rac{\partial f}{\partial x} &= 24`` in an ``aligned`` block."""
    power = "" if result.order == 1 else f"^{{{result.order}}}"
    rows = [f"f &= {symdiff.to_latex(symdiff.Num(result.value))}"]
    rows += [
        rf"\frac{{\partial{power} f}}{{\partial {symdiff.to_latex(symdiff.Sym(name))}{power}}} &= "
        + symdiff.to_latex(symdiff.Num(value))
        for name, value in result.gradient.items()
    ]
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def _matrix_at(args: Arguments, formula: str, point: dict[str, float]) -> str:
    """``--jacobian --at`` / ``--hessian --at``: every entry's value at the point."""
    from symdiff.cli import tables

    if args.method not in (None, "symbolic") or args.trace or args.graph:
        raise SymdiffError(
            "--jacobian/--hessian --at evaluate the symbolic entries: drop --method, --trace "
            "and --graph"
        )
    found = tables.table(args, formula)
    needed = {s.name for row in found.rows for e in row for s in e.free_symbols}
    missing = sorted(needed - set(point))
    if missing:
        raise SymdiffError(f"--at gives no value for {', '.join(missing)}")
    found = tables.values_at(found, point)
    if args.format == "json":
        return tables.as_json(found, lambda entry: entry)
    if args.format == "latex":
        return tables.as_latex(found, lambda entry: entry)
    from symdiff.cli import grad

    labels, entries = grad.labelled_entries(args, formula)
    return "\n".join(
        f"{label} = {symdiff.evaluate(entry, point)!r}"
        for label, entry in zip(labels, entries, strict=True)
    )
