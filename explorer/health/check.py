"""`explorer check`: every recording's health, duplicates and recordings whose test is gone.

Reads the index (and so its cache): the names were recomputed when the rows were built, so a
check costs a walk of the tree plus a pass over the frame. Never writes or deletes anything.
"""

from __future__ import annotations

import ast
import os
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from explorer.health.placement import lookup_folders, repo_prefix
from explorer.health.status import STATUSES
from explorer.health.storage_place import StorageDir, place_in_storage
from explorer.record.classify import split_test_id
from explorer.safety.paths import leads_inside
from explorer.safety.size import too_large_reason

FIELDS = ("path", "status", "rule", "test_id", "bytes", "expected_name")


@dataclass
class CheckReport:
    """The result of a check: one entry per recording, plus duplicates and gone tests."""

    recordings: list[dict]
    duplicates: list[dict] = field(default_factory=list)
    gone_tests: list[dict] = field(default_factory=list)
    gone_check: str = "static"

    def summary(self) -> dict:
        """Files and bytes per status, the totals, duplicates and gone tests."""
        counts = {status: {"files": 0, "bytes": 0} for status in STATUSES}
        for entry in self.recordings:
            counts[entry["status"]]["files"] += 1
            counts[entry["status"]]["bytes"] += entry["bytes"] or 0
        stale_rules: dict[str, int] = defaultdict(int)
        for entry in self.recordings:
            if entry["status"] == "stale":
                stale_rules[entry["rule"]] += 1
        return {**counts,
                "total": {"files": len(self.recordings),
                          "bytes": sum(e["bytes"] or 0 for e in self.recordings)},
                "stale_by_rule": dict(sorted(stale_rules.items())),
                "duplicates": self.duplicates, "gone_tests": self.gone_tests,
                "gone_check": self.gone_check}

    def as_json(self) -> dict:
        return {"recordings": self.recordings, "summary": self.summary()}

    def paths(self, status: str) -> list[str]:
        """Paths with `status`; a recording misplaced only unless a job sets the storage
        folder (which the tree cannot tell) is left out, so the list is safe to delete."""
        return [entry["path"] for entry in self.recordings
                if entry["status"] == status and not entry.get("unless")]

    @property
    def failing(self) -> int:
        """Files that make --strict fail: stale or misplaced (not those misplaced only
        unless a job sets the storage folder)."""
        return sum(entry["status"] in ("stale", "misplaced") and not entry.get("unless")
                   for entry in self.recordings)


def check_frame(frame: pd.DataFrame, root: str | os.PathLike,
                collected: set[str] | None = None,
                storage_dirs: list[StorageDir] | None = None) -> CheckReport:
    """Build the report from an index frame of `root` (with its `problems` in attrs);
    `storage_dirs` (from `--storage-dir`) add to the folders the repository's settings name."""
    root = Path(root).expanduser()
    entries = _entries(frame) + _problem_entries(frame, root)
    place_in_storage(entries, tuple(root.resolve().parts), storage_dirs or [])
    entries.sort(key=lambda entry: entry["path"])
    report = CheckReport(entries, duplicates=duplicates(entries, tuple(root.resolve().parts)))
    if collected is not None:
        report.gone_tests, report.gone_check = gone_by_collection(entries, collected), "collected"
    else:
        report.gone_tests, report.gone_check = gone_by_static_check(entries, root)
    return report


def _entries(frame: pd.DataFrame) -> list[dict]:
    columns = {name: frame[name].astype(object).where(frame[name].notna(), None).tolist()
               for name in ("path", "health", "health_rule", "test_id", "size_bytes",
                            "expected_name")}
    return [dict(zip(FIELDS, values)) for values in zip(*columns.values())]


def _problem_entries(frame: pd.DataFrame, root: Path) -> list[dict]:
    """A file in a recordings folder that cannot be read cannot be verified: unexplained."""
    indexed = set(frame["path"].tolist())
    out = []
    for problem in frame.attrs.get("problems", []):
        path = problem.path
        if path in indexed or not path.endswith(".json"):
            continue
        try:
            size = (root / path).stat().st_size
        except OSError:
            size = None
        out.append(dict(zip(FIELDS, (path, "unexplained", None, None, size, None))))
    return out


def duplicates(entries: list[dict], root_parts: tuple[str, ...]) -> list[dict]:
    """Files for one request (same test, same name under today's rule), and the copy the
    recorder reads: the right name in the test's folder, else in the fallback, else none."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for entry in entries:
        if entry["expected_name"]:  # one checkout each: ROOT may hold several
            repo = repo_prefix(root_parts, entry["path"])
            groups[(entry["expected_name"], entry["test_id"], repo)].append(entry)
    out = []
    for (name, test_id, _), group in sorted(groups.items(), key=lambda item: item[0][:2]):
        if len(group) > 1:
            out.append({"expected_name": name, "test_id": test_id,
                        "read": _read_copy(group, name, test_id, root_parts),
                        "copies": [entry["path"] for entry in group]})
    return out


def _read_copy(group: list[dict], name: str, test_id: str | None,
               root_parts: tuple[str, ...]) -> str | None:
    for folder in lookup_folders(test_id):
        for entry in group:
            rel = entry["path"]
            parts = root_parts + tuple(rel.split("/")[:-1])
            if rel.rsplit("/", 1)[-1] == name and parts[-len(folder):] == folder:
                return rel
    return None


def read_collected(path: str | os.PathLike) -> set[str]:
    """Node ids from `pytest --collect-only -q` output (lines holding `::`)."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    return {line.strip() for line in text.splitlines() if "::" in line and " " not in
            line.strip()}


def gone_by_collection(entries: list[dict], collected: set[str]) -> list[dict]:
    """Recordings whose test id is not in the collected node ids."""
    return _gone_groups(entries, lambda test_id: None if test_id in collected
                        else "not collected")


def gone_by_static_check(entries: list[dict], root: Path) -> tuple[list[dict], str]:
    """Recordings whose test file or test function no longer exists in the checkout."""
    root_parts = tuple(root.resolve().parts)
    repo_of = {}
    for entry in entries:
        if entry["test_id"] and entry["test_id"] not in repo_of:
            repo_of[entry["test_id"]] = repo_prefix(root_parts, entry["path"])
    repos = {repo for repo in repo_of.values() if repo is not None}
    with_tests = {repo for repo in repos if _has_test_files(Path(*repo))}
    if not with_tests:
        return [], "skipped: no test files next to the recordings (pass --collected FILE)"
    finder = _TestFinder()

    def reason(test_id: str) -> str | None:
        repo = repo_of.get(test_id)
        if repo not in with_tests:
            return None
        return finder.missing(Path(*repo), test_id)

    return _gone_groups(entries, reason), "static"


def _has_test_files(repo: Path) -> bool:
    folder = repo / "tests" / "integration"
    for _, _, files in os.walk(folder):
        if any(name.startswith("test_") and name.endswith(".py") for name in files):
            return True
    return False


def _gone_groups(entries: list[dict], reason_of) -> list[dict]:
    by_test: dict[str, dict] = {}
    for entry in entries:
        test_id = entry["test_id"]
        if not test_id:
            continue
        if test_id not in by_test:
            reason = reason_of(test_id)
            by_test[test_id] = {"test_id": test_id, "reason": reason, "files": [], "bytes": 0}
        group = by_test[test_id]
        if group["reason"]:
            group["files"].append(entry["path"])
            group["bytes"] += entry["bytes"] or 0
    return [group for _, group in sorted(by_test.items()) if group["reason"]]


class _TestFinder:
    """Which test functions (and Class::method) a test file defines; files parsed once."""

    def __init__(self) -> None:
        self._names: dict[Path, set[str] | None] = {}

    def missing(self, repo: Path, test_id: str) -> str | None:
        test_file, test_name, _ = split_test_id(test_id)
        if not test_file or ".." in Path(test_file).parts or Path(test_file).is_absolute():
            return None
        path = repo / test_file
        if path.is_symlink() or not leads_inside(repo.resolve(), path):
            return None  # a test file is read only inside the repository, never through a link
        names = self._defined(path)
        if names is None:
            return f"test file {test_file} is gone"
        if test_name and not _defined_in(test_name, names):
            return f"{test_name} is no longer in {test_file}"
        return None

    def _defined(self, path: Path) -> set[str] | None:
        if path not in self._names:
            self._names[path] = _defined_tests(path)
        return self._names[path]


def _defined_tests(path: Path) -> set[str] | None:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or too_large_reason(info.st_size):
            return {"*"}  # not a plain file of a sane size: cannot tell
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except FileNotFoundError:
        return None
    except (OSError, SyntaxError, ValueError):
        return {"*"}  # unreadable: cannot tell, so nothing is called gone
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ClassDef):
            names.update(f"{node.name}::{item.name}" for item in node.body
                         if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
            if node.bases:  # inherited tests cannot be seen from this file alone
                names.add(f"{node.name}::*")
    return names


def _defined_in(test_name: str, names: set[str]) -> bool:
    if "*" in names or test_name in names:
        return True
    head = test_name.split("::", 1)[0]
    return "::" in test_name and (f"{head}::*" in names)
