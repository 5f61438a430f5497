"""Where the test data lives (imported as `support.paths`; pytest puts tests/ on sys.path)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("EXPLORER_SHARED_RECORDINGS")  # a checkout elsewhere (worktree)
              or REPO.parent / "shared" / "recordings")
FIXTURES = REPO / "tests" / "fixtures"


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
