"""The NumPy target's stable helpers, as source text the generated modules include (only the
ones a module calls: ``numpy.helpers_needed``); tested at extreme arguments in
``tests/backend/test_numpy_helpers.py``."""

from __future__ import annotations

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
    "_log1p_rest": """

def _log1p_rest(*_e):
    # log(e1 + e2 + ...) where the largest e is exactly 1 (exp(a - max)): log1p of the sum of
    # the others, each 1 counted once less, so that a sum just above 1 keeps its digits
    _s = _n = None
    for _a in _e:
        _one = np.equal(_a, 1.0)
        _r = np.where(_one, 0.0, _a)
        _s = _r if _s is None else _s + _r
        _n = _one - 1.0 if _n is None else _n + _one
    _t = _s + _n  # >= 0, inf or nan; -1 where every e is 0 (every exponent is -inf)
    _l = _log1p_pos(np.maximum(_t, 0.0))
    if type(_t) is np.ndarray and _t.size and _t.min() >= 0.0:
        return _l
    return np.where(_t < 0.0, -np.inf, _l)
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
