from __future__ import annotations

import os
from pathlib import Path

import pytest
from _paths import SHARED


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own index cache directory, never the user's."""
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def shared_recordings() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/recordings is absent (real-data tier)")
    return SHARED


def pytest_report_header(config):
    return [f"shared recordings: {SHARED if SHARED.is_dir() else 'absent (real tier skipped)'}",
            f"CI: {os.environ.get('CI', 'unset')}"]
