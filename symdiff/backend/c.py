"""The ``c`` target: a self-contained C99 translation unit.

For each function ``f``:

- ``static inline void f_kernel(double x, ..., double *out, long stride)`` computes every output
  and stores output ``k`` at ``out[k*stride]``;
- the scalar function ``double f(double x, ...)`` (one output) or
  ``void f(double x, ..., double *out)`` (several);
- the array driver ``void f_array(long n, const double *x, ..., double *out)``, one loop over
  ``n`` points writing output ``k`` of point ``i`` to ``out[k*n + i]``.  The kernel inlines into
  the loop, and the loop carries ``#pragma omp simd``: built with ``-fopenmp-simd`` and glibc's
  vector math library (``SYMDIFF_VECTOR_MATH``, see ``build.py``), ``exp``, ``log``, ``sin``…
  run several points per instruction.  Without those flags it is plain portable C99.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from symdiff.backend.lower import Program
from symdiff.backend.names import C_RESERVED, assign_names, check_identifier
from symdiff.backend.render import Dialect
from symdiff.backend.trees import Tree

FUNCTIONS = {
    name: name
    for name in ("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
                 "acosh", "atanh", "exp", "log", "sqrt", "erf", "atan2", "pow")
} | {"abs": "fabs", "sign": "symdiff_sign"}  # fmt: skip

DIALECT = Dialect(FUNCTIONS, infinity="HUGE_VAL", nan="NAN", square="pow({}, 2.0)")

SIGN_HELPER = """
static double symdiff_sign(double u)
{
    return (double)((u > 0.0) - (u < 0.0));
}
"""

HELPER_NAMES = frozenset({"symdiff_sign", "SYMDIFF_NOINLINE", "SYMDIFF_VECTOR_MATH"})

#: Functions glibc's libmvec has vector versions of; declared ``omp declare simd`` on request.
VECTOR_FUNCTIONS = ("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
                    "acosh", "atanh", "exp", "log", "erf", "pow", "atan2")  # fmt: skip

NOINLINE = """
#if defined(__GNUC__)
#define SYMDIFF_NOINLINE __attribute__((noinline))
#else
#define SYMDIFF_NOINLINE
#endif
"""

#: Programs longer than ``SPLIT`` statements are split into external block functions of
#: ``BLOCK`` statements sharing an array of temporaries: gcc's register allocation over one huge
#: function is superlinear (a 6,000-statement function took 20 s even at -O1); blocks keep
#: compile time linear (3 s for it).
SPLIT = 1000
BLOCK = 100


@dataclass(frozen=True)
class CFunction:
    """One function of a translation unit: its program and (unmangled) names."""

    program: Program
    args: tuple[str, ...]
    name: str

    @property
    def c_name(self) -> str:
        """The scalar function's C name; the array driver is ``c_name + "_array"``."""
        name = check_identifier(self.name, "function name")
        return assign_names([name], C_RESERVED | HELPER_NAMES, "function name")[0]


def function_source(function: CFunction) -> str:
    """The kernel (with its blocks, if long), the scalar function and the array driver."""
    program, name = function.program, function.c_name
    count = len(program.statements)
    blocks = (
        [f"{name}_block{k}" for k in range((count + BLOCK - 1) // BLOCK)] if count > SPLIT else []
    )
    kernel = f"{name}_kernel"
    reserved = C_RESERVED | HELPER_NAMES | {name, f"{name}_array", kernel, *blocks}
    params = assign_names(list(function.args), reserved)
    temporary = "t[{}]" if blocks else "t{}"

    def leaf(tree: Tree) -> str:
        return params[tree[1]] if tree[0] == "arg" else temporary.format(tree[1])

    lines = [
        f"{temporary.format(index)} = {DIALECT.expression(tree, leaf)};"
        for index, tree in program.statements
    ]
    parts = []
    if blocks:
        signature = f"(double *restrict t{''.join(f', double {p}' for p in params)})"
        for k, block in enumerate(blocks):
            statements = "".join(f"    {line}\n" for line in lines[k * BLOCK : (k + 1) * BLOCK])
            parts.append(f"SYMDIFF_NOINLINE void {block}{signature}\n{{\n{statements}}}\n")
        call = "".join(f", {p}" for p in params)
        body = [f"    double t[{count}];"] + [f"    {b}(t{call});" for b in blocks]
    else:
        body = [f"    const double {line}" for line in lines]
    offsets = ["0", "stride"] + [f"{k}*stride" for k in range(2, len(program.outputs))]
    body += [
        f"    out[{offset}] = {DIALECT.expression(tree, leaf)};"
        for offset, tree in zip(offsets, program.outputs, strict=False)
    ]
    scalars = [f"double {p}" for p in params]
    kernel_params = ", ".join([*scalars, "double *restrict out", "long stride"])
    parts.append(f"static inline void {kernel}({kernel_params})\n{{\n" + "\n".join(body) + "\n}\n")
    names = ", ".join(params)
    if len(program.outputs) == 1:
        parts.append(
            f"double {name}({', '.join(scalars) or 'void'})\n{{\n    double result;\n"
            f"    {kernel}({names}{', ' if params else ''}&result, 1);\n    return result;\n}}\n"
        )
    else:
        parts.append(
            f"void {name}({', '.join([*scalars, 'double *restrict out'])})\n{{\n"
            f"    {kernel}({names}{', ' if params else ''}out, 1);\n}}\n"
        )
    pointers = "".join(f", const double *restrict {p}" for p in params)
    at_i = "".join(f"{p}[i], " for p in params)
    parts.append(
        f"void {name}_array(long n{pointers}, double *restrict out)\n{{\n"
        + ("" if blocks else "    #pragma omp simd\n")
        + f"    for (long i = 0; i < n; ++i)\n        {kernel}({at_i}out + i, n);\n}}\n"
    )
    return "\n".join(parts)


def translation_unit(functions: Sequence[CFunction]) -> str:
    """A complete C99 file defining every function in ``functions``."""
    parts = [function_source(f) for f in functions]
    names = [f.c_name for f in functions]
    if len(set(names)) != len(names):
        raise ValueError(f"repeated function names in one translation unit: {names}")
    text = "\n".join(parts)
    used = [f for f in VECTOR_FUNCTIONS if f"{f}(" in text]
    vector = "".join(
        f"#pragma omp declare simd notinbranch\ndouble {f}({', '.join(['double'] * arity)});\n"
        for f, arity in ((f, 2 if f in ("pow", "atan2") else 1) for f in used)
    )
    helpers = "".join(
        [
            f"\n#if defined(SYMDIFF_VECTOR_MATH)\n{vector}#endif\n" if vector else "",
            NOINLINE if "SYMDIFF_NOINLINE" in text else "",
            SIGN_HELPER if "symdiff_sign(" in text else "",
        ]
    )
    return "/* Generated by symdiff. */\n#include <math.h>\n" + helpers + "\n" + text


def source(program: Program, args: Sequence[str], name: str, single: bool) -> str:
    """One function's translation unit (``single`` changes nothing in C)."""
    return translation_unit([CFunction(program, tuple(args), name)])
