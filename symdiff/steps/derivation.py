"""Derivations: their steps, as text (numbered, indented by nesting) and as LaTeX ``align*``."""

from __future__ import annotations

from dataclasses import dataclass

from symdiff.core.nodes import Call, Expr, Pow, Sym
from symdiff.formats.latex import parens, symbol_latex, to_latex
from symdiff.formats.text import to_str
from symdiff.steps.rules import Formula, step_formula


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``d/dx expr = result`` by ``rule``.

    ``depth`` is how deep ``expr`` sits in the formula (0 for the whole formula); ``uses`` are
    the numbers of the earlier steps whose results this one combines; ``detail`` names the
    function or the outer rule of a chain, or the rewrite of a "simplify" step (whose ``expr``
    is the expression before the rewrite).
    """

    number: int
    rule: str
    expr: Expr
    result: Expr
    depth: int = 0
    uses: tuple[int, ...] = ()
    detail: str = ""
    given: tuple[tuple[str, Expr], ...] = ()  # the rule's letters bound here: u = sin(x), ...

    @property
    def given_dict(self) -> dict[str, Expr]:
        """``given`` as a mapping: ``step.given_dict["u"]``."""
        return dict(self.given)

    @property
    def formula(self) -> Formula:
        """The rule this step applies, as a formula (``symdiff.steps.rules``)."""
        return step_formula(self.rule, self.detail, self.expr, [k for k, _ in self.given])


@dataclass(frozen=True)
class Derivation:
    """The steps that differentiate ``expr`` with respect to ``variable``."""

    expr: Expr
    variable: Sym
    steps: tuple[Step, ...]
    source: str = ""  # the formula as typed, when it was given as text
    #: for a higher order, the derivations of the lower orders (this one differentiates the
    #: last one's result): ``order`` is ``len(earlier) + 1``
    earlier: tuple[Derivation, ...] = ()

    @property
    def result(self) -> Expr:
        """The derivative: the result of the last step."""
        return self.steps[-1].result

    @property
    def order(self) -> int:
        return len(self.earlier) + 1

    @property
    def stages(self) -> tuple[Derivation, ...]:
        """The first derivative's derivation, then the second's, ..., this one last."""
        return (*self.earlier, self)

    def __str__(self) -> str:
        return self.text()

    def text(self, color: bool = False) -> str:
        """Numbered lines indented by nesting, each ending with its rule; ANSI colour on request."""
        return derivation_text(self, color=color)

    def to_latex(self) -> str:
        """The derivation as a LaTeX ``align*`` block."""
        return derivation_latex(self)

    def __repr__(self) -> str:
        steps = sum(len(stage.steps) for stage in self.stages)
        head = self.stages[0].expr
        order = (
            f"d^{self.order}/d{self.variable.name}^{self.order}"
            if self.earlier
            else f"d/d{self.variable.name}"
        )
        return f"Derivation({order} {head}: {steps} steps, result {self.result})"

    def _repr_latex_(self) -> str:
        """The ``align*`` block, for Jupyter."""
        return self.to_latex()


BOLD, CYAN, RESET = "\x1b[1m", "\x1b[36m", "\x1b[0m"


def rule_label(step: Step) -> str:
    """``product rule: (u*v)' = u'*v + u*v'``, ``identity pythagoras: ... = 1``; then the
    earlier steps it uses."""
    formula = step.formula
    title = f"identity {formula.title}" if step.rule == "simplify" else formula.title
    label = f"{title}: {formula.text}"
    if step.uses and step.rule != "simplify":
        label += f"   [uses {', '.join(map(str, step.uses))}]"
    return label


def given_text(step: Step) -> str:
    """``u = sin(x), v = x, u' = cos(x), v' = 1``: the formula's letters at this step."""
    return ", ".join(f"{name} = {to_str(value)}" for name, value in step.given)


def step_text(step: Step, variable: str, width: int = 2, color: bool = False) -> str:
    """A numbered rule line (its formula), the letters bound, then the equation."""
    number = f"{step.number:>{width}}."
    indent = "  " * step.depth
    pad = " " * (width + 2) + indent
    if step.rule == "simplify" and step.uses and step.uses[0] == step.number - 1:
        equation = f"= {to_str(step.result)}"  # the rewrite of the whole previous result
    elif step.rule == "simplify":
        equation = f"{to_str(step.expr)} = {to_str(step.result)}"
    else:
        equation = f"d/d{variable}({to_str(step.expr)}) = {to_str(step.result)}"
    label = rule_label(step)
    if color:
        number, label = BOLD + number + RESET, CYAN + label + RESET
    lines = [f"{number} {indent}{label}"]
    if step.given:
        lines.append(f"{pad}with {given_text(step)}")
    lines.append(f"{pad}{equation}")
    return "\n".join(lines)


def _letters(text: str) -> list[str]:
    return sorted(text.replace(" ", ""))


#: How the stages of a higher-order derivation are headed.
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def stage_heading(order: int) -> str:
    """``second derivative: the derivative of the first derivative``."""
    name = ORDINALS[order - 1] if order <= len(ORDINALS) else f"order {order}"
    if order == 1:
        return f"{name} derivative:"
    previous = ORDINALS[order - 2] if order - 1 <= len(ORDINALS) else f"order {order - 1}"
    return f"{name} derivative: the derivative of the {previous} derivative"


def derivation_text(derivation: Derivation, color: bool = False) -> str:
    """The whole derivation: a heading, then one line per step (each stage of a higher order
    under its own heading)."""
    if derivation.earlier:
        return "\n\n".join(
            f"{stage_heading(k)}\n{stage_text(stage, color)}"
            for k, stage in enumerate(derivation.stages, 1)
        )
    return stage_text(derivation, color)


def stage_text(derivation: Derivation, color: bool = False) -> str:
    """One derivation (one order): a heading, then one line per step."""
    variable = derivation.variable.name
    width = len(str(len(derivation.steps)))
    text = to_str(derivation.expr)
    heading = f"d/d{variable} {text}"
    if derivation.source and _letters(derivation.source) != _letters(text):  # not a mere reorder
        heading = f"d/d{variable} {derivation.source}, read as {text}"
    lines = [step_text(step, variable, width, color) for step in derivation.steps]
    result = f"result: {to_str(derivation.result)}"
    return "\n".join([heading, *lines, result])


def _operand(step: Step) -> str:
    text = to_latex(step.expr)
    plain = isinstance(step.expr, Sym | Call) or (
        isinstance(step.expr, Pow) and not text.startswith(r"\frac")
    )
    return text if plain else parens(text)


def _latex_label(step: Step) -> str:
    formula = step.formula
    title = f"identity {formula.title}" if step.rule == "simplify" else formula.title
    uses = (
        f"; uses {', '.join(map(str, step.uses))}" if step.uses and step.rule != "simplify" else ""
    )
    title = (title + uses).replace("_", r"\_")
    return rf"&\text{{({step.number}) {title}: }} {formula.latex}"


def derivation_latex(derivation: Derivation) -> str:
    r"""``\begin{align*}`` with, per step, its rule's formula, the letters bound, the equation
    (a higher order: each stage under a heading row)."""
    rows = []
    for k, stage in enumerate(derivation.stages, 1):
        if derivation.earlier:
            rows.append(rf"&\text{{{stage_heading(k)}}}")
        rows.extend(stage_rows(stage))
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def stage_rows(derivation: Derivation) -> list[str]:
    """The ``align*`` rows of one stage."""
    d = rf"\frac{{d}}{{d{symbol_latex(derivation.variable.name)}}}"
    rows = []
    for step in derivation.steps:
        rows.append(_latex_label(step))
        if step.given:
            letters = r",\ ".join(f"{name} = {to_latex(value)}" for name, value in step.given)
            rows.append(rf"&\text{{with }} {letters}")
        left = "" if step.rule == "simplify" else f"{d} {_operand(step)} "
        rows.append(rf"{left}&= {to_latex(step.result)}")
    return rows
