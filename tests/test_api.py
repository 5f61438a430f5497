"""The front door (`explorer.api`): one definition of each function the front ends use, each
returning its result with its problems as a field, and a package face that only re-exports."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from support.history_repos import small_repo
from support.paths import REPO

import explorer
from explorer import api
from explorer.errors import Problem
from explorer.table.schema import GIT_COLUMNS

FIXTURES = REPO / "tests" / "fixtures"


def test_the_face_reexports_the_one_load_index():
    assert explorer.load_index is api.load_index
    assert explorer.load_history is api.load_history
    assert not hasattr(importlib.import_module("explorer.table.index"), "load_index")


def test_the_version_lives_on_the_ground_floor():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert explorer.__version__ == api.__version__ == declared


def test_the_index_carries_its_problems_as_a_field():
    index = api.load_index(FIXTURES / "broken", cache=False)
    assert dataclasses.is_dataclass(index) and isinstance(index, api.Index)
    with pytest.raises(dataclasses.FrozenInstanceError):
        index.problems = ()  # type: ignore[misc]
    assert index.problems and all(isinstance(p, Problem) for p in index.problems)
    assert list(index.problems) == list(index.frame.attrs["problems"])  # a copy for pandas users
    assert index.parsed > 0 and index.reused == 0  # cache=False: every file parsed


def test_a_recording_that_cannot_be_opened_is_a_problem_not_a_traceback(tmp_path):
    root = FIXTURES / "tree"
    outside = api.open_recording("../tree_old/x.json", root=root)
    assert outside.recording is None
    [problem] = outside.problems
    assert problem.path == "../tree_old/x.json" and "not a path relative" in problem.reason
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    broken = api.open_recording(tmp_path / "bad.json")
    assert broken.recording is None and str(tmp_path / "bad.json") in broken.problems[0].reason
    some = next(root.rglob("recordings/*.json"))
    opened = api.open_recording(some.relative_to(root).as_posix(), root=root)
    assert opened.recording is not None and opened.problems == ()


def test_check_diff_price_and_export_return_frozen_results(tmp_path):
    index = api.load_index(FIXTURES / "tree", cache=False)
    checked = api.check(index.frame, FIXTURES / "tree")
    assert checked.report.recordings and checked.problems == index.problems
    compared = api.diff(FIXTURES / "tree_old", FIXTURES / "tree", cache=False)
    assert compared.diff.added or compared.diff.changed or compared.diff.removed
    assert all(isinstance(p, Problem) for p in compared.problems)
    priced = api.price(index.frame)
    assert "cost_usd" in priced.frame and "unpriced" in priced.summary
    exported = api.export(FIXTURES / "tree", index.frame.head(2), tmp_path / "out.zip")
    assert exported.result.files == 2 and exported.problems == index.problems


def test_the_dashboard_gets_git_columns_through_the_front_door(tmp_path):
    from explorer.dashboard.app import Dashboard

    repo = small_repo(tmp_path / "repo")
    dashboard = Dashboard(repo.path / "tests" / "integration", git=True)
    assert {column.name for column in GIT_COLUMNS} <= set(dashboard.model.frame.columns)
    assert dashboard.model.frame["times_changed"].notna().any()


def test_importing_the_front_door_loads_no_engine():
    code = ("import sys, explorer.api; heavy = [m for m in ('pandas', 'explorer.table.index', "
            "'explorer.pricing.cost', 'explorer.history') if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, check=True, env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert result.stdout.strip() == "[]"


def test_the_front_door_names_resolve():
    missing = [name for name in api.NAMES if not hasattr(api, name)]
    assert missing == []
    assert Path(api.__file__).name == "api.py"


def structured():
    from explorer.dashboard.export_place import export_folder
    from explorer.dashboard.launch import dashboard_for_page
    from explorer.dashboard.page_request import wait_for_request
    from explorer.ground.files import write_atomically
    from explorer.ground.folders import cache_dir
    from explorer.ground.settings import Settings
    from explorer.review.pair import resolve_pair
    from explorer.table.index import index_tree

    raising = [api.load_index, api.load_history, api.check, api.diff, api.price, api.export,
               api.open_recording, write_atomically, resolve_pair, index_tree]
    plain = [cache_dir, Settings.from_environment,
             Settings.with_page_request, wait_for_request, dashboard_for_page, export_folder]
    return [(f, True) for f in raising] + [(f, False) for f in plain]


@pytest.mark.parametrize(("function", "raises"), structured(),
                         ids=lambda value: getattr(value, "__qualname__", ""))
def test_public_functions_have_structured_docstrings(function, raises):
    doc = inspect.getdoc(function) or ""
    assert "Args:" in doc and "Returns:" in doc
    assert ("Raises:" in doc) == raises


def test_each_front_door_function_is_defined_once():
    """Outside the command line (whose commands share the names), only `api.py` defines them:
    there used to be two `load_index` (the package face's and the table's)."""
    names = {"load_index", "load_history", "check", "diff", "price", "open_recording", "export"}
    defined = sorted(f"{path.relative_to(REPO)}: {node.name}"
                     for path in (REPO / "explorer").rglob("*.py") if "cli" not in path.parts
                     for node in ast.parse(path.read_text(encoding="utf-8")).body
                     if isinstance(node, ast.FunctionDef) and node.name in names)
    assert defined == [f"explorer/api.py: {name}" for name in sorted(names)]
