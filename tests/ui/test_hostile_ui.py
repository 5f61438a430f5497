"""Recordings whose fields and file names carry HTML payloads, in a real browser (Voila,
headless Chromium, offline): the dashboard and the compare view show them as text, and no
payload runs (`window.__pwned` stays undefined)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from support.hostile_tree import GOOD, PAYLOAD, hostile_tree

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = "notebooks/explore.ipynb"


def pwned(page) -> object:
    return page.evaluate("() => window.__pwned")


def test_payloads_in_the_dashboard_stay_text(voila_server, page, screenshot, tmp_path):
    tree = hostile_tree(tmp_path)
    server = voila_server(root=REPO, env={"EXPLORER_RECORDINGS": str(tree),
                                          "EXPLORER_CACHE_DIR": str(tmp_path / "cache")})
    page.goto(server.url_for(f"voila/render/{NOTEBOOK}"))
    rows = page.locator(".explorer-table tbody tr")
    rows.first.wait_for(state="visible")
    rows.filter(has_text="onerror").first.click()
    page.get_by_text("step 1 of 1").first.wait_for(state="visible")
    page.get_by_text(f"text {PAYLOAD}").first.wait_for(state="visible")  # shown, as text
    page.locator("summary").filter(has_text="could").first.click()  # the problems list
    screenshot("opened", full_page=True)
    page.get_by_role("tab", name="charts").click()
    page.locator(".js-plotly-plot").nth(3).wait_for(state="visible")
    page.locator(".js-plotly-plot .xtick text").filter(has_text="onerror").first.wait_for(
        state="attached")  # the tool-call chart's axis shows the tool's name, as text
    screenshot("charts", full_page=True)
    page.wait_for_load_state("networkidle")  # an <img src=x> would have failed to load by now
    assert pwned(page) is None
    assert page.locator("img[src='x']").count() == 0


def test_payloads_in_the_compare_view_stay_text(voila_server, page, screenshot, tmp_path):
    name = f"inference/recordings/pair{PAYLOAD}.json"
    trees = {}
    for side, test_id in (("base", GOOD["test_id"]), ("head", f"changed {PAYLOAD}")):
        trees[side] = tmp_path / side
        (trees[side] / name).parent.mkdir(parents=True)
        (trees[side] / name).write_bytes(orjson.dumps({**GOOD, "test_id": test_id}))
    server = voila_server(root=REPO, env={"EXPLORER_RECORDINGS": str(trees["head"]),
                                          "EXPLORER_BASE": str(trees["base"]),
                                          "EXPLORER_CACHE_DIR": str(tmp_path / "cache")})
    page.goto(server.url_for(f"voila/render/{NOTEBOOK}"))
    row = page.locator(".explorer-table tbody tr").first
    row.wait_for(state="visible")
    (trees["head"] / name).write_bytes(b"{broken")  # changed after indexing: cannot open
    row.click()
    page.get_by_text("Cannot open the head side").wait_for(state="visible")
    screenshot("cannot-open")
    page.wait_for_load_state("networkidle")
    assert PAYLOAD in page.get_by_text("Cannot open the head side").inner_text()
    assert pwned(page) is None
    assert page.locator("img[src='x']").count() == 0
