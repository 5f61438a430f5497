"""The health panel: recordings per health status, and per test file the bytes the recorder
can never read (stale or misplaced) and so could be removed. Drawn when the tab is shown."""

from __future__ import annotations

from html import escape

import ipywidgets as w
import numpy as np
import pandas as pd

from explorer.api import STATUSES, removable_by_test_file

MAX_ROWS = 50


class HealthView:
    def __init__(self) -> None:
        self.summary = w.HTML("<p>Health is shown when this tab is opened.</p>")
        self.table = w.HTML()
        self.widget = w.VBox([self.summary, self.table])
        self.removable = pd.DataFrame()

    def show(self, frame: pd.DataFrame, keep: np.ndarray) -> None:
        """Draw the rows of `frame` selected by `keep`."""
        selected = frame if keep.all() else frame[keep]
        self.summary.value = _status_html(selected)
        self.removable = removable_by_test_file(selected)
        self.table.value = _removable_html(self.removable)


def _status_html(frame: pd.DataFrame) -> str:
    if "health" not in frame.columns:
        return "<p>This frame has no health column; re-index the tree.</p>"
    cells = []
    for status in STATUSES:
        rows = frame["health"] == status
        count = int(rows.fillna(False).sum())
        size = int(frame.loc[rows.fillna(False).astype(bool), "size_bytes"].fillna(0).sum())
        cells.append(f"<tr><td>{status}</td><td class='x-right'>{count:,}</td>"
                     f"<td class='x-right'>{size:,}</td></tr>")
    return ("<p class='x-lines'>Can today's recorder read these recordings? "
            "<i>stale</i>: only an older naming rule gives the name; <i>misplaced</i>: a folder "
            "the recorder never reads; <i>unexplained</i>: no known rule gives the name (not "
            "verifiable, so never counted as removable).</p>"
            "<table class='x-data'><tr><th>status</th><th class='x-right'>files</th>"
            "<th class='x-right'>bytes</th></tr>"
            + "".join(cells) + "</table>")


def _removable_html(table: pd.DataFrame) -> str:
    if table.empty:
        return "<p>No stale or misplaced recordings in the selection.</p>"
    total = int(table["removable_bytes"].sum())
    rows = "".join(
        f"<tr><td>{escape(row.test_file)}</td><td class='x-right'>{row.stale_files:,}"
        f"</td><td class='x-right'>{row.misplaced_files:,}</td>"
        f"<td class='x-right'>{row.removable_bytes:,}</td></tr>"
        for row in table.head(MAX_ROWS).itertuples())
    more = (f"<p>… {len(table) - MAX_ROWS:,} more test files</p>" if len(table) > MAX_ROWS
            else "")
    return (f"<p><b>{total:,} bytes could be removed</b> (stale or misplaced; "
            f"<code>explorer check ROOT --paths stale</code> lists them).</p>"
            "<table class='x-data'><tr><th>test file</th><th class='x-right'>stale</th>"
            "<th class='x-right'>misplaced</th><th class='x-right'>removable bytes</th></tr>"
            f"{rows}</table>{more}")
