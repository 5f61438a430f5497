"""notebooks/explore.ipynb runs top to bottom under a real kernel and shows the dashboard."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from support.paths import REPO, SHARED

NOTEBOOK = REPO / "notebooks" / "explore.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT_S = 300


def run_notebook(monkeypatch: pytest.MonkeyPatch, recordings: Path | None,
                 base: Path | None = None) -> dict:
    """Execute the notebook in a fresh kernel; returns the executed notebook."""
    if recordings is None:
        monkeypatch.delenv("EXPLORER_RECORDINGS", raising=False)
    else:
        monkeypatch.setenv("EXPLORER_RECORDINGS", str(recordings))
    if base is None:
        monkeypatch.delenv("EXPLORER_BASE", raising=False)
    else:
        monkeypatch.setenv("EXPLORER_BASE", str(base))
    monkeypatch.delenv("EXPLORER_GIT_REF", raising=False)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute(env=dict(os.environ))
    return notebook


def outputs(notebook) -> list[dict]:
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


def widget_output(notebook) -> dict:
    found = [out for out in outputs(notebook) if WIDGET_VIEW in out.get("data", {})]
    assert found, "no cell displayed a widget"
    return found[-1]


def widget_states(notebook) -> dict:
    return notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]


def html_values(notebook) -> str:
    return json.dumps([m["state"].get("value", "") for m in widget_states(notebook).values()
                       if m["model_name"] == "HTMLModel"])


def test_committed_notebook_has_no_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)
    assert "EXPLORER_RECORDINGS" in code[0].source


def test_notebook_runs_on_the_demo(monkeypatch):
    notebook = run_notebook(monkeypatch, None)
    assert not [out for out in outputs(notebook) if out.output_type == "error"]
    view = widget_output(notebook)
    model = widget_states(notebook)[view["data"][WIDGET_VIEW]["model_id"]]
    assert model["model_name"] == "VBoxModel"
    html = html_values(notebook)
    assert "Demo data" in html and "recordings match" in html
    assert "Recordings: demo" in html


def test_notebook_shows_the_compare_view_when_a_base_is_set(monkeypatch, tmp_path):
    from support.compare_trees import ADDED, CHANGED, REMOVED, make_trees

    base, head = make_trees(tmp_path)
    notebook = run_notebook(monkeypatch, head, base=base)
    assert not [out for out in outputs(notebook) if out.output_type == "error"]
    widget_output(notebook)
    html = html_values(notebook)
    assert "Compare recordings" in html and "1 added, 1 removed, 1 changed" in html
    rows = [m["state"]["rows"] for m in widget_states(notebook).values() if "rows" in m["state"]]
    assert {row["path"] for row in rows[0]} == {ADDED, CHANGED, REMOVED}
    assert "recordings match" not in html  # not the single-tree dashboard


@pytest.mark.real
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/recordings is absent")
def test_notebook_runs_on_the_shared_recordings(monkeypatch):
    notebook = run_notebook(monkeypatch, SHARED)
    assert not [out for out in outputs(notebook) if out.output_type == "error"]
    widget_output(notebook)
    html = html_values(notebook)
    assert "Demo data" not in html
    total = sum(1 for _ in SHARED.rglob("*.json"))
    assert f"of {total:,} recordings match" in html
