"""Where the test data lives (imported as `support.paths`; pytest puts tests/ on sys.path)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("EXPLORER_SHARED_RECORDINGS")  # a checkout elsewhere (worktree)
              or REPO.parent / "shared" / "recordings")
FIXTURES = REPO / "tests" / "fixtures"


def benchmark_helper(name: str) -> ModuleType:
    """A helper module of benchmarks/ (`_trees`, `_hostile_inputs`), loaded from its file, so
    that sys.path stays as it was."""
    spec = importlib.util.spec_from_file_location(f"benchmarks.{name}",
                                                  REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # where dataclasses and pickle look a module up
    spec.loader.exec_module(module)
    return module


def shared_files() -> list[Path]:
    return sorted(SHARED.rglob("*.json")) if SHARED.is_dir() else []


def clean_copy(target: Path) -> Path:
    """The tracked files of the clone, as a fresh `git clone` would have them."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=REPO, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
    return target
