"""The wheel holds every package and data file: each folder of ``symdiff/`` with an
``__init__.py`` is listed in ``pyproject.toml`` (a missing one installs a broken tool from
``pip install .`` while editable installs keep working), and its data files are declared."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_folder_is_in_the_wheel() -> None:
    listed = set(_config()["packages"])
    folders = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "symdiff").rglob("__init__.py")
    }
    missing = sorted(folders - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def _folder(package: str) -> Path:
    if package == "symdiff.grammar":  # installed from the repository's grammar/ folder
        return ROOT / "grammar"
    return ROOT.joinpath(*package.split("."))


def test_every_data_file_is_declared() -> None:
    config = _config()
    folders = {package: _folder(package) for package in config["packages"]}
    undeclared = []
    for root in (ROOT / "symdiff", ROOT / "grammar"):
        for path in root.rglob("*"):
            if not path.is_file() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
                continue
            # the innermost package that holds the file is the one that must declare it
            package = max(
                (name for name, folder in folders.items() if folder in path.parents),
                key=lambda name: len(folders[name].parts),
            )
            relative = path.relative_to(folders[package])
            patterns = config["package-data"].get(package, [])
            if not any(relative.match(pattern) for pattern in patterns):
                undeclared.append(f"{package}: {relative}")
    assert not undeclared, f"declare in [tool.setuptools.package-data]: {undeclared}"


def test_every_module_compiles_without_warnings() -> None:
    """An invalid escape such as ``"\\l"`` in a docstring is a SyntaxWarning in newer Pythons
    (a DeprecationWarning before) and will become an error: none may be in the package."""
    import warnings

    for path in sorted((ROOT / "symdiff").rglob("*.py")):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
