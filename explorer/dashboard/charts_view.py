"""Plotly FigureWidgets that follow the filters; a click on a bar or point becomes a filter."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from explorer import charts

CHART_NAMES = ("tokens_by_model", "kind_provider", "tokens_by_test_file", "tool_calls", "chunks")
HINT = ("<span style='color:#57606a;font-size:12px'>Charts follow the filters. Click a bar or "
        "point to filter to it (a model, test file, kind and provider, tool or chunk range); "
        "a point in the token chart is one recording and also opens it.</span>")


def replace_figure(widget: go.FigureWidget, figure: go.Figure) -> None:
    """Show `figure` in `widget`: its traces and layout replace the widget's."""
    with widget.batch_update():
        widget.layout = figure.layout
    widget.data = ()
    widget.add_traces(list(figure.data))


class ChartsView:
    def __init__(self, on_click: Callable[[dict], None],
                 guard: Callable[[Callable], Callable]) -> None:
        self._on_click = on_click
        self._guard = guard
        self.figures = {name: go.FigureWidget() for name in CHART_NAMES}
        cells = [w.Box([self.figures[name]], layout=w.Layout(width="50%", min_width="420px"))
                 for name in CHART_NAMES]
        self.widget = w.VBox([w.HTML(HINT),
                              w.HBox(cells, layout=w.Layout(flex_flow="row wrap"))])

    def show(self, frame: pd.DataFrame) -> None:
        for name, figure in charts.all_figures(frame).items():
            widget = self.figures[name]
            replace_figure(widget, figure)
            for trace in widget.data:
                trace.on_click(self._guard(self._clicked))

    def _clicked(self, trace, points, _selector) -> None:
        if not points.point_inds:
            return
        changes = charts.click_target(trace, points.point_inds[0])
        if changes:
            self._on_click(changes)
