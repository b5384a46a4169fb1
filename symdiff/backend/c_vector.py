"""The ``c`` kernel of ``compile_vector``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from symdiff.backend.compiling import compile_many
from symdiff.core.nodes import Expr, Sym


def c_kernel(roots: Sequence[Expr], symbols: Sequence[Sym], inputs: int, compiler: str | None,
             cache_dir: str | os.PathLike | None) -> tuple[Any, str]:  # fmt: skip
    """A kernel filling ``out`` (points by outputs) and the C source it runs."""
    (function,) = compile_many([(list(roots), list(symbols), "f")], compiler=compiler,
                               cache_dir=cache_dir)  # fmt: skip

    def kernel(x: Any, p: Any, out: Any) -> None:
        import numpy as np

        columns = [*x.T, *(np.full(len(x), value) for value in p)]
        for column, result in enumerate(function(*columns)):
            out[:, column] = result

    return kernel, function.source
