"""Identifiers for generated code: validated, then mangled out of codegen's own namespace.

Generated source holds three kinds of identifiers:

- **library names** the code calls or imports (``math``, ``np``, ``sin``, ``pow``, ``HUGE_VAL``,
  the ``<math.h>`` macros) and the target's keywords: the ``*_RESERVED`` sets;
- **codegen's own names** (temporaries, helpers, locals, kernels, macros): every one of them
  lies in the ``INTERNAL`` namespace -- ``t0``, ``t1``, …, anything starting with ``_``, and
  anything starting with ``symdiff_`` in any case (C's file-scope helpers, which may not start
  with ``_``);
- **user names** (arguments, function names), which come out of ``assign_names``: it accepts
  only ``[A-Za-z_][A-Za-z0-9_]*`` and renames (by appending ``_``) anything reserved or inside
  ``INTERNAL``.

So user names can never collide with codegen's names (a variable called ``stride``, ``out``,
``t0``, ``_shape``, ``lambda``, ``double`` or ``__import__`` gives working code), and no input
string can inject code.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterable, Sequence

from symdiff.core.errors import CodegenError

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: Codegen's own namespace: every identifier generated code invents matches it.
INTERNAL = re.compile(r"(?:t\d+|_.*|(?i:symdiff_).*)\Z")

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
    isgreater isgreaterequal isless islessequal islessgreater isunordered
    HUGE_VAL HUGE_VALF HUGE_VALL INFINITY NAN double_t float_t math_errhandling
    MATH_ERRNO MATH_ERREXCEPT FP_NAN FP_INFINITE FP_ZERO FP_SUBNORMAL FP_NORMAL FP_ILOGB0
    FP_ILOGBNAN FP_FAST_FMA FP_FAST_FMAF FP_FAST_FMAL HUGE MAXFLOAT DOMAIN SING OVERFLOW
    UNDERFLOW TLOSS PLOSS abs labs div exit malloc free printf
"""
#: C keywords, <math.h> functions and macros, and a few libc names; ``M_PI`` and the other
#: ``M_*`` constants some <math.h> define are caught by ``C_MACRO_PREFIX``.
C_RESERVED = frozenset(_C_WORDS.split())
C_MACRO_PREFIX = re.compile(r"(?:M|FP|MATH)_")


def check_identifier(name: object, what: str = "name") -> str:
    """``name`` if it is a plain ASCII identifier, else ``CodegenError``."""
    if not isinstance(name, str) or not IDENTIFIER.match(name):
        raise CodegenError(
            f"invalid {what} {name!r} for generated code: use letters, digits and '_', "
            "not starting with a digit"
        )
    return name


def assign_names(
    names: Sequence[str], reserved: Iterable[str], what: str = "argument",
    reserved_prefix: re.Pattern[str] | None = None,
) -> list[str]:  # fmt: skip
    """Safe, distinct identifiers for ``names`` (in order); unsafe ones get ``_`` appended.

    Unsafe: in ``reserved``, inside ``INTERNAL``, or starting with ``reserved_prefix``.
    """
    blocked = set(reserved)

    def _outside_prefixes(name: str) -> bool:
        return not INTERNAL.match(name) and not (reserved_prefix and reserved_prefix.match(name))

    def _safe(name: str) -> bool:
        return name not in blocked and _outside_prefixes(name)

    for name in names:
        check_identifier(name, what)
    if len(set(names)) != len(names):
        duplicates = sorted({n for n in names if names.count(n) > 1})
        raise CodegenError(f"repeated {what} {', '.join(duplicates)}")
    taken = {n for n in names if _safe(n)}
    result = []
    for name in names:
        if _safe(name):
            result.append(name)
            continue
        candidate = name.strip("_") or "v"
        candidate += "_"
        if not candidate[0].isalpha() or not _outside_prefixes(candidate):  # M_PI -> vM_PI_
            candidate = "v" + candidate
        while candidate in taken or not _safe(candidate):
            candidate += "_"
        taken.add(candidate)
        result.append(candidate)
    return result
