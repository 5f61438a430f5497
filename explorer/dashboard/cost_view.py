"""The cost panel: spend by model and test file, the most expensive tests, the unpriced share.

The whole frame is priced once, when the panel is first shown; after that a filter change only
selects rows of the priced frame.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from explorer.charts_cost import cost_figures
from explorer.dashboard.charts_view import replace_figure
from explorer.pricing import price_frame, unpriced_summary

NAMES = ("by_model", "unpriced_share", "by_test_file", "top_tests")


class CostView:
    def __init__(self) -> None:
        self._priced: pd.DataFrame | None = None
        self.summary = w.HTML("<p>Prices are computed when this tab is first opened.</p>")
        self.figures = {name: go.FigureWidget() for name in NAMES}
        cells = [w.Box([self.figures[name]], layout=w.Layout(width="50%", min_width="420px"))
                 for name in NAMES]
        self.widget = w.VBox([self.summary, w.HBox(cells, layout=w.Layout(flex_flow="row wrap"))])

    def priced(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self._priced is None:
            self._priced = price_frame(frame)
        return self._priced

    def show(self, frame: pd.DataFrame, keep: np.ndarray) -> None:
        """Price `frame` (once) and draw the rows selected by `keep`."""
        priced = self.priced(frame)
        selected = priced if keep.all() else priced[keep]
        self.summary.value = (f"<p><b>Cost of the {len(selected):,} selected recordings:</b> "
                              f"{escape(unpriced_summary(selected))}. Unknown usage and "
                              f"unpriced models are left out, never counted as $0.</p>")
        for name, figure in cost_figures(selected).items():
            replace_figure(self.figures[name], figure)
