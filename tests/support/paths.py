"""Where the test data lives (imported as `support.paths`; pytest puts tests/ on sys.path)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("EXPLORER_SHARED_RECORDINGS")  # a checkout elsewhere (worktree)
              or REPO.parent / "shared" / "recordings")
FIXTURES = REPO / "tests" / "fixtures"


def shared_files() -> list[Path]:
    return sorted(SHARED.rglob("*.json")) if SHARED.is_dir() else []
