"""The dashboard's export tab without a browser: export the filtered recordings to a folder or a
zip, save the filtered table, and see refusals (inside the tree, existing target) as messages."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from explorer.dashboard import Dashboard
from explorer.dashboard.views.export import default_target
from explorer.table.index import index_tree as load_index

TREE = Path(__file__).parents[1] / "fixtures" / "tree"


@pytest.fixture
def root(tmp_path) -> Path:
    return Path(shutil.copytree(TREE, tmp_path / "tree"))


@pytest.fixture
def dash(root, tmp_path, monkeypatch) -> Dashboard:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return Dashboard(load_index(root, cache=False), root=root, label="fixtures")


def streamed_gpt4o(dash: Dashboard) -> pd.DataFrame:
    dash.filters.streaming.value = "streamed"
    dash.filters.facets["provider"].value = ("openai",)
    return dash.filtered


def text(widget) -> str:
    return re.sub(r"<[^>]+>", "", widget.value)


def test_export_tab_exports_the_filtered_recordings_to_a_folder(dash, root, tmp_path):
    selected = streamed_gpt4o(dash)
    panel = dash.export_panel
    assert f"{len(selected)} recordings selected" in text(panel.selection)
    target = tmp_path / "out" / "selection"
    target.parent.mkdir()
    panel.target.value = str(target)
    panel.export.click()
    copied = sorted(p.relative_to(target).as_posix() for p in target.rglob("*.json"))
    assert copied == sorted(selected["path"])
    assert all((target / rel).read_bytes() == (root / rel).read_bytes() for rel in copied)
    manifest = pd.read_csv(target / "manifest.csv")
    assert list(manifest["path"]) == list(selected["path"])
    shown = text(panel.result)
    size = sum((root / rel).stat().st_size for rel in copied)
    assert f"Exported {len(selected)} recordings" in shown and str(target) in shown
    assert "data-result='ok'" in panel.result.value
    assert f"{size / 1e3:,.1f} kB" in shown


def test_export_to_a_zip_and_refusal_to_replace_without_force(dash, root, tmp_path):
    selected = streamed_gpt4o(dash)
    panel = dash.export_panel
    target = tmp_path / "selection.zip"
    panel.target.value = str(target)
    panel.export.click()
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert names == set(selected["path"]) | {"manifest.csv"}
        first = selected["path"].iloc[0]
        assert archive.read(first) == (root / first).read_bytes()
    before = target.read_bytes()
    dash.filters.streaming.value = "any"  # a bigger selection, same target
    panel.export.click()
    assert "data-result='error'" in panel.result.value
    assert "already exists" in text(panel.result) and "replace the target" in text(panel.result)
    assert "--force" not in text(panel.result)
    assert target.read_bytes() == before
    panel.force.value = True
    panel.export.click()
    with zipfile.ZipFile(target) as archive:
        assert len(archive.namelist()) == len(dash.filtered) + 1
    assert dash.errors.last is None


def test_a_target_inside_the_tree_is_refused_with_its_message(dash, root):
    panel = dash.export_panel
    before = sorted(p for p in root.rglob("*"))
    panel.target.value = str(root / "tests" / "export.zip")
    panel.export.click()
    assert "inside the recordings tree" in text(panel.result)
    panel.table_path.value = str(root / "table.csv")
    panel.save_csv.click()
    shown = text(panel.table_result)
    assert "Not saved" in shown and "inside the recordings tree" in shown
    assert sorted(p for p in root.rglob("*")) == before
    assert dash.errors.last is None


def test_default_targets_are_outside_the_tree(dash, root, tmp_path, monkeypatch):
    assert Path(dash.export_panel.target.value) == tmp_path / "work" / "recordings-selection.zip"
    assert Path(dash.export_panel.table_path.value).parent == tmp_path / "work"
    monkeypatch.chdir(root / "tests")  # the working directory is inside the tree
    inside = Dashboard(dash.model.frame, root=root)
    for value in (inside.export_panel.target.value, inside.export_panel.table_path.value):
        assert not Path(value).resolve().is_relative_to(root.resolve())
    taken = tmp_path / "work" / "recordings-selection.zip"
    taken.write_bytes(b"")
    assert default_target(root, ".zip", [tmp_path / "work"]).name == "recordings-selection-2.zip"


def test_save_the_filtered_table_as_csv_and_parquet(dash, tmp_path):
    selected = streamed_gpt4o(dash)
    panel = dash.export_panel
    panel.table_path.value = str(tmp_path / "table.txt")
    panel.save_csv.click()
    csv = tmp_path / "table.csv"
    assert list(pd.read_csv(csv)["path"]) == list(selected["path"])
    assert f"{len(selected)} rows" in text(panel.table_result)
    assert str(csv) in text(panel.table_result)
    panel.save_parquet.click()
    parquet = pd.read_parquet(tmp_path / "table.parquet")
    assert list(parquet["path"]) == list(selected["path"])
    assert parquet["prompt_tokens"].isna().sum() == selected["prompt_tokens"].isna().sum()
    panel.save_csv.click()  # exists now
    assert "already exists" in text(panel.table_result) and panel.result.value == ""


def test_nothing_to_export_and_no_root(dash, tmp_path, root):
    dash.filters.search.value = "no-such-recording-anywhere"
    assert dash.export_panel.export.disabled
    with pytest.raises(Exception, match="no recording matches"):
        dash.export(tmp_path / "x")
    frame = dash.model.frame.copy()
    frame.attrs = {}  # a frame that does not say where its files are
    frame_only = Dashboard(frame)
    assert frame_only.root is None
    frame_only.export_panel.target.value = str(tmp_path / "y")
    frame_only.export_panel.export.click()
    assert "without a root folder" in text(frame_only.export_panel.result)
    assert not (tmp_path / "y").exists()
