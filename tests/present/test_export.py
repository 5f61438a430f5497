"""explorer export: the selected recordings, byte for byte, never into ROOT, never half-written."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from support.review_trees import TREE, copy_tree, files_of

import explorer.present.export as export_module
from explorer.cli.main import main
from explorer.present.export import MANIFEST, ExportError, export_selection, save_frame
from explorer.table.index import index_tree as load_index


@pytest.fixture
def root(tmp_path) -> Path:
    return copy_tree(TREE, tmp_path / "root")


def stat_of(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*"))}


def chat_selection(root: Path) -> pd.DataFrame:
    frame = load_index(root, cache=False)
    selected = frame[frame["kind"] == "chat"]
    assert 3 <= len(selected) < len(frame)
    return selected


def test_tree_round_trip_is_byte_for_byte_with_a_manifest(root, tmp_path):
    selected = chat_selection(root)
    before = stat_of(root)
    result = export_selection(root, selected, tmp_path / "out")
    copied = files_of(tmp_path / "out")
    manifest = pd.read_csv(io.BytesIO(copied.pop(MANIFEST)))
    assert sorted(copied) == sorted(selected["path"])
    assert all(copied[rel] == (root / rel).read_bytes() for rel in copied)
    assert manifest["path"].tolist() == selected["path"].tolist()
    assert manifest["kind"].eq("chat").all()
    tools = [json.loads(v) for v in manifest["tools_declared"]]  # lists as JSON, not a repr
    assert tools == [list(v) for v in selected["tools_declared"]]
    assert (result.files, result.bytes) == (len(selected), sum(map(len, copied.values())))
    assert stat_of(root) == before  # nothing written into ROOT


def test_zip_round_trip_is_byte_for_byte(root, tmp_path):
    selected = chat_selection(root)
    export_selection(root, selected, tmp_path / "selection.zip")
    with zipfile.ZipFile(tmp_path / "selection.zip") as archive:
        names = archive.namelist()
        assert sorted(names) == sorted([*selected["path"], MANIFEST])
        assert all(archive.read(rel) == (root / rel).read_bytes() for rel in selected["path"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root", "selection.zip"]


@pytest.mark.parametrize("name", ["out", "out.zip"])
def test_refuses_to_clobber_without_force(root, tmp_path, name):
    selected = chat_selection(root)
    target = tmp_path / name
    if name.endswith(".zip"):
        target.write_bytes(b"precious")
    else:
        target.mkdir()
        (target / "precious.txt").write_bytes(b"precious")
    with pytest.raises(ExportError, match="not empty"):
        export_selection(root, selected, target)
    assert (target.read_bytes() if target.is_file() else (target / "precious.txt").read_bytes()
            ) == b"precious"
    export_selection(root, selected, target, force=True)
    listed = (zipfile.ZipFile(target).namelist() if name.endswith(".zip")
              else list(files_of(target)))
    assert "precious.txt" not in listed and MANIFEST in listed
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["root", name])


def test_an_empty_target_folder_is_used_without_force(root, tmp_path):
    (tmp_path / "empty").mkdir()
    export_selection(root, chat_selection(root), tmp_path / "empty")
    assert MANIFEST in files_of(tmp_path / "empty")


def _fail_after(count: int, real):
    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) > count:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)
    return failing


@pytest.mark.parametrize("existing", [False, True])
def test_interrupted_tree_export_leaves_nothing_behind(root, tmp_path, monkeypatch, existing):
    selected = chat_selection(root)
    target = tmp_path / "out"
    if existing:
        target.mkdir()
        (target / "old.txt").write_text("previous export")
    monkeypatch.setattr(export_module, "copy_file", _fail_after(2, export_module.copy_file))
    with pytest.raises(OSError, match="No space"):
        export_selection(root, selected, target, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["out", "root"] if existing
                                                          else ["root"])
    if existing:
        assert files_of(target) == {"old.txt": b"previous export"}


def test_interrupted_zip_export_leaves_nothing_behind(root, tmp_path, monkeypatch):
    selected = chat_selection(root)
    monkeypatch.setattr(zipfile.ZipFile, "write", _fail_after(2, zipfile.ZipFile.write))
    with pytest.raises(OSError, match="No space"):
        export_selection(root, selected, tmp_path / "out.zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root"]


@pytest.mark.parametrize("where", ["inside", "itself", "parent"])
def test_never_writes_into_root(root, tmp_path, where):
    target = {"inside": root / "tests" / "export", "itself": root, "parent": tmp_path}[where]
    before = stat_of(root)
    with pytest.raises(ExportError, match="recordings tree"):
        export_selection(root, chat_selection(root), target, force=True)
    assert stat_of(root) == before


def test_a_stale_selection_names_the_missing_file(root, tmp_path):
    selected = chat_selection(root)
    (root / selected["path"].iloc[0]).unlink()
    with pytest.raises(ExportError, match="no such file.*re-run"):
        export_selection(root, selected, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_export_with_filters(root, tmp_path):
    runner = CliRunner()
    out = runner.invoke(main, ["export", str(root), "--kind", "chat", "--streaming",
                               "--to", str(tmp_path / "out")])
    assert out.exit_code == 0, out.output
    frame = load_index(root, cache=False)
    expected = frame[(frame["kind"] == "chat") & frame["streaming"]]["path"]
    assert sorted(p for p in files_of(tmp_path / "out") if p != MANIFEST) == sorted(expected)
    assert f"exported {len(expected)} recordings" in out.output


@pytest.mark.parametrize("args, message", [
    (["--to", "{root}/inside"], "inside the recordings tree"),
    (["--to", "{tmp}/out"], "not empty; choose another target, or pass --force"),
    (["--model", "no-such-model", "--to", "{tmp}/new"], "no recordings under"),
    (["--where", "no_such_column > 1", "--to", "{tmp}/new"], "no_such_column"),
])
def test_cli_errors_are_one_line(root, tmp_path, args, message):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x").write_text("x")
    args = [a.format(root=root, tmp=tmp_path) for a in args]
    out = CliRunner().invoke(main, ["export", str(root), *args])
    assert out.exit_code != 0
    assert message in out.output and "Traceback" not in out.output
    assert not (root / "inside").exists() and not (tmp_path / "new").exists()


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_save_frame_round_trips(root, tmp_path, suffix):
    frame = chat_selection(root)
    path = save_frame(frame, tmp_path / f"selection{suffix}")
    if suffix == ".parquet":
        back = pd.read_parquet(path)
        assert [list(v) for v in back["tools_declared"]] == list(frame["tools_declared"])
        assert back["prompt_tokens"].astype("Int64").tolist() == frame["prompt_tokens"].tolist()
    elif suffix == ".csv":
        back = pd.read_csv(path)
        assert [json.loads(v) for v in back["tools_called"]] == list(frame["tools_called"])
    else:
        back = pd.read_json(path, lines=True)
    assert back["path"].tolist() == frame["path"].tolist()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root", path.name]


def test_save_frame_refuses_an_unknown_format(root, tmp_path):
    with pytest.raises(ExportError, match=r"\.csv, \.parquet or \.jsonl"):
        save_frame(chat_selection(root), tmp_path / "selection.xlsx")
