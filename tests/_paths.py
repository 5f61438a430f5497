"""Where the test data lives (imported by tests; pytest puts tests/ on sys.path)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# ../shared/recordings beside the clone; SHARED_RECORDINGS points elsewhere (e.g. from a worktree)
SHARED = Path(os.environ.get("SHARED_RECORDINGS") or REPO.parent / "shared" / "recordings")
FIXTURES = REPO / "tests" / "fixtures"


def shared_files() -> list[Path]:
    return sorted(SHARED.rglob("*.json")) if SHARED.is_dir() else []
