"""The Quick start in a browser: `explorer open` as a subprocess, exactly the address it
prints, the dashboard found there (JupyterLab and --app), and a clean clone afterwards."""

from __future__ import annotations

import json
import re

import pytest
from support.ui_open import (
    TREE,
    git_status,
    wait_for_table,
)

from explorer.table.index import index_tree as load_index

pytestmark = pytest.mark.browser

def test_printed_address_opens_the_dashboard_in_jupyterlab(explorer_open, page, screenshot,
                                                           blocked_requests):
    before = git_status()
    total = len(load_index(TREE, cache=False))
    command = explorer_open(str(TREE))
    page.goto(command.address())
    hint = page.locator(".jp-MarkdownOutput strong", has_text="press Shift+Enter").first
    hint.wait_for(state="visible", timeout=120_000)
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    assert config["news"] == {"disabled": True}  # no "official Jupyter news?" prompt
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=120_000)
    page.locator(".jp-CodeCell .jp-InputArea-editor").first.click()
    page.keyboard.press("Shift+Enter")  # what the notebook tells the user to press
    wait_for_table(page, total)
    streamed = int(load_index(TREE, cache=False)["streaming"].fillna(False).sum())
    page.get_by_role("button", name=f"streamed ({streamed})", exact=True).click()
    page.get_by_text(f"{streamed} of {total} recordings match").wait_for(state="visible")
    page.keyboard.press("Control+s")
    page.locator(".lm-TabBar-tab.jp-mod-dirty").wait_for(state="detached")  # saved
    screenshot()
    page.close()
    assert command.stop() == 0
    assert blocked_requests == []
    assert git_status() == before  # the tracked notebook got no outputs, nothing was added


def test_printed_address_opens_the_app(explorer_open, page, screenshot, blocked_requests):
    before = git_status()
    total = len(load_index(TREE, cache=False))
    command = explorer_open(str(TREE), "--app")
    page.goto(command.address())
    wait_for_table(page, total)
    page.get_by_role("heading", name="Recordings explorer").wait_for(state="visible")
    page.get_by_text(re.compile(r"^Recordings: ")).first.wait_for(state="visible")
    body = page.locator("body").inner_text()
    for note in ("Shift+Enter", "In code", "EXPLORER_RECORDINGS", "How to run"):
        assert note not in body, f"developer note {note!r} shown in the app"
    page.get_by_role("tab", name="charts").click()  # plotly.js arrives when a chart is shown
    page.locator(".js-plotly-plot .bars path").first.wait_for(state="attached", timeout=60_000)
    screenshot()
    assert [u for u in blocked_requests if "fontawesome" not in u] == []
    page.close()
    assert command.stop() == 0
    assert git_status() == before
