"""The index cache: one file per indexed root, in the user cache directory (never in the tree).

Layout: MAGIC, a blake2b digest of the payload, then the pickled payload. A truncated or
corrupted file fails the digest check and is rebuilt; writes go through a temporary file and
an atomic rename, so concurrent indexers always leave a whole cache behind.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

MAGIC = b"EXPLORER-INDEX-CACHE-3\n"
DIGEST_SIZE = 32


def cache_dir() -> Path:
    override = os.environ.get("EXPLORER_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("recordings-explorer"))


def cache_path(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"index-{key}.bin"


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
    digest, payload = data[head:head + DIGEST_SIZE], data[head + DIGEST_SIZE:]
    if hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest() != digest:
        return None
    try:
        value = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the unpickler says
        return None
    return value if isinstance(value, dict) and value.get("root") == str(root.resolve()) else None


def save(root: Path, payload: dict[str, Any]) -> Path | None:
    """Write atomically; a cache that cannot be written is skipped, never fatal."""
    path = cache_path(root)
    data = pickle.dumps({**payload, "root": str(root.resolve())}, protocol=5)
    blob = MAGIC + hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest() + data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, path)
    except OSError:
        return None
    return path
