"""The folder listings a walk may replay (`explorer.table.walk`), kept per root beside the
index cache (never in the tree): one JSON file, data only, checked on reading. A file that
is absent, damaged, of another version of the walk, or names anything a folder listing
could not hold (a path, `..`) is ignored: the walk then lists every folder, as without it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import orjson

from explorer.ground.files import stamp_of, write_atomically
from explorer.ground.folders import cache_dir
from explorer.safety.names import shown
from explorer.table.cache import cache_key, root_key
from explorer.table.walk import Listing

NOT_NAMES = frozenset({"", ".", ".."})
_READ: dict[Path, tuple[tuple[int, ...], dict[str, Listing]]] = {}  # by the file's stat


def listings_path(root: Path) -> Path:
    return cache_dir() / f"listings-{root_key(root)}.json"


def load(root: Path) -> dict[str, Listing]:
    """The root's listings; the ones this process read last time while the file is unchanged
    (the same device, inode, size, mtime and ctime). Never to be changed by the caller."""
    path = listings_path(root)
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            seen = stamp_of(info)
            entry = _READ.get(path)  # read once: another thread may replace it
            if entry is not None and entry[0] == seen:
                return entry[1]
            data = orjson.loads(handle.read())
        if data["key"] != cache_key() or data["root"] != shown(str(root.resolve())):
            return {}
        listings = {prefix: Listing(tuple(key), tuple(files), tuple(folders))
                    for prefix, (key, files, folders) in data["folders"].items()}
    except Exception:  # noqa: BLE001 - anything unexpected in the file means: list again
        return {}
    # a prefix is only ever looked up by the walk; the names are what it would follow
    names = [name for listing in listings.values() for name in (*listing.files,
                                                                  *listing.folders)]
    keys = [number for listing in listings.values() for number in listing.key]
    if not (_names(names) and all(type(number) is int for number in keys)
            and len(keys) == 4 * len(listings)):
        return {}
    _READ[path] = seen, listings
    return listings


def _names(names: list) -> bool:
    """Names of entries in a folder: strings with no `/` (checked at once, not per name)."""
    try:
        return NOT_NAMES.isdisjoint(names) and "/" not in "\0".join(names)
    except TypeError:  # not a string
        return False


def save(root: Path, listings: dict[str, Listing]) -> None:
    """Write atomically; a file that cannot be written is skipped (the next walk lists)."""
    data = orjson.dumps({"key": cache_key(), "root": shown(str(root.resolve())),
                         "folders": {prefix: [listing.key, listing.files, listing.folders]
                                     for prefix, listing in listings.items()}})
    path = listings_path(root)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data, prefix=path.name, suffix=".tmp", private=True)
