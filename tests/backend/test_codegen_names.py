"""User names never collide with the names generated code uses, in every target.

The list of names to try is not written by hand: it is read out of generated source (every
identifier of a program that exercises every helper, several outputs, partial dependencies and,
in C, the block split and the embedded build key), to which the targets' keywords and the macros
the C compiler's ``<math.h>`` really defines are added.  Each of them is then used as an
argument name, and as a function name, and the compiled code must still compute the right values.
"""

from __future__ import annotations

import ctypes
import io
import keyword
import math
import re
import shutil
import subprocess
import tokenize

import pytest
from hypothesis import given
from hypothesis import strategies as st

import symdiff
from symdiff import CodegenError, Sym, evaluate, gradient
from symdiff.backend import c as c_target
from symdiff.backend import compile_many
from symdiff.backend.build import build_library, tagged
from symdiff.backend.lower import lower
from symdiff.backend.names import C_MACRO_PREFIX, C_RESERVED, INTERNAL, assign_names
from symdiff.core.vocabulary import call

COMPILER = next((c for c in ("cc", "gcc", "clang") if shutil.which(c)), None)
needs_compiler = pytest.mark.skipif(COMPILER is None, reason="no C compiler (cc, gcc or clang)")

#: The keywords of C99/C11 (the standard's fixed list) and of Python.
C_KEYWORDS = """auto break case char const continue default do double else enum extern float for
goto if inline int long register restrict return short signed sizeof static struct switch
typedef union unsigned void volatile while _Bool _Complex _Imaginary _Alignas _Alignof _Atomic
_Generic _Noreturn _Static_assert _Thread_local""".split()  # noqa: SIM905
PYTHON_KEYWORDS = [*keyword.kwlist, *keyword.softkwlist]

SINK_ARGS = ["x", "y"]
SINK_NAME = "f"


def sink_roots() -> list:
    """Outputs touching every helper: sign, erf, abs, atan2, pow, a ratio, partial dependence."""
    formulas = ["sign(x)*erf(y) + abs(x - y)*atan2(y, x) + x**0.3", "x/3 + sin(x*y)*cos(x*y)", "y"]
    return [symdiff.parse(text) for text in formulas]


def python_identifiers(source: str) -> set[str]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {token.string for token in tokens if token.type == tokenize.NAME}


def c_identifiers(source: str) -> set[str]:
    source = re.sub(r"/\*.*?\*/", " ", source, flags=re.S)
    source = re.sub(r'"[^"\n]*"', " ", source)
    return set(re.findall(r"(?<![\w.])[A-Za-z_]\w*", source))


def generated_names(target: str, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Every identifier generated code for ``target`` contains, minus the user's own names.

    The sources: the sink's outputs together (a tuple) and its first alone (a single value);
    in C both also with the block split forced (temporaries in an array, block functions).
    """
    roots = sink_roots()
    found = set()
    for exprs in (roots, roots[0]):
        if target != "c":
            found |= python_identifiers(symdiff.codegen(exprs, SINK_ARGS, target, SINK_NAME))
            continue
        for split, block in ((c_target.SPLIT, c_target.BLOCK), (0, 1)):
            monkeypatch.setattr(c_target, "SPLIT", split)
            monkeypatch.setattr(c_target, "BLOCK", block)
            source = symdiff.codegen(exprs, SINK_ARGS, target="c", name=SINK_NAME)
            found |= c_identifiers(tagged(source, "0" * 64))
            monkeypatch.undo()
    assert {"x", "y", "f"} <= found  # the extraction sees the user's names, so it sees the rest
    return found - {*SINK_ARGS, SINK_NAME, f"{SINK_NAME}_array"}


def math_h_macros() -> set[str]:
    """The macros ``<math.h>`` defines with the flags symdiff builds with (from the compiler)."""
    from symdiff.backend.build import VECTOR_FLAGS

    flags = [f for f in VECTOR_FLAGS if f not in ("-shared", "-fPIC")]
    found = set()
    for options in (["-std=c99"], flags):
        result = subprocess.run(
            [COMPILER, *options, "-dM", "-E", "-"], input="#include <math.h>\n",
            capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        found |= {line.split()[1].split("(")[0] for line in result.stdout.splitlines()}
    # the implementation's own __names (hundreds) all lie in INTERNAL, as the property test shows
    return {name for name in found if not name.startswith("__")}


def names_to_try(target: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names = generated_names(target, monkeypatch)
    if target == "c":
        names |= {*C_KEYWORDS, *math_h_macros()}
    else:
        names |= set(PYTHON_KEYWORDS)
    return sorted(names)


def check_arguments(names: list[str], target: str, cache: str) -> None:
    """A function of all ``names`` with its gradient, compiled and compared with evaluate."""
    symbols = [Sym(n) for n in names]
    f = sum((i + 1) * s**2 for i, s in enumerate(symbols))
    f += symdiff.sign(symbols[0]) * symdiff.erf(symbols[1]) + call("abs", symbols[2]) ** 0.5
    roots = [f, *gradient(f, symbols)]
    if target == "c":
        (function,) = compile_many([(roots, names, "kernel")], cache_dir=cache)
    else:
        function = symdiff.compile(roots, names, target=target, name="kernel")
    values = [0.01 * (i + 1) for i in range(len(names))]
    point = dict(zip(names, values, strict=True))
    got = [float(v) for v in function(*values)]
    expected = [evaluate(root, point) for root in roots]
    for ours, theirs in zip(got, expected, strict=True):
        assert math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("target", ["python", "numpy", pytest.param("c", marks=needs_compiler)])
def test_every_generated_name_as_an_argument(target, monkeypatch, tmp_path):
    names = names_to_try(target, monkeypatch)
    assert len(names) > 30
    if target == "c":  # the extraction saw the kernel, the scalar function and the blocks
        assert {"_stride", "_result", "_t", "SYMDIFF_NOINLINE"} <= set(names)
    check_arguments(names, target, str(tmp_path))
    if target == "c":  # and with the block split (temporaries in an array, block functions)
        monkeypatch.setattr(c_target, "SPLIT", 2)
        monkeypatch.setattr(c_target, "BLOCK", 2)
        check_arguments(names, target, str(tmp_path))


@pytest.mark.parametrize("target", ["python", "numpy", pytest.param("c", marks=needs_compiler)])
def test_every_generated_name_as_a_function_name(target, monkeypatch, tmp_path):
    names = names_to_try(target, monkeypatch)
    x = Sym("x")
    exprs = [(i + 1) * x**2 + symdiff.sign(x) * symdiff.erf(x) for i in range(len(names))]
    if target == "c":  # one portable -O2 build of all of them (the vector build is slow)
        units = [
            c_target.CFunction(lower([e], [x]), ("x",), n)
            for e, n in zip(exprs, names, strict=True)
        ]
        library = ctypes.CDLL(
            str(build_library(c_target.translation_unit(units), cache_dir=tmp_path, vector=False))
        )
        functions = [getattr(library, unit.c_name) for unit in units]
        for function in functions:
            function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double]
    else:
        functions = [symdiff.compile(e, "x", target, n) for e, n in zip(exprs, names, strict=True)]
    for expr, function in zip(exprs, functions, strict=True):
        assert math.isclose(float(function(0.5)), evaluate(expr, x=0.5), rel_tol=1e-14)


def test_the_name_stride_in_c_regression():
    source = symdiff.codegen(symdiff.parse("2*stride + out + n"), "stride out n", target="c")
    assert "double stride, double out, double n" in source  # kept as typed: no clash to avoid


PREFIXED = r"(_|__|t|symdiff_|SYMDIFF_|SymDiff_|M_|FP_|)[A-Za-z0-9_]{0,4}"


@given(
    st.lists(
        st.from_regex(PREFIXED, fullmatch=True).filter(str.isidentifier),
        min_size=1, max_size=12, unique=True,
    )
)  # fmt: skip
def test_assigned_names_stay_out_of_the_internal_namespace(names):
    for reserved, prefix in ((C_RESERVED, C_MACRO_PREFIX), (set(PYTHON_KEYWORDS), None)):
        assigned = assign_names(names, reserved, reserved_prefix=prefix)
        assert len(set(assigned)) == len(assigned)
        for original, name in zip(names, assigned, strict=True):
            assert not INTERNAL.match(name), (original, name)
            assert name not in reserved
            assert prefix is None or not prefix.match(name)


def test_public_names_of_one_unit_must_differ():
    x = symdiff.parse("x")
    with pytest.raises(CodegenError, match="f_array"):
        compile_many([(x, "x", "f"), (x, "x", "f_array")])
