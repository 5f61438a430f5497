"""Where today's recorder looks for a recording.

For a test `tests/integration/<area>/test_x.py::test_y` it reads
`tests/integration/<area>/recordings/<name>` first, then the common fallback
`tests/integration/common/recordings/<name>`; without a test id only the fallback. Paths are
taken relative to the repository (pytest's rootdir), so a file is where the recorder looks
when its folder ends with one of those folders. The indexed ROOT may be the repository,
its `tests/integration`, a `recordings` folder or a folder above several checkouts: the
check works on the file's absolute folder, whatever ROOT is.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePosixPath

FALLBACK = ("tests", "integration", "common", "recordings")
ANCHOR = ("tests", "integration")


def lookup_folders(test_id: str | None) -> list[tuple[str, ...]]:
    """Folders (relative to the repository) the recorder reads, in order."""
    return list(_lookup_folders(test_id.split("::", 1)[0] if test_id else None))


@lru_cache(maxsize=4096)  # a tree has a few hundred test files; each is asked for per row
def _lookup_folders(test_file: str | None) -> tuple[tuple[str, ...], ...]:
    folders = []
    if test_file:
        parent = PurePosixPath(test_file).parent
        folders.append(tuple(part for part in parent.parts if part not in ("", ".")) +
                       ("recordings",))
    if FALLBACK not in folders:
        folders.append(FALLBACK)
    return tuple(folders)


def folder_parts(root_parts: tuple[str, ...], rel: str) -> tuple[str, ...]:
    """The absolute folder of a recording (`rel`: POSIX, relative to the root), as parts."""
    return root_parts + tuple(rel.split("/")[:-1])


def is_looked_up(root_parts: tuple[str, ...], rel: str, test_id: str | None) -> bool:
    """True when the recorder, running for `test_id`, reads the folder `rel` sits in."""
    return _reads(folder_parts(root_parts, rel), lookup_folders(test_id))


def is_looked_up_at(location: str, test_id: str | None) -> bool:
    """`is_looked_up` for the recording at `location`, an absolute POSIX path."""
    return _looked_up_at(location.rpartition("/")[0],
                         test_id.split("::", 1)[0] if test_id else None)


@lru_cache(maxsize=4096)  # a tree has a few hundred (folder, test file) pairs; asked per row
def _looked_up_at(folder: str, test_file: str | None) -> bool:
    return _reads(tuple(folder.split("/")), _lookup_folders(test_file))


def _reads(parts: tuple[str, ...], folders) -> bool:
    return any(len(parts) >= len(folder) and parts[-len(folder):] == folder
               for folder in folders)


def repo_prefix(root_parts: tuple[str, ...], rel: str) -> tuple[str, ...] | None:
    """The repository a recording belongs to: the folder holding its last
    `tests/integration`, as absolute parts; None without that layout."""
    parts = folder_parts(root_parts, rel)
    for index in range(len(parts) - 2, -1, -1):
        if parts[index:index + 2] == ANCHOR:
            return parts[:index]
    return None


def expected_folder(test_id: str | None) -> str:
    """The folder (relative to the repository) where the recorder writes for `test_id`."""
    return "/".join(lookup_folders(test_id)[0])
