"""Charts: the numbers in each figure come from the frame, unknown usage is never drawn as 0,
and a click on a bar or point maps to the filter a user expects."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from explorer.present import figures as charts
from explorer.table.filters import Filters, mask
from explorer.table.index import index_tree as load_index
from explorer.table.schema import frame_from_records

TREE = Path(__file__).parents[1] / "fixtures" / "tree"


def row(path: str, **values) -> dict:
    base = {"path": path, "model": "m1", "provider": "openai", "kind": "chat",
            "streaming": False, "n_chunks": 1, "tools_declared": [], "tools_called": []}
    return {**base, **values}


@pytest.fixture
def small() -> pd.DataFrame:
    return frame_from_records([
        row("a.json", test_id="tests/t_a.py::test_x", test_file="tests/t_a.py", prompt_tokens=100, completion_tokens=10),
        row("b.json", test_id="tests/t_a.py::test_y", test_file="tests/t_a.py", prompt_tokens=300, completion_tokens=30,
            streaming=True, n_chunks=4, tools_declared=["f", "g"], tools_called=["f", "f"]),
        row("c.json", test_id="tests/t_b.py::test_z", test_file="tests/t_b.py", model="m2", provider="ollama",
            prompt_tokens=50, completion_tokens=5, streaming=True, n_chunks=12),
        row("d.json", model="m2", provider="ollama", streaming=True, n_chunks=2),  # no usage
        row("e.json", kind="embedding", model="m3", prompt_tokens=7, tools_declared=["g"]),
    ])


def test_token_distribution_plots_only_known_counts(small):
    figure = charts.token_distribution(small)
    prompt, completion = figure.data
    assert sorted(prompt.x) == [7, 50, 100, 300]
    assert sorted(completion.x) == [5, 10, 30]  # e.json has no completion count: left out
    assert "(1 without usage)" in figure.layout.title.text  # d.json; e.json has a prompt count
    assert figure.layout.xaxis.type == "log"
    first = list(prompt.x).index(300)
    assert prompt.y[first] == "m1"
    assert prompt.customdata[first][0] == "b.json"
    assert prompt.customdata[first][1] == "tests/t_a.py::test_y"
    assert "%{customdata[0]}" in prompt.hovertemplate


def test_zero_counts_switch_the_axis_to_linear(small):
    small.loc[0, "completion_tokens"] = 0
    figure = charts.token_distribution(small)
    assert figure.layout.xaxis.type == "linear"
    assert 0 in list(figure.data[1].x)


def test_large_frames_draw_boxes_from_quartiles(small):
    big = pd.concat([small] * 3, ignore_index=True)
    figure = charts.token_distribution(big, max_points=5)
    prompt = figure.data[0]
    assert prompt.x is None and prompt.customdata is None
    m1 = big.loc[big["model"] == "m1", "prompt_tokens"].astype(float)
    at = list(prompt.y).index("m1")
    assert prompt.median[at] == m1.median()
    assert (prompt.q1[at], prompt.q3[at]) == (m1.quantile(0.25), m1.quantile(0.75))
    assert (prompt.lowerfence[at], prompt.upperfence[at]) == (100, 300)


def test_tokens_per_test_file(small):
    figure = charts.tokens_by_test_file(small, top=1)
    prompt, completion = figure.data
    assert list(prompt.y) == ["tests/t_a.py"] and list(prompt.x) == [400]
    assert list(completion.x) == [40]
    assert "2 without a test id" in figure.layout.title.text


def test_kind_and_provider(small):
    figure = charts.kind_and_provider(small)
    recordings = {(t.name, x): y for t in figure.data if t.xaxis == "x" for x, y in zip(t.x, t.y)}
    tokens = {(t.name, x): y for t in figure.data if t.xaxis == "x2" for x, y in zip(t.x, t.y)}
    assert recordings == {("openai", "chat"): 2, ("openai", "embedding"): 1,
                          ("ollama", "chat"): 2}
    assert tokens[("ollama", "chat")] == 55 and tokens[("openai", "chat")] == 440


def test_many_providers_fold_into_other():
    frame = frame_from_records([row(f"{i}-{j}.json", provider=f"p{i}")
                                for i in range(10) for j in range(10 - i)])
    figure = charts.kind_and_provider(frame, top_providers=4)
    names = [t.name for t in figure.data if t.xaxis == "x"]
    assert names == ["p0", "p1", "p2", charts.OTHER_LABEL]
    other = next(t for t in figure.data if t.name == charts.OTHER_LABEL and t.xaxis == "x")
    assert list(other.y) == [sum(range(1, 8))]
    assert charts.click_target(other, 0) == {"kind": ("chat",)}


def test_tool_call_frequency(small):
    figure = charts.tool_call_frequency(small)
    called, declared = figure.data
    assert dict(zip(called.x, called.y)) == {"f": 2, "g": 0}
    assert dict(zip(declared.x, declared.y)) == {"f": 1, "g": 2}
    assert "1 recording with calls" in figure.layout.title.text


def test_chunk_bins():
    bins = charts.chunk_bins(pd.Series([0, 1, 2, 3, 4, 5, 9, 10, 1400], dtype="Int64"))
    assert bins["label"].tolist() == ["0", "1", "2", "3–4", "5–9", "10–19", "1000–1999"]
    assert bins["streams"].tolist() == [1, 1, 1, 2, 2, 1, 1]
    assert charts.chunk_bins(pd.Series([], dtype="Int64")).empty
    assert charts.chunk_bins(pd.Series([20_000], dtype="Int64"))["label"].tolist() == [
        "10000–20000"]


def test_chunks_per_stream_counts_streams_only(small):
    figure = charts.chunks_per_stream(small)
    bar = figure.data[0]
    assert dict(zip(bar.x, bar.y)) == {"2": 1, "3–4": 1, "10–19": 1}
    assert "3 streams" in figure.layout.title.text


def test_clicks_become_filters(small):
    figures = charts.all_figures(small)
    chunks = figures["chunks"].data[0]
    target = charts.click_target(chunks, list(chunks.x).index("10–19"))
    assert target == {"streaming": True, "where": "n_chunks >= 10 and n_chunks <= 19"}
    assert mask(small, Filters(**target)).sum() == 1
    tools = figures["tool_calls"].data[0]
    assert charts.click_target(tools, 0) == {"calls": "f"}  # the tool-calls chart
    files = figures["tokens_by_test_file"].data[0]
    assert charts.click_target(files, 0)["test"] in {"tests/t_a.py", "tests/t_b.py"}
    prompt = figures["tokens_by_model"].data[0]
    target = charts.click_target(prompt, 0)
    assert target["model"] == (prompt.y[0],) and target["select"] == prompt.customdata[0][0]


def test_every_chart_draws_the_fixture_tree():
    frame = load_index(TREE, cache=False)
    figures = charts.all_figures(frame)
    assert set(figures) == {"tokens_by_model", "tokens_by_test_file", "kind_provider",
                            "tool_calls", "chunks"}
    for name, figure in figures.items():
        assert figure.data, name
        assert figure.layout.title.text, name
    total = sum(sum(t.y) for t in figures["kind_provider"].data if t.xaxis == "x")
    assert total == len(frame)


def test_empty_frame_draws_empty_charts(small):
    empty = small.iloc[0:0]
    for name, figure in charts.all_figures(empty).items():
        assert figure.layout.title.text, name
