"""Architecture checks: packages import one way (imports inside functions included), no cycles,
SymPy only in tests, heavy libraries only on the paths that use them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import symdiff

PACKAGE = Path(symdiff.__file__).parent

#: Each layer may import only from layers with a smaller rank; layers of equal rank are
#: independent of each other. Inside one layer, modules import each other acyclically.
RANKS = {
    "grammar": 0, "core": 0,
    "calculus": 1, "rewrite": 1, "formats": 1,
    "numeric": 2, "steps": 2,
    "backend": 3,
    "api": 4, "matrices": 4, "math": 4, "checking": 4, "defining": 4, "implicit_diff": 4,
    "__init__": 5,
    "web": 6,
    "cli": 7,
    "__main__": 8,
}  # fmt: skip

#: Upward, sideways or cycle-closing edges still to be removed (module -> imported module).
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__") or "__init__"


def _layer(module: str) -> str:
    return module.split(".")[0]


def _exists(module: str) -> bool:
    if module == "grammar":  # data, installed from the repository's grammar/ folder
        return True
    base = PACKAGE.joinpath(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _type_checking_blocks(tree: ast.Module) -> set[ast.AST]:
    """Import statements under ``if TYPE_CHECKING:`` (they never run)."""
    skipped: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(ast.walk(node))
    return skipped


def _target(dotted: str) -> str:
    """``symdiff.core.nodes`` -> ``core.nodes``; ``symdiff`` -> ``__init__``."""
    below = dotted.removeprefix("symdiff").lstrip(".")
    return below or "__init__"


def imports_of(path: Path, name: str | None = None) -> set[str]:
    """The symdiff modules a file imports anywhere: at the top, or inside functions."""
    tree = ast.parse(path.read_text())
    name = name or _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    if name == "__init__":
        package = []
    skipped = _type_checking_blocks(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
                dotted = "symdiff" + (f".{module}" if module else "")
            elif node.module and node.module.split(".")[0] == "symdiff":
                dotted = node.module
            else:
                continue
            for alias in node.names:  # ``from symdiff.core import nodes`` imports a module
                candidate = _target(f"{dotted}.{alias.name}")
                found.add(candidate if _exists(candidate) else _target(dotted))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "symdiff":
                    found.add(_target(alias.name))
    found.discard(name)
    return found


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def test_every_module_sits_in_a_layer() -> None:
    for module in _graph():
        assert _layer(module) in RANKS, f"symdiff.{module} is in no layer: place it in a package"


def test_layers_point_downwards() -> None:
    wrong = []
    for module, imports in _graph().items():
        for target in imports:
            if _layer(target) == _layer(module) or (module, target) in KNOWN_EXCEPTIONS:
                continue
            if RANKS[_layer(target)] >= RANKS[_layer(module)]:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports that point up or sideways:\n" + "\n".join(sorted(wrong))


def test_known_exceptions_are_still_needed() -> None:
    graph = _graph()
    stale = [edge for edge in KNOWN_EXCEPTIONS if edge[1] not in graph.get(edge[0], set())]
    assert not stale, f"remove these from KNOWN_EXCEPTIONS: {stale}"


def test_cli_uses_only_the_public_api() -> None:
    for module, imports in _graph().items():
        if _layer(module) in ("cli", "web"):
            for target in imports:
                allowed = {_layer(module), "web"} if _layer(module) == "cli" else {"web"}
                assert target == "__init__" or _layer(target) in allowed, (
                    f"{module} imports symdiff.{target}: "
                    f"the {_layer(module)} may use only the public API"
                )


def test_no_import_cycles() -> None:
    graph = {m: {t for t in ts if (m, t) not in KNOWN_EXCEPTIONS} for m, ts in _graph().items()}
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        state[start] = 1
        path = [start]
        stack = [(start, iter(sorted(graph[start])))]
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


def test_the_checker_sees_function_local_imports(tmp_path: Path) -> None:
    source = "def f():\n    from symdiff.cli import main\n    import symdiff.backend.c\n"
    probe = tmp_path / "probe.py"
    probe.write_text(source + "if TYPE_CHECKING:\n    from symdiff import api\n")
    assert imports_of(probe, "core.probe") == {"cli", "backend.c"}


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


def test_subpackage_modules_import_as_modules() -> None:
    code = "import symdiff.backend.c, symdiff.core.nodes; print(symdiff.simplify.__module__)"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, timeout=60, capture_output=True, text=True
    )
    assert out.stdout.strip() != "builtins"


def _lazy_exports_declared_for_type_checkers() -> set[tuple[str, str]]:
    """(module, name) pairs imported under ``if TYPE_CHECKING:`` in ``symdiff/__init__.py``."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    pairs = set()
    for node in _type_checking_blocks(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("symdiff"):
            for alias in node.names:  # (``typing`` names there are annotations only)
                full = f"{node.module}.{alias.name}"
                module = full if full == "symdiff.math" else node.module
                pairs.add((module, alias.name))
    return pairs


def test_every_lazy_export_resolves_from_its_defining_module() -> None:
    import importlib

    table = {(m, n) for m, names in symdiff.EXPORTS.items() for n in names}
    assert table == _lazy_exports_declared_for_type_checkers()
    for module, name in sorted(table):
        value = getattr(symdiff, name)
        loaded = importlib.import_module(module)
        assert value is (loaded if module == f"symdiff.{name}" else getattr(loaded, name))
        layer = _layer(_target(module))
        assert RANKS[layer] < RANKS["__init__"], f"{name} comes from {module}, above the package"
    assert set(symdiff.__all__) <= set(dir(symdiff))
    for name in symdiff.__all__:
        assert getattr(symdiff, name) is not None


def test_no_subpackage_is_named_like_a_public_name() -> None:
    """``import symdiff.x`` binds ``symdiff.x`` to the module: an export named x would be lost."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} | {
        p.parent.name for p in PACKAGE.glob("*/__init__.py")
    }
    clashes = (modules & set(symdiff.__all__)) - {"math"}
    assert not clashes, f"modules named like public names: {sorted(clashes)}"


def _loaded_after(code: str) -> set[str]:
    """The symdiff packages (core, rewrite, ...) loaded by ``code`` in a fresh interpreter."""
    probe = (
        code + "\nimport sys\nprint(' '.join(m for m in sys.modules if m.startswith('symdiff')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, timeout=60, capture_output=True, text=True
    )
    names = out.stdout.split()[-1:] and out.stdout.splitlines()[-1].split()
    return {n.split(".")[1] for n in names if n.count(".") >= 1}


def test_import_loads_only_the_core() -> None:
    assert _loaded_after("import symdiff") == {"core"}
    printed = _loaded_after("import symdiff\nassert str(symdiff.Sym('x') ** 2) == 'x**2'")
    assert printed == {"core", "formats"}
    derived = _loaded_after("import symdiff\nassert str(symdiff.Sym('x').diff('x')) == '1'")
    assert "backend" not in derived and "steps" not in derived and "numeric" not in derived


def test_the_cli_derivative_loads_only_what_it_uses() -> None:
    code = "from symdiff.cli import main\nmain(['x**2*y+y+2', '--wrt', 'x'])"
    unused = {"backend", "steps", "numeric", "checking", "web", "math"}
    loaded = _loaded_after(code)
    assert loaded >= {"core", "formats", "calculus", "rewrite", "api", "cli"}
    assert not loaded & unused, f"the derivative mode loads {sorted(loaded & unused)}"
