"""The ``python`` target's second try after an ``OverflowError``: IEEE overflow, like NumPy and C.

``math.exp(800)`` raises where NumPy and C give ``inf``, so a formula whose *inner* value
overflows while its result is finite (``x/(2 + exp(x*y)*sin(y))`` at x = 800, y = 1) would raise
in plain Python and return a number in the other targets.  Stable Python code therefore catches
``OverflowError`` and runs the same function once more with ``math`` replaced by ``_IEEE``,
whose functions give ``+-inf`` where the result is beyond the float range.  Those outputs are
returned when every one of them is finite; otherwise the original ``OverflowError`` is raised,
as ``math`` does (also when the second try raises: ``1/0``, ``sin(inf)``, or ``u**2`` of a
float beyond 1.3e154, which no ``math`` replacement reaches).  The first try costs nothing
(CPython's exceptions cost only when raised), and the statements are written once.
"""

from __future__ import annotations

#: The code the guarded functions call (module source; ``math`` is imported before it).
SHIM_SOURCE = '''

class _IEEEMath:
    """math whose functions give +-inf where the result overflows (as NumPy and C do)."""

    def __getattr__(self, name):
        function = getattr(math, name)
        if not callable(function):
            return function

        def call(*args):
            try:
                return function(*args)
            except OverflowError:  # exp, expm1, cosh, pow, gamma: +inf; sinh, pow: signed
                odd = name == "pow" and args[1] == int(args[1]) and int(args[1]) % 2
                return math.copysign(math.inf, args[0]) if name == "sinh" or odd else math.inf

        return call


_IEEE = _IEEEMath()


def _overflow_again(_f, *_args):
    raise  # the second try overflowed outside math (u**2): the first error stands


def _with_infinities(_f, *_args):
    """_f(*_args) once more with IEEE infinities: its outputs if all are finite, else the
    OverflowError being handled."""
    scope = {**_f.__globals__, "math": _IEEE, "_with_infinities": _overflow_again}
    try:
        found = type(_f)(_f.__code__, scope)(*_args)
    except (ArithmeticError, ValueError):  # 1/0, sin(inf), u**2: no finite answer
        found = None
    values = found if isinstance(found, tuple | list) else [found]
    if found is None or not all(map(math.isfinite, values)):
        raise  # the OverflowError of the first try
    return found
'''

#: What a guarded body's ``except`` clause says (indented under the function's ``try``).
RETRY = "    except OverflowError:  # an inner value overflowed: once more with IEEE infinities\n"


def guard(name: str, params: list[str], lines: list[str]) -> list[str]:
    """``lines`` (a function body, ending in its ``return``) inside ``try``, retried through
    ``_with_infinities`` on ``OverflowError``."""
    call = ", ".join([name, *params])
    return ["    try:", *(f"    {line}" for line in lines), RETRY.rstrip("\n"),
            f"        return _with_infinities({call})"]  # fmt: skip
