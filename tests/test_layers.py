"""Architecture checks: one-way dependencies, no cycles, SymPy only in tests, lazy heavy imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import symdiff

PACKAGE = Path(symdiff.__file__).parent

#: The core's layers, lowest first; a module may import only from lower layers.
#: Modules not listed sit above the core (they may import the core and each other, acyclically).
CORE_LAYERS = {
    "errors": 0, "numbers": 1, "expr": 2, "functions": 3, "traverse": 3, "extended": 3,
    "printing": 4, "parse": 4, "derivatives": 4, "evaluate": 4, "cse": 4, "high_order": 5,
    "diff": 6,
}  # fmt: skip
TOP = 10


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__") or "__init__"


def _top_level_imports(path: Path) -> set[str]:
    """symdiff modules imported at module level (not inside functions or TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    name = _module_name(path)
    if path.name == "__init__.py":  # relative imports resolve against the package itself
        package_parts = [] if name == "__init__" else name.split(".")
    else:
        package_parts = name.split(".")[:-1]
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks do not run
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - (node.level - 1)]
                if node.module:
                    found.add(".".join([*base, node.module]))
                else:
                    found.update(".".join([*base, alias.name]) for alias in node.names)
            elif node.module and node.module.split(".")[0] == "symdiff":
                found.add(node.module.removeprefix("symdiff").lstrip(".") or "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "symdiff":
                    found.add(alias.name.removeprefix("symdiff").lstrip(".") or "__init__")
    return {m for m in found if m}


def _modules() -> dict[str, set[str]]:
    return {_module_name(p): _top_level_imports(p) for p in PACKAGE.rglob("*.py")}


def test_core_layers_point_downwards() -> None:
    for module, imports in _modules().items():
        if module not in CORE_LAYERS:
            continue
        for target in imports:
            assert target in CORE_LAYERS, f"core module {module} imports {target} (above the core)"
            assert CORE_LAYERS[target] < CORE_LAYERS[module], f"{module} imports {target}"


def test_cli_uses_only_the_public_api() -> None:
    for module, imports in _modules().items():
        if module.startswith("cli"):
            for target in imports:
                assert target == "__init__" or target.startswith("cli"), (
                    f"{module} imports symdiff.{target}: the CLI may use only the public API"
                )


def test_nothing_but_the_cli_imports_the_cli_or_the_package_root() -> None:
    for module, imports in _modules().items():
        if module.startswith("cli") or module in ("__init__", "__main__"):
            continue
        for target in imports:
            assert not target.startswith("cli"), f"{module} imports the CLI"
            assert target != "__init__", f"{module} imports the package root (a cycle)"


def test_no_import_cycles() -> None:
    graph = _modules()
    state: dict[str, int] = {}
    for start in graph:
        stack = [(start, iter(sorted(graph[start])))]
        if state.get(start):
            continue
        state[start] = 1
        path = [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            if child not in graph:
                continue
            assert state.get(child) != 1, f"import cycle: {' -> '.join([*path, child])}"
            if not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))


def test_sympy_is_never_imported_by_the_package() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            assert not any(n.split(".")[0] == "sympy" for n in names), f"{path} imports sympy"


def test_import_is_light() -> None:
    code = (
        "import sys, symdiff; symdiff.diff(symdiff.parse('sin(x)*x'), 'x'); "
        "heavy = {'sympy', 'numpy', 'ctypes', 'subprocess', 'hypothesis'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
