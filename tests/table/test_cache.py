"""The index cache: lives outside the tree, reused when nothing changed, incremental otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from support.parse_counts import count_parses

import explorer.table.index as index_module
from explorer.table import cache
from explorer.table.index import index_tree as load_index


def recording(prompt: int, completion: int, text: str = "hi") -> bytes:
    return orjson.dumps({
        "test_id": f"tests/integration/inference/test_x.py::test_{prompt}[txt=openai/gpt-4o]",
        "request": {"method": "POST", "url": "https://api.openai.com/v1/chat/completions",
                    "endpoint": "/v1/chat/completions", "model": "gpt-4o",
                    "body": {"model": "gpt-4o", "messages": [{"role": "user", "content": "q"}]}},
        "response": {"is_streaming": False, "body": {
            "__type__": "openai.types.chat.chat_completion.ChatCompletion",
            "__data__": {"model": "gpt-4o", "choices": [{"index": 0, "finish_reason": "stop",
                                                          "message": {"role": "assistant",
                                                                      "content": text}}],
                         "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                                   "total_tokens": prompt + completion}}}},
    })


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "tests" / "integration"
    folder = root / "inference" / "recordings"
    folder.mkdir(parents=True)
    for number in range(5):
        (folder / f"r{number}.json").write_bytes(recording(10 * (number + 1), number + 1))
    return root


@pytest.fixture
def parse_counter(monkeypatch):
    """Counts the files the indexer parses."""
    return count_parses(monkeypatch)


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


def test_unchanged_tree_parses_nothing_and_is_not_written(tree, parse_counter):
    before = snapshot(tree.parent.parent)
    first = load_index(tree)
    assert len(parse_counter) == 5
    second = load_index(tree)
    assert len(parse_counter) == 5, "re-opening an unchanged tree must not parse"
    assert second.equals(first)
    assert snapshot(tree.parent.parent) == before, "the recordings tree was modified"
    assert cache.cache_path(tree).is_file()
    assert not cache.cache_path(tree).is_relative_to(tree.parent.parent)


def test_changed_added_removed_files_are_handled_incrementally(tree, parse_counter):
    load_index(tree)
    folder = tree / "inference" / "recordings"
    changed = folder / "r1.json"
    changed.write_bytes(recording(999, 1, "changed"))
    os.utime(changed, ns=(1, 1))  # a different mtime even on coarse clocks
    (folder / "r4.json").unlink()
    (folder / "new.json").write_bytes(recording(7, 3))
    parse_counter.clear()
    frame = load_index(tree)
    assert sorted(parse_counter) == ["inference/recordings/new.json",
                                     "inference/recordings/r1.json"]
    assert sorted(frame["path"]) == sorted(f"inference/recordings/{n}.json"
                                           for n in ("new", "r0", "r1", "r2", "r3"))
    row = frame.set_index("path").loc["inference/recordings/r1.json"]
    assert row["prompt_tokens"] == 999
    assert frame.equals(load_index(tree, cache=False))


def test_a_walk_in_another_order_is_still_a_warm_open_and_a_change_is_still_seen(
        tree, parse_counter, monkeypatch):
    """The cached file list is compared by digest; a walk listing the same files in another
    order decodes the list and compares it, and a rewrite in place changes the digest."""
    load_index(tree)
    original = index_module.walk

    def reversed_walk(root, stats=True, listings=None):
        found = original(root, stats, listings)
        found.files = dict(reversed(list(found.files.items())))
        return found

    monkeypatch.setattr(index_module, "walk", reversed_walk)
    parse_counter.clear()
    load_index(tree)
    assert parse_counter == []
    monkeypatch.setattr(index_module, "walk", original)
    changed = tree / "inference" / "recordings" / "r2.json"
    changed.write_bytes(recording(31, 3))  # same size as before
    os.utime(changed, ns=(2, 2))
    frame = load_index(tree)
    assert parse_counter == ["inference/recordings/r2.json"]
    assert frame.set_index("path").loc["inference/recordings/r2.json", "prompt_tokens"] == 31


def test_no_cache_neither_reads_nor_writes(tree, parse_counter):
    load_index(tree, cache=False)
    assert not cache.cache_path(tree).exists()
    load_index(tree)
    load_index(tree, cache=False)
    assert len(parse_counter) == 15


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_damaged_cache_is_detected_and_rebuilt(tree, parse_counter, damage):
    expected = load_index(tree)
    path = cache.cache_path(tree)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0xFF
    else:
        data = bytearray(b"not a cache at all")
    path.write_bytes(bytes(data))
    parse_counter.clear()
    frame = load_index(tree)
    assert len(parse_counter) == 5
    assert frame.equals(expected)
    assert cache.load(tree) is not None, "the rebuilt cache is valid again"


def test_problems_survive_the_cache(tree):
    (tree / "inference" / "recordings" / "broken.json").write_bytes(b'{"request": {')
    first = load_index(tree).attrs["problems"]
    assert [p.path for p in first] == ["inference/recordings/broken.json"]
    assert load_index(tree).attrs["problems"] == first


def test_missing_root_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such directory"):
        load_index(tmp_path / "nope")


def test_progress_is_reported(tree):
    calls = []
    load_index(tree, cache=False, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (5, 5)


def test_a_cache_file_checked_once_is_checked_again_once_it_changed(tree, parse_counter,
                                                                    tmp_path):
    """A re-open in the same process skips the checksum of the cache file it checked last
    time only while the file's stat is the same: damage written in place is still found."""
    expected = load_index(tree)
    load_index(tree)  # checked and remembered
    path = cache.cache_path(tree)
    saved = path.stat().st_ctime_ns
    probe = tmp_path / "clock"
    probe.write_bytes(b"")
    while probe.stat().st_ctime_ns <= saved:  # until the file system's clock has moved on
        probe.write_bytes(b"")
    data = path.read_bytes()
    assert data.count(b"gpt-4o") > 1
    with open(path, "r+b") as handle:  # in place: the same file, the same size, and text
        handle.write(data.replace(b"gpt-4o", b"gpt-4X"))  # that Arrow alone reads as valid
    parse_counter.clear()
    assert load_index(tree).equals(expected)
    assert len(parse_counter) == 5, "the damaged cache was rebuilt"


def test_a_change_is_seen_by_a_process_that_has_re_opened_the_tree_before(tree, parse_counter):
    """The file list a process matched against its cache stands in for the digest only
    while the walk finds exactly that list."""
    load_index(tree)
    load_index(tree)  # the cache checked, its file list remembered
    changed = tree / "inference" / "recordings" / "r3.json"
    changed.write_bytes(recording(41, 4))  # same size as before
    os.utime(changed, ns=(3, 3))
    parse_counter.clear()
    frame = load_index(tree)
    assert parse_counter == ["inference/recordings/r3.json"]
    assert frame.set_index("path").loc["inference/recordings/r3.json", "prompt_tokens"] == 41
    parse_counter.clear()
    assert load_index(tree).equals(frame) and parse_counter == []
