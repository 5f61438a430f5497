"""Smoke test of the UI stack: ipywidgets and a plotly FigureWidget render offline in Chromium,
in JupyterLab and in Voila, and a slider drives the kernel and back."""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "stack_smoke.ipynb"
SOURCE = """\
import ipywidgets as widgets
import plotly.graph_objects as go

slider = widgets.IntSlider(value=3, min=0, max=10, description="bars")
label = widgets.Label(value="slider at 3")
fig = go.FigureWidget(data=[go.Bar(x=["a", "b", "c"], y=[3, 1, 2])])


def on_change(change):
    label.value = f"slider at {change['new']}"
    fig.data[0].y = [change["new"], 1, 2]


slider.observe(on_change, names="value")
widgets.VBox([slider, label, fig])
"""


def _write_notebook(folder: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(SOURCE)]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    path = folder / NOTEBOOK
    nbformat.write(notebook, path)
    return path


def _wait_for_widgets(page) -> None:
    page.locator(".widget-slider").first.wait_for(state="visible")
    page.locator(".js-plotly-plot").first.wait_for(state="visible")
    page.get_by_text("slider at 3", exact=True).wait_for(state="visible")
    page.locator(".js-plotly-plot .bars path").nth(2).wait_for(state="attached")


def _first_bar_height(page) -> float:
    """Height of bar "a" as plotly.js holds it in the browser (the kernel sets it to the slider)."""
    return page.evaluate("document.querySelector('.js-plotly-plot').data[0].y[0]")


def _move_slider_right_and_check(page) -> None:
    assert _first_bar_height(page) == 3
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.get_by_text("slider at 4", exact=True).wait_for(state="visible")
    assert page.locator(".widget-readout").first.inner_text().strip() == "4"
    assert page.get_by_text("slider at 3", exact=True).count() == 0
    page.wait_for_function("document.querySelector('.js-plotly-plot').data[0].y[0] === 4")


def _assert_offline(page, blocked_requests: list[str], cosmetic_requests: list[str]) -> None:
    """Nothing the page needs came from off the machine, and the page logged no other error."""
    assert blocked_requests == [], "the page asked for resources from off the machine"
    failed_loads = [e for e in page.console_errors if e.startswith("Failed to load resource")]
    assert len(failed_loads) <= len(cosmetic_requests)
    assert [e for e in page.console_errors if e not in failed_loads] == []


def _has_started(prompt, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if re.search(r"\[(\*|\d+)\]", prompt.inner_text()):
            return True
        time.sleep(0.25)
    return False


def _run_all_cells_from_menu(page) -> None:
    """Run > Run All Cells, once the kernel is idle; retried while no cell has started.

    Right after the page loads, the menu command can be a no-op (the notebook panel is not yet
    the current widget), so success is judged by the first prompt turning into [*] or [n].
    """
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible")
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for()
    prompt = page.locator(".jp-Cell .jp-InputArea-prompt").first
    for _attempt in range(5):
        page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        items = page.locator("li.lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel")
        items.get_by_text("Run All Cells", exact=True).click()
        if _has_started(prompt):
            return
    raise AssertionError("Run > Run All Cells did not start the notebook's cells")


def test_widgets_and_plotly_render_in_jupyterlab(
    tmp_path, jupyterlab_server, page, screenshot, blocked_requests, cosmetic_requests
):
    _write_notebook(tmp_path)
    server = jupyterlab_server(root=tmp_path)
    page.goto(server.url_for(f"lab/tree/{NOTEBOOK}"))
    _run_all_cells_from_menu(page)
    _wait_for_widgets(page)
    _move_slider_right_and_check(page)
    screenshot()
    _assert_offline(page, blocked_requests, cosmetic_requests)


def test_widgets_and_plotly_render_in_voila(
    tmp_path, voila_server, page, screenshot, blocked_requests, cosmetic_requests
):
    _write_notebook(tmp_path)
    server = voila_server(root=tmp_path)
    page.goto(server.url_for(f"voila/render/{NOTEBOOK}"))
    _wait_for_widgets(page)
    _move_slider_right_and_check(page)
    screenshot()
    _assert_offline(page, blocked_requests, cosmetic_requests)
