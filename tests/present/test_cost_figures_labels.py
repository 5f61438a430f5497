"""The "Most expensive tests" chart: one bar per test even when two ids differ only in the
middle (ogx's `openai_client` / `client_with_models` variants), labels shortened in the middle
and unique, the full id on hover, and every bar agreeing with the table beside it. Recorded
text reaches plotly's hover labels escaped."""

from __future__ import annotations

import html

import pytest
from support.paths import FIXTURES

from explorer.present.cost_figures import cost_figures, cost_tables, short_labels
from explorer.pricing.cost import price_frame
from explorer.table.index import index_tree as load_index

PREFIX = ("tests/integration/inference/test_openai_completion.py::"
          "test_openai_chat_completion_streaming_with_tools_and_structured_output[")
SUFFIX = "-txt=openai/gpt-4o-inference:chat_completion:streaming_01]"
VARIANTS = [PREFIX + client + SUFFIX for client in ("openai_client", "client_with_models")]
HOSTILE = 'tests/x.py::test_y[<a href="https://evil.example">x</a><span style="color:red">]'


@pytest.fixture(scope="module")
def priced():
    frame = price_frame(load_index(FIXTURES / "tree", cache=False))
    rows = frame.index[frame["cost_usd"].notna()]
    assert len(rows) >= 3
    frame.loc[rows, "test_id"] = [VARIANTS[i % 2] if i < len(rows) - 1 else HOSTILE
                                  for i in range(len(rows))]
    return frame


def test_each_bar_is_one_test_and_agrees_with_the_table(priced):
    bars = cost_figures(priced)["top_tests"].data[0]
    table = cost_tables(priced)["top_tests"]
    assert len(bars.y) == len(set(bars.y)) == 3  # the two variants are two bars
    costs = {html.unescape(label): cost for label, cost in zip(bars.y, bars.x)}
    for row in table.itertuples(index=False):
        if row.cost != "unpriced":
            assert f"${costs[row.test_id]:,.4f}" == row.cost, row.test_id
    assert set(costs) == {*VARIANTS, HOSTILE}


def test_labels_are_shortened_in_the_middle_and_unique(priced):
    figure = cost_figures(priced)["top_tests"]
    ticks = [html.unescape(t) for t in figure.layout.yaxis.ticktext]
    assert len(set(ticks)) == len(ticks)
    for tick in ticks:
        assert len(tick) < len(PREFIX)
    variant_ticks = [t for t in ticks if t.startswith(PREFIX[:15])]
    assert all("…" in t and t.endswith(SUFFIX[-12:]) for t in variant_ticks)
    assert short_labels(VARIANTS, 40)[0] != short_labels(VARIANTS, 40)[1]


def test_hover_shows_recorded_text_as_text(priced):
    for figure in cost_figures(priced).values():
        for trace in figure.data:
            for value in [trace.y, trace.customdata, trace.text]:
                assert "<a " not in str(value) and "<span" not in str(value)
    bars = cost_figures(priced)["top_tests"].data[0]
    assert html.escape(HOSTILE) in [row[2] for row in bars.customdata]
