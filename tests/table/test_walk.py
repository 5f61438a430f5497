"""The walk replays the listings of unchanged folders: whatever changed in the tree, a walk
with the listings of an earlier walk finds exactly what a walk without them finds."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import orjson
import pytest
from support.hostile_corpus import good_files, name_tree, symlink_tree, write

from explorer.table import walk as walk_module
from explorer.table.walk import walk


def settle(root: Path) -> None:
    """Wait until the file system's clock has moved past every folder's ctime in `root`, so
    that whatever a test changes next gives the folder another ctime (the walk's own margin
    is set to 0 by `no_margin`). It polls the clock: no fixed sleep."""
    newest = max(os.stat(folder).st_ctime_ns for folder, _, _ in os.walk(root))
    probe = root.parent / f".clock-{root.name}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        probe.write_bytes(b"")
        if os.stat(probe).st_ctime_ns > newest:
            probe.unlink()
            return
    raise AssertionError("the file system's clock did not move in 10 s")


@pytest.fixture
def no_margin(monkeypatch):
    monkeypatch.setattr(walk_module, "LISTING_MARGIN_NS", 0)


def found(tree) -> tuple:
    return (tree.files, tree.expected, sorted(tree.sqlite), tree.problems, tree.links)


def recordings_tree(base: Path) -> Path:
    root = base / "tests" / "integration"
    for area in ("inference", "agents", "safety"):
        good_files(root / area / "recordings", 4)
        write(root / area / "test_notes.json", {"not": "a recording"})
    good_files(root / "inference" / "recordings" / "nested", 2)
    (root / "inference" / "recordings" / "index.sqlite").write_bytes(b"")
    (root / "inference" / "notes.txt").write_text("ignored")
    good_files(root / "node_modules" / "recordings", 1)  # skipped folders stay skipped
    good_files(root / ".hidden" / "recordings", 1)
    return root


def rewrite_in_place(root: Path) -> None:
    path = root / "inference" / "recordings" / "good1.json"
    path.write_bytes(path.read_bytes().replace(b"hello", b"HELLO"))  # same size
    os.utime(path, ns=(1, 1))


def add_file(root: Path) -> None:
    good_files(root / "agents" / "recordings" / "new", 1)
    write(root / "agents" / "recordings" / "added.json", b"{}")


def remove_file(root: Path) -> None:
    (root / "safety" / "recordings" / "good2.json").unlink()


def rename_file(root: Path) -> None:
    folder = root / "safety" / "recordings"
    (folder / "good0.json").rename(folder / "renamed.json")


def file_becomes_folder(root: Path) -> None:
    path = root / "inference" / "recordings" / "good3.json"
    path.unlink()
    good_files(path, 1)


def folder_becomes_link(root: Path) -> None:
    nested = root / "inference" / "recordings" / "nested"
    shutil.rmtree(nested)
    nested.symlink_to(root / "agents" / "recordings")


def remove_folder(root: Path) -> None:
    shutil.rmtree(root / "agents")


def add_link(root: Path) -> None:
    (root / "agents" / "recordings" / "link.json").symlink_to("good0.json")


def swap_folders(root: Path) -> None:
    """Two folders trade places: each keeps its own key, under the other's name."""
    first, second = root / "agents" / "recordings", root / "safety" / "recordings"
    (root / "agents" / "recordings.tmp").write_bytes(b"")  # a file beside, then gone
    (root / "agents" / "recordings.tmp").unlink()
    first.rename(root / "swap")
    second.rename(first)
    (root / "swap").rename(second)


CHANGES = [rewrite_in_place, add_file, remove_file, rename_file, file_becomes_folder,
           folder_becomes_link, remove_folder, add_link, swap_folders]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_replayed_walk_finds_what_a_full_walk_finds(tmp_path, no_margin, change):
    root = recordings_tree(tmp_path)
    settle(root)
    first = walk(root)
    assert "inference/recordings/" in first.listings  # a settled tree's folders are kept
    assert walk(root, listings=first.listings).files == first.files  # order too
    change(root)
    assert found(walk(root, listings=first.listings)) == found(walk(root))


def test_a_changed_folder_is_listed_and_its_unchanged_neighbours_are_not(
        tmp_path, no_margin, monkeypatch):
    root = recordings_tree(tmp_path)
    settle(root)
    listings = walk(root).listings
    add_file(root)
    listed = []
    original = walk_module._list_with_stats
    monkeypatch.setattr(walk_module, "_list_with_stats",
                        lambda fd, folder, prefix, *rest: listed.append(prefix) or original(
                            fd, folder, prefix, *rest))
    walk(root, listings=listings)
    assert sorted(listed) == ["agents/recordings/", "agents/recordings/new/"]


def test_folders_changed_within_the_margin_are_not_kept(tmp_path):
    """A folder changed in the last seconds may change again within its clock tick without
    its times changing: it is listed by every walk until it has settled."""
    root = recordings_tree(tmp_path)
    tree = walk(root)
    assert tree.listings == {}
    assert walk(root, listings=tree.listings).files == tree.files


def test_a_listing_that_names_what_is_not_a_file_makes_the_walk_list_everything(
        tmp_path, no_margin):
    """Were a folder's key to stay while its entries changed (a clock set back), a replayed
    name that is no longer a regular file sends the walk back to listing every folder."""
    root = recordings_tree(tmp_path)
    settle(root)
    listings = walk(root).listings
    prefix = "inference/recordings/"
    kept = listings[prefix]
    listings[prefix] = kept._replace(files=(*kept.files, "nested", "gone.json"))
    assert found(walk(root, listings=listings)) == found(walk(root))


@pytest.mark.parametrize("threads", [False, True])
def test_stats_in_threads_are_the_stats_of_each_file(tmp_path, monkeypatch, threads):
    """Regular files get their (size, mtime_ns); folders, FIFOs and missing paths None. (A
    listing names regular files only; one replaced by a link since is read as a link is.)"""
    root = recordings_tree(tmp_path)
    folder = root / "inference" / "recordings"
    os.mkfifo(folder / "fifo.json")
    monkeypatch.setattr(walk_module, "PARALLEL_STATS", 2 if threads else 10**9)
    monkeypatch.setattr(walk_module, "STAT_SHARE", 3)  # many shares, taken in any order
    monkeypatch.setattr(walk_module, "usable_cpus", lambda: 3)
    paths = [*sorted(root.rglob("*")), folder / "missing.json"]
    expected = [(path.stat().st_size, path.stat().st_mtime_ns) if path.is_file() else None
                for path in paths]
    assert None in expected and len(set(expected)) > 10
    assert walk_module.stat_files([str(path) for path in paths]) == expected


def test_walks_with_hostile_names_and_links_replay_as_they_list(tmp_path, no_margin):
    for root in (symlink_tree(tmp_path / "links")[0], name_tree(tmp_path / "names")):
        settle(root)
        first = walk(root)
        assert found(walk(root, listings=first.listings)) == found(first)


def test_the_listings_file_is_read_written_and_distrusted(tmp_path, no_margin, monkeypatch):
    from explorer.table import listings
    from explorer.table.index import index_tree

    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    root = recordings_tree(tmp_path / "tree")
    settle(root)
    first = index_tree(root)
    path = listings.listings_path(root)
    assert not path.is_relative_to(tmp_path / "tree")
    assert listings.load(root) == walk(root).listings
    written = path.stat().st_mtime_ns
    index_tree(root)
    assert path.stat().st_mtime_ns == written, "an unchanged tree's listings are not rewritten"

    data = orjson.loads(path.read_bytes())
    loaded = listings.load(root)
    assert listings.load(root) is loaded, "an unchanged file is read once per process"
    settle(tmp_path / "cache")  # then a file changed in place has other times
    key, files, subfolders = data["folders"][""]
    other = [*key[:2], key[2] + 1 if key[2] % 10 != 9 else key[2] - 1, key[3]]
    path.write_bytes(orjson.dumps({**data, "folders": {**data["folders"],
                                                       "": [other, files, subfolders]}}))
    assert listings.load(root)[""].key == tuple(other), "a file changed in place is read"
    for bad in ("../../etc", "a/b.json", "..", "", 7):
        folders = {**data["folders"]}
        key, files, subfolders = folders[""]
        folders[""] = [key, files, [*subfolders, bad]]
        path.write_bytes(orjson.dumps({**data, "folders": folders}))
        assert listings.load(root) == {}, bad
    for damaged in (b"", b"{", orjson.dumps({**data, "key": "another"}),
                    orjson.dumps({**data, "folders": {"": [[1, 2], [], []]}})):
        path.write_bytes(damaged)
        assert listings.load(root) == {}
    again = index_tree(root)  # a damaged file only costs a listing
    assert again.equals(first) and again.attrs["problems"] == first.attrs["problems"]
    assert listings.load(root) == walk(root).listings, "and it is written anew"
