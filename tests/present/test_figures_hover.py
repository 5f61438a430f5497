"""Recorded text reaches every plotly figure escaped: a test id, model, file or tool name with
`<a href=...>` or `<span style=...>` is shown as text in labels and hover labels (plotly reads
a little HTML in both), in the charts, the cost figures and the history figures."""

from __future__ import annotations

import pandas as pd
from support.paths import FIXTURES

from explorer.history.figures import history_figures
from explorer.present.cost_figures import cost_figures
from explorer.present.figures import all_figures
from explorer.pricing.cost import price_frame
from explorer.table.index import index_tree as load_index

LINK = '<a href="https://evil.example">x</a>'
STYLED = '<span style="font-size:80px">big</span>'


def hostile_frame() -> pd.DataFrame:
    frame = load_index(FIXTURES / "tree", cache=False)
    frame["test_file"] = f"tests/{LINK}.py"
    frame["test_id"] = frame["test_file"] + "::test_" + STYLED
    frame["tools_called"] = [[LINK] for _ in range(len(frame))]
    frame["tools_declared"] = [[STYLED] for _ in range(len(frame))]
    return frame


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v)]
    if hasattr(value, "tolist"):
        return strings(value.tolist())
    return []


def unescaped(figures) -> list[str]:
    found = []
    for name, figure in figures.items():
        shown = strings([trace.to_plotly_json() for trace in figure.data])
        shown += strings(figure.layout.to_plotly_json())
        found += [f"{name}: {s[:60]}" for s in shown if "<a " in s or "<span" in s]
    return found


def test_charts_show_recorded_text_as_text():
    assert unescaped(all_figures(hostile_frame())) == []


def test_cost_figures_show_recorded_text_as_text():
    assert unescaped(cost_figures(price_frame(hostile_frame()))) == []


def test_history_figures_show_recorded_text_as_text():
    frame = hostile_frame()
    history = frame.assign(committed_at=pd.Timestamp("2025-03-01", tz="UTC"),
                           status=["A", "M"] * (len(frame) // 2) + ["A"] * (len(frame) % 2),
                           commit="c" * 40, blob=frame["path"])
    assert unescaped(history_figures(history)) == []
