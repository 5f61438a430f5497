"""What a first session runs into, driven through the dashboard's widgets on a small tree:
long streams, one-step recordings, long prompts, answers without text."""

from __future__ import annotations

import re

import pytest
from rough_tree import FIRST_USER, LONG, N_LONG, ONE_STEP, SYSTEM_PROMPT, TOOL_ONLY, make_tree, word

from explorer import load_index
from explorer.dashboard import Dashboard
from explorer.dashboard.render import WINDOW


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
    assert "flex-direction:column-reverse" in html


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
    details = re.search(r"<details data-field='more'>(.*?)</details>", html, re.S).group(1)
    assert f"show all {len(SYSTEM_PROMPT):,} characters" in details
    shown = visible_text(html).replace("… show all", "")
    assert SYSTEM_PROMPT.replace("  ", " ")[-200:].strip() in shown  # the end is there
    assert FIRST_USER in html
