"""`dashboard/state/` holds only frozen values and pure transitions: no cache, no widget, no
file or git; the open recording is a typed `Selection`, not a "path@blob" string."""

from __future__ import annotations

import ast
import dataclasses

import pytest
from support.paths import REPO

from explorer.dashboard.state import browse
from explorer.dashboard.state.browse import DashboardState, Selection

STATE = REPO / "explorer" / "dashboard" / "state"
IMPURE = ("ipywidgets", "pandas", "numpy", "os", "pathlib", "subprocess", "tempfile",
          "explorer.sources", "explorer.dashboard.frame_model", "explorer.dashboard.compare_rows")


def test_state_modules_import_nothing_that_holds_data_or_reaches_out():
    found = []
    for path in sorted(STATE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            found += [f"{path.name}: {name}" for name in names
                      if any(name == bad or name.startswith(bad + ".") for bad in IMPURE)]
    assert found == []


def test_every_state_class_is_a_frozen_value():
    """A class here is a frozen dataclass, or a mixin of read-only properties."""
    for path in sorted(STATE.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ClassDef):
                continue
            frozen = any(isinstance(d, ast.Call) and ast.unparse(d.func) == "dataclass" and
                         any(k.arg == "frozen" and ast.unparse(k.value) == "True"
                             for k in d.keywords) for d in node.decorator_list)
            methods = [item for item in node.body if isinstance(item, ast.FunctionDef)]
            assert frozen or not methods, f"{path.name}: {node.name} is not a frozen value"


def test_the_open_recording_is_a_typed_value():
    state = browse.select(DashboardState(), "r/a.json", n_steps=3)
    assert state.selected == Selection("r/a.json") and state.selected.key == "r/a.json"
    version = Selection("r/a.json", "0123456789abcdef" * 2 + "01234567")
    state = browse.select(state, version, n_steps=5)
    assert (state.selected.path, state.selected.key) == ("r/a.json", "r/a.json@0123456789ab")
    assert state.step == 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.selected.path = "elsewhere"  # type: ignore[misc]
