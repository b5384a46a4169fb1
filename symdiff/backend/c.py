"""The ``c`` target: a self-contained C99 translation unit.

For each function ``f``:

- ``static inline void symdiff_kernel_f(double x, ..., double *_out, long _stride)`` computes
  every output and stores output ``k`` at ``_out[k*_stride]``;
- the scalar function ``double f(double x, ...)`` (one output) or
  ``void f(double x, ..., double *_out)`` (several);
- the array driver ``void f_array(long _n, const double *x, ..., double *_out)``, one loop over
  ``_n`` points writing output ``k`` of point ``i`` to ``_out[k*_n + i]``.  The kernel inlines
  into the loop, and the loop carries ``#pragma omp simd``: built with ``-fopenmp-simd`` and
  glibc's vector math library (``SYMDIFF_VECTOR_MATH``, see ``build.py``), ``exp``, ``log``,
  ``sin``… run several points per instruction.  Without those flags it is plain portable C99;
- ``symdiff_arrays_f(long _n, const double *const *_args, double *_out)``, the same driver with
  the argument arrays passed as one array of pointers (for any number of arguments).

Every name the generator invents is in ``names.INTERNAL`` (``_out``, ``symdiff_kernel_f``,
``t0``…), so no argument name can collide with one; ``f`` and ``f_array`` are the public names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from symdiff.backend.names import C_MACRO_PREFIX, C_RESERVED, assign_names, check_identifier
from symdiff.backend.program import FUNCTION_NAMES, Program
from symdiff.backend.render import Dialect
from symdiff.backend.trees import Tree, operations
from symdiff.core.conditions import COMPARISONS
from symdiff.core.errors import CodegenError

FUNCTIONS = {name: name for name in FUNCTION_NAMES} | {
    "abs": "fabs", "sign": "symdiff_sign",
    # the selecting rows, branch-free (ternaries), with symdiff.evaluate's values (README "Kinks")
    "max": "fmax", "min": "fmin", "relu": "fmax({0}, 0.0)",
    "heaviside": "(({0}) > 0.0 ? 1.0 : ({0}) < 0.0 ? 0.0 : 0.5)",
    "clip": "(({0}) < ({1}) ? ({1}) : ({0}) > ({2}) ? ({2}) : ({0}))",
    "where": "(({0}) ? ({1}) : ({2}))", "and": "(({0}) && ({1}))", "or": "(({0}) || ({1}))",
    "not": "(!({0}))",
    **{name: f"(({{0}}) {op} ({{1}}))" for name, op in COMPARISONS.items()},
}  # fmt: skip

DIALECT = Dialect(FUNCTIONS, infinity="HUGE_VAL", nan="NAN", square="pow({}, 2.0)")

SIGN_HELPER = """
static double symdiff_sign(double _u)
{
    return (double)((_u > 0.0) - (_u < 0.0));
}
"""

#: The locals and parameters codegen uses (all inside ``names.INTERNAL``).
OUT, STRIDE, RESULT, TEMPORARIES, COUNT, INDEX, ARGS = (
    "_out",
    "_stride",
    "_result",
    "_t",
    "_n",
    "_i",
    "_args",
)

#: Functions glibc's libmvec has vector versions of; declared ``omp declare simd`` on request.
VECTOR_FUNCTIONS = ("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
                    "acosh", "atanh", "exp", "log", "erf", "pow", "atan2")  # fmt: skip

NOINLINE = """
#if defined(__GNUC__)
#define SYMDIFF_NOINLINE __attribute__((noinline))
#define SYMDIFF_HIDDEN __attribute__((visibility("hidden")))
#else
#define SYMDIFF_NOINLINE
#define SYMDIFF_HIDDEN
#endif
"""

#: Between the translation units of one generated source.  A long program's blocks go into
#: further units, each self-contained C, which the build compiles side by side (one per core)
#: and links into one library; the first unit holds the entry points.  Cache keys and digests
#: cover the whole source.
UNIT_BREAK = "\n/* symdiff: a further translation unit follows */\n"


def units_of(source: str) -> tuple[str, list[str]]:
    """The first translation unit of ``source`` and the further ones."""
    first, *further = source.split(UNIT_BREAK)
    return first, further


def with_units(first: str, further: Sequence[str]) -> str:
    """One source holding ``first`` and the ``further`` units (inverse of ``units_of``)."""
    return UNIT_BREAK.join([first, *further])


#: Programs longer than ``SPLIT`` statements are split into external block functions of about
#: ``BLOCK`` statements' worth of work sharing an array of temporaries: gcc's register
#: allocation over one huge function is superlinear (a 6,000-statement function took 20 s even
#: at -O1); blocks keep compile time linear (3 s for it).
SPLIT = 1000
BLOCK = 100
#: A block's work is counted in operations, ``WEIGHT`` per statement on average: a line that is
#: a sum of 60 products weighs as 60 lines.  (The 1000-step loop gradient ends in 54 such
#: lines; in one block of 61 lines gcc -Og spent 0.6 s on it, 0.45 s in register allocation.)
WEIGHT = 3


def blocks_of(lines: Sequence[tuple[int | None, Tree]], size: int = BLOCK) -> list[list]:
    """``lines`` cut into consecutive blocks of at most ``size * WEIGHT`` operations (a line
    counts at least 1), each block holding at least one line."""
    limit = size * WEIGHT
    blocks: list[list] = [[]]
    work = 0
    for line in lines:
        cost = max(operations(line[1]), 1)
        if blocks[-1] and work + cost > limit:
            blocks.append([])
            work = 0
        blocks[-1].append(line)
        work += cost
    return blocks if blocks[0] else []


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
        return assign_names([name], C_RESERVED, "function name", C_MACRO_PREFIX)[0]


def function_source(function: CFunction) -> str:
    """The kernel (with its blocks, if long), the scalar function and the array driver."""
    program, name = function.program, function.c_name
    count = len(program.statements)
    cut = blocks_of(program.statements) if count > SPLIT else []
    blocks = [f"symdiff_block_{name}_{k}" for k in range(len(cut))]
    kernel = f"symdiff_kernel_{name}"
    params = assign_names(
        list(function.args), C_RESERVED | {name, f"{name}_array"}, reserved_prefix=C_MACRO_PREFIX
    )
    temporary = f"{TEMPORARIES}[{{}}]" if blocks else "t{}"

    def leaf(tree: Tree) -> str:
        return params[tree[1]] if tree[0] == "arg" else temporary.format(tree[1])

    lines = [
        f"{temporary.format(index)} = {DIALECT.expression(tree, leaf)};"
        for index, tree in program.statements
    ]
    parts = []
    if blocks:
        signature = f"(double *restrict {TEMPORARIES}{''.join(f', double {p}' for p in params)})"
        starts = [0]
        for part in cut:
            starts.append(starts[-1] + len(part))
        for k, block in enumerate(blocks):
            statements = "".join(f"    {line}\n" for line in lines[starts[k] : starts[k + 1]])
            parts.append(f"SYMDIFF_NOINLINE void {block}{signature}\n{{\n{statements}}}\n")
        call = "".join(f", {p}" for p in params)
        body = [f"    double {TEMPORARIES}[{count}];"]
        body += [f"    {b}({TEMPORARIES}{call});" for b in blocks]
    else:
        body = [f"    const double {line}" for line in lines]
    offsets = ["0", STRIDE] + [f"{k}*{STRIDE}" for k in range(2, len(program.outputs))]
    body += [
        f"    {OUT}[{offset}] = {DIALECT.expression(tree, leaf)};"
        for offset, tree in zip(offsets, program.outputs, strict=False)
    ]
    scalars = [f"double {p}" for p in params]
    kernel_params = ", ".join([*scalars, f"double *restrict {OUT}", f"long {STRIDE}"])
    parts.append(f"static inline void {kernel}({kernel_params})\n{{\n" + "\n".join(body) + "\n}\n")
    names = "".join(f"{p}, " for p in params)
    if len(program.outputs) == 1:
        parts.append(
            f"double {name}({', '.join(scalars) or 'void'})\n{{\n    double {RESULT};\n"
            f"    {kernel}({names}&{RESULT}, 1);\n    return {RESULT};\n}}\n"
        )
    else:
        parts.append(
            f"void {name}({', '.join([*scalars, f'double *restrict {OUT}'])})\n{{\n"
            f"    {kernel}({names}{OUT}, 1);\n}}\n"
        )
    pointers = "".join(f", const double *restrict {p}" for p in params)
    at_i = "".join(f"{p}[{INDEX}], " for p in params)
    parts.append(
        f"void {name}_array(long {COUNT}{pointers}, double *restrict {OUT})\n{{\n"
        + ("" if blocks else "    #pragma omp simd\n")
        + f"    for (long {INDEX} = 0; {INDEX} < {COUNT}; ++{INDEX})\n"
        f"        {kernel}({at_i}{OUT} + {INDEX}, {COUNT});\n}}\n"
    )
    unpacked = "".join(f"{ARGS}[{k}], " for k in range(len(params)))
    parts.append(
        f"void {packed_driver(name)}(long {COUNT}, const double *const *{ARGS}, double *{OUT})\n"
        f"{{\n    {name}_array({COUNT}, {unpacked}{OUT});\n}}\n"
    )
    return "\n".join(parts)


def packed_driver(c_name: str) -> str:
    """The driver taking the argument arrays as one array of pointers (what ``compile`` calls:
    ctypes passes at most 1,024 arguments, a formula may have more variables)."""
    return f"symdiff_arrays_{c_name}"


def translation_unit(functions: Sequence[CFunction]) -> str:
    """A complete C99 file defining every function in ``functions``."""
    exported = [n for f in functions for n in (f.c_name, f"{f.c_name}_array")]
    repeated = sorted({n for n in exported if exported.count(n) > 1})
    if repeated:
        raise CodegenError(
            f"two functions of one translation unit would both define {', '.join(repeated)}: "
            "choose other function names"
        )
    parts = [function_source(f) for f in functions]
    text = "\n".join(parts)
    return "/* Generated by symdiff. */\n#include <math.h>\n" + helpers(text) + "\n" + text


def helpers(text: str) -> str:
    """The declarations and helper functions the C code ``text`` uses."""
    used = [f for f in VECTOR_FUNCTIONS if f"{f}(" in text]
    vector = "".join(
        f"#pragma omp declare simd notinbranch\ndouble {f}({', '.join(['double'] * arity)});\n"
        for f, arity in ((f, 2 if f in ("pow", "atan2") else 1) for f in used)
    )
    return "".join(
        [
            f"\n#if defined(SYMDIFF_VECTOR_MATH)\n{vector}#endif\n" if vector else "",
            NOINLINE if "SYMDIFF_NOINLINE" in text else "",
            SIGN_HELPER if "symdiff_sign(" in text else "",
        ]
    )


def source(program: Program, args: Sequence[str], name: str, single: bool) -> str:
    """One function's translation unit (``single`` changes nothing in C)."""
    return translation_unit([CFunction(program, tuple(args), name)])
