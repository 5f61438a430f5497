"""The walk of a recordings tree: every candidate file with its (size, mtime_ns), the folders
below `recordings`, the links (looked at, never followed) and what cannot be read.

A warm re-open is this walk plus the cache, so a folder listed before is not listed again
while it is unchanged: its `Listing` (what the walk took from it) is replayed, and only the
files in it are stat-ed, so a file rewritten in place is still seen. A folder's entries
change only with its ctime (adding, removing or renaming an entry, or a restore that sets
its mtime back, all set the ctime to now), so a listing is kept with its folder's
(device, inode, mtime, ctime) and replayed only while they are the same. A folder changed in
the last LISTING_MARGIN_NS before a walk is not kept: a change in the same clock tick could
leave its times as they were. (Local file systems keep folder times; a folder whose times
are 0 is always listed. `--no-cache` walks without listings.)
"""

from __future__ import annotations

import functools
import os
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from explorer.errors import Problem
from explorer.safety.names import NOT_UTF8, NOT_UTF8_FOLDER, is_utf8, shown
from explorer.table.links import NOT_A_FILE, LinkedFile, look_at_link, worth_reporting
from explorer.table.workers import usable_cpus

SKIPPED_DIRS = {"node_modules", "__pycache__", "site-packages"}
LISTING_MARGIN_NS = 3 * 10**9  # coarser than any file system's clock tick (FAT's is 2 s)
UNSTATED = (-1, -1)  # a file walked without stats
PARALLEL_STATS = 1000  # files per thread that repay starting it
STAT_SHARE = 400  # files a thread stats at a time


class Listing(NamedTuple):
    """What the walk took from one folder: its files (the `*.json` and `index.sqlite` it
    stat-ed, in listing order) and the subfolders it went into, under the folder's key."""

    key: tuple[int, int, int, int]  # st_dev, st_ino, st_mtime_ns, st_ctime_ns
    files: tuple[str, ...]
    folders: tuple[str, ...]


@dataclass
class Tree:
    """What a walk of the root found: candidate files with their (size, mtime_ns), and
    whether each sits below a folder named `recordings` (then it must be a recording).
    `listings`: by folder (its path below the root, "" for the root), the ones a later walk
    may replay."""

    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    expected: set[str] = field(default_factory=set)
    sqlite: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    root: str = ""  # the walked root, symlinks resolved: links may not lead out of it
    links: list[tuple[LinkedFile, bool]] = field(default_factory=list)
    listings: dict[str, Listing] = field(default_factory=dict)


def walk(root: Path, stats: bool = True, listings: dict[str, Listing] | None = None) -> Tree:
    """Stat every candidate file below `root`. This is all a warm re-open does besides reading
    the cache: a folder whose listing is known and unchanged is not listed again, and the files
    of all such folders are stat-ed at once at the end (`stat_files`); other folders are listed
    and their files stat-ed relative to the open folder (no DirEntry objects, no path
    resolution per file). Without `stats` (no cache to key), a regular file is known by the
    type its folder listing gives, and its (size, mtime_ns) is (-1, -1); nothing is replayed
    or kept."""
    tree = Tree(root=os.path.realpath(root))
    known = listings if stats and listings else {}
    settled = time.time_ns() - LISTING_MARGIN_NS  # folders changed before this can be kept
    replayed: list[str] = []  # files taken from listings, stat-ed at the end
    stack = [(str(root), "", False)]
    while stack:
        folder, prefix, in_recordings = stack.pop()
        listing = known.get(prefix)
        if listing is not None and _unchanged(folder, prefix, listing):
            _replay(folder, prefix, in_recordings, stack, tree, listing, replayed)
            continue
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            tree.problems.append(Problem(prefix.rstrip("/") or ".", f"cannot list folder "
                                         f"({exc.strerror}); check its permissions"))
            continue
        try:
            if not stats:
                _list_with_types(fd, folder, prefix, in_recordings, stack, tree)
                continue
            info = os.fstat(fd)
            listing = _list_with_stats(fd, folder, prefix, in_recordings, stack, tree,
                                       _folder_key(info))
            if listing is not None and 0 < info.st_ctime_ns < settled and info.st_mtime_ns:
                tree.listings[prefix] = listing  # (times of 0: a file system that keeps none)
        finally:
            os.close(fd)
    if replayed and not _stat_replayed(root, tree, replayed):
        return walk(root, stats)  # a file changed while its folder did not seem to: list all
    _add_linked_files(tree)
    tree.problems.sort(key=lambda problem: problem.path)  # not the folders' listing order
    return tree


def _unchanged(folder: str, prefix: str, listing: Listing) -> bool:
    """Whether the folder still has its listing's key (the root is the folder it leads to;
    a folder below it that became a link has the link's key, so it is listed)."""
    try:
        info = os.stat(folder, follow_symlinks=not prefix)
    except OSError:
        return False
    return _folder_key(info) == listing.key


def _folder_key(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns


def _replay(folder: str, prefix: str, in_recordings: bool, stack: list, tree: Tree,
            listing: Listing, replayed: list[str]) -> None:
    """Take an unchanged folder's files and subfolders from its listing; its files keep their
    place in the walk's order and are stat-ed later (`_stat_replayed`)."""
    rels = [prefix + name for name in listing.files]
    tree.files.update(dict.fromkeys(rels, UNSTATED))
    replayed += rels
    if "index.sqlite" in listing.files:
        tree.sqlite.append(prefix + "index.sqlite")
        rels.remove(prefix + "index.sqlite")
    if in_recordings:
        tree.expected.update(rels)
    for name in listing.folders:  # `folder` is a path without a trailing slash
        stack.append((f"{folder}/{name}", f"{prefix}{name}/", in_recordings or name == "recordings"))
    tree.listings[prefix] = listing


def _stat_replayed(root: Path, tree: Tree, replayed: list[str]) -> bool:
    """Fill in the replayed files' stats; False when one is no longer a regular file."""
    base = os.path.abspath(root) + "/"
    stamps = stat_files([base + rel for rel in replayed])
    if None in stamps:
        return False
    tree.files.update(zip(replayed, stamps))
    return True


def stat_files(paths: list[str]) -> list[tuple[int, int] | None]:
    """(size, mtime_ns) of each regular file in `paths`, None for anything else. Thousands
    of files are stat-ed by threads in Arrow's file system layer, which holds no interpreter
    lock: the stats run side by side on all usable CPUs. The files go in shares of
    STAT_SHARE that each thread takes in turn, so the threads finish together."""
    workers = min(usable_cpus(), len(paths) // PARALLEL_STATS)
    if workers < 2:
        return _stat_here(paths)
    _local_files()  # imported here, not in a thread
    starts = list(range(0, len(paths), STAT_SHARE))
    results: dict[int, list] = {}

    def run() -> None:
        while True:
            try:
                start = starts.pop()  # atomic: each share is taken once
            except IndexError:
                return
            results[start] = _stat_share(paths[start:start + STAT_SHARE])

    threads = [threading.Thread(target=run, daemon=True) for _ in range(workers - 1)]
    for thread in threads:
        thread.start()
    run()
    for thread in threads:
        thread.join()
    stamps = [stamp for start in sorted(results) for stamp in results[start]]
    return stamps if len(stamps) == len(paths) else _stat_here(paths)  # a thread failed


@functools.cache
def _local_files():
    from pyarrow import fs  # imported on first use: a walk of a small tree never needs it

    return fs.LocalFileSystem()


def _stat_share(paths: list[str]) -> list[tuple[int, int] | None]:
    try:
        infos = _local_files().get_file_info(paths)
    except Exception:  # noqa: BLE001 - any path Arrow refuses: stat them here instead
        return _stat_here(paths)
    # a file's size is known; a folder's, a missing path's and any other kind's is None
    return [None if info.size is None else (info.size, info.mtime_ns) for info in infos]


def _stat_here(paths: list[str]) -> list[tuple[int, int] | None]:
    stamps = []
    for path in paths:
        try:
            info = os.stat(path, follow_symlinks=False)
        except (OSError, ValueError):
            stamps.append(None)
            continue
        regular = info.st_mode & 0o170000 == stat.S_IFREG
        stamps.append((info.st_size, info.st_mtime_ns) if regular else None)
    return stamps


def _list_with_stats(fd: int, folder: str, prefix: str, in_recordings: bool, stack: list,
                     tree: Tree, key: tuple[int, int, int, int]) -> Listing | None:
    """List the folder and stat what it holds; its Listing, or None when it held anything a
    replay could not repeat (a link, a problem, an entry that could not be stat-ed)."""
    files, expected, stat_at = tree.files, tree.expected, os.stat
    problems, links, pushed = len(tree.problems), len(tree.links), len(stack)
    taken, clean = [], True
    for name in os.listdir(fd):
        if not (name.isascii() or is_utf8(name)):
            _not_utf8(fd, name, prefix, tree)
            clean = False
            continue
        if name[-5:] == ".json":  # the common case, inline: no call per file
            try:
                info = stat_at(name, dir_fd=fd, follow_symlinks=False)
            except OSError:
                info = None
            if info is not None and info.st_mode & 0o170000 == stat.S_IFREG:
                rel = prefix + name
                files[rel] = (info.st_size, info.st_mtime_ns)
                taken.append(name)
                if in_recordings:
                    expected.add(rel)
                continue
        visited = _visit(fd, folder, name, prefix, in_recordings, stack, tree)
        if visited is None:
            clean = False
        elif visited:
            taken.append(name)
    if not clean or len(tree.problems) != problems or len(tree.links) != links:
        return None
    subfolders = tuple(rel[len(prefix):-1] for _, rel, _ in stack[pushed:])
    return Listing(key, tuple(taken), subfolders)


def _list_with_types(fd: int, folder: str, prefix: str, in_recordings: bool, stack: list,
                     tree: Tree) -> None:
    """`_list_with_stats` where the listing says a *.json is a regular file: no stat for it
    (anything else, and a listing that cannot tell, goes the way of `_visit`)."""
    files, expected = tree.files, tree.expected
    with os.scandir(fd) as entries:
        for entry in entries:
            name = entry.name
            if not (name.isascii() or is_utf8(name)):
                _not_utf8(fd, name, prefix, tree)
                continue
            if name[-5:] == ".json":
                try:
                    regular = entry.is_file(follow_symlinks=False)
                except OSError:
                    regular = False
                if regular:
                    rel = prefix + name
                    files[rel] = UNSTATED
                    if in_recordings:
                        expected.add(rel)
                    continue
            _visit(fd, folder, name, prefix, in_recordings, stack, tree)


def _visit(fd: int, folder: str, name: str, prefix: str, in_recordings: bool, stack: list,
           tree: Tree) -> bool | None:
    """Whatever is not a plain `*.json`: True when it was taken as a file, None when a replay
    could not repeat what was done (it could not be stat-ed, or it is a link, whose target
    may change while its folder does not), else False (a folder goes on the stack)."""
    rel = prefix + name
    try:
        info = os.stat(name, dir_fd=fd, follow_symlinks=False)
    except OSError as exc:
        if in_recordings and name.endswith(".json"):
            tree.problems.append(Problem(rel, f"cannot stat ({exc.strerror})"))
        return None
    mode = info.st_mode
    if stat.S_ISLNK(mode):  # looked at, never followed: see explorer.table.links
        _link(folder, name, rel, in_recordings, tree)
        return None
    if stat.S_ISREG(mode) and (name.endswith(".json") or name == "index.sqlite"):
        tree.files[rel] = (info.st_size, info.st_mtime_ns)
        if name == "index.sqlite":
            tree.sqlite.append(rel)
        elif in_recordings:
            tree.expected.add(rel)
        return True
    elif stat.S_ISDIR(mode):
        if not name.startswith(".") and name not in SKIPPED_DIRS:
            stack.append((os.path.join(folder, name), rel + "/",
                          in_recordings or name == "recordings"))
    elif in_recordings and name.endswith(".json") and not stat.S_ISREG(mode):
        tree.problems.append(Problem(rel, NOT_A_FILE))
    return False


def _link(folder: str, name: str, rel: str, in_recordings: bool, tree: Tree) -> None:
    found = look_at_link(folder, name, rel, tree.root, worth_reporting(name, in_recordings))
    if isinstance(found, str):
        tree.problems.append(Problem(rel, found))
    elif found is not None:
        tree.links.append((found, in_recordings))


def _add_linked_files(tree: Tree) -> None:
    """Each linked file once: skipped when the walk listed its target, else under the first
    link's name (the file is read through that link, which resolves inside the tree)."""
    targets = set()
    for linked, in_recordings in sorted(tree.links, key=lambda item: item[0].rel):
        if linked.target in tree.files or linked.target in targets:
            continue
        targets.add(linked.target)
        tree.files[linked.rel] = (linked.size, linked.mtime_ns)
        if in_recordings:
            tree.expected.add(linked.rel)


def _not_utf8(fd: int, name: str, prefix: str, tree: Tree) -> None:
    """A name that cannot be a row key (Parquet, JSON): a file is one problem, a folder one
    problem for everything below it."""
    try:
        mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode) and not name.startswith(".") and name not in SKIPPED_DIRS:
        tree.problems.append(Problem(shown(prefix + name), NOT_UTF8_FOLDER))
    elif name.endswith(".json") and (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        tree.problems.append(Problem(shown(prefix + name), NOT_UTF8))


def candidate(rel: str) -> tuple[bool, bool]:
    """The walker's rule for a POSIX path below the root, for trees that are not folders (git
    revisions): (is a candidate *.json, sits below a folder named `recordings`)."""
    folders = rel.split("/")[:-1]
    if not rel.endswith(".json") or any(f.startswith(".") or f in SKIPPED_DIRS for f in folders):
        return False, False
    return True, "recordings" in folders
