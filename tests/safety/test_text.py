"""Hostile recordings shown: no raw HTML in the dashboards and the report, no terminal escapes,
no formula cells, nothing written outside the target, every good recording kept and each bad
file one line. (The where language is tested in tests/table/test_where.py, git sources in
tests/test_sources.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as w
import orjson
import pandas as pd
import pytest
from click.testing import CliRunner
from support.hostile_tree import GOOD, PAYLOAD, SECRET, hostile_tree

from explorer.cli.main import main
from explorer.dashboard import CompareDashboard, Dashboard
from explorer.dashboard.export_place import confined_target, served_as_app
from explorer.present.export import ExportError, export_selection
from explorer.present.report import build_report
from explorer.table.index import index_tree as load_index


def snapshot(folder: Path) -> dict[str, tuple]:
    return {str(p): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return hostile_tree(tmp_path)


# nothing leaks: HTML ----------------------------------------------------------------------

def html_values(widget) -> list[str]:
    values = [widget.value] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        values += html_values(child)
    return values


def assert_no_raw_html(values: list[str]) -> None:
    for value in values:
        assert "<img" not in value, value[:300]  # the payload is there, as text only


def test_dashboard_shows_every_field_as_text(tree):
    frame = load_index(tree)
    dash = Dashboard(frame, root=tree)
    evil = next(p for p in frame["path"] if "evil" in p)
    dash.open_recording(evil)
    assert dash.recording is not None
    dash.show_tab("charts")
    dash.show_tab("cost")
    assert_no_raw_html(html_values(dash))
    assert PAYLOAD in "".join(html_values(dash)).replace("&lt;", "<").replace("&gt;", ">")
    figures = [*dash.charts.figures.values(), *dash.cost.figures.values()]
    assert len(figures) >= 5
    drawn = orjson.dumps([f.to_plotly_json() for f in figures], default=str,
                         option=orjson.OPT_SERIALIZE_NUMPY).decode()
    assert "<img" not in drawn and "&lt;img src=x" in drawn


def test_compare_view_shows_a_file_it_cannot_open_as_text(tree, tmp_path):
    base = tmp_path / "base"
    (base / "inference" / "recordings").mkdir(parents=True)
    name = f"inference/recordings/pair{PAYLOAD.replace('/', '')}.json"
    (base / name).write_bytes(orjson.dumps(GOOD))
    head = tmp_path / "head"
    (head / "inference" / "recordings").mkdir(parents=True)
    (head / name).write_bytes(orjson.dumps({**GOOD, "test_id": "changed"}))
    compare = CompareDashboard(base, head)
    (head / name).write_bytes(b"{broken")  # broken after indexing: "Cannot open ..."
    compare.open_pair(name)
    values = html_values(compare)
    assert any("Cannot open" in v for v in values)
    assert_no_raw_html(values)


def test_report_shows_every_field_as_text(tree):
    page = build_report(load_index(tree), f"title {PAYLOAD}")
    assert "<img" not in page and "&lt;img src=x onerror" in page


def test_a_page_message_opens_only_rows_of_the_frame(tree, tmp_path):
    dash = Dashboard(load_index(tree), root=tree)
    for path in ("/etc/passwd", "../../outside/secret.json", "inference/recordings/leak.json",
                 str(tmp_path / "outside" / "secret.json"), 7, None):
        dash.table._message(None, {"type": "select", "path": path}, [])
        assert dash.recording is None and not dash.state.selected
    dash.open_recording("inference/recordings/leak.json")
    assert dash.recording is None
    assert "not a recording of this table" in "".join(html_values(dash))


# nothing leaks: terminal and CSV ----------------------------------------------------------

def assert_terminal_safe(output: str) -> None:
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", output), output[:500]


def test_terminal_output_shows_escapes(tree, tmp_path):
    runner = CliRunner()
    index = runner.invoke(main, ["index", str(tree), "--no-cache"])
    assert index.exit_code == 0 and "\\x1b" in index.output
    assert_terminal_safe(index.output)
    evil = next(tree.rglob("evil*.json"))
    show = runner.invoke(main, ["show", str(evil)])
    assert show.exit_code == 0 and "\\x1b" in show.output
    assert_terminal_safe(show.output)
    base = tmp_path / "base"
    (base / "inference" / "recordings").mkdir(parents=True)
    for output_format in ("table", "markdown", "json"):
        diff = runner.invoke(main, ["diff", str(base), str(tree), "--format", output_format])
        assert diff.exit_code in (0, 1) and "evil" in diff.output, diff.output
        assert_terminal_safe(diff.output)
        assert SECRET not in diff.output  # the link out of the tree is not read
    orjson.loads(runner.invoke(main, ["diff", str(base), str(tree), "--format",
                                      "json"]).output)  # still JSON


def test_each_bad_file_is_one_line_and_good_ones_are_kept(tree):
    before = snapshot(tree)
    result = CliRunner().invoke(main, ["index", str(tree), "--no-cache"])
    assert result.exit_code == 0 and "problems: 2" in result.output
    for name, reason in (("broken", "invalid JSON"), ("leak.json", "outside the recordings")):
        lines = [line for line in result.output.splitlines() if name in line]
        assert len(lines) == 1 and reason in lines[0], result.output
    frame = load_index(tree)
    assert {p.rsplit("/", 1)[-1][:4] for p in frame["path"]} == {"good", "evil"}
    assert len(frame) == 3 and snapshot(tree) == before


def test_csv_cells_that_start_like_a_formula_stay_text(tree, tmp_path):
    frame = load_index(tree)
    export_selection(tree, frame, tmp_path / "out")
    manifest = pd.read_csv(tmp_path / "out" / "manifest.csv")
    assert not manifest.map(lambda v: isinstance(v, str) and v[:1] in "=+-@").any().any()
    assert any(str(v).startswith("'=HYPERLINK") for v in manifest["model"])
    CliRunner().invoke(main, ["index", str(tree), "--out", str(tmp_path / "i.csv")])
    written = (tmp_path / "i.csv").read_text()
    assert "\n=HYPERLINK" not in written and ",=HYPERLINK" not in written
    assert "'=HYPERLINK" in written


def test_index_out_refuses_the_tree_and_an_existing_file(tree, tmp_path):
    before = snapshot(tree)
    runner = CliRunner()
    inside = runner.invoke(main, ["index", str(tree), "--out", str(tree / "index.csv")])
    assert inside.exit_code != 0 and "inside the recordings tree" in inside.output
    assert snapshot(tree) == before
    existing = tmp_path / "keep.csv"
    existing.write_text("mine")
    refused = runner.invoke(main, ["index", str(tree), "--out", str(existing)])
    assert refused.exit_code != 0 and "--force" in refused.output
    assert existing.read_text() == "mine"
    forced = runner.invoke(main, ["index", str(tree), "--out", str(existing), "--force"])
    assert forced.exit_code == 0 and existing.read_text() != "mine"


# the app is not a file manager ------------------------------------------------------------

def test_app_export_goes_only_to_its_export_folder(tree, tmp_path, monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5")
    monkeypatch.setenv("EXPLORER_EXPORT_DIR", str(tmp_path / "exports"))
    assert served_as_app()
    victim = tmp_path / "home" / ".ssh"
    victim.mkdir(parents=True)
    (victim / "authorized_keys").write_text("key")
    dash = Dashboard(load_index(tree), root=tree)
    panel = dash.export_panel
    assert panel.confined and panel.force.layout.display == "none"
    for target in (str(victim), "../home/.ssh", str(tmp_path / "x.zip"), ".hidden.zip"):
        panel.target.value = target
        panel.force.value = True
        panel.export.click()
        assert "file name only" in panel.result.value
    assert (victim / "authorized_keys").read_text() == "key"
    assert not (tmp_path / "x.zip").exists()
    panel.target.value = "mine.zip"
    panel.export.click()
    assert (tmp_path / "exports" / "mine.zip").is_file()
    assert "download" in panel.result.value
    panel.force.value = True
    panel.export.click()  # never replaced
    assert "already exists" in panel.result.value
    panel.table_path.value = str(victim / "authorized_keys")
    panel.save_csv.click()
    assert "file name only" in panel.table_result.value
    assert (victim / "authorized_keys").read_text() == "key"
    panel.table_path.value = "table"
    panel.save_csv.click()
    assert (tmp_path / "exports" / "table.csv").is_file()
    with pytest.raises(ExportError):
        confined_target("a/b.zip")


def test_symlinks_out_of_the_tree_are_not_exported(tree, tmp_path):
    frame = load_index(tree)
    assert not frame["path"].str.contains("leak").any()
    forged = pd.concat([frame, frame.iloc[:1].assign(path="inference/recordings/leak.json")])
    with pytest.raises(ExportError, match="outside"):
        export_selection(tree, forged, tmp_path / "forged")
    assert not (tmp_path / "forged").exists()
