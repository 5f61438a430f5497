from __future__ import annotations

import os
from pathlib import Path

import pytest
from _paths import SHARED
from hypothesis import settings

# Property tests draw the same examples on every run (CI must not depend on luck); a wider
# random search is `HYPOTHESIS_PROFILE=explore python -m pytest tests/test_properties.py`.
settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
INSTALL_TIER = "install"


def pytest_collection_modifyitems(config, items):
    """The install tier (fresh virtualenvs, minutes) runs only when asked: `-m install`."""
    if INSTALL_TIER in (config.option.markexpr or ""):
        return
    slow = [item for item in items if item.get_closest_marker(INSTALL_TIER)]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker(INSTALL_TIER)]


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
