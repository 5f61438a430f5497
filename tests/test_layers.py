"""The package's floor plan holds: each floor (a folder, or a module at the package root)
imports only from the floors before it (the order of README's Layout table), imports inside
functions included; the front ends reach the engine only through the front door
(`explorer.api`); nothing inside the package imports the package face; and each folder's row
in the table is the first paragraph of the folder's own docstring."""

from __future__ import annotations

import ast
import re

from support.paths import REPO

PACKAGE = REPO / "explorer"
README = (REPO / "README.md").read_text(encoding="utf-8")
FRONT_ENDS = ("cli", "dashboard")
# what the front ends may import besides each other: the front door, drawing, and the floors
# below the engine (the version and settings, errors, the input guards)
FRONT_END_MAY_IMPORT = ("api", "present", "ground", "errors", "safety", *FRONT_ENDS)


def layout_rows() -> list[tuple[str, str]]:
    """(floor, what lives there) in the order of the README's Layout table; a floor is a
    folder (`table`) or a root module (`api.py`)."""
    section = README.split("### Layout", 1)[1]
    return [(name.rstrip("/"), cell) for name, cell in
            re.findall(r"^\| `([\w.]+/?)` \| (.+) \|$", section, re.MULTILINE)]


def floor_of(module: str) -> str | None:
    """The floor of an `explorer...` module name: its folder, a root module's file name, or
    None for the package face itself (`explorer`)."""
    parts = module.split(".")
    if len(parts) == 1:
        return None
    if (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return f"{parts[1]}.py"


def floor_of_path(path) -> str:
    rel = path.relative_to(PACKAGE).parts
    if len(rel) > 1:
        return rel[0]
    return "__init__.py" if rel[0] == "__main__.py" else rel[0]  # __main__ runs the face's cli


def imports_of(path) -> set[str]:
    """Every `explorer` module a file imports, at any depth (lazy imports count too);
    `from explorer import x` counts as importing the face (`explorer`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "explorer"}


def modules() -> list:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_readme_lists_every_floor():
    floors = sorted(p.name for p in PACKAGE.iterdir()
                    if p.is_dir() and (p / "__init__.py").exists())
    floors += sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__main__.py")
    assert sorted(name for name, _ in layout_rows()) == sorted(floors)


def test_no_floor_imports_a_later_one():
    order = {name: rank for rank, (name, _) in enumerate(layout_rows())}
    upward = []
    for path in modules():
        here = floor_of_path(path)
        for module in imports_of(path):
            there = floor_of(module)
            if there is not None and order[there] > order[here]:
                upward.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert upward == []


def test_nothing_inside_the_package_imports_the_package_face():
    """`from explorer import __version__` inside the package was an arrow back up to the top."""
    face = [str(path.relative_to(PACKAGE)) for path in modules()
            if "explorer" in imports_of(path) and path.name != "__main__.py"]
    assert face == []


def test_the_front_ends_reach_the_engine_only_through_the_front_door():
    direct = []
    for folder in FRONT_ENDS:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            for module in imports_of(path):
                floor = floor_of(module)
                if floor is None or floor.removesuffix(".py") not in FRONT_END_MAY_IMPORT:
                    direct.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert direct == []


def first_paragraph(folder: str) -> str:
    tree = ast.parse((PACKAGE / folder / "__init__.py").read_text(encoding="utf-8"))
    text = " ".join((ast.get_docstring(tree) or "").split("\n\n", 1)[0].split())
    return (text[:1].lower() + text[1:]).removesuffix(".")


def test_each_folders_row_is_its_own_docstring():
    rows = [(name, cell) for name, cell in layout_rows() if (PACKAGE / name).is_dir()]
    differ = [f"{name}/: README has {cell!r}, its docstring {first_paragraph(name)!r}"
              for name, cell in rows if cell[:1].lower() + cell[1:] != first_paragraph(name)]
    assert differ == []


def defined_names(folder) -> set[str]:
    names = {p.stem for p in folder.rglob("*.py")} | {p.name for p in folder.iterdir()}
    for path in folder.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def test_each_row_names_only_what_its_folder_holds():
    """A module, subfolder, function or class a row names exists in that folder (the table
    once named `history/blobs`, which did not); and each of the folder's modules is named."""
    wrong, unnamed = [], []
    for name, cell in layout_rows():
        folder = PACKAGE / name
        if not folder.is_dir():
            continue
        known = defined_names(folder)
        for token in re.findall(r"`([^`]+)`", cell):
            if token.endswith("/") and "/" in token[:-1]:
                ok = (folder / token).is_dir()
            elif token.endswith("/") or re.fullmatch(r"[A-Za-z_]\w*", token):
                ok = token.rstrip("/") in known or token == "git.py"
            else:
                continue
            if not ok and not (PACKAGE / token).exists():
                wrong.append(f"{name}/ names `{token}`")
        named = set(re.findall(r"`([\w/]+)`", cell))
        unnamed += [f"{name}/{p.name}" for p in folder.glob("*.py")
                    if p.stem not in named and not p.stem.startswith("__") and name != "cli"]
    assert (wrong, unnamed) == ([], [])
