"""Identifiers for generated code: validated, then mangled away from each target's reserved words.

Every identifier in generated source is either one of codegen's own fixed names or comes out of
``assign_names``, which accepts only ``[A-Za-z_][A-Za-z0-9_]*`` and renames (by appending ``_``)
anything that is a keyword, a library name, a double-underscore name or looks like one of the
generated temporaries (``t0``, ``t1``, …).  So a variable called ``lambda``, ``int``, ``double``,
``return`` or ``__import__`` gives working code, and no input string can inject code.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterable, Sequence

from symdiff.core.errors import CodegenError

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: Names of generated temporaries and helpers, which user names must never take.
GENERATED = re.compile(r"(t\d+|_.*)\Z")

PYTHON_RESERVED = frozenset(
    {*keyword.kwlist, *keyword.softkwlist, *dir(builtins), "math", "np", "numpy"}
)

_C_WORDS = """
    auto break case char const continue default do double else enum extern float for goto if
    inline int long register restrict return short signed sizeof static struct switch typedef
    union unsigned void volatile while bool true false complex imaginary alignas alignof
    atomic noreturn static_assert thread_local asm fortran main errno NULL
    acos acosh asin asinh atan atan2 atanh cbrt ceil copysign cos cosh erf erfc exp exp2 expm1
    fabs fdim floor fma fmax fmin fmod frexp hypot ilogb ldexp lgamma llrint llround log log10
    log1p log2 logb lrint lround modf nan nearbyint nextafter nexttoward pow remainder remquo
    rint round scalbln scalbn sin sinh sqrt tan tanh tgamma trunc gamma j0 j1 jn y0 y1 yn
    drem finite significand signgam isnan isinf isfinite isnormal signbit fpclassify
    HUGE_VAL HUGE_VALF HUGE_VALL INFINITY NAN M_PI M_E double_t float_t
    abs labs div exit malloc free printf i k n r out result
"""
C_RESERVED = frozenset(_C_WORDS.split())


def check_identifier(name: object, what: str = "name") -> str:
    """``name`` if it is a plain ASCII identifier, else ``CodegenError``."""
    if not isinstance(name, str) or not IDENTIFIER.match(name):
        raise CodegenError(
            f"invalid {what} {name!r} for generated code: use letters, digits and '_', "
            "not starting with a digit"
        )
    return name


def assign_names(
    names: Sequence[str], reserved: Iterable[str], what: str = "argument"
) -> list[str]:
    """Safe, distinct identifiers for ``names`` (in order); unsafe ones get ``_`` appended."""
    blocked = set(reserved)
    for name in names:
        check_identifier(name, what)
    if len(set(names)) != len(names):
        duplicates = sorted({n for n in names if names.count(n) > 1})
        raise CodegenError(f"repeated {what} {', '.join(duplicates)}")
    taken = {n for n in names if _safe(n, blocked)}
    result = []
    for name in names:
        if _safe(name, blocked):
            result.append(name)
            continue
        candidate = name.strip("_") or "v"
        if not candidate[0].isalpha():
            candidate = "v" + candidate
        candidate += "_"
        while candidate in taken or not _safe(candidate, blocked):
            candidate += "_"
        taken.add(candidate)
        result.append(candidate)
    return result


def _safe(name: str, blocked: set[str]) -> bool:
    return name not in blocked and not GENERATED.match(name)
