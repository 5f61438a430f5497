"""What a first session runs into, driven through the dashboard's widgets on a small tree:
long streams, one-step recordings, long prompts, answers without text."""

from __future__ import annotations

import json
import re

import pytest
from support.rough_tree import (
    DECLARES,
    FIRST_USER,
    LONG,
    N_LONG,
    ONE_STEP,
    SYSTEM_PROMPT,
    TOOL_ONLY,
    make_tree,
    word,
)

from explorer.dashboard import Dashboard
from explorer.dashboard.views.html import WINDOW
from explorer.dashboard.widgets.assets import static_text
from explorer.table.index import index_tree as load_index


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return make_tree(tmp_path_factory.mktemp("rough"))


@pytest.fixture(scope="module")
def frame(tree):
    return load_index(tree, cache=False)


@pytest.fixture
def dash(frame, tree) -> Dashboard:
    return Dashboard(frame, root=tree, label="rough")


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def shown_paths(dash: Dashboard) -> set[str]:
    return {row["path"] for row in dash.table.table.rows}


def test_search_matches_tool_names_and_the_first_user_message(dash):
    dash.filters.search.value = "GET_WEATHER"  # declared or called, any case
    assert shown_paths(dash) == {TOOL_ONLY, DECLARES}
    dash.filters.search.value = "heron migration"  # words of the first user message
    assert shown_paths(dash) == {LONG}
    dash.filters.search.value = "heron migration "  # a trailing space while typing is kept
    assert dash.filters.search.value == "heron migration "
    assert dash.state.filters.search == "heron migration"


def test_search_box_follows_typing(dash):
    box = dash.filters.search
    assert box.debounce_ms > 0  # the browser sends the value when typing pauses
    assert "tool" in box.placeholder


def test_nothing_matching_says_what_to_try(dash):
    dash.filters.calls.value = "get_weather"
    dash.filters.search.value = "heron"
    assert shown_paths(dash) == set()
    summary = visible_text(dash.filters.summary.value)
    assert "Nothing matches" in summary
    assert "without search: 1" in summary and "without calls tool: 1" in summary
    assert "tool names and first user messages" in summary
    assert "no match in" in dash.filters.notes["search"].value
    dash.filters.clear.click()
    assert "Nothing matches" not in dash.filters.summary.value


def test_the_tool_filter_separates_declares_from_calls(dash):
    declares = {v: label for label, v in dash.filters.declares.options}
    calls = {v: label for label, v in dash.filters.calls.options}
    assert declares["get_weather"] == "get_weather  (2)"
    assert calls["get_weather"] == "get_weather  (1)"
    dash.filters.declares.value = "get_weather"
    assert shown_paths(dash) == {TOOL_ONLY, DECLARES}
    dash.filters.declares.value = ""
    dash.filters.calls.value = "get_weather"
    assert shown_paths(dash) == {TOOL_ONLY}


def test_a_where_error_goes_when_the_box_is_cleared(dash, frame):
    dash.filters.where.value = "prompt_tokens >"
    assert "prompt_tokens" in dash.filters.notes["where"].value
    dash.filters.where.value = ""  # back to the expression in force: nothing to apply
    assert dash.filters.notes["where"].value == ""
    assert "not applied" not in dash.filters.summary.value
    assert f"{len(frame)} of {len(frame)}" in visible_text(dash.filters.summary.value)


def test_a_long_stream_sends_a_window_ending_at_the_newest_delta(dash):
    dash.open_recording(LONG)
    dash.detail.slider.value = 700
    html = dash.detail.response.value
    marked = re.search(r"<mark[^>]*>([^<]*)</mark>", html).group(1)
    assert marked == word(699)  # what step 700 added, highlighted
    assert word(0) not in html  # the beginning is not sent
    assert len(html) < WINDOW + 3000
    earlier = 700 * len(word(0)) - WINDOW
    assert f"… {earlier:,} earlier characters" in visible_text(html)
    # the text box opens scrolled to its end, where the delta is
    assert "class='x-box x-scroll' data-scroll='text'" in html
    rule = re.search(r"\.x-scroll \{([^}]*)\}", static_text("explorer.css")).group(1)
    assert "flex-direction: column-reverse" in rule


def test_whole_text_sends_everything_and_is_off_for_the_next_recording(dash):
    dash.open_recording(LONG)
    dash.detail.slider.value = 700
    dash.detail.whole_text.value = True
    assert dash.state.whole_text is True
    html = dash.detail.response.value
    assert word(0) in html and "earlier characters" not in html
    assert "<mark" in html
    dash.open_recording(ONE_STEP)
    assert dash.state.whole_text is False and dash.detail.whole_text.value is False


def test_a_new_stream_gets_a_slider_whose_end_is_its_last_step(dash):
    dash.open_recording(ONE_STEP)
    first = dash.detail.slider
    assert (first.max, first.value) == (1, 1)
    dash.open_recording(LONG)
    slider = dash.detail.slider
    # a fresh slider (the browser's End key keeps the range it was first drawn with)
    assert slider is not first and slider in dash.detail.stepper.widget.children
    assert first not in dash.detail.stepper.widget.children
    assert (slider.max, slider.value, dash.detail.play.max) == (N_LONG, N_LONG, N_LONG)
    slider.value = 3
    assert dash.state.step == 3
    dash.detail.next.click()
    assert dash.state.step == 4 == slider.value


def test_a_response_without_text_says_so_at_its_last_step(dash):
    dash.open_recording(TOOL_ONLY)
    final = visible_text(dash.detail.response.value)
    assert "(no text in this response)" in final and "no text yet" not in final
    dash.detail.slider.value = 1
    assert "(no text yet)" in visible_text(dash.detail.response.value)


def test_a_long_system_prompt_can_be_expanded(dash):
    dash.open_recording(LONG)
    html = dash.detail.conversation.value
    assert len(SYSTEM_PROMPT) > 3000
    details = re.search(r"<details data-field='more'>(.*?)</details>", html, re.DOTALL).group(1)
    assert f"show all {len(SYSTEM_PROMPT):,} characters" in details
    shown = visible_text(html).replace("… show all", "")
    assert SYSTEM_PROMPT.replace("  ", " ")[-200:].strip() in shown  # the end is there
    assert FIRST_USER in html


def test_arrow_keys_move_between_rows(dash):
    paths = [row["path"] for row in dash.table.table.rows]
    send = dash.table._message  # what the browser sends for ↓ and ↑
    send(None, {"type": "move", "by": 1}, [])
    assert dash.state.selected.path == paths[0]
    send(None, {"type": "move", "by": 1}, [])
    assert dash.state.selected.path == paths[1] == dash.table.table.selected
    send(None, {"type": "move", "by": -1}, [])
    send(None, {"type": "move", "by": -1}, [])  # already the first row: stays
    assert dash.state.selected.path == paths[0]


def test_cost_tab_sends_a_table_beside_each_chart_and_a_dark_template(dash):
    dash.show_tab("cost")
    sent = json.loads(dash.cost.panel.figures)
    tables = {item["name"]: item["table"] for item in sent}
    assert set(tables) == {"by_model", "by_test_file", "top_tests", "unpriced_share"}
    assert tables["by_model"]["columns"] == ["model", "recordings", "cost", "unpriced"]
    assert tables["by_model"]["rows"][0][:2] == ["gpt-4o", "5"]
    assert any("test_long" in row[0] for row in tables["top_tests"]["rows"])
    dark = json.loads(dash.cost.panel.dark_template)  # used when the page's theme is dark
    assert dark["layout"]["paper_bgcolor"] == "rgb(17,17,17)"
