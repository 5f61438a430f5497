"""The app on a tree inside a git work tree, as a newcomer sees it in Chromium: the History
tab is filled and its charts have room (no 20 px squash) with plotly's toolbar off their
titles, the where box sits under the search, and the filter column has no sideways
scrollbar."""

from __future__ import annotations

import pytest
from support.history_repos import small_repo

pytestmark = pytest.mark.browser

CHART_HEIGHTS = """() => [...document.querySelectorAll('.explorer-plot')]
  .filter(div => div.getBoundingClientRect().width > 0)
  .map(div => div.getBoundingClientRect().height)"""
WIDE = """() => { const box = document.querySelector('.x-filters').getBoundingClientRect();
  return [...document.querySelectorAll('.x-filters *')]
    .filter(el => el.getBoundingClientRect().right > box.right + 1)
    .map(el => el.className + ' ' + el.tagName + ' ' + el.getBoundingClientRect().right + '/' + box.right).slice(0, 8) }"""
# plotly's toolbar (shown on hover) over a chart's title: the rectangles of both, per chart
TOOLBAR_OVER_TITLE = """() => [...document.querySelectorAll('.explorer-plot')]
  .filter(div => div.getBoundingClientRect().width > 0).map(div => {
    const bar = div.querySelector('.modebar'), title = div.querySelector('.gtitle');
    if (!bar || !title) return null;
    const a = bar.getBoundingClientRect(), b = title.getBoundingClientRect();
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
      ? title.textContent : null; }).filter(Boolean)"""
FILTERS_SCROLL = """() => [...document.querySelectorAll('.x-filters, .x-filters select')]
  .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.className)"""


def test_the_app_fills_history_from_git(explorer_open, page, screenshot, tmp_path):
    repo = small_repo(tmp_path / "repo")
    command = explorer_open(str(repo.path / "tests" / "integration"), "--app")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(command.address())
    page.locator(".explorer-table tbody tr").first.wait_for(state="visible", timeout=120_000)
    search = page.locator(".x-filters input").first.bounding_box()
    where = page.get_by_placeholder("prompt_tokens > 1000 (Enter)").bounding_box()
    model = page.locator(".x-filters select").first.bounding_box()
    assert search["y"] < where["y"] < model["y"]
    assert page.evaluate(FILTERS_SCROLL) == [], page.evaluate(WIDE)
    page.get_by_role("tab", name="history").click()
    page.get_by_text("recording changes").first.wait_for(state="visible", timeout=60_000)
    assert "No history loaded" not in page.locator("body").inner_text()
    page.locator(".explorer-plot .main-svg").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(1000)
    heights = page.evaluate(CHART_HEIGHTS)
    assert len(heights) >= 4 and min(heights) >= 250, heights
    for tab in ("history", "charts", "cost"):
        page.get_by_role("tab", name=tab).click()
        page.locator(".explorer-plot .gtitle >> visible=true").first.wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        assert page.evaluate(TOOLBAR_OVER_TITLE) == [], tab
    screenshot()
    assert command.stop() == 0
