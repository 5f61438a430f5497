"""The Charts tab: plotly figures that follow the filters; a click on a bar or point filters."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from explorer.dashboard.widgets.plotly_panel import PlotlyPanel
from explorer.present import figures as charts

HINT = ("<div class='x-hint'>Charts follow the filters. Click a bar or "
        "point to filter to it (a model, test file, kind and provider, tool or chunk range); "
        "a point in the token chart is one recording and also opens it.</div>")


class ChartsView:
    def __init__(self, on_click: Callable[[dict], None]) -> None:
        self._on_click = on_click
        self.panel = PlotlyPanel(on_click=self._clicked)
        self.widget = w.VBox([w.HTML(HINT), self.panel])

    @property
    def figures(self):
        """The figures on screen, by name (plotly `go.Figure`s)."""
        return self.panel.current

    def show(self, frame: pd.DataFrame) -> None:
        """Draw every chart of `frame` (it needs only the columns in `charts.COLUMNS`)."""
        self.panel.show(charts.all_figures(frame))

    def _clicked(self, _chart: str, trace, point: int) -> None:
        changes = charts.click_target(trace, point)
        if changes:
            self._on_click(changes)
