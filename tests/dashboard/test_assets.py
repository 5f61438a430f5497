"""The dashboards' one stylesheet: every class the HTML uses has a rule, the sheet is on the
page once per dashboard, and inline styles are left only for colors that follow a value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explorer.dashboard import CompareDashboard, Dashboard
from explorer.dashboard.widgets.assets import ROOT_CLASS, STATIC, static_text
from explorer.table.index import index_tree as load_index

TREE = Path(__file__).parents[1] / "fixtures" / "tree"
DASHBOARD = Path(__file__).parents[2] / "explorer" / "dashboard"
STREAMED = "tests/integration/responses/recordings/openai_chat_stream_parallel_tool_calls.json"


def used_classes() -> set[str]:
    names = set()
    for source in DASHBOARD.rglob("*.py"):
        for attribute in re.findall(r"class='([^']*)'", source.read_text(encoding="utf-8")):
            words = re.sub(r"\{[^}]*\}", " ", attribute).split()  # less f-string fields
            names.update(name for name in words if name.startswith("x-"))
    return names


def css_classes() -> set[str]:
    return set(re.findall(r"\.(x-[a-z-]+)", static_text("explorer.css")))


def inline_styles(html: str) -> list[str]:
    return re.findall(r"style='([^']*)'", html)


def stylesheets(box) -> list[str]:
    return [c.value for c in box.children
            if getattr(c, "value", "").startswith("<style>")]


def test_every_class_the_html_uses_has_a_rule():
    used = used_classes()
    assert {"x-pre", "x-box", "x-muted", "x-mark", "x-cell"} <= used
    assert used - css_classes() == set()


def test_every_rule_is_under_the_dashboard_root():
    css = re.sub(r"/\*.*?\*/", "", static_text("explorer.css"), flags=re.DOTALL)
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", css) for s in block.split(",")]
    assert selectors and all(s.startswith(f".{ROOT_CLASS} ") for s in selectors)


def test_the_widgets_files_are_there():
    for name in ("table", "plotly_panel", "stepper", "text_box"):
        assert (STATIC / f"{name}.js").read_text(encoding="utf-8").count("export default") == 1
        assert (STATIC / f"{name}.css").stat().st_size > 0


@pytest.fixture(scope="module")
def frame():
    return load_index(TREE, cache=False)


def test_the_dashboard_carries_the_sheet_once_and_styles_by_class(frame):
    dash = Dashboard(frame, root=TREE, label="fixtures")
    assert ROOT_CLASS in dash._dom_classes
    sheets = stylesheets(dash)
    assert sheets == [f"<style>{static_text('explorer.css')}\n{static_text('page.css')}</style>"]
    dash.open_recording(STREAMED)
    dash.detail.slider.value = 3
    html = dash.detail.response.value + dash.detail.conversation.value
    assert "class='x-box x-call'" in html and "<mark class='x-mark'>" in html
    # what is left inline is a color that depends on the value (a role's)
    assert all(re.fullmatch(r"color:#[0-9a-f]{6}", s) for s in inline_styles(html))


def test_the_compare_dashboard_carries_the_sheet_once():
    compare = CompareDashboard(TREE, TREE)
    assert ROOT_CLASS in compare._dom_classes
    assert len(stylesheets(compare)) == 1
    assert "class='x-title'" in compare.header.value


def test_the_apps_page_leaves_out_the_lab_only_notes(frame):
    """Voila marks a tagged markdown cell `celltag_lab-only`; the sheet hides exactly those."""
    dash = Dashboard(frame)
    [sheet] = [c for c in dash.children if getattr(c, "value", "").startswith("<style>")]
    assert ".celltag_lab-only { display: none; }" in sheet.value
