"""The compare view and the opened-row layout in a real browser (Voila on 127.0.0.1, headless
Chromium, offline): both trees render, the changed recording steps on both sides, and an
opened recording's detail is on screen without scrolling."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from support.compare_trees import ADDED, CHANGED, REMOVED, make_trees

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
TREE = REPO / "tests" / "fixtures" / "tree"
NOTEBOOK = "notebooks/explore.ipynb"


def own_errors(page) -> list[str]:
    """Console errors, less Voila's Font Awesome stylesheet from a CDN (aborted offline)."""
    return [e for e in page.console_errors if "ERR_BLOCKED_BY_CLIENT" not in e]


def side(page, name: str):
    return page.locator(f"[data-side='{name}']").first


def wait_for_steps(page, base: str, head: str) -> None:
    side(page, "base").get_by_text(base).wait_for(state="visible")
    side(page, "head").get_by_text(head).wait_for(state="visible")


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] < height - 60


def test_compare_view_in_voila(voila_server, page, screenshot, blocked_requests, tmp_path):
    base, head = make_trees(tmp_path)
    server = voila_server(root=REPO, env={"EXPLORER_RECORDINGS": str(head),
                                          "EXPLORER_BASE": str(base)})
    page.goto(server.url_for(f"voila/render/{NOTEBOOK}"))
    page.get_by_text("1 added, 1 removed, 1 changed").wait_for(state="visible")
    page.locator(".explorer-table tbody tr").nth(2).wait_for(state="visible")
    paths = page.locator(".explorer-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.path)")
    assert sorted(paths) == sorted([ADDED, CHANGED, REMOVED])
    assert page.get_by_text(str(base), exact=True).first.is_visible()
    assert page.get_by_text(str(head), exact=True).first.is_visible()
    screenshot("loaded")

    page.locator(f".explorer-table tr[data-path='{CHANGED}']").click()
    wait_for_steps(page, "step 6 of 6", "step 5 of 5")
    assert "as in solar" in side(page, "head").inner_text()
    assert "as in solar" not in side(page, "base").inner_text()
    back = page.get_by_role("button", name="◀", exact=True)
    deadline = time.monotonic() + 10
    while not in_view(page, back) and time.monotonic() < deadline:
        time.sleep(0.1)  # the detail scrolls into view
    assert in_view(page, back)
    screenshot("pair")
    for step in range(5, 1, -1):  # each click answered before the next
        back.click()
        page.get_by_text(f"step {step} of 6").first.wait_for(state="visible")
    wait_for_steps(page, "step 2 of 6", "step 2 of 5")
    assert "The Latin name for the Sun is" in side(page, "head").inner_text()
    assert "Latin name" not in side(page, "base").inner_text()
    screenshot("stepped")
    page.locator(".widget-play button").first.click()  # both play to their ends
    wait_for_steps(page, "step 6 of 6", "step 5 of 5")

    page.locator(f".explorer-table tr[data-path='{ADDED}']").click()
    side(page, "base").get_by_text("Not in base").wait_for(state="visible")
    side(page, "head").get_by_text("step 6 of 6").wait_for(state="visible")
    assert [u for u in blocked_requests if "fontawesome" not in u] == []
    assert own_errors(page) == []


def test_an_opened_recording_is_on_screen_without_scrolling(voila_server, page, screenshot,
                                                            blocked_requests):
    server = voila_server(root=REPO, env={"EXPLORER_RECORDINGS": str(TREE)})
    page.goto(server.url_for(f"voila/render/{NOTEBOOK}"))
    rows = page.locator(".explorer-table tbody tr")
    rows.nth(24).wait_for(state="visible")
    last = rows.nth(24)  # the last row of the first page, far down the page
    last.scroll_into_view_if_needed()
    path = last.get_attribute("data-path")
    last.click()
    page.locator(".explorer-table tr.selected").wait_for(state="visible")
    stepper = page.get_by_role("tab", name="stepper")
    stepper.wait_for(state="visible")
    deadline = time.monotonic() + 10
    while not in_view(page, stepper) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert in_view(page, stepper), "the detail is below the window"
    chosen = page.locator(".explorer-table tr.selected")
    assert chosen.get_attribute("data-path") == path
    table = page.locator(".explorer-table").first
    assert table.evaluate("el => el.classList.contains('compact')")
    screenshot("opened")
    page.get_by_role("button", name=re.compile("close")).click()
    page.get_by_text("Select a row to open its recording").wait_for(state="visible")
    assert not table.evaluate("el => el.classList.contains('compact')")
    assert [u for u in blocked_requests if "fontawesome" not in u] == []
    assert own_errors(page) == []


def test_export_tab_in_voila(voila_server, page, screenshot, blocked_requests, tmp_path):
    """Served as an app, the export tab writes only into the app's export folder, by name."""
    exports = tmp_path / "exports"
    server = voila_server(root=REPO, env={"EXPLORER_RECORDINGS": str(TREE),
                                          "EXPLORER_EXPORT_DIR": str(exports)})
    page.goto(server.url_for(f"voila/render/{NOTEBOOK}"))
    page.locator(".explorer-table tbody tr").first.wait_for(state="visible")
    streamed = page.get_by_role("button", name=re.compile(r"^streamed \(\d+\)$"))
    n_streamed = int(re.search(r"\d+", streamed.inner_text()).group())
    streamed.click()
    n_files = len(list(TREE.rglob("*.json")))
    page.get_by_text(f"{n_streamed} of {n_files} recordings match").wait_for(state="visible")
    page.get_by_role("tab", name="export").click()
    page.get_by_text(f"{n_streamed} recordings selected by the current filters").wait_for(
        state="visible")
    assert not page.get_by_text("replace the target if it exists").is_visible()
    box = page.get_by_placeholder("a folder, or a file ending in .zip")
    outside = tmp_path / "elsewhere.zip"
    box.fill(str(outside))
    box.press("Enter")
    page.get_by_role("button", name="export recordings").click()
    page.get_by_text("give a file name only").wait_for(state="visible")
    assert not outside.exists()
    box.fill("streamed.zip")
    box.press("Enter")
    page.get_by_role("button", name="export recordings").click()
    page.get_by_text(f"Exported {n_streamed} recordings").wait_for(state="visible")
    assert (exports / "streamed.zip").is_file()
    assert page.locator("a[data-field='download']").count() == 1
    screenshot("exported")
    page.get_by_role("button", name="export recordings").click()  # again: refused
    page.get_by_text("already exists in the export folder").wait_for(state="visible")
    screenshot("refused")
    assert [u for u in blocked_requests if "fontawesome" not in u] == []
    assert own_errors(page) == []
