"""The ``numpy`` target: vectorised with broadcasting, using only NumPy ufuncs and protocol
functions, so the same function runs on any array implementing NumPy's protocols (dask, …).

Dead temporaries are overwritten (``reuse_slots``), so memory stays a few arrays wide even for
large gradients.
"""

from __future__ import annotations

from collections.abc import Sequence

from symdiff.backend.fusion import hoist_repeated, share_exp
from symdiff.backend.names import PYTHON_RESERVED, assign_names
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
    "sigmoid": "_sigmoid", "sech2": "_sech2",
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
                   in_place=in_place, fresh="_fresh({0}, {1})")  # fmt: skip


DIALECT = _dialect()

#: NumPy has no erf; SciPy's is a NumPy ufunc.  Without SciPy, a (slower) object ufunc.
ERF_HELPER = """
try:
    from scipy.special import erf as _erf
except ImportError:  # a NumPy ufunc built from math.erf: slower, same values
    import math

    _erf_object = np.frompyfunc(math.erf, 1, 1)

    def _erf(_u):
        return _erf_object(_u).astype(np.float64)
"""

#: The stable helpers, written with SIMD ufuncs only.  NumPy's own ``np.logaddexp`` and
#: ``np.hypot`` run a scalar loop (15-25x ``np.exp``), and a masked ufunc (``where=``) is not
#: vectorised; ``np.exp`` of an argument below -708 (a subnormal or zero result) takes a slow
#: path (20-200x), so the helpers keep their ``exp`` arguments in range where the result does
#: not need the tiny value, and never make an inf or nan that the formula does not have.
HELPER_SOURCE = {
    "_erf": ERF_HELPER,
    "_fresh": """

def _fresh(_f, _a):
    # _a was just computed and no name holds it: a float64 array takes the result in place
    if type(_a) is np.ndarray and _a.dtype == np.float64:
        return _f(_a, out=_a)
    return _f(_a)
""",
    "_softplus": """

def _softplus(_u):
    # log1p(exp(u)) is u in float64 beyond u = 37: the clamp only stops exp overflowing
    return np.maximum(_u, np.log1p(np.exp(np.minimum(_u, 709.0))))
""",
    "_sigmoid": """

def _sigmoid(_u):
    # h/(h + 1/h) with h = exp(u/2) in [exp(-709), exp(709)]: no overflow, no branch
    _h = np.exp(np.clip(0.5 * _u, -709.0, 709.0))
    return _h / (_h + 1.0 / _h)
""",
    "_sech2": """

def _sech2(_u):
    # (1/cosh(u))**2: 1/cosh(709) is still normal, its square underflows to 0 as it should
    return np.square(1.0 / np.cosh(np.clip(_u, -709.0, 709.0)))
""",
    "_logaddexp": """

def _logaddexp(_a, _b):
    # max + log1p(exp(min - max)); fmax turns inf - inf (a = b = +-inf) into a finite shift
    _m = np.maximum(_a, _b)
    return _m + np.log1p(np.exp(np.fmax(np.minimum(_a, _b) - _m, -745.2)))
""",
    "_hypot": """

def _hypot(_a, _b):
    # sqrt(a*a + b*b) where the squares neither overflow nor lose digits, else np.hypot
    _s = np.sqrt(_a * _a + _b * _b)
    if type(_s) is not np.ndarray:  # scalars, dask and other arrays
        return np.hypot(_a, _b)
    _bad = ~((_s > 1e-150) & (_s < 1e150))
    if _bad.any():
        _a, _b = np.broadcast_arrays(_a, _b)
        _s[_bad] = np.hypot(_a[_bad], _b[_bad])
    return _s
""",
}


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
    helpers = helpers_used([*body, *outputs], HELPER_SOURCE)
    return module("import numpy as np\n" + helpers, name, params, body, outputs, single)


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
