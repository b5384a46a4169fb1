"""The steps mode: ``symdiff "x**2*sin(x)" --steps`` explains the derivative step by step.

Each step names its rule; ``--steps=all`` also shows the trivial ones; ``--format latex`` writes
an ``align*`` block and ``--format json`` an array of steps.  Formulas and step lists beyond a
budget are refused with the reason (the derivative itself has no such limit).
"""

from __future__ import annotations

import sys

import symdiff
from symdiff import Expr, SymdiffError, dag_size, postorder
from symdiff.cli.options import read_formula, variables_of
from symdiff.cli.render import use_color

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from symdiff.cli.flags import Arguments

#: ``--steps`` explains formulas of at most this many distinct nodes (``explain`` and the
#: steps' size grow faster than linearly with it) ...
STEPS_MAX_FORMULA = 2_000
#: ... whose steps, written out as trees, print at most this many nodes (about a megabyte).
STEPS_MAX_PRINTED = 100_000


def derivation_json(derivation: symdiff.Derivation) -> str:
    """The steps as a JSON array (each with its rule's formula, as text and LaTeX, and the
    formula's letters bound); expressions are trees in the ``to_json`` schema.  A higher order
    is an array of ``{"order": k, "expr": ..., "steps": [...]}``, one per derivation."""
    if derivation.earlier:
        return (
            "[\n"
            + ",\n".join(
                f'{{"order": {k}, "expr": {symdiff.to_json(stage.expr)}, '
                f'"steps": {stage_json(stage)}}}'
                for k, stage in enumerate(derivation.stages, 1)
            )
            + "\n]"
        )
    return stage_json(derivation)


def stage_json(derivation: symdiff.Derivation) -> str:
    """One derivation's steps as a JSON array."""
    import json  # (only this path needs it: start-up)

    rows = []
    for step in derivation.steps:
        formula = step.formula
        head = json.dumps(
            {"step": step.number, "rule": step.rule, "detail": step.detail,
             "depth": step.depth, "uses": list(step.uses), "title": formula.title,
             "formula": formula.text, "formula_latex": formula.latex}
        )  # fmt: skip
        given = ", ".join(
            f"{json.dumps(name)}: {symdiff.to_json(value)}" for name, value in step.given
        )
        rows.append(
            f'{head[:-1]}, "given": {{{given}}}, "expr": {symdiff.to_json(step.expr)}, '
            f'"result": {symdiff.to_json(step.result)}}}'
        )
    return "[\n" + ",\n".join(rows) + "\n]"


def printed_size(derivation: symdiff.Derivation) -> int:
    """How many nodes the steps print: each step's expression and result written as trees."""
    roots = [
        e
        for stage in derivation.stages
        for step in stage.steps
        for e in (step.expr, step.result, *(value for _, value in step.given))
    ]
    sizes: dict[Expr, int] = {}
    for node in postorder(*roots):
        sizes[node] = 1 + sum(sizes[a] for a in node.args)
    return sum(sizes[root] for root in roots)


def per_variable(args: Arguments, formula: str) -> str:
    """``--grad --steps``: the steps of each partial derivative, one variable after another
    (text: one numbered list each; LaTeX: one block each; JSON: ``{"x": [steps], ...}``)."""
    expr = symdiff.parse(formula)
    names = list(args.wrt) if args.wrt else [s.name for s in expr.free_symbols]
    if not names:
        raise SymdiffError(
            "the formula has no variables to differentiate by (name some with --wrt)"
        )
    parts = {name: run(type(args)(**{**vars(args), "wrt": [name]}), formula) for name in names}
    if args.format == "json":
        return "{\n" + ",\n".join(f'"{name}": {text}' for name, text in parts.items()) + "\n}"
    if args.format == "latex":
        return "\n\n".join(parts.values())
    return "\n\n".join(parts.values())  # each starts with its own d/dx line


def run(args: Arguments, formula: str) -> str:
    expr = read_formula(args, formula)
    names = variables_of(args, expr)
    if len(names) > 1:
        raise SymdiffError("--steps explains one derivative at a time: give a single --wrt")
    size = dag_size(expr)
    if size > STEPS_MAX_FORMULA:
        raise SymdiffError(
            f"--steps explains formulas of up to {STEPS_MAX_FORMULA:,} distinct subexpressions; "
            f"this one has {size:,}: drop --steps for the derivative itself"
        )
    try:
        derivation = symdiff.explain(
            formula,
            names[0] if names else "x",
            all=args.steps == "all",
            simplify=args.simplify,
            order=args.order,
        )
    except ValueError as error:  # an order beyond what steps explain
        raise SymdiffError(f"--steps --order: {error}: drop --steps for the derivative") from None
    printed = printed_size(derivation)
    if printed > STEPS_MAX_PRINTED:
        raise SymdiffError(
            f"the {len(derivation.steps):,} steps would print {printed:,} nodes (each step "
            f"writes its subexpression and result out in full; the limit is "
            f"{STEPS_MAX_PRINTED:,}): drop --steps for the derivative itself, which prints "
            "repeated parts once"
        )
    match args.format:
        case "latex":
            return derivation.to_latex()
        case "json":
            return derivation_json(derivation)
        case _:
            return derivation.text(color=use_color(sys.stdout))
