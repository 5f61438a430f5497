"""The HTML report of `explorer report` in a real browser, served from 127.0.0.1 with every
other host blocked: its plotly charts are drawn from the embedded plotly.js, and the changes
against the base are listed."""

from __future__ import annotations

import pytest
from support.compare_trees import ADDED, CHANGED, REMOVED, make_trees

from explorer.present.report import write_report

pytestmark = pytest.mark.browser

DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')].map(div => ({
  traces: (div.data || []).length,
  marks: div.querySelectorAll('.trace, .bars path, .point, .slice').length,
  width: div.getBoundingClientRect().width }))"""


def test_report_charts_are_drawn_offline(served, page, screenshot, blocked_requests,
                                         cosmetic_requests, tmp_path):
    site, url = served
    base, head = make_trees(tmp_path / "trees")
    write_report(head, site / "report.html", against=base, cache=False)
    page.goto(url + "report.html")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible")
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')]"
                           ".every(div => div.data && div._fullLayout)")
    drawn = page.evaluate(DRAWN)
    assert len(drawn) >= 4
    assert all(chart["traces"] > 0 and chart["marks"] > 0 and chart["width"] > 200
               for chart in drawn), drawn
    assert page.get_by_text("Changes against the base").is_visible()
    body = page.locator("body").inner_text()
    assert all(path in body for path in (ADDED, CHANGED, REMOVED))
    screenshot("top")
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    screenshot("charts")
    page.get_by_text("Changes against the base").scroll_into_view_if_needed()
    screenshot("changes")
    assert blocked_requests == [] and cosmetic_requests == []
    assert page.console_errors == []
