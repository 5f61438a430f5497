"""`explorer open` in a fresh JupyterLab profile (empty settings, config and workspace
folders): no "official Jupyter news?" prompt, and the notebook is not marked modified when it
opens (nor once its kernel has started)."""

from __future__ import annotations

import time

import pytest
from support.ui_open import TREE

pytestmark = pytest.mark.browser

NEWS_PROMPT = "official Jupyter news"


def test_a_fresh_profile_opens_quietly_and_unmodified(explorer_open, page, screenshot,
                                                       tmp_path):
    command = explorer_open(str(TREE))
    assert not any((tmp_path / "settings").glob("**/*.jupyterlab-settings"))  # fresh
    page.goto(command.address())
    page.locator(".jp-Notebook").first.wait_for(state="visible", timeout=120_000)
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=120_000)
    time.sleep(3)  # the news prompt and kernel metadata arrive after the kernel is idle
    screenshot()
    assert page.get_by_text(NEWS_PROMPT).count() == 0
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="explore.ipynb")
    assert tab.count() == 1
    assert "jp-mod-dirty" not in (tab.get_attribute("class") or "")
    assert command.stop() == 0
