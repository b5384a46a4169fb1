"""How unknown functions and their derivatives are written, in SymPy syntax and in LaTeX.

SymPy syntax is self-declaring, so that ``parse(str(e)) is e`` needs no ``functions=``:

    f(x)             Function('f')(x)
    f'(x)            Derivative(Function('f')(x), x)
    f''(g(x))        Subs(Derivative(Function('f')(_0), _0, _0), _0, g(x))
    d2f/dxdy(x, y)   Derivative(Function('f')(x, y), x, y)

A position is written with its own variable when its argument is a symbol that no other
argument contains; any other argument is a fresh dummy (``_0``, ``_1`` …) that ``Subs`` puts
back, as SymPy prints it.  LaTeX writes ``\\frac{d}{dx} f(x)``, ``f'(g(x))`` and partials.
"""

from __future__ import annotations

from collections import Counter

from symdiff.core.nodes import Call, Sym
from symdiff.core.traverse import free_symbols
from symdiff.core.unknown import split_head


def _own_variables(node: Call) -> dict[int, str]:
    """The positions whose argument is a symbol no other argument contains, with its name."""
    own: dict[int, str] = {}
    for i, arg in enumerate(node.args):
        if isinstance(arg, Sym) and not any(
            arg in free_symbols(other) for j, other in enumerate(node.args) if j != i
        ):
            own[i] = arg.name
    return own


def sympy_text(node: Call, texts: list[str], quoted: str) -> str:
    """``node`` (an unknown head) in SymPy syntax, from its arguments' texts; ``quoted`` is
    the function's name as ``Function('f')`` (or bare ``f`` where declared)."""
    split = split_head(node.name)
    assert split is not None, node.name
    _function, positions = split
    if not positions:
        return f"{quoted}({', '.join(texts)})"
    own = _own_variables(node)
    taken = {s.name for s in free_symbols(node)}
    inner = list(texts)
    dummies: list[tuple[str, str]] = []
    counter = 0
    for i in sorted(set(positions)):
        if i in own:
            continue
        while f"_{counter}" in taken:
            counter += 1
        name = f"_{counter}"
        counter += 1
        inner[i] = name
        dummies.append((name, texts[i]))
    variables = [inner[i] for i in positions]
    text = f"Derivative({quoted}({', '.join(inner)}), {', '.join(variables)})"
    for name, value in dummies:
        text = f"Subs({text}, {name}, {value})"
    return text


def latex_derivative(node: Call, pieces: list[str], name: str) -> tuple[str, str]:
    """The operator and the call of a derivative head in LaTeX: ``(\\frac{d}{dx}, f(x))``,
    or ``("", f'(g(x)))`` for a derivative at a point that is not a variable."""
    split = split_head(node.name)
    assert split is not None, node.name
    positions = split[1]
    call = name + r"\left(" + ", ".join(pieces) + r"\right)"
    own = _own_variables(node)
    if not positions:
        return "", call
    if all(i in own for i in positions):
        counts = Counter(positions)
        total = len(positions)
        if len(node.args) == 1:
            power = "" if total == 1 else f"^{{{total}}}"
            return rf"\frac{{d{power}}}{{d{pieces[0]}{power}}}", call
        power = "" if total == 1 else f"^{{{total}}}"
        below = r" \, ".join(
            rf"\partial {pieces[i]}" + ("" if k == 1 else f"^{{{k}}}")
            for i, k in sorted(counts.items())
        )
        return rf"\frac{{\partial{power}}}{{{below}}}", call
    if len(node.args) == 1 and len(positions) <= 3:
        return "", name + "'" * len(positions) + call[len(name) :]
    operators = "".join(rf"\partial_{{{i + 1}}}" for i in positions)
    return "", operators + " " + call
