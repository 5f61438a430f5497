"""The index cache is data, never code: a warm open reads it, a planted pickle never runs, a
tampered header or a parser change rebuilds it, stale temporary files are removed."""

from __future__ import annotations

import os
import pickle
import time
import zlib
from pathlib import Path

import orjson
import pytest
from support.good_recording import GOOD, good_recordings
from support.parse_counts import count_parses

from explorer.table import cache
from explorer.table.index import index_tree as load_index


@pytest.fixture
def cached(tmp_path) -> tuple[Path, object]:
    root = tmp_path / "tree"
    good_recordings(root)
    return root, load_index(root)


def test_cache_is_data_and_warm_open_reads_it(cached, monkeypatch):
    root, frame = cached
    data = cache.cache_path(root).read_bytes()
    assert data.startswith(cache.MAGIC) and b"pickle" not in data
    parses = count_parses(monkeypatch)
    assert load_index(root).equals(frame) and parses == []


def test_a_planted_pickle_is_never_run(cached, monkeypatch, tmp_path):
    root, frame = cached
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    blob = pickle.dumps(Payload())
    for magic in (b"EXPLORER-INDEX-CACHE-4\n", cache.MAGIC):
        cache.cache_path(root).write_bytes(magic + zlib.crc32(blob).to_bytes(4, "big") + blob)
        old = cache.cache_path(root).with_suffix(".bin")
        old.write_bytes(magic + zlib.crc32(blob).to_bytes(4, "big") + blob)
        parses = count_parses(monkeypatch)
        assert load_index(root).equals(frame)
        assert len(parses) == 3 and not marker.exists()


def _rewrite_header(path: Path, change) -> None:
    """Edit the JSON header and keep the checksum valid (a deliberate tamper)."""
    data = path.read_bytes()
    start = len(cache.MAGIC) + cache.LENGTH_SIZE
    length = int.from_bytes(data[len(cache.MAGIC):start], "big")
    header = orjson.loads(data[start:start + length])
    body = data[start + length:]
    header, body = change(header, body)
    header["crc32"] = zlib.crc32(body)
    raw = orjson.dumps(header)
    path.write_bytes(cache.MAGIC + len(raw).to_bytes(cache.LENGTH_SIZE, "big") + raw + body)


@pytest.mark.parametrize("tamper", ["other_key", "other_root", "frame_swapped", "bad_sizes"])
def test_tampered_cache_is_rejected_and_rebuilt(cached, monkeypatch, tamper):
    root, frame = cached
    path = cache.cache_path(root)

    def change(header, body):
        if tamper == "other_key":
            header["key"] = "0.0.0:" + "0" * 32
        elif tamper == "other_root":
            header["root"] = "/elsewhere"
        elif tamper == "frame_swapped":  # a valid Arrow stream of the wrong table
            files = body[header["frame_bytes"]:]
            body = files + files
            header["frame_bytes"] = len(files)
        else:
            header["frame_bytes"] += 1
        return header, body

    _rewrite_header(path, change)
    assert cache.load(root) is None
    parses = count_parses(monkeypatch)
    assert load_index(root).equals(frame) and len(parses) == 3
    assert cache.load(root) is not None


def test_a_parser_change_invalidates_every_cache(cached, monkeypatch):
    root, frame = cached
    monkeypatch.setattr(cache, "_KEY", "0.1.0:a-different-parser")
    parses = count_parses(monkeypatch)
    assert load_index(root).equals(frame) and len(parses) == 3


def test_key_covers_version_schema_and_parser_sources():
    key = cache.cache_key()
    from explorer import __version__

    assert key.startswith(__version__ + ":")
    sources = {p.name for p in cache._parser_sources()}
    assert {"rows.py", "recording.py", "replay.py", "schema.py", "openai.py",
            "anthropic.py"} <= sources


def test_stale_temporary_files_are_removed(cached, tmp_path):
    root, _ = cached
    folder = cache.cache_path(root).parent
    stale, fresh = folder / "index-abc.arrows1234.tmp", folder / "index-def.arrows5678.tmp"
    other = folder / "notes.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"half a cache")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    (root / "tests/integration/inference/recordings/new.json").write_bytes(orjson.dumps(GOOD))
    load_index(root)  # a changed tree saves the cache again
    assert not stale.exists()
    assert fresh.exists() and other.exists()  # a save in progress, and not ours
