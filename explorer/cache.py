"""The index cache: one file per indexed root, in the user cache directory (never in the tree).

Layout: MAGIC, the CRC-32 of the payload, then the pickled payload. A truncated or
corrupted file fails the check and is rebuilt (CRC-32: cheap on the warm path, and damage here
is accidental, not adversarial); writes go through a temporary file and
an atomic rename, so concurrent indexers always leave a whole cache behind.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
import zlib
from pathlib import Path
from typing import Any

import platformdirs

MAGIC = b"EXPLORER-INDEX-CACHE-5\n"
DIGEST_SIZE = 4


def cache_dir() -> Path:
    override = os.environ.get("EXPLORER_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("recordings-explorer"))


def cache_path(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"index-{key}.bin"


def _checksum(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(DIGEST_SIZE, "big")


def load(root: Path) -> dict[str, Any] | None:
    """The cached payload for `root`, or None when absent, stale in format, or damaged."""
    path = cache_path(root)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC)
    if not data.startswith(MAGIC) or len(data) < head + DIGEST_SIZE:
        return None
    digest, payload = data[head:head + DIGEST_SIZE], memoryview(data)[head + DIGEST_SIZE:]
    if _checksum(payload) != digest:
        return None
    enabled = gc.isenabled()
    gc.disable()  # unpickling makes many small acyclic objects: no cyclic collection needed
    try:
        value = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the unpickler says
        return None
    finally:
        if enabled:
            gc.enable()
    return value if isinstance(value, dict) and value.get("root") == str(root.resolve()) else None


def save(root: Path, payload: dict[str, Any]) -> Path | None:
    """Write atomically; a cache that cannot be written is skipped, never fatal."""
    path = cache_path(root)
    data = pickle.dumps({**payload, "root": str(root.resolve())}, protocol=5)
    blob = MAGIC + _checksum(data) + data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, path)
    except OSError:
        return None
    return path
