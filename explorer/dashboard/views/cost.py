"""The cost panel: spend by model and test file, the most expensive tests, the unpriced share.

The whole frame is priced once, when the panel is first shown; after that a filter change only
selects rows of the priced frame. The plot widget is created then too, so a dashboard whose
cost tab is never opened never sends it to the browser.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w
import numpy as np
import pandas as pd

from explorer.dashboard.widgets.plotly_panel import PlotlyPanel


class CostView:
    def __init__(self) -> None:
        self._priced: pd.DataFrame | None = None
        self.panel: PlotlyPanel | None = None
        self.summary = w.HTML("<p>Prices are computed when this tab is first opened.</p>")
        self.widget = w.VBox([self.summary])

    @property
    def figures(self):
        return self.panel.current if self.panel is not None else {}

    def priced(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self._priced is None:
            from explorer.api import price_frame  # the price table loads on first use

            self._priced = price_frame(frame)
        return self._priced

    def show(self, frame: pd.DataFrame, keep: np.ndarray) -> None:
        """Price `frame` (once) and draw the rows selected by `keep`."""
        # loaded when the tab is first shown: a page that never opens it never imports them
        from explorer.api import unpriced_summary
        from explorer.present.cost_figures import cost_figures, cost_tables

        priced = self.priced(frame)
        selected = priced if keep.all() else priced[keep]
        self.summary.value = (f"<p class='x-lines'><b>Cost of the {len(selected):,} "
                              f"selected recordings:</b> "
                              f"{escape(unpriced_summary(selected))}. Unknown usage and "
                              f"unpriced models are left out, never counted as $0.</p>")
        if self.panel is None:
            self.panel = PlotlyPanel()
            self.widget.children = [self.summary, self.panel]
        self.panel.show(cost_figures(selected), cost_tables(selected))
