"""`write_atomically`: the one way explorer replaces a file, so readers see all of it or none."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

Writer = Callable[[Path], None]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def stamp_of(info: os.stat_result) -> tuple[int, int, int, int, int]:
    """What tells one file's state from another's: device, inode, size, mtime and ctime (an
    edit in place, a replacement and a restore of the mtime each change one)."""
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def write_atomically(target: str | os.PathLike, data: bytes | Iterable[bytes] | Writer, *,
                     prefix: str | None = None, suffix: str = "",
                     private: bool = False) -> Path:
    """Replace `target` with `data` through a temporary file in the same folder.

    The temporary file is flushed and fsynced before `os.replace` puts it in place; on every
    error (including KeyboardInterrupt) it is removed and the error raised, so `target` holds
    its old content or the new one, never a part.

    Args:
        target: the file to write; its folder must exist.
        data: bytes, an iterable of byte chunks, or a callable that writes the temporary
            file given its path (e.g. `lambda path: frame.to_parquet(path)`).
        prefix: the temporary file's name prefix (default `.NAME.partial-`), so that
            leftovers of a killed process can be recognized and cleaned.
        suffix: the temporary file's suffix (some writers choose a format by it).
        private: keep the owner-only permissions of a temporary file (a cache); otherwise
            the file gets those a plain new file would get.

    Returns:
        `target` as a Path.

    Raises:
        OSError: when the folder cannot be written; nothing is left behind.
    """
    target = Path(target)
    handle, name = tempfile.mkstemp(dir=target.parent, suffix=suffix,
                                    prefix=prefix if prefix is not None
                                    else f".{target.name}.partial-")
    temporary = Path(name)
    try:
        if callable(data):
            os.close(handle)
            data(temporary)
            _fsync(temporary)
        else:
            with os.fdopen(handle, "wb") as stream:
                if isinstance(data, (bytes, bytearray, memoryview)):
                    stream.write(data)
                else:
                    stream.writelines(data)
                stream.flush()
                os.fsync(stream.fileno())
        if not private:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return target


def _fsync(path: Path) -> None:
    with open(path, "rb") as stream:
        os.fsync(stream.fileno())
