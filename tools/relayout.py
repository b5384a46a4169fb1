#!/usr/bin/env python3
"""Re-lay symdiff from the flat layout into layered packages (issue 11); safe to re-run.

    python3 relayout.py [REPO]        (default: the current directory)

1. ``git mv`` every module of the flat layout (and its test) to its new home, where the old
   file still exists and the new one does not.
2. Rewrite every import of every ``.py`` file under the repository (modules it has never
   seen included, imports inside functions included) to absolute ``symdiff.<package>.<module>``
   form. A relative import is resolved against the file's *old* location when the file is a
   moved module (merged code from the flat layout), else against its own location.
   ``from OLD import a, b`` is split by where each name lives now: the new modules that
   replace ``OLD`` are searched for a top-level definition of the name (modules split after
   the move are found this way).
3. ``import symdiff.OLD`` and dotted references / strings ``"symdiff.OLD.attr"`` are renamed.

Idempotent: new paths are not old paths, so a second run changes nothing.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

#: old module (dotted, below ``symdiff``) -> new modules, the first being the file's new home
#: and the rest the modules that took over some of its names.
MODULES: dict[str, list[str]] = {
    "errors": ["core.errors"],
    "numbers": ["core.numbers"],
    "expr": ["core.nodes", "core.constructors", "core.conveniences"],
    "functions": ["core.vocabulary", "core.functions"],
    "traverse": ["core.traverse"],
    "derivatives": ["calculus.partials", "core.vocabulary"],
    "diff": ["calculus.forward", "calculus.partials", "api"],
    "gradient": ["calculus.reverse", "calculus.partials", "api"],
    "tracing": ["calculus.tracing"],
    "simplify": ["rewrite.engine", "api"],
    "rules": ["rewrite.rules"],
    "pattern": ["rewrite.pattern"],
    "cost": ["rewrite.cost"],
    "algebra": ["rewrite.algebra"],
    "polynomial": ["rewrite.polynomial"],
    "parse": ["formats.parser"],
    "printing": ["formats.text", "formats.printer"],
    "latex": ["formats.latex", "formats.printer"],
    "jsonio": ["formats.jsonio"],
    "treeview": ["formats.treeview"],
    "cse": ["formats.common_subexpressions"],
    "formats": ["formats.registry"],
    "evaluate": ["numeric.evaluation"],
    "ad": ["numeric.ad"],
    "numeric": ["numeric.finite_differences"],
    "local_partials": ["numeric.point_partials", "calculus.partials", "core.vocabulary"],
    "wengert": ["numeric.wengert"],
    "methods": ["numeric.methods"],
    "graph": ["numeric.graph"],
    "explain": ["steps.sweep", "steps.derivation", "steps.classify"],
    "explain_render": ["steps.derivation"],
    "codegen": ["backend"],
    "codegen.api": ["backend.compiling"],
    "codegen.build": ["backend.build"],
    "codegen.c": ["backend.c"],
    "codegen.lower": ["backend.lower"],
    "codegen.names": ["backend.names"],
    "codegen.numpy": ["backend.numpy"],
    "codegen.products": ["backend.products"],
    "codegen.python": ["backend.python"],
    "codegen.render": ["backend.render"],
    "codegen.trees": ["backend.trees"],
}

#: Old module names that are also public attributes of ``symdiff`` (``symdiff.simplify`` is a
#: function) or new package names: a bare ``symdiff.NAME`` is left alone for these.
PUBLIC_OR_NEW = {
    "simplify", "diff", "gradient", "explain", "codegen", "evaluate", "parse", "cse",
    "formats", "numeric",
}  # fmt: skip

#: New packages and their docstrings (created when missing).
PACKAGES = {
    "core": "The expression core: errors, numbers, nodes, constructors, the function vocabulary.",
    "calculus": "Symbolic differentiation: local partials, forward diff, reverse-sweep gradients.",
    "rewrite": "The simplifier: patterns, named rewrite rules, cost, algebra, the engine.",
    "formats": "Reading and writing expressions: parser, text, LaTeX, JSON, tree view, CSE.",
    "numeric": "Numbers at a point: evaluation, forward/reverse AD, finite differences, traces.",
    "steps": "Step-by-step derivations and their text and LaTeX renderings.",
    "backend": "Code generation: expressions to Python, NumPy and C source, compiled callables.",
}

#: Tests that follow their module: old test file -> new test file.
TESTS = {
    "test_expr.py": "core/test_nodes.py",
    "test_deep.py": "core/test_deep.py",
    "test_diff.py": "calculus/test_diff.py",
    "test_diff_oracle.py": "calculus/test_diff_oracle.py",
    "test_gradient.py": "calculus/test_gradient.py",
    "test_tracing.py": "calculus/test_tracing.py",
    "test_corpus.py": "calculus/test_corpus.py",
    "test_rules.py": "rewrite/test_rules.py",
    "test_simplify.py": "rewrite/test_simplify.py",
    "test_parse.py": "formats/test_parser.py",
    "test_printing.py": "formats/test_text.py",
    "test_latex.py": "formats/test_latex.py",
    "test_jsonio.py": "formats/test_jsonio.py",
    "test_treeview.py": "formats/test_treeview.py",
    "test_cse.py": "formats/test_cse.py",
    "test_ad.py": "numeric/test_ad.py",
    "test_numeric.py": "numeric/test_finite_differences.py",
    "test_wengert.py": "numeric/test_wengert.py",
    "test_methods.py": "numeric/test_methods.py",
    "test_graph.py": "numeric/test_graph.py",
    "test_explain.py": "steps/test_explain.py",
    "test_codegen.py": "backend/test_codegen.py",
    "test_codegen_c.py": "backend/test_codegen_c.py",
    "test_cli.py": "cli/test_cli.py",
    "test_cli_point.py": "cli/test_cli_point.py",
    "test_cli_present.py": "cli/test_cli_present.py",
}


def _file_of(repo: Path, module: str) -> Path:
    base = repo / "symdiff" / Path(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def _old_file(module: str) -> str:
    if module == "codegen":
        return "symdiff/codegen/__init__.py"
    return "symdiff/" + module.replace(".", "/") + ".py"


def _new_file(module: str) -> str:
    if "." not in module and module in PACKAGES:
        return f"symdiff/{module}/__init__.py"
    return "symdiff/" + module.replace(".", "/") + ".py"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True)


MOVED_TESTS: list[Path] = []


def move_files(repo: Path) -> dict[str, str]:
    """git mv modules and tests; returns new file -> old module for relative-import resolution."""
    for package, doc in PACKAGES.items():
        init = repo / "symdiff" / package / "__init__.py"
        if not init.exists() and package != "backend":
            init.parent.mkdir(parents=True, exist_ok=True)
            init.write_text(f'"""{doc}"""\n')
            git(repo, "add", str(init))
    origin: dict[str, str] = {}
    for old, new in MODULES.items():
        source, target = repo / _old_file(old), repo / _new_file(new[0])
        origin[_new_file(new[0])] = old
        if source.exists() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            git(repo, "mv", str(source), str(target))
    codegen = repo / "symdiff" / "codegen"
    if codegen.is_dir() and not any(codegen.glob("*.py")):
        for leftover in codegen.rglob("*"):
            if leftover.is_file():
                leftover.unlink()
    for old, new in TESTS.items():
        source, target = repo / "tests" / old, repo / "tests" / new
        if source.exists() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            git(repo, "mv", str(source), str(target))
            MOVED_TESTS.append(target)
    return origin


def _definitions(repo: Path, module: str) -> set[str] | None:
    """Top-level names a module defines (a package: or imports), or None if it does not exist."""
    path = _file_of(repo, module)
    if not path.exists():
        return None
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(t.id for t in ast.walk(target) if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom | ast.Import) and path.name == "__init__.py":
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


class Rewriter:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.cache: dict[str, set[str] | None] = {}

    def defines(self, module: str, name: str) -> bool:
        if module not in self.cache:
            self.cache[module] = _definitions(self.repo, module)
        names = self.cache[module]
        return names is not None and name in names

    def home_of(self, old: str, name: str) -> str:
        """The new module (below symdiff) holding ``name`` that ``old`` used to hold."""
        candidates = MODULES[old]
        for module in candidates:
            if self.defines(module, name):
                return module
        return candidates[0]

    def is_module(self, module: str) -> bool:
        return _file_of(self.repo, module).exists()


def _absolute(node: ast.ImportFrom, package: list[str]) -> str | None:
    if not node.level:
        return node.module
    if node.level - 1 > len(package):
        return None
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _below(dotted: str) -> str | None:
    """``symdiff.x.y`` -> ``x.y``; ``symdiff`` -> ``""``; anything else -> None."""
    if dotted == "symdiff":
        return ""
    return dotted[len("symdiff.") :] if dotted.startswith("symdiff.") else None


def _names(aliases: list[ast.alias]) -> str:
    return ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in aliases)


def rewrite_source(text: str, package: list[str], rw: Rewriter) -> str:
    """The source with every symdiff import absolute and pointing at the new layout."""
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    renamed_modules: dict[str, str] = {}
    for node in ast.walk(tree):
        replacement = None
        if isinstance(node, ast.ImportFrom):
            absolute = _absolute(node, package)
            below = _below(absolute) if absolute else None
            if below is None:
                continue
            groups: dict[str, list[ast.alias]] = {}
            for alias in node.names:
                as_module = f"{below}.{alias.name}" if below else alias.name
                if as_module in MODULES and not (below == "" and alias.name in PUBLIC_OR_NEW):
                    new = MODULES[as_module][0]
                    parent, _, leaf = new.rpartition(".")
                    asname = alias.asname or alias.name
                    text_alias = leaf + (f" as {asname}" if asname != leaf else "")
                    groups.setdefault("symdiff" + (f".{parent}" if parent else ""), []).append(
                        ast.alias(text_alias)
                    )
                elif below in MODULES:
                    home = rw.home_of(below, alias.name)
                    groups.setdefault(f"symdiff.{home}", []).append(alias)
                else:
                    groups.setdefault(absolute, []).append(alias)  # type: ignore[arg-type]
            unchanged = [a.name for a in groups.get(absolute or "", [])] == [
                a.name for a in node.names
            ]
            if not node.level and list(groups) == [absolute] and unchanged:
                continue  # already absolute and pointing at the new layout
            statements = [f"from {m} import {_names(a)}" for m, a in groups.items()]
            replacement = statements
        elif isinstance(node, ast.Import):
            changed = []
            touched = False
            for alias in node.names:
                below = _below(alias.name)
                if below and below in MODULES:  # ``import symdiff.graph``: always the module
                    new = "symdiff." + MODULES[below][0]
                    renamed_modules[alias.name] = new
                    changed.append(ast.alias(new, alias.asname))
                    touched = True
                else:
                    changed.append(alias)
            if not touched:
                continue
            replacement = [f"import {_names(changed)}"]
        else:
            continue
        start = offsets[node.lineno - 1] + node.col_offset
        end = offsets[node.end_lineno - 1] + node.end_col_offset  # type: ignore[operator]
        indent = " " * node.col_offset
        edits.append((start, end, ("\n" + indent).join(replacement)))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return _rename_dotted(text, renamed_modules)


_DOTTED = re.compile(r"\bsymdiff\.((?:[a-z_]+)(?:\.[a-z_]+)?)\b")


def _rename_dotted(text: str, renamed: dict[str, str]) -> str:
    """``symdiff.graph.to_dot`` -> ``symdiff.numeric.graph.to_dot`` in code and strings."""

    def swap(match: re.Match[str]) -> str:
        dotted = match.group(1)
        for candidate in (dotted, dotted.split(".")[0]):
            if candidate in MODULES and (
                candidate not in PUBLIC_OR_NEW or f"symdiff.{candidate}" in renamed
            ):
                rest = dotted[len(candidate) :]
                return f"symdiff.{MODULES[candidate][0]}{rest}"
        return match.group(0)

    out = []
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith(("from symdiff", "import symdiff")):
            out.append(line)
        else:
            out.append(_DOTTED.sub(swap, line))
    return "".join(out)


def _package_of(relative: Path, origin: dict[str, str]) -> list[str] | None:
    """The package a file's relative imports resolve against (old location for moved files)."""
    posix = relative.as_posix()
    if not posix.startswith("symdiff/"):
        return []
    if posix in origin:
        old = origin[posix]
        parts = ["symdiff", *old.split(".")]
        return parts if old == "codegen" else parts[:-1]
    parts = list(relative.with_suffix("").parts)
    return parts[:-1]


def _fix_test_depth(repo: Path, moved: list[Path]) -> None:
    """Tests moved in this run sit one folder deeper: ``parents[1]`` becomes ``parents[2]``."""
    for path in moved:
        text = path.read_text()
        fixed = text.replace(
            "Path(__file__).resolve().parents[1]", "Path(__file__).resolve().parents[2]"
        )
        fixed = fixed.replace(
            "Path(__file__).resolve().parent.parent", "Path(__file__).resolve().parents[2]"
        )
        if fixed != text:
            path.write_text(fixed)


def main() -> None:
    repo = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    origin = move_files(repo)
    rw = Rewriter(repo)
    skip = {".venv", ".git", "build", "node_modules"}
    for path in sorted(repo.rglob("*.py")):
        relative = path.relative_to(repo)
        if skip & set(relative.parts) or relative.parts[0] == "tools":
            continue
        text = path.read_text()
        package = _package_of(relative, origin)
        try:
            new = rewrite_source(text, package or [], rw)
        except SyntaxError as error:
            print(f"skipped {relative}: {error}", file=sys.stderr)
            continue
        if new != text:
            path.write_text(new)
            print(f"rewrote {relative}")
    _fix_test_depth(repo, MOVED_TESTS)
    pyproject = repo / "pyproject.toml"
    text = pyproject.read_text()
    packages = ["symdiff", *(f"symdiff.{p}" for p in PACKAGES), "symdiff.cli", "symdiff.grammar"]
    listed = "packages = [" + ", ".join(f'"{p}"' for p in packages) + "]"
    text = re.sub(r"packages = \[[^\]]*\]", listed, text, count=1)
    pyproject.write_text(text)


if __name__ == "__main__":
    main()
