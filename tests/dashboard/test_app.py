"""The dashboard without a browser: build it on the fixture tree, drive its widgets, and check
what a user would see — counts, table rows, the stepper's state, the figures' data, errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from explorer.dashboard import Dashboard, DashboardState
from explorer.dashboard.frame_model import FrameModel
from explorer.dashboard.state import browse as st
from explorer.present.figures import TOP as TOP_MODELS
from explorer.table.filters import Filters, mask
from explorer.table.index import index_tree as load_index

TREE = Path(__file__).parents[1] / "fixtures" / "tree"
PARALLEL = "tests/integration/responses/recordings/openai_chat_stream_parallel_tool_calls.json"
INVALID = "tests/integration/inference/recordings/openai_chat_stream_invalid_tool_arguments.json"
MULTI_TURN = ("tests/integration/responses/recordings/"
              "openai_chat_stream_multi_turn_tool_outputs.json")
IMAGE = "tests/integration/inference/recordings/openai_chat_image_input.json"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return load_index(TREE, cache=False)


@pytest.fixture
def dash(frame) -> Dashboard:
    return Dashboard(frame, root=TREE, label="fixtures")


def matching(dash: Dashboard) -> int:
    text = re.sub(r"<[^>]+>", "", dash.filters.summary.value)
    return int(re.search(r"([\d,]+) of", text).group(1).replace(",", ""))


def option_count(widget, value: str) -> int:
    label = next(label for label, v in widget.options if v == value)
    return int(re.search(r"\(([\d,]+)\)", label).group(1).replace(",", ""))


# state transitions (no widgets) -------------------------------------------------------------

def test_filter_change_returns_to_first_page_and_keeps_the_rest():
    state = DashboardState(pager=st.Pager(page=3), sort_by="model")
    changed = st.set_filters(state, model=("gpt-4o",))
    assert changed.page == 0 and changed.sort_by == "model"
    assert changed.filters == Filters(model=("gpt-4o",))
    assert st.set_filters(changed, model=("gpt-4o",)) is changed


def test_sorting_the_same_column_twice_flips_direction():
    state = st.sort(DashboardState(), "prompt_tokens")  # numbers: largest first
    assert (state.sort_by, state.descending) == ("prompt_tokens", True)
    assert st.sort(state, "prompt_tokens").descending is False
    assert st.sort(st.sort(state, "prompt_tokens"), "model").descending is False
    with pytest.raises(ValueError, match="sortable columns"):
        st.sort(state, "tools_called")


def test_pages_are_clamped_to_the_rows_there_are():
    state = DashboardState(pager=st.Pager(size=25))
    assert st.turn_page(state, -1, 100).page == 0
    assert st.turn_page(state, 10, 100).page == 3
    assert st.page_count(0, 25) == 1 and st.page_count(26, 25) == 2
    assert st.set_page_size(DashboardState(pager=st.Pager(page=3, size=25)), 50).page == 1


def test_stepper_transitions():
    state = st.select(DashboardState(), "a.json", n_steps=9)
    assert (state.step, state.playing) == (9, False)
    assert st.step_by(state, 1).step == 9 and st.step_to(state, -4).step == 0
    replay = st.set_playing(state, True)  # at the end, play starts over
    assert (replay.step, replay.playing) == (0, True)
    assert st.step_to(replay, 9).playing is False  # reaching the end stops
    assert st.select(state, None) == DashboardState()


# the frame model ----------------------------------------------------------------------------

def test_counts_are_those_of_the_other_filters(frame):
    model = FrameModel(frame)
    filters = Filters(streaming=True, model=("gpt-4o",))
    counts = model.counts(filters)
    assert counts.matching == int(mask(frame, filters).sum())
    streamed = frame[mask(frame, Filters(streaming=True))]
    assert counts.facets["model"] == {**{m: 0 for m in model.values("model")},
                                      **streamed["model"].value_counts().to_dict()}
    gpt4o = frame[frame["model"] == "gpt-4o"]
    assert counts.streaming["streamed"] == int(gpt4o["streaming"].sum())
    assert counts.streaming["not streamed"] == int((~gpt4o["streaming"]).sum())


def test_sorted_pages_put_unknown_last(frame):
    model = FrameModel(frame)
    keep = model.keep(Filters())
    positions = model.sorted_positions(keep, "prompt_tokens", descending=True)
    values = model.frame["prompt_tokens"].iloc[positions]
    known = values.dropna()
    assert list(known) == sorted(known, reverse=True)
    assert values.iloc[len(known):].isna().all()
    assert len(model.page(positions, 1, 10)) == 10


# widgets ------------------------------------------------------------------------------------

def test_first_view_shows_every_recording_on_pages(dash, frame):
    assert matching(dash) == len(frame)
    rows = dash.table.table.rows
    assert len(rows) == 25
    assert [r["path"] for r in rows] == sorted(frame["path"])[:25]
    assert "page 1 of 2" in dash.table.position.value
    dash.table.next.click()
    assert len(dash.table.table.rows) == len(frame) - 25
    assert dash.table.next.disabled and not dash.table.previous.disabled
    dash.table.page_size.value = 50
    assert len(dash.table.table.rows) == len(frame)


def test_unknown_tokens_show_as_question_mark_not_zero(dash, frame):
    no_usage = frame.loc[frame["prompt_tokens"].isna(), "path"]
    rows = {r["path"]: r for r in dash.table.table.rows}
    shown = [rows[p] for p in no_usage if p in rows]
    assert shown and all(r["prompt"] == "?" for r in shown)


def test_streaming_toggle_filters_and_every_count_follows(dash, frame):
    streamed = frame[frame["streaming"].fillna(False).astype(bool)]
    assert option_count_label(dash.filters.streaming, "streamed") == len(streamed)
    dash.filters.streaming.value = "streamed"
    assert matching(dash) == len(streamed)
    assert {r["path"] for r in dash.table.table.rows} <= set(streamed["path"])
    assert all(r["stream"] != "—" for r in dash.table.table.rows)
    top_model = streamed["model"].value_counts().index[0]
    assert option_count(dash.filters.facets["model"], top_model) == \
        streamed["model"].value_counts().iloc[0]
    errors = int(streamed["is_error"].sum())
    assert f"errors only ({errors})" == dash.filters.errors_only.description


def option_count_label(widget, value: str) -> int:
    label = next(label for label, v in widget.options if v == value)
    return int(re.search(r"\(([\d,]+)\)", label).group(1))


def test_model_provider_search_tool_and_errors(dash, frame):
    dash.filters.facets["provider"].value = ("openai",)
    assert matching(dash) == int((frame["provider"] == "openai").sum())
    dash.filters.search.value = "gpt-4o"
    expected = mask(frame, Filters(provider=("openai",), search="gpt-4o"))
    assert matching(dash) == int(expected.sum())
    assert "match" in dash.filters.notes["search"].value
    dash.filters.clear.click()
    assert matching(dash) == len(frame)
    dash.filters.calls.value = "get_weather"
    assert {r["path"] for r in dash.table.table.rows} == set(
        frame.loc[mask(frame, Filters(calls="get_weather")), "path"])
    dash.filters.calls.value = ""
    dash.filters.errors_only.value = True
    errors = frame[frame["is_error"].fillna(False).astype(bool)]
    assert matching(dash) == len(errors) > 0
    assert all(r["failed"] and r["finish"].startswith("error: ")
               for r in dash.table.table.rows)


def test_clicking_a_header_sorts(dash, frame):
    dash.table.click_header("prompt_tokens")  # a number column: largest first
    first = dash.table.table.rows[0]["prompt"]
    assert int(first.replace(",", "")) == frame["prompt_tokens"].max()
    assert (dash.table.table.sort_by, dash.table.table.descending) == ("prompt_tokens", True)
    dash.table.click_header("prompt_tokens")
    shown = [r["prompt"] for r in dash.table.table.rows]
    known = [int(v.replace(",", "")) for v in shown if v != "?"]
    assert known == sorted(known) and known[0] == frame["prompt_tokens"].min()
    dash.table.click_header("model")  # text: A to Z
    models = [r["model"] for r in dash.table.table.rows if r["model"]]
    assert models == sorted(models)


def test_selecting_a_stream_opens_the_stepper_at_the_final_state(dash):
    dash.table.click_row(PARALLEL)
    detail = dash.detail
    assert PARALLEL in detail.title.value and "streamed, 9 chunks" in detail.title.value
    assert (detail.slider.max, detail.slider.value, detail.play.max) == (9, 9, 9)
    final = detail.response.value
    assert "tool_calls" in final and "get_weather" in final and "get_local_time" in final
    assert "{&quot;location&quot;: &quot;Paris, France&quot;}" in final
    assert "prompt 148" in final
    assert dash.table.table.selected == PARALLEL
    assert "tools (3)" == detail.tabs.get_title(2)
    assert "get_stock_price" in detail.tools.value


def test_stepping_shows_the_chunk_and_the_state_growing(dash):
    dash.open_recording(PARALLEL)
    detail = dash.detail
    detail.slider.value = 1
    assert dash.state.step == 1
    assert "chunk 1 (raw JSON)" in detail.chunk.value
    assert "not yet" in detail.response.value  # no finish_reason or usage yet
    detail.next.click()
    detail.next.click()
    assert dash.state.step == detail.slider.value == 3
    recording = dash.recording
    state = recording.state_at(3)
    for call in state.tool_calls:
        assert (call.name or "?") in detail.response.value
    assert "<mark" in detail.response.value  # the newest delta is highlighted
    detail.previous.click()
    assert dash.state.step == 2
    detail.slider.value = 0
    assert detail.previous.disabled and "Before the first chunk" in detail.chunk.value


def test_play_and_speed(dash):
    dash.open_recording(PARALLEL)
    detail = dash.detail
    detail.speed.value = 33
    assert dash.state.interval_ms == 33 and detail.play.interval == 33
    detail.play.playing = True  # pressed at the last step: starts over
    assert (dash.state.playing, dash.state.step, detail.slider.value) == (True, 0, 0)
    detail.play.playing = False
    assert dash.state.playing is False


def test_replay_checks_and_conversation(dash):
    dash.open_recording(INVALID)
    assert "not valid JSON" in dash.detail.checks.value
    dash.open_recording(MULTI_TURN)
    conversation = dash.detail.conversation.value
    assert "data-role='tool'" in conversation and "output of call_A1" in conversation
    assert "data-role='assistant'" in conversation and "calls <b>get_user_id</b>" in conversation
    dash.open_recording(IMAGE)
    assert "[image" in dash.detail.conversation.value
    assert "base64" not in dash.detail.conversation.value


def test_closing_the_detail(dash):
    dash.open_recording(PARALLEL)
    dash.detail.close.click()
    assert dash.state.selected is None
    assert dash.detail.widget.children == (dash.detail.empty,)


def test_charts_follow_filters_and_leave_unknown_out(dash, frame):
    dash.show_tab("charts")
    assert dash.tabs.selected_index == 1
    figure = dash.charts.figures["tokens_by_model"]
    prompt = next(t for t in figure.data if t.name == "prompt")
    top_models = frame["model"].value_counts().index[:TOP_MODELS]  # the chart's boxes
    in_top = frame["model"].isin(top_models)
    assert len(prompt.x) == int((frame["prompt_tokens"].notna() & in_top).sum())
    usage = frame[["prompt_tokens", "completion_tokens", "total_tokens"]]
    unknown = int(usage.isna().all(axis=1).sum())  # as the index and the report count them
    assert f"({unknown} without usage)" in figure.layout.title.text
    sent = json.loads(dash.charts.panel.figures)  # what the browser draws
    assert [item["name"] for item in sent] == list(dash.charts.figures)
    assert sent[0]["figure"]["layout"]["title"]["text"] == figure.layout.title.text
    dash.filters.streaming.value = "streamed"
    chunks = dash.charts.figures["chunks"].data[0]
    streamed = frame[frame["streaming"].fillna(False).astype(bool)]
    assert sum(chunks.y) == len(streamed)
    figure = dash.charts.figures["tokens_by_model"]
    prompt = next(t for t in figure.data if t.name == "prompt")
    top_models = streamed["model"].value_counts().index[:TOP_MODELS]
    in_top = streamed["model"].isin(top_models)
    assert len(prompt.x) == int((streamed["prompt_tokens"].notna() & in_top).sum())


def test_clicking_a_chart_bar_filters_to_it(dash, frame):
    dash.show_tab("charts")
    kinds = dash.charts.figures["kind_provider"]
    trace = kinds.data[0]
    point = 0
    dash.charts.panel.click("kind_provider", 0, point)  # what the browser sends
    expected = mask(frame, Filters(kind=(trace.x[point],), provider=(trace.name,)))
    assert dash.state.filters.kind == (trace.x[point],)
    assert matching(dash) == int(expected.sum()) == trace.y[point]


def test_clicking_a_point_opens_its_recording(dash):
    dash.show_tab("charts")
    figure = dash.charts.figures["tokens_by_model"]
    trace = figure.data[0]
    dash.charts.panel._message(None, {"type": "click", "chart": "tokens_by_model", "curve": 0,
                                      "point": 0, "x": trace.x[0], "y": trace.y[0]}, [])
    assert dash.state.filters.model == (trace.y[0],)
    assert dash.state.selected.path == trace.customdata[0][0]


def test_bad_where_is_shown_beside_its_box_and_not_applied(dash, frame):
    dash.filters.where.value = "prompt_tokens >"
    note = dash.filters.notes["where"].value
    assert "prompt_tokens &gt;" in note and "--where" not in note  # the box's words, escaped
    assert "not applied" in dash.filters.summary.value
    assert dash.errors.widget.layout.display == "none"  # beside the box, not at the top
    assert dash.state.filters.where == "" and matching(dash) == len(frame)
    assert dash.filters.where.value == "prompt_tokens >"  # kept, to be corrected
    dash.filters.where.value = "prompt_tokens > 200"
    assert matching(dash) == int((frame["prompt_tokens"] > 200).sum())
    assert "not applied" not in dash.filters.summary.value
    assert re.sub(r"<[^>]+>", "", dash.filters.notes["where"].value) == \
        f"{matching(dash)} match"


def test_an_exception_in_a_callback_is_visible(dash, monkeypatch):
    def broken(path, root=None):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr("explorer.dashboard.app.open_recording", broken)
    dash.table.click_row(PARALLEL)
    assert isinstance(dash.errors.last, RuntimeError)
    assert "disk on fire" in dash.errors.message.value and "traceback" in dash.errors.message.value


def test_a_recording_that_disappeared_says_so(tmp_path, frame):
    root = tmp_path / "tree"
    shutil.copytree(TREE, root)
    dash = Dashboard(load_index(root, cache=False), root=root)
    (root / PARALLEL).unlink()
    dash.table.click_row(PARALLEL)
    assert "Cannot open" in dash.detail.empty.value and PARALLEL in dash.detail.empty.value
    assert dash.state.selected is None and dash.errors.last is None


def test_demo_banner_only_on_the_demo(frame):
    assert "Demo data" in Dashboard(frame, root=TREE, label="demo").banner.value
    assert Dashboard(frame, root=TREE, label="mine").banner.value == ""


def test_a_folder_is_indexed_and_labelled(tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(TREE, root)
    dash = Dashboard(root)
    n_files = len(list(TREE.rglob("*.json")))
    assert dash.label == str(root) and matching(dash) == n_files
    assert f"{n_files} recordings" in dash.header.value


def test_cost_tab_prices_the_selection(dash):
    dash.filters.facets["provider"].value = ("ollama",)
    dash.show_tab("cost")
    assert "unpriced" in dash.cost.summary.value
    assert "self-hosted" in dash.cost.summary.value
    assert dash.cost.figures["unpriced_share"].data
    assert '"name": "by_model"' in dash.cost.panel.figures


def test_a_click_without_point_index_is_found_by_its_category(dash, frame):
    """Plotly sends no point index for some clicks (e.g. on a box); the category decides."""
    dash.show_tab("charts")
    trace = dash.charts.figures["tool_calls"].data[0]
    dash.charts.panel.click("tool_calls", 0, None, x=trace.x[1])
    assert dash.state.filters.calls == trace.x[1] == dash.filters.calls.value
    dash.charts.panel.click("no_such_chart", 0, 0)  # ignored, no error
    dash.charts.panel.click("tool_calls", 99, 0)
    assert dash.errors.last is None
