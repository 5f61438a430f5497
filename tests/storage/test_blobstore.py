"""The storage floor: rows kept by blob id in shards, whatever the caller stores; and the floor
sits below both of its users (it imports neither `table/` nor `history/`)."""

from __future__ import annotations

import ast

import pandas as pd
from support.paths import REPO

from explorer.storage import blobstore
from explorer.storage.blobstore import BlobStore


def typed(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({"blob": pd.Series([r.get("blob") for r in rows], dtype="string"),
                         "size": pd.Series([r.get("size") for r in rows], dtype="Int64")})


def test_rows_come_back_by_blob_and_many_shards_become_one(tmp_path, monkeypatch):
    store = BlobStore(tmp_path / "versions", typed)
    assert not store.has_rows() and store.load_rows().empty
    monkeypatch.setattr(blobstore, "MAX_SHARDS", 3)
    for n in range(5):
        store.save_rows(store.rows_frame([{"blob": f"b{n}", "size": n}]))
    assert len(list((tmp_path / "versions").glob("shard-*.parquet"))) <= 3
    wanted = store.load_rows({"b1", "b4", "gone"})
    assert sorted(wanted.index) == ["b1", "b4"] and wanted.loc["b4", "size"] == 4


def test_a_damaged_shard_is_ignored(tmp_path):
    store = BlobStore(tmp_path / "versions", typed)
    store.save_rows(store.rows_frame([{"blob": "b1", "size": 1}]))
    (tmp_path / "versions" / "shard-0.parquet").write_bytes(b"PAR1 half")
    assert list(store.load_rows().index) == ["b1"]


def test_storage_imports_neither_of_the_floors_above_it():
    found = set()
    for path in (REPO / "explorer" / "storage").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module.split(".")[1] if node.module.startswith("explorer.")
                          else "")
    assert not found & {"table", "history"}
