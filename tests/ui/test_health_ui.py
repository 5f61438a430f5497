"""The health filter and tab in a real browser (Voila on 127.0.0.1, headless Chromium)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.health_trees import make_repo

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = "notebooks/explore.ipynb"


def test_health_tab_and_filter_in_voila(voila_server, page, screenshot, blocked_requests,
                                        tmp_path):
    repo = make_repo(tmp_path)
    total = len(repo.expected)
    stale = sum(status == "stale" for status, _ in repo.expected.values())
    server = voila_server(root=REPO, env={"EXPLORER_RECORDINGS": str(repo.root)})
    page.goto(server.url_for(f"voila/render/{NOTEBOOK}"))
    page.get_by_text(f"{total} of {total} recordings match").wait_for(state="visible")
    page.get_by_role("tab", name="health").click()
    page.get_by_text("bytes could be removed").wait_for(state="visible")
    page.get_by_text("tests/integration/inference/test_chat.py").first.wait_for(state="visible")
    screenshot("tab")
    health = page.locator("select", has=page.locator("option", has_text="misplaced"))
    label = health.locator("option", has_text="stale").first.inner_text()
    health.select_option(label=label)
    page.get_by_text(f"{stale} of {total} recordings match").wait_for(state="visible")
    screenshot("filtered")
    assert [u for u in blocked_requests if "fontawesome" not in u] == []
