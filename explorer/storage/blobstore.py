"""Rows cached by blob id, as Parquet shards in a folder of the user cache.

A blob id names its contents, so a cached row is valid for every repository, ref and path
that holds that blob: the history fills the store, and the index reuses its rows for the
work-tree files git has as those blobs (`table/blobrows`). Each run that describes new blobs
adds one shard (written to a temporary file, then renamed, so concurrent runs never see half a
file); many shards are merged into one. What a row holds, and the folder (whose name carries
a digest of it), are the caller's: `table/cache.version_store` declares them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explorer.ground.files import write_atomically

MAX_SHARDS = 16


@dataclass(frozen=True)
class BlobStore:
    """Rows by blob id in `folder`; `typed` makes the typed frame of the stored columns from
    row dicts (each has a `blob` column)."""

    folder: Path
    typed: Callable[[list[dict]], pd.DataFrame]

    def has_rows(self) -> bool:
        """Whether any shard exists (no file is read)."""
        return bool(self._shards())

    def load_rows(self, wanted: set[str] | None = None) -> pd.DataFrame:
        """Cached rows (of `wanted` blobs when given), indexed by blob id; empty when none."""
        frames = []
        for shard in self._shards():
            try:
                frame = pd.read_parquet(shard)
            except Exception:  # noqa: BLE001, S112 - a damaged shard is ignored, its blobs redone
                continue
            if wanted is not None:
                frame = frame[[blob in wanted for blob in frame["blob"].tolist()]]
            frames.append(frame)
        if not frames:
            return self.rows_frame([])
        rows = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return rows.drop_duplicates("blob").set_index("blob", drop=False)

    def rows_frame(self, rows: list[dict]) -> pd.DataFrame:
        """Typed rows (the stored columns), indexed by blob id."""
        return self.typed(rows).set_index("blob", drop=False)

    def save_rows(self, rows: pd.DataFrame) -> None:
        """Add a shard; a cache that cannot be written is skipped, never fatal."""
        if rows.empty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write(self.folder / f"shard-{uuid.uuid4().hex}.parquet", rows)
            if len(self._shards()) > MAX_SHARDS:
                self._compact()
        except OSError:
            return

    def _shards(self) -> list[Path]:
        return sorted(self.folder.glob("shard-*.parquet")) if self.folder.is_dir() else []

    def _compact(self) -> None:
        shards = self._shards()
        merged = self.load_rows()
        _write(self.folder / f"shard-{uuid.uuid4().hex}.parquet", merged)
        for shard in shards:
            shard.unlink(missing_ok=True)


def _write(path: Path, rows: pd.DataFrame) -> None:
    write_atomically(path, lambda temporary: rows.reset_index(drop=True).to_parquet(
        temporary, index=False), prefix=".tmp-", suffix=".parquet", private=True)
