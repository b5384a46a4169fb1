"""Array targets beyond NumPy: ``jax``, ``torch``, ``cupy`` and ``array_api`` (the Python array
API standard: the namespace is taken from the first argument's ``__array_namespace__()``).

The generated function takes and returns the library's arrays and uses only its functions, so
it traces under ``jax.jit``/``jax.vmap``/``jax.grad`` and ``torch.compile`` and is
differentiable by the library.  The library is imported by the generated module only (symdiff
never imports it).  The stable helpers map to the library's own (``jax.nn.softplus``,
``torch.sigmoid``, ``logaddexp``, ``hypot``) or are written from its functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from symdiff.backend.names import PYTHON_RESERVED, assign_names
from symdiff.backend.program import FUNCTION_NAMES, Program
from symdiff.backend.python import function_name, helpers_used, module
from symdiff.backend.render import Dialect
from symdiff.backend.trees import Tree

_INVERSE = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
            "acosh": "arccosh", "atanh": "arctanh", "atan2": "arctan2", "pow": "power"}  # fmt: skip


@dataclass(frozen=True)
class ArrayLibrary:
    """What one array target prints: its import, its names, its helpers and broadcasting."""

    header: str
    functions: dict[str, str]
    helpers: dict[str, str]
    constant: str  # an output that does not depend on every argument: {value}, {shape}, {like}
    shapes: str  # the broadcast shape of the arguments: {args}
    shape_of: str  # the shape of one argument: {arg}
    prefix: str = ""  # a first line of the function body: {first}

    def dialect(self) -> Dialect:
        module_name = self.functions["exp"].split(".")[0]
        return Dialect(self.functions, infinity=f"{module_name}.inf", nan=f"{module_name}.nan")


def _numpy_like(alias: str, renamed: dict[str, str]) -> dict[str, str]:
    names = {name: f"{alias}.{_INVERSE.get(name, name)}" for name in FUNCTION_NAMES}
    return names | {"hypot": f"{alias}.hypot", "logaddexp": f"{alias}.logaddexp"} | renamed


JAX = ArrayLibrary(
    header="import jax\nimport jax.numpy as jnp\nimport jax.scipy.special\n",
    functions=_numpy_like(
        "jnp",
        {
            "erf": "jax.scipy.special.erf",
            "softplus": "jax.nn.softplus",
            "sigmoid": "jax.nn.sigmoid",
        },
    ),
    helpers={},
    constant="jnp.broadcast_to(jnp.asarray({value}, dtype=jnp.result_type({like})), {shape})",
    shapes="jnp.broadcast_shapes({args})",
    shape_of="jnp.shape({arg})",
)

TORCH_HELPERS = {
    "_tensors": '''

def _tensors(*_values):
    """Python floats as tensors of the dtype and device of the tensors among the values."""
    _like = next(_v for _v in _values if isinstance(_v, torch.Tensor))
    return [_v if isinstance(_v, torch.Tensor) else torch.full_like(_like, _v) for _v in _values]
''',
    "_logaddexp": """

def _logaddexp(_a, _b):
    return torch.logaddexp(*_tensors(_a, _b))
""",
    "_hypot": """

def _hypot(_a, _b):
    return torch.hypot(*_tensors(_a, _b))
""",
    "_atan2": """

def _atan2(_a, _b):
    return torch.atan2(*_tensors(_a, _b))
""",
    "_softplus": """

def _softplus(_u):
    return torch.logaddexp(_u, torch.zeros_like(_u))  # F.softplus thresholds (inexact)
""",
}

TORCH = ArrayLibrary(
    header="import torch\n",
    functions={name: f"torch.{name}" for name in FUNCTION_NAMES}
    | {
        "erf": "torch.special.erf",
        "pow": "torch.pow",
        "atan2": "_atan2",
        "hypot": "_hypot",
        "logaddexp": "_logaddexp",
        "softplus": "_softplus",
        "sigmoid": "torch.sigmoid",
    },
    helpers=TORCH_HELPERS,
    constant="torch.broadcast_to(torch.as_tensor({value}, dtype={like}.dtype, "
    "device={like}.device), {shape})",
    shapes="torch.broadcast_shapes({args})",
    shape_of="{arg}.shape",
)

CUPY = ArrayLibrary(
    header="import cupy as cp\nimport cupyx.scipy.special\n",
    functions=_numpy_like("cp", {"erf": "cupyx.scipy.special.erf"}),
    helpers={},
    constant="cp.broadcast_to(cp.asarray({value}, dtype={like}.dtype), {shape})",
    shapes="cp.broadcast_shapes({args})",
    shape_of="cp.shape({arg})",
)

#: The standard's names (2023.12): no erf; softplus and sigmoid use the stable fallbacks.
ARRAY_API = ArrayLibrary(
    header="",
    functions={name: f"xp.{name}" for name in FUNCTION_NAMES if name != "erf"}
    | {
        "hypot": "xp.hypot",
        "logaddexp": "xp.logaddexp",
    },
    helpers={},
    constant="xp.broadcast_to(xp.asarray({value}, dtype={like}.dtype), {shape})",
    shapes="xp.broadcast_arrays({args})[0].shape",
    shape_of="xp.asarray({arg})",
    prefix="xp = {first}.__array_namespace__()",
)

LIBRARIES = {"jax": JAX, "torch": TORCH, "cupy": CUPY, "array_api": ARRAY_API}


def source_for(library: ArrayLibrary, program: Program, args: Sequence[str], name: str,
               single: bool) -> str:  # fmt: skip
    """A module defining ``name(*args)`` over ``library``'s arrays."""
    name = function_name(name)
    params = assign_names(list(args), {*PYTHON_RESERVED, name, "xp", "jax", "jnp", "torch", "cp"})
    dialect = library.dialect()

    def leaf(tree: Tree) -> str:
        return params[tree[1]] if tree[0] == "arg" else f"t{tree[1]}"

    body = [f"    {library.prefix.format(first=params[0])}"] if library.prefix and params else []
    body += [f"    t{index} = {dialect.expression(tree, leaf)}" for index, tree in
             program.statements]  # fmt: skip
    everything = frozenset(range(len(params)))
    outputs = []
    for tree, depends in zip(program.outputs, program.output_symbols, strict=True):
        text = dialect.expression(tree, leaf)
        if depends != everything and params:
            text = library.constant.format(value=text, shape="_shape", like=params[0])
        outputs.append(text)
    if any("_shape" in text for text in outputs):
        shapes = ", ".join(library.shape_of.format(arg=p) for p in params)
        body.append(f"    _shape = {library.shapes.format(args=shapes)}")
    helpers = helpers_used([*body, *outputs], library.helpers)
    if "_tensors(" in helpers:
        helpers = TORCH_HELPERS["_tensors"] + helpers
    return module(library.header + helpers, name, params, body, outputs, single)


def printer(target: str) -> Callable[[Program, Sequence[str], str, bool], str]:
    """The ``codegen`` printer of an array target."""
    library = LIBRARIES[target]

    def source(program: Program, args: Sequence[str], name: str, single: bool) -> str:
        return source_for(library, program, args, name, single)

    return source
