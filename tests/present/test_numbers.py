"""The smaller things a first session sees: the header names the tree once, numbers carry
thousands separators everywhere (stepper, CLI), the stepper's buttons explain themselves, a
new recording opens on its stepper, the health tables are styled, the filter column does not
scroll sideways, "without usage" is one number everywhere, and `explorer history` fits 100
columns."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from support.rough_tree import LONG, ONE_STEP, make_tree

from explorer.dashboard import Dashboard
from explorer.dashboard.widgets.assets import static_text
from explorer.present.figures import all_figures
from explorer.present.numbers import without_usage
from explorer.present.report import build_report
from explorer.present.summary import summary_text, tokens_by_model
from explorer.present.text_table import churn_text
from explorer.table.index import index_tree as load_index

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tree"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return make_tree(tmp_path_factory.mktemp("details"))


@pytest.fixture
def dash(tree) -> Dashboard:
    return Dashboard(tree)


def test_the_header_names_the_tree_once(dash, tree):
    text = re.sub(r"<[^>]+>", "", dash.header.value)
    assert text.count(str(tree)) == 1
    assert "5 recordings" in text


def test_the_stepper_writes_steps_with_separators(dash):
    dash.open_recording(LONG)
    assert dash.detail.slider.readout_format == ",d"
    assert "step 1,399 of 1,399" in dash.detail.response.value


def test_play_and_the_step_buttons_have_tooltips(dash):
    stepper = dash.detail.stepper
    assert "play" in stepper.play.tooltip and "stop" in stepper.play.tooltip
    assert stepper.previous.tooltip and stepper.next.tooltip


def test_another_recording_opens_on_its_stepper(dash):
    dash.open_recording(LONG)
    dash.detail.tabs.selected_index = 2  # tools
    dash.open_recording(ONE_STEP)
    assert dash.detail.tabs.selected_index == 0


def test_health_tables_are_styled(tree):
    dash = Dashboard(FIXTURES)
    dash.show_tab("health")
    assert "<table class='x-data'>" in dash.health.summary.value
    css = static_text("explorer.css")
    assert "table.x-data th" in css and "table.x-data .x-right" in css


def test_the_filter_column_never_scrolls_sideways(dash):
    assert "x-filters" in dash.filters.widget._dom_classes
    rule = re.search(r"\.x-dashboard \.x-filters \{([^}]*)\}", static_text("explorer.css"))
    assert "overflow-x: hidden" in rule.group(1)


def test_plotly_toolbar_stands_beside_the_titles():
    script = static_text("plotly_panel.js")
    assert 'orientation: "v"' in script and "besideToolbar(figure.layout" in script


def test_without_usage_is_one_number_everywhere():
    frame = load_index(FIXTURES, cache=False)
    unknown = without_usage(frame)
    assert 0 < unknown < len(frame)
    assert f"without usage {unknown:,}" in summary_text(frame)
    assert f"{unknown:,} without usage (unknown, not 0)" in build_report(frame, "t")
    titles = [f.layout.title.text for f in all_figures(frame).values()]
    notes = {int(n) for t in titles for n in re.findall(r"\(([\d,]+) without usage", t)}
    assert notes == {unknown}


def test_an_embedding_without_a_total_counts_its_prompt():
    frame = pd.DataFrame({"model": ["all-minilm"] * 2, "kind": ["embedding"] * 2,
                          "prompt_tokens": pd.array([10, 5], "Int64"),
                          "completion_tokens": pd.array([None, None], "Int64"),
                          "total_tokens": pd.array([10, None], "Int64")})
    row = tokens_by_model(frame).loc["all-minilm"]
    assert row["prompt"] == row["total"] == 15 and row["no usage"] == 0


def test_cli_counts_carry_thousands_separators():
    frame = load_index(FIXTURES, cache=False)
    big = pd.concat([frame] * (1000 // len(frame) + 1), ignore_index=True)
    big.attrs = frame.attrs
    text = summary_text(big)
    assert re.match(r"[\d]{1,3},\d{3} recordings", text)
    assert not re.search(r"\b\d{4,}\b", text.split("tokens by model")[0])


def test_history_churn_fits_100_columns():
    long_id = ("tests/integration/inference/test_openai_completion.py::test_openai_chat_"
               "completion_streaming_with_tools[openai_client-txt=ollama/llama3.2:3b-"
               "instruct-fp16-inference:chat_completion:streaming_01]")
    table = pd.DataFrame({"changes": [12, 3], "first": pd.to_datetime(["2025-01-01"] * 2),
                          "last": pd.to_datetime(["2025-06-01"] * 2),
                          "test_id": [long_id, None]},
                         index=["tests/integration/inference/recordings/a.json",
                                "tests/integration/inference/recordings/b.json"])
    text = churn_text(table)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "inference/test_openai_completion" in text and "streaming_01]" in text  # both ends
    assert "b.json" in text


def test_counts_of_one_are_singular(dash):
    frame = load_index(FIXTURES, cache=False)
    one = frame[frame["is_error"].fillna(False).astype(bool)].head(1)
    one.attrs = frame.attrs
    html = build_report(one, "t")
    assert "1 recording;" in html and "1 failed call;" in html
    dash.export_panel.show_selection(1, "no filters")
    assert "</b> recording selected" in dash.export_panel.selection.value


def test_explorer_history_prints_a_table_of_100_columns(tmp_path):
    from click.testing import CliRunner
    from support.history_repos import small_repo

    from explorer.cli.main import main

    repo = small_repo(tmp_path / "repo")
    result = CliRunner().invoke(main, ["history", str(repo.path), "--no-cache"])
    assert result.exit_code == 0, result.output
    table = result.output.split("most changed recordings:\n", 1)[1].splitlines()
    assert table[0].split() == ["changes", "first", "last", "test", "(or", "file)"]
    assert max(len(line) for line in table) <= 100
    assert "7 recording changes in 4 commits" in result.output
