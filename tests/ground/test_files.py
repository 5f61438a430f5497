"""The ground floor: one `write_atomically` (temporary file beside the target, fsync,
os.replace, nothing left behind on any error) used by every cache and output, and the
settings read from the environment in one place, never written back."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from support.paths import REPO

from explorer.ground import files
from explorer.ground.files import write_atomically
from explorer.ground.folders import cache_dir
from explorer.ground.settings import Settings
from explorer.storage import logcache

PACKAGE = REPO / "explorer"


def test_a_write_replaces_the_whole_file_and_syncs_it(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(files.os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    write_atomically(target, [b"ne", b"w"])
    assert target.read_bytes() == b"new" and synced
    write_atomically(target, lambda path: Path(path).write_bytes(b"from a writer"))
    assert target.read_bytes() == b"from a writer" and len(synced) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, error):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")

    def failing(path):
        Path(path).write_bytes(b"half")
        raise error

    with pytest.raises(type(error)):
        write_atomically(target, failing)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_a_failed_rename_leaves_no_temporary(tmp_path, monkeypatch):
    def refuse(source, destination):
        raise PermissionError("read-only")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_atomically(tmp_path / "out.bin", b"data")
    assert list(tmp_path.iterdir()) == []


def test_the_history_log_cache_leaves_no_temporary_when_parquet_fails(monkeypatch):
    """The log cache used to leave its temporary file behind when writing Parquet failed."""
    def broken(table, where):
        Path(where).write_bytes(b"PAR1 half")
        raise OSError("no space left on device")

    monkeypatch.setattr(logcache.pq, "write_table", broken)
    rows = [("a" * 40, 1, "2025-01-01T00:00:00+00:00", "s", "r/recordings/x.json", "A", "b" * 40)]
    logcache.save_rows("key", rows)  # a cache that cannot be written is skipped, never fatal
    folder = cache_dir() / "history" / f"logs-{logcache.LOG_VERSION}"
    assert list(folder.iterdir()) == []


def test_settings_are_read_from_the_given_environment():
    settings = Settings.from_environment({
        "EXPLORER_CACHE_DIR": "/c", "EXPLORER_RECORDINGS": "tree", "EXPLORER_BASE": "",
        "QUERY_STRING": "repo=x", "VOILA_KERNEL_ID": "k"})
    assert settings.cache_dir == Path("/c") and cache_dir(settings) == Path("/c")
    assert settings.recordings == "tree" and settings.base is None  # empty is unset
    assert settings.served_as_app and settings.page_query is None  # no VOILA_SERVER_URL
    assert settings.with_page_request({"QUERY_STRING": "repo=y"}).page_query == "repo=y"
    assert settings.with_page_request({"QUERY_STRING": 3}) == settings


def environment_uses() -> tuple[set[str], list[str]]:
    """Modules that name `os.environ` / `os.getenv`, and every write to the environment."""
    readers, writes = set(), []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = str(path.relative_to(PACKAGE))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                    node.value.id == "os" and node.attr in ("environ", "getenv", "putenv"):
                readers.add(rel)
                if node.attr == "putenv":
                    writes.append(f"{rel}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr in ("update", "setdefault", "pop") \
                    and ast.unparse(node.value) == "os.environ":
                writes.append(f"{rel}:{node.lineno}")
            if isinstance(node, (ast.Assign, ast.Delete)) and any(
                    isinstance(t, ast.Subscript) and ast.unparse(t.value) == "os.environ"
                    for t in getattr(node, "targets", [])):
                writes.append(f"{rel}:{node.lineno}")
    return readers, writes


def test_one_module_reads_the_environment_and_none_writes_it():
    """Besides the settings, only code that hands an environment to a child process (git,
    the server `explorer open` starts) may name it; the page request used to write it."""
    readers, writes = environment_uses()
    assert "ground/settings.py" in readers
    assert readers <= {"ground/settings.py", "cli/open.py", "sources.py", "git.py"}
    assert writes == []
