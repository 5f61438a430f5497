"""The cost panel's figures carry the priced frame's numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from explorer.present.cost_figures import cost_figures
from explorer.pricing.cost import price_frame
from explorer.table.schema import frame_from_records


def row(model: str, provider: str, prompt: int | None, completion: int | None, test_file: str,
        test: str) -> dict:
    return {"provider": provider, "model": model, "kind": "chat", "prompt_tokens": prompt,
            "completion_tokens": completion, "test_file": test_file,
            "test_id": f"{test_file}::{test}"}


@pytest.fixture
def priced() -> pd.DataFrame:
    rows = [row("gpt-4o", "openai", 10_000, 1_000, "a.py", "t1"),
            row("gpt-4o-mini", "openai", 10_000, 1_000, "b.py", "t2"),
            row("gpt-4o", "openai", None, None, "b.py", "t3"),
            row("llama3.2:3b", "ollama", 3_000, 300, "c.py", "t4")]
    return price_frame(frame_from_records(rows))


def test_spend_by_model_bars_are_the_priced_costs_largest_on_top(priced):
    figure = cost_figures(priced)["by_model"]
    bar = figure.data[0]
    costs = priced.groupby("model")["cost_usd"].sum(min_count=1)
    assert list(bar.y) == ["gpt-4o-mini", "gpt-4o"]  # plotly draws the last bar on top
    assert list(bar.x) == pytest.approx([costs["gpt-4o-mini"], costs["gpt-4o"]])
    assert "llama3.2:3b" not in bar.y  # unpriced is not a zero-cost bar
    assert [list(c) for c in bar.customdata] == [[1, 0, "gpt-4o-mini"], [2, 1, "gpt-4o"]]


def test_test_file_and_test_charts_keep_the_top_15():
    rows = [row("gpt-4o", "openai", 1_000 * (n + 1), 10, f"f{n:02d}.py", "t") for n in range(20)]
    figures = cost_figures(price_frame(frame_from_records(rows)))
    files = figures["by_test_file"].data[0]
    assert len(files.y) == 15
    assert files.y[-1] == "f19.py" and files.y[0] == "f05.py"
    tests = figures["top_tests"].data[0]
    assert len(tests.y) == 15 and tests.y[-1] == "f19.py::t"
    assert "top 15" in figures["top_tests"].layout.title.text


def test_unpriced_share_counts_recordings_and_tokens(priced):
    figure = cost_figures(priced)["unpriced_share"]
    traces = {trace.name: trace for trace in figure.data}
    assert list(traces["priced"].customdata) == [2, 22_000]
    assert list(traces["unpriced"].customdata) == [2, 3_300]
    assert traces["unpriced"].x[0] == pytest.approx(50.0)
    assert traces["unpriced"].x[1] == pytest.approx(100 * 3_300 / 25_300)
    assert traces["priced"].x[1] + traces["unpriced"].x[1] == pytest.approx(100.0)


def test_nothing_priced_gives_empty_bars_not_zero_costs():
    frame = price_frame(frame_from_records([row("llama3.2:3b", "ollama", 10, 1, "a.py", "t")]))
    figures = cost_figures(frame)
    assert len(figures["by_model"].data[0].y) == 0
    assert "nothing priced" in figures["by_model"].layout.title.text
    assert list(figures["unpriced_share"].data[0].customdata) == [0, 0]


def test_unpriced_frame_is_refused_with_the_fix():
    with pytest.raises(ValueError, match="price_frame"):
        cost_figures(frame_from_records([]))


def test_each_cost_chart_has_a_table_of_its_numbers(priced):
    from explorer.present.cost_figures import cost_tables

    tables = cost_tables(priced)
    assert set(tables) == set(cost_figures(priced))
    by_model = tables["by_model"]
    assert list(by_model.columns) == ["model", "recordings", "cost", "unpriced"]
    assert "llama3.2:3b" in by_model["model"].tolist()  # listed, as unpriced, not $0
    row = by_model[by_model["model"] == "llama3.2:3b"].iloc[0]
    assert row["cost"] == "unpriced"
    share = tables["unpriced_share"].set_index("of")
    assert share.loc["tokens", "priced"] == "22,000" and share.loc["tokens", "unpriced"] == "3,300"


def test_long_labels_are_cut_in_the_chart_and_whole_in_hover():
    test = "test_" + "long_name_" * 10
    frame = price_frame(frame_from_records([row("gpt-4o", "openai", 1_000, 10, "a.py", test)]))
    test_id = f"a.py::{test}"
    bar = cost_figures(frame)["top_tests"].data[0]
    tick = cost_figures(frame)["top_tests"].layout.yaxis.ticktext[0]
    assert len(tick) <= 48 and tick.startswith("a.py::test_") and tick.endswith("long_name_")
    assert bar.customdata[0][2] == test_id
    assert cost_figures(frame)["top_tests"].layout.yaxis.automargin is True
