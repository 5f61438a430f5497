"""A misplaced recording looked at again with the repository's storage settings: reachable
when it sits in `<storage dir>/recordings/` of a folder the settings (or `--storage-dir`)
name; "misplaced unless a job sets …" when the tree cannot tell (no workflows in it, or a
setting whose value it cannot resolve) and the file has no test context."""

from __future__ import annotations

from pathlib import Path

from explorer.health.placement import folder_parts, repo_prefix
from explorer.health.storage import StorageDir, configured, setting_name

__all__ = ["StorageDir", "place_in_storage"]


def place_in_storage(entries: list[dict], root_parts: tuple[str, ...],
                     extra: list[StorageDir]) -> None:
    """Update the misplaced `entries` in place (status, rule, unless)."""
    settings: dict[tuple[str, ...], list[StorageDir]] = {}
    for entry in entries:
        if entry["status"] != "misplaced":
            continue
        repo = repo_prefix(root_parts, entry["path"])
        if repo is None:
            continue
        if repo not in settings:
            settings[repo] = configured(Path(*repo)) + list(extra)
        folder = folder_parts(root_parts, entry["path"])[len(repo):]
        _judge(entry, folder, settings[repo], Path(*repo))


def _judge(entry: dict, folder: tuple[str, ...], dirs: list[StorageDir], repo: Path) -> None:
    for storage in dirs:
        if storage.folder is not None and folder == (*storage.folder, "recordings"):
            entry["status"], entry["rule"] = "reachable", storage.describe()
            return
    if entry["test_id"] or not folder or folder[-1] != "recordings" or len(folder) < 2:
        return
    unresolved = [s for s in dirs if s.folder is None]
    if (repo / ".github" / "workflows").is_dir() and not unresolved:
        return  # the whole configuration is here, and nothing points at this folder
    name = unresolved[0].setting if unresolved else setting_name(repo)
    target = "/".join(folder[:-1])
    entry["unless"] = f"{name}={target}"
    entry["rule"] = f"misplaced unless a job sets {name} to {target}"
