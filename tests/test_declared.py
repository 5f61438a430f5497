"""Every third-party package the code imports is declared: the package's in `dependencies`,
the tests' there or in the `test` extra (a test must not pass only because a package
happened to be installed)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata

from support.paths import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def declared(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", req, 1)[0].lower().replace("_", "-")
            for req in requirements}


def imported(folder: str) -> dict[str, str]:
    """Third-party top-level import name -> the first file importing it."""
    local = {p.stem for p in (REPO / "tests").rglob("*.py")} | {
        p.name for p in (REPO / "tests").iterdir() if p.is_dir()} | {
        p.stem for p in (REPO / "benchmarks").glob("*.py")} | {"explorer"}
    found: dict[str, str] = {}
    for path in sorted((REPO / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and \
                node.level == 0 else []
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local:
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def undeclared(folder: str, allowed: set[str]) -> list[str]:
    distributions = metadata.packages_distributions()
    missing = []
    for name, where in sorted(imported(folder).items()):
        names = {d.lower().replace("_", "-") for d in distributions.get(name, [name])}
        if not names & allowed:
            missing.append(f"{name} (imported by {where})")
    return missing


def test_the_package_declares_what_it_imports():
    assert undeclared("explorer", declared(PROJECT["dependencies"])) == []


def test_the_test_extra_declares_what_the_tests_import():
    allowed = declared(PROJECT["dependencies"]) | declared(
        PROJECT["optional-dependencies"]["test"])
    assert undeclared("tests", allowed) == []
