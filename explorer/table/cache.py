"""The index cache: one file per indexed root, in the user cache directory (never in the tree).

The cache is data, never code: a JSON header, then the frame and the file list as Arrow IPC
streams. Layout: MAGIC, the header's length (8 bytes), the header, the Arrow bytes. The header
holds the cache key (explorer version + a fingerprint of the column declarations and of the
parsing modules' source, so a parser fix reaches every warm open), the root, the problems and
per-file statuses, the sizes of the two Arrow streams, the digest of the file list (a warm
re-open compares digests, not lists) and the CRC-32 of everything after it.
A file whose key, checksum, layout or columns do not match is rebuilt. Writes go through a
temporary file and an atomic rename; temporary files left by killed saves are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import zlib
from pathlib import Path
from typing import Any

import orjson

from explorer.errors import Problem
from explorer.ground.files import stamp_of, write_atomically
from explorer.ground.folders import cache_dir
from explorer.ground.version import __version__
from explorer.safety.names import shown
from explorer.storage.blobstore import BlobStore
from explorer.table import cache_arrow
from explorer.table.schema import HISTORY_COLUMNS, Column, frame_from_records

MAGIC = b"EXPLORER-INDEX-CACHE-6\n"
LENGTH_SIZE = 8
STALE_TMP_SECONDS = 600  # a save takes well under this; older temporary files are leftovers
_KEY: str | None = None
_CHECKED: dict[Path, tuple[tuple[int, ...], dict]] = {}  # files checked: stat, file list
# The version rows kept by blob id (`storage/blobstore`): the history's columns but the
# per-change ones, the request's naming key and the parser's issues. The store's folder name
# carries a digest of them, the row version and `cache_key()`: when any changes, old rows are
# simply not read.
ROW_VERSION = "2"
PER_CHANGE = ("commit", "committed_at", "subject", "path", "status", "area")
STORED = (*(c for c in HISTORY_COLUMNS if c.name not in PER_CHANGE),
          Column("naming", "string", "the request's naming key (`health.rules.naming_key`): "
                 "its health under any file name; NA when the name does not matter"),
          Column("issues", "string", "what the parser noted (the index lists it as a problem)"))


def root_key(root: Path) -> str:
    return hashlib.sha256(os.fsencode(root.resolve())).hexdigest()[:24]


def cache_path(root: Path) -> Path:
    """The root's cache file; another size budget (EXPLORER_MAX_FILE_MB) keeps another file,
    since it decides which files are parsed."""
    from explorer.safety.size import DEFAULT_MAX_MB, max_file_bytes

    limit = max_file_bytes()
    budget = "" if limit == int(DEFAULT_MAX_MB * 1e6) else f"-{limit}"
    return cache_dir() / f"index-{root_key(root)}{budget}.arrows"


def cache_key() -> str:
    """explorer version + fingerprint of the schema and of every module that shapes a row."""
    global _KEY
    if _KEY is None:
        digest = hashlib.sha256(__version__.encode())
        digest.update(repr(cache_arrow.schema_declaration()).encode())
        for path in sorted(_parser_sources()):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        _KEY = f"{__version__}:{digest.hexdigest()[:32]}"
    return _KEY


def _parser_sources() -> set[Path]:
    """Source files of the packages that read recordings into rows (wire formats, the
    recording and its replay, the health rules, the table, the input guards)."""
    package = Path(__file__).resolve().parents[1]
    return {path for folder in ("wire", "record", "health", "table", "safety")
            for path in (package / folder).glob("*.py")}


def load(root: Path, walked: dict[str, tuple[int, int]] | None = None
         ) -> dict[str, Any] | None:
    """The cached payload for `root`, or None when absent, stale, damaged or not ours.
    `walked`: the files a walk found now; when the cache's file list has the same digest,
    that list is not decoded (the payload's `files` is `walked`: a warm re-open's shortcut)."""
    path = cache_path(root)
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            data = handle.read()
    except OSError:
        return None
    # the file this process checked last time, unchanged, is not checksummed again, and its
    # file list is the one decoded or matched then (compared as it is: no digest)
    seen = stamp_of(info)
    entry = _CHECKED.get(path)  # read once: another thread may replace it
    known = entry[1] if entry is not None and entry[0] == seen else None
    try:
        payload = _decode(data, root, walked, known)
    except Exception:  # noqa: BLE001 - anything unexpected in a cache file means: rebuild
        payload = None
    if payload is not None:
        _CHECKED[path] = seen, payload["files"]
    return payload


def files_digest(files: dict[str, tuple[int, int]]) -> str | None:
    """sha256 of the file list in its order (a walk of an unchanged tree lists it in the same
    order; another order only costs the decoding of the cached list)."""
    try:
        return hashlib.sha256(orjson.dumps(files)).hexdigest()
    except TypeError:  # a name orjson cannot write: compare the lists instead
        return None


def _decode(data: bytes, root: Path, walked: dict[str, tuple[int, int]] | None,
            known: dict[str, tuple[int, int]] | None = None) -> dict[str, Any] | None:
    """The payload in `data`; `known`: the file list of this very file, checked before (its
    checksum is then not computed again)."""
    start = len(MAGIC) + LENGTH_SIZE
    if not data.startswith(MAGIC) or len(data) < start:
        return None
    length = int.from_bytes(data[len(MAGIC):start], "big")
    header = orjson.loads(data[start:start + length])
    body = memoryview(data)[start + length:]
    if not isinstance(header, dict) or header.get("key") != cache_key() \
            or header.get("root") != shown(str(root.resolve())):
        return None
    frame_size, files_size = header["frame_bytes"], header["files_bytes"]
    if frame_size + files_size != len(body) or not (known is not None
                                                    or zlib.crc32(body) == header["crc32"]):
        return None
    frame = cache_arrow.frame_from_bytes(body[:frame_size])
    digest = header.get("files_digest")
    if known is not None:
        files = walked if walked == known else known
    elif walked is not None and digest is not None and digest == files_digest(walked):
        files = walked
    else:
        files = cache_arrow.files_from_bytes(body[frame_size:])
    if frame is None or files is None:
        return None
    statuses = {rel: (status[0], status[1]) for rel, status in header["statuses"].items()}
    problems = [Problem.from_dict(problem) for problem in header["problems"]]
    return {"files": files, "frame": frame, "problems": problems, "statuses": statuses}


def save(root: Path, payload: dict[str, Any]) -> Path | None:
    """Write atomically; a cache that cannot be written is skipped, never fatal."""
    path = cache_path(root)
    try:
        frame = cache_arrow.frame_to_bytes(payload["frame"])
        files = cache_arrow.files_to_bytes(payload["files"])
        header = orjson.dumps({
            "key": cache_key(), "root": shown(str(root.resolve())),
            "problems": [problem.as_dict() for problem in payload["problems"]],
            "statuses": {rel: list(status) for rel, status in payload["statuses"].items()},
            "frame_bytes": len(frame), "files_bytes": len(files),
            "files_digest": files_digest(payload["files"]),
            "crc32": zlib.crc32(files, zlib.crc32(frame)),
        })
    except (TypeError, ValueError, OSError):
        return None  # a value the cache cannot hold: the next open parses again
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path.parent)
        write_atomically(path, [MAGIC, len(header).to_bytes(LENGTH_SIZE, "big"), header, frame,
                                files], prefix=path.name, suffix=".tmp", private=True)
        with contextlib.suppress(OSError):  # the pickle this format replaces
            (path.parent / f"index-{root_key(root)}.bin").unlink()
    except OSError:
        return None
    return path


def remove_stale_temporaries(folder: Path, older_than: float = STALE_TMP_SECONDS) -> int:
    """Delete `index-*.tmp` and `listings-*.tmp` files older than `older_than` seconds (saves
    that were killed); returns how many were removed."""
    removed, now = 0, time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not (entry.name.startswith(("index-", "listings-")) and entry.name.endswith(".tmp")):
            continue
        with contextlib.suppress(OSError):
            if now - entry.stat(follow_symlinks=False).st_mtime > older_than:
                os.unlink(entry.path)
                removed += 1
    return removed


def version_store() -> BlobStore:
    """The version rows by blob id: the history fills it, the index reuses its rows."""
    schema = "|".join(f"{c.name}:{c.dtype}" for c in STORED)
    digest = hashlib.sha256(f"{ROW_VERSION}|{cache_key()}|{schema}".encode()).hexdigest()[:12]
    return BlobStore(cache_dir() / "history" / f"versions-{digest}", _stored_frame)


def _stored_frame(rows: list[dict]):
    return frame_from_records(rows, STORED)
