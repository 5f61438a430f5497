"""Old trees' index.sqlite, hostile: a recursive view, a virtual table, missing columns, a
huge table or a slow one cost one problem, in bounded rows and time; a real table still gives
recording times."""

from __future__ import annotations

import sqlite3
import tracemalloc
from pathlib import Path

import orjson
import pytest
from support.good_recording import GOOD, good_recordings

from explorer.table.index import index_tree as load_index
from explorer.table.sqlite_stamps import StampsError, read_stamps


def _sqlite_tree(tmp_path: Path, build) -> Path:
    folder = good_recordings(tmp_path / "tree")
    db = sqlite3.connect(folder / "index.sqlite")
    build(db)
    db.commit()
    db.close()
    return tmp_path / "tree"


def test_recursive_view_is_one_problem_not_a_memory_blowup(tmp_path):
    root = _sqlite_tree(tmp_path, lambda db: db.execute(
        "create view recordings(response_file, timestamp) as with recursive r(n) as "
        "(select 1 union all select n + 1 from r) select 'f' || n, randomblob(1000) from r"))
    tracemalloc.start()
    frame = load_index(root, cache=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(frame) == 3
    [problem] = frame.attrs["problems"]
    assert problem.path.endswith("index.sqlite") and "view, not a table" in problem.reason
    assert peak < 50 * 2**20


def test_virtual_table_and_missing_columns_are_refused(tmp_path):
    root = _sqlite_tree(tmp_path, lambda db: db.execute(
        "create virtual table recordings using fts5(response_file, timestamp)"))
    [problem] = load_index(root, cache=False).attrs["problems"]
    assert "virtual table" in problem.reason
    root = _sqlite_tree(tmp_path / "b", lambda db: db.execute(
        "create table recordings(file, stamp)"))
    [problem] = load_index(root, cache=False).attrs["problems"]
    assert "no response_file, timestamp column" in problem.reason


def _table(rows: int):
    def build(db):
        db.execute("create table recordings(response_file, timestamp)")
        db.executemany("insert into recordings values (?, ?)",
                       ((f"f{i}.json", "2025-01-02T03:04:05") for i in range(rows)))
    return build


def test_row_budget(tmp_path, monkeypatch):
    root = _sqlite_tree(tmp_path, _table(5000))
    monkeypatch.setattr("explorer.table.sqlite_stamps.MAX_ROWS", 1000)
    frame = load_index(root, cache=False)
    assert len(frame) == 3 and frame["recorded_at"].isna().all()
    [problem] = frame.attrs["problems"]
    assert "more than 1,000 rows" in problem.reason


def test_time_budget(tmp_path):
    root = _sqlite_tree(tmp_path, _table(50_000))
    path = next(root.rglob("index.sqlite"))
    assert len(read_stamps(path, "")) == 50_000
    with pytest.raises(StampsError, match="took longer than"):
        read_stamps(path, "", max_seconds=0)


def test_a_real_table_still_gives_recording_times(tmp_path):
    def build(db):
        db.execute("create table recordings(response_file, timestamp)")
        db.execute("insert into recordings values ('r.json', '2025-01-02T03:04:05')")
    folder = good_recordings(tmp_path / "tree")
    (folder / "responses").mkdir()
    (folder / "responses" / "r.json").write_bytes(orjson.dumps(GOOD))
    db = sqlite3.connect(folder / "index.sqlite")
    build(db)
    db.commit()
    db.close()
    frame = load_index(tmp_path / "tree", cache=False)
    stamp = frame.loc[frame["path"].str.endswith("responses/r.json"), "recorded_at"].iloc[0]
    assert str(stamp) == "2025-01-02 03:04:05"
    assert frame.attrs["problems"] == []
