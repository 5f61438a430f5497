"""The size budget: a file above the limit is a problem row with its size, never parsed.

The limit is `EXPLORER_MAX_FILE_MB` (megabytes, default 64), read when a file is checked. A
file over it is not read into memory: its stand-in (`TooLarge`) holds only its size and a
digest of its bytes (read in chunks), so two versions still compare equal only when equal.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import BinaryIO

from explorer.ground.settings import max_file_mb, megabytes

DEFAULT_MAX_MB = 64.0
CHUNK = 1 << 20


def max_file_bytes() -> int:
    """The limit in bytes; the default where the setting is unset (or not a size)."""
    return _bytes_of(max_file_mb())  # runs for every file read: each setting parsed once


@lru_cache(maxsize=16)
def _bytes_of(setting: str | None) -> int:
    # a wrong value is refused by name where work starts (`environment.require_usable`);
    # a file read with one anyway (a library call below the front door) gets the default
    return int((megabytes(setting) or DEFAULT_MAX_MB) * 1e6)


def too_large_reason(size: int) -> str | None:
    """Why a file of `size` bytes is not parsed, or None when it fits."""
    limit = max_file_bytes()
    if size <= limit:
        return None
    return (f"{size:,} bytes, above the size limit of {limit:,} bytes: not parsed (set "
            f"EXPLORER_MAX_FILE_MB to raise the limit)")


class TooLarge(bytes):
    """Stands in for the bytes of a file over the limit: the reason, then its digest."""

    @property
    def reason(self) -> str:
        return self.decode().split("\n", 1)[0]


def stand_in(size: int, digest: str) -> TooLarge:
    reason = too_large_reason(size) or "over the size limit"
    return TooLarge(f"{reason}\n{digest}".encode())


def digest_of(handle: BinaryIO, size: int) -> str:
    """sha256 of the next `size` bytes of `handle`, read a chunk at a time."""
    digest, left = hashlib.sha256(), size
    while left > 0:
        chunk = handle.read(min(CHUNK, left))
        if not chunk:
            break
        digest.update(chunk)
        left -= len(chunk)
    return digest.hexdigest()
