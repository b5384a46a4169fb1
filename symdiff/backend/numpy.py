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
    "sigmoid": "_sigmoid", "sech2": "_sech2", "expu": "_expu", "finite": "_finite",
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
#: vectorised; ``np.exp`` of an argument below about -707.7 (a result near or below the smallest
#: normal number) takes a slow path (20-300x), and so does ``np.log1p`` of tiny arguments of
#: mixed sizes (5-10x), so the helpers keep those calls in range and never make an inf or nan
#: that the formula does not have.  On float64 ndarrays they work in buffers they own
#: (``out=``): a fresh 8 MB array costs page faults, about one more pass.  Scalars, float32
#: and other arrays (dask) take the plain formula.
HELPER_SOURCE = {
    "_erf": ERF_HELPER,
    "_fresh": """

def _fresh(_f, _a):
    # _a was just computed and no name holds it: a float64 array takes the result in place
    if type(_a) is np.ndarray and _a.dtype == np.float64:
        return _f(_a, out=_a)
    return _f(_a)
""",
    "_fresh2": """

def _fresh2(_f, _a, _b):
    # _b was just computed and no name holds it: a float64 array of the result's shape takes
    # the result of the binary ufunc in place
    if (type(_b) is np.ndarray and _b.dtype == np.float64
            and np.shape(_a) in (_b.shape, ()) and np.result_type(_a, _b) == np.float64):
        return _f(_a, _b, out=_b)
    return _f(_a, _b)
""",
    "_expu": """

def _expu(_u, out=None):
    # exp(u); below -707 it is exp(max(u, -707))*exp(clip(u + 707, -707, 0)), both factors in
    # np.exp's fast range (exact above -707, one rounding of a product below)
    if type(_u) is not np.ndarray or _u.dtype != np.float64:
        return np.exp(_u)
    if _u.size == 0 or _u.min() >= -707.0:
        return np.exp(_u, out=out)
    _v = _u + 707.0
    np.clip(_v, -707.0, 0.0, out=_v)
    out = np.maximum(_u, -707.0, out=out)
    np.exp(out, out=out)
    out *= np.exp(_v, out=_v)
    return out
""",
    "_finite": """

def _finite(_m):
    # m with +-inf as +-DBL_MAX in float64 (float32 and others as they are: no cast overflow)
    if np.result_type(_m) == np.float64:
        return np.clip(_m, -1.7976931348623157e308, 1.7976931348623157e308)
    return _m
""",
    "_log1p_pos": """

def _log1p_pos(_e):
    # log1p(e) for e >= 0: log1p(max(e, 2**-60)), at most e; log1p(e) is e below 2**-60 in
    # float64, and the clamp keeps np.log1p off its slow path
    if type(_e) is np.ndarray and _e.dtype == np.float64 and _e.size and _e.min() >= 2.0**-60:
        return np.log1p(_e)
    _l = np.maximum(_e, 8.673617379884035e-19)
    if type(_l) is not np.ndarray or _l.dtype != np.float64:
        return np.minimum(np.log1p(_l), _e)
    np.log1p(_l, out=_l)
    return np.minimum(_l, _e, out=_l)
""",
    "_exp709": """

def _exp709(_u, out=None):
    # exp(min(u, 709)): finite for every u; the clamp is a pass only where some u is above
    if type(_u) is not np.ndarray or _u.dtype != np.float64:
        return np.exp(np.minimum(_u, 709.0))
    if _u.size and _u.max() <= 709.0:
        return _expu(_u, out=out)
    _m = np.minimum(_u, 709.0, out=out)
    return _expu(_m, out=_m)
""",
    "_softplus_from": """

def _softplus_from(_u, _e):
    # softplus(u) from e = exp(min(u, 709)): log1p(e), and u itself beyond the clamp
    _l = _log1p_pos(_e)
    if type(_u) is np.ndarray and _u.size and _u.max() <= 709.0:
        return _l
    if type(_l) is np.ndarray and _l.dtype == np.float64 and _l.shape == np.shape(_u):
        return np.maximum(_u, _l, out=_l)
    return np.maximum(_u, _l)
""",
    "_softplus": """

def _softplus(_u):
    # max(u, 0) + log1p(exp(-|u|)): the exp in (0, 1] never overflows (_expu keeps it fast)
    if type(_u) is not np.ndarray or _u.dtype != np.float64:
        return np.maximum(_u, np.log1p(np.exp(np.minimum(_u, 709.0))))
    _e = np.abs(_u)
    np.negative(_e, out=_e)
    _l = _log1p_pos(_expu(_e, out=_e))
    _l += np.maximum(_u, 0.0)
    return _l
""",
    "_sigmoid": """

def _sigmoid(_u):
    # h/(h + 1/h) with h = exp(u/2) in [exp(-707), exp(707)]: no overflow, no branch
    if type(_u) is not np.ndarray or _u.dtype != np.float64:
        _h = np.exp(np.clip(0.5 * _u, -707.0, 707.0))
        return _h / (_h + 1.0 / _h)
    _h = np.multiply(_u, 0.5)
    np.clip(_h, -707.0, 707.0, out=_h)
    np.exp(_h, out=_h)
    _r = np.divide(1.0, _h)
    _r += _h
    return np.divide(_h, _r, out=_r)
""",
    "_sech2": """

def _sech2(_u):
    # (1/cosh(u))**2; beyond |u| = 400 the square has underflowed to 0 already
    _c = np.clip(_u, -400.0, 400.0)
    if type(_c) is not np.ndarray or _c.dtype != np.float64:
        return np.square(1.0 / np.cosh(_c))
    np.cosh(_c, out=_c)
    np.divide(1.0, _c, out=_c)
    return np.square(_c, out=_c)
""",
    "_logaddexp": """

def _logaddexp(_a, _b):
    # max + log1p(exp(min - max)); fmax turns inf - inf (a = b = +-inf) into a finite shift
    _m = np.maximum(_a, _b)
    _d = np.minimum(_a, _b)
    if type(_d) is not np.ndarray or _d.dtype != np.float64:
        return _m + np.log1p(np.exp(np.fmax(_d - _m, -745.2)))
    _d -= _m
    if _d.size and np.abs(_m).min() >= 1e-289:
        # exp(d) below exp(-707) is under half an ulp of every m: clamped there, the sum is exact
        np.fmax(_d, -707.0, out=_d)
        np.exp(_d, out=_d)
    else:
        np.fmax(_d, -1500.0, out=_d)
        _expu(_d, out=_d)
    _l = _log1p_pos(_d)
    _l += _m
    return _l
""",
    "_hypot": """

def _hypot(_a, _b):
    # sqrt(a*a + b*b) where the squares neither overflow nor lose digits; else both scaled by
    # the power of 2 that brings the larger to [1, 2) (exact; from the exponent bits)
    if np.ndim(_a) == 0 and np.ndim(_b) != 0:
        _a, _b = _b, _a
    if type(_a) is not np.ndarray or _a.dtype != np.float64:  # scalars, dask, other arrays
        return np.hypot(_a, _b)
    if np.ndim(_b) == 0 and 1e-140 < abs(_b) < 1e140:
        # hypot(a, c) = |a| beyond |a| = 2**30*|c|: a clipped there is squared safely
        _c = abs(float(_b))
        _t = 1073741824.0 * _c
        if _a.size and -_t <= _a.min() and _a.max() <= _t:
            _s = _a * _a
        else:
            _s = np.clip(_a, -_t, _t)
            np.square(_s, out=_s)
            _s += _c * _c
            np.sqrt(_s, out=_s)
            return np.maximum(_s, np.abs(_a), out=_s)
        _s += _c * _c
        return np.sqrt(_s, out=_s)
    with np.errstate(over="ignore", under="ignore"):
        _s = _a * _a + _b * _b
    if _s.size == 0 or (_s.min() > 1e-300 and _s.max() < 1e300):
        return np.sqrt(_s, out=_s)
    _bits = 0x7FF0000000000000
    _k = np.maximum(np.bitwise_and(_a.view(np.int64), _bits),
                    np.bitwise_and(np.asarray(_b, np.float64).view(np.int64), _bits))
    np.minimum(_k, 0x7FD0000000000000, out=_k)
    _inv = np.subtract(0x7FE0000000000000, _k, out=_k).view(np.float64)  # 2**(1023 - e)
    np.multiply(_a, _inv, out=_s)
    np.square(_s, out=_s)
    _t = np.multiply(_b, _inv)
    np.square(_t, out=_t)
    _s += _t
    np.sqrt(_s, out=_s)
    _s /= _inv
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
