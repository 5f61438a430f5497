"""The dashboard in a real browser: Voila and JupyterLab on 127.0.0.1, headless Chromium.

Each test waits for the widgets and a plotly chart, changes a filter and sees the count change,
opens a streamed recording and steps it, and saves screenshots under screenshots/.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from explorer.table.index import index_tree as load_index

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
TREE = REPO / "tests" / "fixtures" / "tree"
NOTEBOOK = "notebooks/explore.ipynb"
PARALLEL = "tests/integration/responses/recordings/openai_chat_stream_parallel_tool_calls.json"


def own_errors(page) -> list[str]:
    """Console errors, less the Voila template's Font Awesome stylesheets from a CDN, which the
    offline browser refuses (they appear with any notebook; icons render without them)."""
    return [e for e in page.console_errors if "ERR_BLOCKED_BY_CLIENT" not in e]


@pytest.fixture(scope="module")
def frame():
    return load_index(TREE, cache=False)


def summary(page) -> str:
    return page.get_by_text(re.compile(r"of [\d,]+ recordings match")).first.inner_text()


def wait_for_dashboard(page, total: int) -> None:
    page.locator(".explorer-table table").first.wait_for(state="visible")
    page.get_by_text(f"{total} of {total} recordings match").wait_for(state="visible")


def change_filter_and_see_count(page, frame) -> None:
    streamed = int(frame["streaming"].fillna(False).sum())
    page.get_by_role("button", name=f"streamed ({streamed})", exact=True).click()
    page.get_by_text(f"{streamed} of {len(frame)} recordings match").wait_for(state="visible")
    page.wait_for_function(
        "n => document.querySelectorAll('.explorer-table tbody tr').length === n", arg=streamed)


def step_through_a_stream(page, screenshot) -> None:
    page.locator(f".explorer-table tr[data-path='{PARALLEL}']").click()
    page.get_by_text("streamed, 9 chunks").wait_for(state="visible")
    page.get_by_text("step 9 of 9").wait_for(state="visible")
    assert page.locator(".explorer-table tr.selected").get_attribute("data-path") == PARALLEL
    page.get_by_role("button", name="◀", exact=True).click()
    page.get_by_text("step 8 of 9").wait_for(state="visible")
    page.get_by_text("chunk 8 (raw JSON)").wait_for(state="visible")
    for step in range(7, 2, -1):  # each click answered before the next
        page.get_by_role("button", name="◀", exact=True).click()
        page.get_by_text(f"step {step} of 9").wait_for(state="visible")
    page.locator("mark").first.wait_for(state="visible")  # the newest delta, highlighted
    page.get_by_text("step 3 of 9").scroll_into_view_if_needed()
    screenshot("stepper")
    page.locator(".widget-play button").first.click()  # play to the end
    page.get_by_text("step 9 of 9").wait_for(state="visible", timeout=30_000)
    assert "tool_calls" in page.locator("[data-field='finish']").first.inner_text()


def open_charts_and_click_a_bar(page, frame, screenshot) -> None:
    page.get_by_role("tab", name="charts").click()
    plots = page.locator(".js-plotly-plot")
    plots.nth(4).wait_for(state="visible")
    page.locator(".js-plotly-plot .bars path").first.wait_for(state="attached")
    screenshot("charts", full_page=True)
    before = summary(page)
    kind_chart = plots.nth(1)
    kind_chart.locator(".bars path").first.click(force=True)
    deadline = time.monotonic() + 30
    while summary(page) == before and time.monotonic() < deadline:
        time.sleep(0.25)
    after = summary(page)
    assert after != before, "clicking a bar did not filter"
    assert page.get_by_role("tab", name="charts").get_attribute("aria-selected") == "true"
    screenshot("charts-clicked")


def test_dashboard_in_voila(voila_server, page, screenshot, blocked_requests, frame):
    server = voila_server(root=REPO, env={"EXPLORER_RECORDINGS": str(TREE)})
    page.goto(server.url_for(f"voila/render/{NOTEBOOK}"))
    wait_for_dashboard(page, len(frame))
    screenshot("loaded")
    change_filter_and_see_count(page, frame)
    step_through_a_stream(page, screenshot)
    screenshot("final", full_page=True)
    open_charts_and_click_a_bar(page, frame, screenshot)
    assert [u for u in blocked_requests if "fontawesome" not in u] == []
    assert own_errors(page) == []


def test_demo_in_voila_says_it_is_the_demo(voila_server, page, screenshot, blocked_requests):
    server = voila_server(root=REPO)
    page.goto(server.url_for(f"voila/render/{NOTEBOOK}"))
    page.locator(".explorer-table table").first.wait_for(state="visible")
    page.get_by_text("Demo data.").wait_for(state="visible")
    screenshot()
    assert [u for u in blocked_requests if "fontawesome" not in u] == []
    assert own_errors(page) == []


def run_all_cells(page) -> None:
    """Run > Run All Cells once the kernel is idle (retried: right after load it can no-op)."""
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible")
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for()
    prompt = page.locator(".jp-CodeCell .jp-InputArea-prompt").first
    for _attempt in range(5):
        page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        items = page.locator("li.lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel")
        items.get_by_text("Run All Cells", exact=True).click()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if re.search(r"\[(\*|\d+)\]", prompt.inner_text()):
                return
            time.sleep(0.25)
    raise AssertionError("Run > Run All Cells did not start the notebook's cells")


def test_dashboard_in_jupyterlab(jupyterlab_server, page, screenshot, blocked_requests, frame,
                                 tmp_path):
    working = tmp_path / NOTEBOOK  # a copy: JupyterLab autosaves outputs into what it serves
    working.parent.mkdir(parents=True)
    shutil.copyfile(REPO / NOTEBOOK, working)
    server = jupyterlab_server(root=tmp_path, env={"EXPLORER_RECORDINGS": str(TREE)})
    page.goto(server.url_for(f"lab/tree/{NOTEBOOK}"))
    run_all_cells(page)
    wait_for_dashboard(page, len(frame))
    change_filter_and_see_count(page, frame)
    step_through_a_stream(page, screenshot)
    screenshot()
    page.get_by_role("tab", name="charts").click()
    page.locator(".js-plotly-plot").nth(4).wait_for(state="visible")
    page.locator(".js-plotly-plot .bars path").first.wait_for(state="attached")
    screenshot("charts")
    assert blocked_requests == []
    assert own_errors(page) == []
