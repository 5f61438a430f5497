"""A first session's rough edges, in Voila and headless Chromium, on a small generated tree:
typing in search, arrow keys in the table, End on the slider after a one-step recording, the
newest delta in view in a long stream, the cost tab's tables and labels, a dark theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.rough_tree import LONG, N_LONG, ONE_STEP, make_tree

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = "notebooks/explore.ipynb"
TOTAL = 5


def own_errors(page) -> list[str]:
    return [e for e in page.console_errors if "ERR_BLOCKED_BY_CLIENT" not in e]


def row(page, path: str):
    return page.locator(f".explorer-table tr[data-path='{path}']")


def selected(page) -> str | None:
    return page.locator(".explorer-table tr.selected").first.get_attribute("data-path")


def type_in_search_and_see_the_count_follow(page) -> None:
    box = page.locator(".explorer-text-box").first
    box.press_sequentially("heron", delay=60)  # no Enter: the count follows the typing
    page.get_by_text(f"1 of {TOTAL} recordings match").wait_for(state="visible")
    box.press_sequentially("zzz", delay=60)
    page.get_by_text("Nothing matches").wait_for(state="visible")
    page.get_by_role("button", name="✕ clear filters").click()
    page.get_by_text(f"{TOTAL} of {TOTAL} recordings match").wait_for(state="visible")


def arrow_keys_move_between_rows(page) -> None:
    page.wait_for_function(f"document.querySelectorAll('.explorer-table tbody tr[data-path]')"
                           f".length === {TOTAL}")
    rows = page.locator(".explorer-table tbody tr")
    first, second = (rows.nth(i).get_attribute("data-path") for i in (0, 1))
    rows.nth(0).click()
    page.wait_for_function(f"document.querySelector('.explorer-table tr.selected')"
                           f"?.dataset.path === {first!r}")
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"document.querySelector('.explorer-table tr.selected')"
                           f"?.dataset.path === {second!r}")
    page.keyboard.press("ArrowUp")
    page.wait_for_function(f"document.querySelector('.explorer-table tr.selected')"
                           f"?.dataset.path === {first!r}")


def end_reaches_the_last_step_after_a_one_step_recording(page) -> None:
    row(page, ONE_STEP).click()
    page.get_by_text("step 1 of 1").wait_for(state="visible")
    row(page, LONG).click()
    page.get_by_text(f"step {N_LONG:,} of {N_LONG:,}").wait_for(state="visible")
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.focus()
    page.keyboard.press("Home")
    page.get_by_text(f"step 0 of {N_LONG:,}").wait_for(state="visible")
    page.keyboard.press("End")
    page.get_by_text(f"step {N_LONG:,} of {N_LONG:,}").wait_for(state="visible")
    page.keyboard.press("ArrowLeft")  # the last text delta, at the end of a long text
    page.get_by_text(f"step {N_LONG - 1:,} of {N_LONG:,}").wait_for(state="visible")


def the_newest_delta_is_in_view(page, screenshot) -> None:
    mark = page.locator("[data-field='text'] mark").first
    mark.wait_for(state="attached")
    inside = page.evaluate("""() => {
        const mark = document.querySelector("[data-field='text'] mark");
        const box = mark.closest("[data-scroll='text']");
        const m = mark.getBoundingClientRect(), b = box.getBoundingClientRect();
        return { scrolls: box.scrollHeight > box.clientHeight,
                 visible: m.top >= b.top - 1 && m.bottom <= b.bottom + 1 };
    }""")
    assert inside == {"scrolls": True, "visible": True}
    page.get_by_text("earlier characters").first.wait_for(state="visible")
    screenshot("long-stream")


def cost_tab_has_tables_and_whole_labels(page, screenshot) -> None:
    page.get_by_role("tab", name="cost").click()
    page.locator(".explorer-plot-table table").first.wait_for(state="visible")
    page.locator(".explorer-plot[data-chart='by_model'] .ytick text").first.wait_for(
        state="attached")
    assert "gpt-4o" in page.locator(".explorer-plot-table").first.inner_text()
    clipped = page.evaluate("""() => [...document.querySelectorAll(".explorer-plot")]
        .flatMap(plot => [...plot.querySelectorAll(".ytick text")].filter(label =>
            label.getBoundingClientRect().left < plot.getBoundingClientRect().left - 1)
        .map(label => label.textContent))""")
    assert clipped == []
    screenshot("cost")


def charts_follow_a_dark_theme(page, screenshot) -> None:
    page.get_by_role("tab", name="charts").click()
    page.locator(".js-plotly-plot .bars path").first.wait_for(state="attached")
    background = "() => getComputedStyle(document.querySelector('.js-plotly-plot .main-svg'))" \
                 ".backgroundColor"
    light = page.evaluate(background)
    page.evaluate("() => { document.body.dataset.jpThemeLight = 'false'; }")  # as JupyterLab does
    page.wait_for_function(f"({background})() === 'rgb(17, 17, 17)'")
    assert light != "rgb(17, 17, 17)"
    screenshot("dark")


def test_first_session_in_voila(voila_server, page, screenshot, tmp_path):
    tree = make_tree(tmp_path / "tree")
    server = voila_server(root=REPO, env={"EXPLORER_RECORDINGS": str(tree)})
    page.goto(server.url_for(f"voila/render/{NOTEBOOK}"))
    page.locator(".explorer-table table").first.wait_for(state="visible")
    page.get_by_text(f"{TOTAL} of {TOTAL} recordings match").wait_for(state="visible")
    type_in_search_and_see_the_count_follow(page)
    arrow_keys_move_between_rows(page)
    end_reaches_the_last_step_after_a_one_step_recording(page)
    the_newest_delta_is_in_view(page, screenshot)
    cost_tab_has_tables_and_whole_labels(page, screenshot)
    charts_follow_a_dark_theme(page, screenshot)
    errors = own_errors(page)
    assert errors == [], errors
