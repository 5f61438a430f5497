"""Hostile recordings and inputs: nothing runs (a marker file stays absent), nothing leaks
(no raw HTML, no terminal escapes, no formula cells), nothing is written outside the target,
every good recording is kept and each bad file is one line."""

from __future__ import annotations

import re
import subprocess
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
from explorer.sources import SourceError, resolve_source
from explorer.table.filters import FilterError, Filters, apply
from explorer.table.index import index_tree as load_index
from explorer.table.schema import frame_from_records


def snapshot(folder: Path) -> dict[str, tuple]:
    return {str(p): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return hostile_tree(tmp_path)


# nothing runs: the where language ---------------------------------------------------------

MARKER = "pwned-marker"
RUNNING = [
    f'@fnmatch.os.system("touch {MARKER}") == 0',
    f'__import__("os").system("touch {MARKER}") == 0',
    f'model.str.contains(__import__("os").system("touch {MARKER}"))',
    f'(lambda: __import__("os").system("touch {MARKER}"))() == 0',
    'prompt_tokens.__class__.__init__.__globals__ == 1',
    '[c for c in ().__class__.__base__.__subclasses__()] == []',
    f'model.apply(lambda m: open("{MARKER}", "w")) == 1',
    f'model.str.contains("a", __import__("os").system("touch {MARKER}"))',
    'provider[0] == "o"',
    'prompt_tokens > 1 if True else 2',
    'model == f"{1}"',
    'path.__len__() > 0',
]


def outside_cache(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if "cache" not in p.relative_to(folder).parts}


@pytest.mark.parametrize("expression", RUNNING)
def test_where_never_runs_code_in_the_cli(tree, tmp_path, expression):
    before = outside_cache(tmp_path)
    result = CliRunner().invoke(main, ["index", str(tree), "--no-cache", "--where", expression])
    assert outside_cache(tmp_path) == before  # nothing written
    assert result.exit_code == 2, result.output
    error = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(error) == 1 and "allowed" in error[0]
    assert "--where" not in error[0] and "pandas" not in error[0]  # library words
    assert not (tmp_path / MARKER).exists()


@pytest.mark.parametrize("expression", RUNNING[:4])
def test_where_never_runs_code_in_the_api_and_the_dashboard(tree, tmp_path, expression):
    frame = load_index(tree)
    with pytest.raises(FilterError, match="allowed"):
        apply(frame, Filters(where=expression))
    dash = Dashboard(frame, root=tree)
    dash.filters.where.value = expression
    assert "allowed" in dash.filters.notes["where"].value  # beside the box
    assert dash.state.filters.where == ""
    assert not (tmp_path / MARKER).exists()


ROWS = frame_from_records([
    {"path": "a", "provider": "openai", "model": "gpt-4o", "prompt_tokens": 5},
    {"path": "b", "provider": "ollama", "model": "llama3", "prompt_tokens": None},
    {"path": "c", "provider": None, "model": None, "prompt_tokens": 2000},
])


@pytest.mark.parametrize(("expression", "paths"), [
    ("prompt_tokens > 1000", ["c"]),
    ("1 < prompt_tokens <= 10", ["a"]),
    ("provider in ['openai', 'ollama'] and not prompt_tokens.isna()", ["a"]),
    ("provider not in ('openai',)", ["b", "c"]),
    ("model.str.contains('gpt') or model.str.startswith('ll')", ["a", "b"]),
    ("model.str.endswith('3') or provider.isna()", ["b", "c"]),
    ("prompt_tokens.notna() and provider == None", ["c"]),
    ("prompt_tokens > -1", ["a", "c"]),
])
def test_the_where_language(expression, paths):
    assert list(apply(ROWS, Filters(where=expression))["path"]) == paths


def test_unknown_column_names_the_nearest(tree):
    with pytest.raises(FilterError, match="did you mean prompt_tokens"):
        apply(load_index(tree), Filters(where="promt_tokens > 3"))


# nothing runs: git sources ----------------------------------------------------------------

def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd,
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "repo"
    folder = source / "tests" / "integration" / "inference" / "recordings"
    folder.mkdir(parents=True)
    (folder / "one.json").write_bytes(orjson.dumps(GOOD))
    git(source, "init", "-q", "-b", "main")
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "one")
    return source


@pytest.mark.parametrize(("url", "ref"), [
    ("--upload-pack=touch {marker};git-upload-pack", "main"),
    ("{repo}", "--upload-pack=touch {marker};git-upload-pack"),
    ("{repo}", "--output={marker}"),
    ("ext::sh -c touch% {marker}", "main"),
    ("-c", "core.sshCommand=touch {marker}"),
    ("http://example.invalid/repo.git", "main"),
])
def test_git_refs_and_urls_cannot_run_commands(repo, tmp_path, url, ref):
    marker = tmp_path / MARKER
    before = outside_cache(tmp_path)
    with pytest.raises(SourceError) as error:
        resolve_source(url.format(marker=marker, repo=repo), ref.format(marker=marker))
    assert "\n" not in str(error.value)
    assert not marker.exists() and outside_cache(tmp_path) == before


def test_open_refuses_a_ref_that_is_an_option(repo, tmp_path, monkeypatch):
    launched = []
    monkeypatch.setattr("explorer.cli.open.launch", lambda *args: launched.append(args))
    result = CliRunner().invoke(main, ["open", str(repo), "--ref",
                                       f"--upload-pack=touch {tmp_path / MARKER}"])
    assert result.exit_code == 2 and "may not start with '-'" in result.output
    assert not launched and not (tmp_path / MARKER).exists()


def test_diff_revisions_cannot_be_options(repo, tmp_path):
    marker = tmp_path / MARKER
    result = CliRunner().invoke(main, ["diff", f"--output={marker}", "main", "--repo",
                                       str(repo)])
    assert result.exit_code != 0 and not marker.exists()
    result = CliRunner().invoke(main, ["diff", "--repo", str(repo), "main", "--",
                                       f"--output={marker}"])
    assert result.exit_code != 0 and "may not start with '-'" in result.output
    assert not marker.exists()


def test_a_cached_clone_is_fetched_again(repo):
    first, _ = resolve_source(str(repo), "main")
    assert {p.name for p in first.rglob("*.json")} == {"one.json"}
    folder = repo / "tests" / "integration" / "inference" / "recordings"
    (folder / "two.json").write_bytes(orjson.dumps(GOOD))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "two")
    again, _ = resolve_source(str(repo), "main")
    assert again == first and {p.name for p in again.rglob("*.json")} == {"one.json",
                                                                          "two.json"}


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
