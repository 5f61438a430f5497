"""The History tab: changes, tokens and cost by commit month, churn and age, following the filters.

The history comes from git (`explorer.load_history`); a dashboard opened without one shows how
to get it. Figures are drawn when the tab is shown, like the other panels.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w
import pandas as pd

from explorer.api import Filters, apply
from explorer.dashboard.widgets.plotly_panel import PlotlyPanel
from explorer.present.numbers import count

NO_HISTORY = ("<p><b>No history loaded:</b> {reason}.</p><p class='x-small'>The history comes "
              "from git: <code>explorer open ROOT</code> and <code>explorer open ROOT --app"
              "</code> read it when ROOT lies in a git work tree (<code>--no-history</code> "
              "skips it). In Python: <code>Dashboard(ROOT, history=True)</code>, or a frame "
              "from <code>explorer.load_history</code>.</p>")


def no_history(reason: str) -> str:
    return NO_HISTORY.format(reason=escape(reason or "none was given"))


class HistoryView:
    def __init__(self, history: pd.DataFrame | None,
                 on_open_version: Callable[[str], None] | None = None,
                 on_compare: Callable[[str, str], None] | None = None,
                 missing: str = "") -> None:
        self.history = history
        self.panel: PlotlyPanel | None = None
        self.summary = w.HTML(no_history(missing) if history is None and missing else
                              "<p>Reading the git history…</p>" if history is None else "")
        self.versions = w.Dropdown(options=[], description="versions",
                                   layout=w.Layout(width="46rem"))
        self.open_button = w.Button(description="Step through this version", disabled=True)
        self.open_button.on_click(lambda _: on_open_version and self.versions.value
                                  and on_open_version(self.versions.value))
        self.against = w.Dropdown(options=[], description="against",
                                  layout=w.Layout(width="46rem"))
        self.compare_button = w.Button(description="Compare the two versions", disabled=True)
        self.compare_button.on_click(lambda _: on_compare and self.against.value
                                     and self.versions.value
                                     and on_compare(self.against.value, self.versions.value))
        self.compared = w.VBox([])  # the compare view of two versions, when asked for
        self.version_box = w.VBox([w.HBox([self.versions, self.open_button]),
                                   w.HBox([self.against, self.compare_button]), self.compared])
        self.widget = w.VBox([self.summary])

    def set_history(self, history: pd.DataFrame | None, missing: str = "") -> None:
        """The history, read later (or why there is none)."""
        self.history = history
        self.summary.value = no_history(missing) if history is None else ""

    def show_versions(self, path: str | None) -> None:
        """List the versions of the open recording (`path` relative to the indexed root)."""
        self.compared.children = []
        if self.history is None or path is None:
            self.versions.options, self.open_button.disabled = [], True
            self.against.options, self.compare_button.disabled = [], True
            return
        from explorer.api import versions_of  # history given: loaded already

        rows = versions_of(self.history, self.history.attrs.get("prefix", "") + path)
        options = [(_version_label(row), row.blob) for row in rows.itertuples(index=False)
                   if isinstance(row.blob, str)]
        self.versions.options = options
        self.versions.value = options[-1][1] if options else None  # the newest version
        self.open_button.disabled = not options
        self.against.options = options
        self.against.value = options[-2][1] if len(options) > 1 else None  # the one before
        self.compare_button.disabled = len(options) < 2

    @property
    def figures(self):
        return self.panel.current if self.panel is not None else {}

    def show(self, filters: Filters) -> None:
        """Draw the changes whose versions pass `filters` (deletions pass only no filter)."""
        if self.history is None:
            return
        # loaded when the tab is first shown: a page that never opens it never imports them
        from explorer.api import history_figures, shallow_message

        selected = apply(self.history, filters)
        note = shallow_message(self.history)
        self.summary.value = (
            f"<p class='x-lines'><b>{count(len(selected), 'recording change')}</b> in "
            f"{count(selected['commit'].nunique(), 'commit')}, "
            f"{count(selected['blob'].nunique(), 'distinct version')}, following the "
            f"filters.</p>"
            + (f"<p class='x-warn'>{escape(note)}</p>" if note else ""))
        if self.panel is None:
            self.panel = PlotlyPanel()
            self.widget.children = [self.summary, self.version_box, self.panel]
        self.panel.show(history_figures(selected))


def _version_label(row) -> str:
    tokens = ("tokens unknown" if pd.isna(row.total_tokens)
              else count(int(row.total_tokens), "token"))
    return (f"{row.committed_at:%Y-%m-%d} {row.status} {row.commit[:10]} · {tokens} · "
            f"{row.subject[:60]}")
