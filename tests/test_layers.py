"""The package's floor plan holds: each folder imports only from the folders before it (the order
of README's Layout table), imports inside functions included, and no module imports itself back
through a cycle."""

from __future__ import annotations

import ast
import re

from _paths import REPO

PACKAGE = REPO / "explorer"
README = (REPO / "README.md").read_text(encoding="utf-8")


def layer_order() -> list[str]:
    """The folders in the order the README's Layout table lists them."""
    section = README.split("### Layout", 1)[1]
    return re.findall(r"^\| `(\w+)/` \|", section, re.MULTILINE)


def imports_of(path) -> set[str]:
    """Every `explorer.*` module a file imports, at any depth (lazy imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "explorer"}


def folder_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) \
        else None


def test_the_readme_lists_every_folder():
    folders = sorted(p.name for p in PACKAGE.iterdir()
                     if p.is_dir() and (p / "__init__.py").exists())
    assert sorted(layer_order()) == folders


def test_no_folder_imports_a_later_one():
    order = {name: rank for rank, name in enumerate(layer_order())}
    upward = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).parts
        if len(rel) < 2:
            continue  # the root modules (errors, git, sources, __init__) compose the folders
        here = order[rel[0]]
        for module in imports_of(path):
            there = folder_of(module)
            if there is not None and order[there] > here:
                upward.append(f"{'/'.join(rel)} imports {module}")
    assert upward == []
