"""Version rows cached by blob id, as Parquet files in the user cache directory.

A blob id names its contents, so a cached row is valid for every repository, ref and path
that holds that blob: the history fills the store, and the index reuses its rows for the
work-tree files git has as those blobs (see `blobrows`). Each run that describes new blobs
adds one shard (written to a temporary file, then renamed, so concurrent runs never see half a
file); many shards are merged into one. The folder name carries a digest of the schema, the
row version and the index cache's key (explorer version and the parsers' source): when any
changes, old rows are simply not read.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pandas as pd

from explorer.ground.files import write_atomically
from explorer.ground.folders import cache_dir
from explorer.table.cache import cache_key
from explorer.table.schema import HISTORY_COLUMNS, Column, frame_from_records

ROW_VERSION = "2"
PER_CHANGE = ("commit", "committed_at", "subject", "path", "status", "area")
STORED = (*(c for c in HISTORY_COLUMNS if c.name not in PER_CHANGE),
          Column("naming", "string", "the request's naming key (`health.rules.naming_key`): "
                 "its health under any file name; NA when the name does not matter"),
          Column("issues", "string", "what the parser noted (the index lists it as a problem)"))
MAX_SHARDS = 16


def store_dir() -> Path:
    schema = "|".join(f"{c.name}:{c.dtype}" for c in STORED)
    digest = hashlib.sha256(f"{ROW_VERSION}|{cache_key()}|{schema}".encode()).hexdigest()[:12]
    return cache_dir() / "history" / f"versions-{digest}"


def has_rows() -> bool:
    """Whether any shard exists (no file is read)."""
    return bool(_shards())


def load_rows(wanted: set[str] | None = None) -> pd.DataFrame:
    """Cached rows (of `wanted` blobs when given), indexed by blob id; empty when none."""
    frames = []
    for shard in _shards():
        try:
            frame = pd.read_parquet(shard)
        except Exception:  # noqa: BLE001, S112 - a damaged shard is ignored, its blobs redone
            continue
        if wanted is not None:
            frame = frame[[blob in wanted for blob in frame["blob"].tolist()]]
        frames.append(frame)
    if not frames:
        return rows_frame([])
    rows = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return rows.drop_duplicates("blob").set_index("blob", drop=False)


def rows_frame(rows: list[dict]) -> pd.DataFrame:
    """Typed version rows (the stored columns), indexed by blob id."""
    frame = frame_from_records(rows, STORED)
    return frame.set_index("blob", drop=False)


def save_rows(rows: pd.DataFrame) -> None:
    """Add a shard; a cache that cannot be written is skipped, never fatal."""
    if rows.empty:
        return
    folder = store_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / f"shard-{uuid.uuid4().hex}.parquet", rows)
        if len(_shards()) > MAX_SHARDS:
            _compact(folder)
    except OSError:
        return


def _shards() -> list[Path]:
    folder = store_dir()
    return sorted(folder.glob("shard-*.parquet")) if folder.is_dir() else []


def _write(path: Path, rows: pd.DataFrame) -> None:
    write_atomically(path, lambda temporary: rows.reset_index(drop=True).to_parquet(
        temporary, index=False), prefix=".tmp-", suffix=".parquet", private=True)


def _compact(folder: Path) -> None:
    shards = _shards()
    merged = load_rows()
    _write(folder / f"shard-{uuid.uuid4().hex}.parquet", merged)
    for shard in shards:
        shard.unlink(missing_ok=True)
