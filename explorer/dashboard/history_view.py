"""The History tab: changes, tokens and cost by commit month, churn and age, following the filters.

The history comes from git (`explorer.load_history`); a dashboard opened without one shows how
to get it. Figures are drawn when the tab is shown, like the other panels.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w
import pandas as pd

from explorer.dashboard.plotly_panel import PlotlyPanel
from explorer.filters import Filters, apply
from explorer.history.figures import history_figures
from explorer.history.load import shallow_message

NO_HISTORY = ("<p>No history loaded. Open the dashboard with <code>Dashboard(ROOT, "
              "history=True)</code> when ROOT lies in a git work tree, or pass a frame from "
              "<code>explorer.load_history</code>.</p>")


class HistoryView:
    def __init__(self, history: pd.DataFrame | None) -> None:
        self.history = history
        self.panel: PlotlyPanel | None = None
        self.summary = w.HTML(NO_HISTORY if history is None else "")
        self.widget = w.VBox([self.summary])

    @property
    def figures(self):
        return self.panel.current if self.panel is not None else {}

    def show(self, filters: Filters) -> None:
        """Draw the changes whose versions pass `filters` (deletions pass only no filter)."""
        if self.history is None:
            return
        selected = apply(self.history, filters)
        note = shallow_message(self.history)
        self.summary.value = (
            f"<p style='line-height:1.4'><b>{len(selected):,} recording changes</b> in "
            f"{selected['commit'].nunique():,} commits, {selected['blob'].nunique():,} distinct "
            f"versions, following the filters.</p>"
            + (f"<p style='color:#9a6700'>{escape(note)}</p>" if note else ""))
        if self.panel is None:
            self.panel = PlotlyPanel()
            self.widget.children = [self.summary, self.panel]
        self.panel.show(history_figures(selected))
