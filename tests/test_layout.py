"""The tests mirror the package: a test of `explorer/<folder>/<module>.py` lives in
`tests/<folder>/test_<module>.py`, a test of a root module in `tests/test_<module>.py`; the
browser tier in `tests/ui/`, shared builders in `tests/support/`, data in `tests/fixtures/`.
No test module imports another (what two modules share lives in `support/`)."""

from __future__ import annotations

import ast

from support.paths import REPO

TESTS = REPO / "tests"
PACKAGE = REPO / "explorer"
OTHER_FOLDERS = {"ui", "support", "fixtures"}
# checks of the repository as a whole rather than of one module
REPOSITORY_WIDE = {"test_layers.py", "test_layout.py", "test_declared.py", "test_install.py",
                   "test_binder.py", "test_notebook.py", "test_fixture_files.py",
                   "test_benchmarks.py"}


def package_folders() -> set[str]:
    return {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}


def all_test_modules() -> list:
    return sorted(p for p in TESTS.rglob("test_*.py") if "fixtures" not in p.parts)


def test_every_test_module_lives_where_its_code_lives():
    root_modules = {f"test_{p.name}" for p in PACKAGE.glob("*.py")}
    folders = package_folders() | OTHER_FOLDERS
    misplaced = []
    for path in all_test_modules():
        parts = path.relative_to(TESTS).parts
        if len(parts) == 1:
            ok = parts[0] in root_modules or parts[0] in REPOSITORY_WIDE
        else:
            ok = len(parts) == 2 and parts[0] in folders
        if not ok:
            misplaced.append("/".join(parts))
    assert not misplaced, f"not under a package folder (or ui/, support/): {misplaced}"


def test_test_folders_are_packages_so_basenames_may_repeat():
    missing = [p.name for p in TESTS.iterdir()
               if p.is_dir() and p.name in package_folders() | {"support"}
               and not (p / "__init__.py").is_file()]
    assert not missing, f"add an __init__.py to tests/{missing}"


def imported_modules(path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_test_module_imports_another():
    sources = [*all_test_modules(), *TESTS.rglob("conftest.py"), *(TESTS / "support").glob("*.py")]
    found = {
        f"{path.relative_to(TESTS)} imports {name}"
        for path in sources for name in imported_modules(path)
        if name.split(".")[-1].startswith("test_")
    }
    assert not found, sorted(found)
