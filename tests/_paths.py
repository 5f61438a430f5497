"""Where the test data lives (imported by tests; pytest puts tests/ on sys.path)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# A checkout elsewhere (a second worktree) can point at the shared recordings explicitly.
SHARED = Path(os.environ.get("EXPLORER_SHARED_RECORDINGS") or REPO.parent / "shared" / "recordings")
FIXTURES = REPO / "tests" / "fixtures"


def shared_files() -> list[Path]:
    return sorted(SHARED.rglob("*.json")) if SHARED.is_dir() else []
