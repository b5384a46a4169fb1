"""C source for ``compile_vector``: one pointer in, one pointer out, the points loop inside C.

The translation unit defines

    int symdiff_vector(long _n, const double *_x, const double *_p, double *_out)

which evaluates ``_n`` points: point ``i`` reads its inputs from ``_x[i*inputs ...]``, the
parameters from ``_p``, and writes its outputs to ``_out[i*outputs ...]`` (row-major arrays, as
NumPy lays out ``(points, inputs)``).  It returns 0, or -1 if scratch memory could not be had.

Size decides the shape of the code (compile time must stay linear in the DAG):

- up to ``SPLIT`` lines (statements plus outputs), one ``static inline`` function whose
  temporaries are ``const double`` locals, inlined into a ``#pragma omp simd`` points loop;
  built at ``-O3 -march=native``;
- beyond, the lines are cut into ``noinline`` blocks of ``BLOCK`` lines.  A temporary read only
  in the block that defines it stays a local; one read by a later block lives in a scratch
  array (on the stack up to ``STACK`` doubles, else ``malloc``-ed once per call).  gcc's
  optimisers are superlinear in the size of one function and blocks bound that size; such
  units are built with less optimisation (``build.recipe_for`` has the measurements).
"""

from __future__ import annotations

from collections.abc import Sequence

from symdiff.backend import c
from symdiff.backend.program import Program
from symdiff.backend.trees import Tree, temporaries_in

SPLIT = 300  # lines; the same as build.SMALL_LINES
BLOCK = 100
#: Blocks per further translation unit: the build compiles the units in parallel.
UNIT = 8
#: Most scratch doubles kept on the stack (512 KiB); more are allocated.
STACK = 65536
ENTRY = "symdiff_vector"
PARAMS = "const double *restrict _x, const double *restrict _p"


def _lines(program: Program) -> list[tuple[int | None, Tree]]:
    """Statements ``(temporary, tree)`` then outputs ``(None, tree)``, in order."""
    return [*program.statements, *((None, tree) for tree in program.outputs)]


def vector_source(program: Program, inputs: int, names: Sequence[str] = ()) -> tuple[str, int]:
    """The translation unit for ``program`` (its first ``inputs`` arguments come from ``_x``,
    the rest from ``_p``), and its number of lines (statements plus outputs)."""
    lines = _lines(program)
    large = len(lines) > SPLIT
    blocks = c.blocks_of(lines, BLOCK) if large else [lines]
    block_of: dict[int, int] = {}
    for number, block in enumerate(blocks):
        for index, _ in block:
            if index is not None:
                block_of[index] = number
    shared: dict[int, int] = {}  # temporary -> slot in the scratch array
    for number, block in enumerate(blocks):
        for _, tree in block:
            for read in temporaries_in(tree):
                if block_of[read] != number and read not in shared:
                    shared[read] = len(shared)

    def leaf(tree: Tree) -> str:
        index = tree[1]
        if tree[0] == "arg":
            return f"_x[{index}]" if index < inputs else f"_p[{index - inputs}]"
        return f"_t[{shared[index]}]" if index in shared else f"t{index}"

    output = 0
    bodies = []
    for block in blocks:
        body = []
        for index, tree in block:
            text = c.DIALECT.expression(tree, leaf)
            if index is None:
                body.append(f"    _out[{output}] = {text};")
                output += 1
            elif index in shared:
                body.append(f"    _t[{shared[index]}] = {text};")
            else:
                body.append(f"    const double t{index} = {text};")
        bodies.append("\n".join(body))
    header = "".join(f"/* _x[{k}]: {n} */\n" for k, n in enumerate(names[:inputs]))
    header += "".join(f"/* _p[{k}]: {n} */\n" for k, n in enumerate(names[inputs:]))
    outputs = len(program.outputs)
    further: list[str] = []  # translation units of blocks, when large
    if not large:
        point = (
            f"static inline void symdiff_point({PARAMS}, double *restrict _out)\n"
            f"{{\n{bodies[0]}\n}}\n"
        )
        driver = (
            f"int {ENTRY}(long _n, {PARAMS}, double *restrict _out)\n{{\n"
            "    #pragma omp simd\n"
            "    for (long _i = 0; _i < _n; ++_i)\n"
            f"        symdiff_point(_x + _i*{inputs}, _p, _out + _i*{outputs});\n"
            "    return 0;\n}\n"
        )
        text = point + "\n" + driver
    else:
        signature = f"({PARAMS}, double *restrict _t, double *restrict _out)"
        prototype = "SYMDIFF_NOINLINE SYMDIFF_HIDDEN void symdiff_block_{}" + signature
        units = [
            "\n".join(f"{prototype.format(k)}\n{{\n{bodies[k]}\n}}\n"
                      for k in range(first, min(first + UNIT, len(bodies))))
            for first in range(0, len(bodies), UNIT)
        ]  # fmt: skip
        further = [f"#include <math.h>\n{c.helpers(unit)}\n{unit}" for unit in units]
        parts = [f"{prototype.format(k)};" for k in range(len(blocks))]
        calls = "".join(
            f"        symdiff_block_{k}(_xi, _p, _t, _oi);\n" for k in range(len(blocks))
        )
        size = max(len(shared), 1)
        scratch = (
            f"    double _t[{size}];\n"
            if size <= STACK
            else f"    double *_t = malloc({size} * sizeof(double));\n"
            "    if (!_t)\n        return -1;\n"
        )
        driver = (
            f"int {ENTRY}(long _n, {PARAMS}, double *restrict _out)\n{{\n{scratch}"
            "    for (long _i = 0; _i < _n; ++_i) {\n"
            f"        const double *_xi = _x + _i*{inputs};\n"
            f"        double *_oi = _out + _i*{outputs};\n{calls}    }}\n"
            + ("" if size <= STACK else "    free(_t);\n")
            + "    return 0;\n}\n"
        )
        text = "\n".join(parts) + "\n" + driver
    includes = "#include <math.h>\n" + ("#include <stdlib.h>\n" if "malloc(" in text else "")
    first = f"/* Generated by symdiff. */\n{header}{includes}{c.helpers(text)}\n{text}"
    return c.with_units(first, further), len(lines)
