"""The ``numpy`` target: vectorised with broadcasting, using only NumPy ufuncs and protocol
functions, so the same function runs on any array implementing NumPy's protocols (dask, …).

Dead temporaries are overwritten (``reuse_slots``), so memory stays a few arrays wide even for
large gradients.
"""

from __future__ import annotations

from collections.abc import Sequence

from symdiff.backend.fusion import hoist_repeated, share_exp
from symdiff.backend.names import PYTHON_RESERVED, assign_names
from symdiff.backend.numpy_helpers import HELPER_SOURCE
from symdiff.backend.program import FUNCTION_NAMES, Program
from symdiff.backend.python import function_name, helpers_used, module
from symdiff.backend.render import Dialect
from symdiff.backend.trees import Tree, temporaries_in

FUNCTIONS = {name: f"np.{name}" for name in FUNCTION_NAMES} | {
    "asin": "np.arcsin", "acos": "np.arccos", "atan": "np.arctan", "asinh": "np.arcsinh",
    "acosh": "np.arccosh", "atanh": "np.arctanh", "erf": "_erf", "atan2": "np.arctan2",
    "pow": "np.power",
    # the stable-evaluation helpers (backend/stable.py)
    "hypot": "_hypot", "logaddexp": "_logaddexp", "softplus": "_softplus",
    "sigmoid": "_sigmoid", "sech2": "_sech2", "expu": "_expu", "finite": "_finite",
    "log1p_rest": "_log1p_rest",
    # fusion.py's shared exp of softplus and sigmoid
    "exp709": "_exp709", "softplus_from": "_softplus_from",
    # the selecting rows, branch-free, with symdiff.evaluate's values (README "Kinks")
    "max": "np.maximum", "min": "np.minimum", "relu": "np.maximum({0}, 0.0)",
    "heaviside": "np.heaviside({0}, 0.5)",
    "clip": "np.where({0} < {1}, {1}, np.where({0} > {2}, {2}, {0}))",
    "where": "np.where({0}, {1}, {2})", "and": "np.logical_and({0}, {1})",
    "or": "np.logical_or({0}, {1})", "not": "np.logical_not({0})",
    "lt": "np.less({0}, {1})", "le": "np.less_equal({0}, {1})", "gt": "np.greater({0}, {1})",
    "ge": "np.greater_equal({0}, {1})", "eq": "np.equal({0}, {1})",
    "ne": "np.not_equal({0}, {1})",
}  # fmt: skip


def _float_ufuncs() -> frozenset[str]:
    """The one-argument functions printed as NumPy ufuncs from float64 to float64."""
    import numpy as np

    found = set()
    for name, printed in FUNCTIONS.items():
        ufunc = getattr(np, printed[3:], None) if printed.startswith("np.") else None
        if isinstance(ufunc, np.ufunc) and ufunc.nin == 1 and "d->d" in ufunc.types:
            found.add(name)
    return frozenset(found)


def _dialect() -> Dialect:
    try:
        in_place = _float_ufuncs()
    except ImportError:  # the source is only printed here; NumPy runs it elsewhere
        in_place = frozenset()
    return Dialect(FUNCTIONS, infinity="np.inf", nan="np.nan", temporaries_first=True,
                   in_place=in_place | {"expu", "exp709"}, fresh="_fresh({0}, {1})",
                   in_place2=frozenset({"max", "min"}),
                   fresh2="_fresh2({0}, {1}, {2})")  # fmt: skip


DIALECT = _dialect()


def source(program: Program, args: Sequence[str], name: str, single: bool) -> str:
    """A module defining ``name(*args)`` over arrays (outputs broadcast to the common shape)."""
    name = function_name(name)
    program = share_exp(hoist_repeated(program))
    params = assign_names(list(args), {*PYTHON_RESERVED, name})
    slots = reuse_slots(program)

    def leaf(tree: Tree) -> str:
        return params[tree[1]] if tree[0] == "arg" else f"t{slots[tree[1]]}"

    body = [
        f"    t{slots[index]} = {DIALECT.expression(tree, leaf)}"
        for index, tree in program.statements
    ]
    everything = frozenset(range(len(params)))
    outputs = []
    for tree, depends in zip(program.outputs, program.output_symbols, strict=True):
        text = DIALECT.expression(tree, leaf)
        outputs.append(text if depends == everything else f"np.broadcast_to({text}, _shape)")
    if any("_shape)" in text for text in outputs):
        shapes = ", ".join(f"np.shape({p})" for p in params)
        body.append(f"    _shape = np.broadcast_shapes({shapes})")
    helpers = helpers_needed([*body, *outputs])
    return module("import numpy as np\n" + helpers, name, params, body, outputs, single)


def helpers_needed(lines: Sequence[str]) -> str:
    """The source of the helpers the lines call or pass (``_expu(``, ``_fresh(_expu, ``), and
    of the helpers those call, in table order."""
    text = "\n".join(lines)
    needed: set[str] = set()
    while True:
        found = {n for n in HELPER_SOURCE if f"{n}(" in text or f"{n}," in text} - needed
        if not found:
            break
        needed |= found
        text += "".join(HELPER_SOURCE[n] for n in found)
    return helpers_used([f"{n}(" for n in needed], HELPER_SOURCE)


def last_uses(program: Program) -> dict[int, int]:
    """For each temporary, the index of the last statement reading it (outputs: past the end)."""
    last: dict[int, int] = {}
    for position, (_, tree) in enumerate(program.statements):
        for index in temporaries_in(tree):
            last[index] = position
    for tree in program.outputs:
        for index in temporaries_in(tree):
            last[index] = len(program.statements)
    return last


def reuse_slots(program: Program) -> list[int]:
    """A slot per temporary so that dead values are overwritten (bounded memory for arrays)."""
    last = last_uses(program)
    free: list[int] = []
    slot_of: list[int] = []
    slots = 0
    for position, (index, tree) in enumerate(program.statements):
        for read in sorted(set(temporaries_in(tree))):
            if last[read] == position:
                free.append(slot_of[read])
        if free:
            free.sort()
            slot_of.append(free.pop(0))
        else:
            slot_of.append(slots)
            slots += 1
        assert len(slot_of) == index + 1
        if index not in last:  # never read (cannot happen for lowered programs, but be safe)
            free.append(slot_of[index])
    return slot_of
