"""`CompareDashboard(base, head)`: two recordings trees side by side, the table filtered to
what changed, and a changed recording's base and head streams stepped together.

What changed comes from `explorer.api.diff`; the streams from `explorer.api.open_recording`. As in
`Dashboard`, one `CompareState` holds what the user chose and every action is a transition.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd

from explorer.api import (
    Recording,
    TreeDiff,
    classes_line,
    counts_line,
    open_recording,
    resolve_pair,
    resolve_source,
)
from explorer.api import diff as compare_trees
from explorer.dashboard import compare_rows as compare_data
from explorer.dashboard.state import compare as transitions
from explorer.dashboard.state import pager, playback
from explorer.dashboard.state.compare import CompareState
from explorer.dashboard.views import compare_html as compare_render
from explorer.dashboard.views.compare_pair import PairView
from explorer.dashboard.views.table import TableView
from explorer.dashboard.widgets.assets import ROOT_CLASS, stylesheet
from explorer.dashboard.widgets.error_area import ErrorArea

ALL = "all"
# (column key, header, sort column or None, right-aligned)
COLUMNS = (
    ("status", "class", "status", False),
    ("file", "test file", "test_file", False),
    ("test", "test / recording", "test_id", False),
    ("model", "model", "model", False),
    ("summary", "what changed", "summary", False),
    ("tokens", "tokens base → head", "head_tokens", True),
    ("delta", "Δ tokens", "token_delta", True),
    ("chunks", "chunks base → head", None, True),
)


class CompareDashboard(w.VBox):
    """Compare two recordings folders: `CompareDashboard(base, head, labels=(base, head))`."""

    def __init__(self, base: str | os.PathLike, head: str | os.PathLike, *,
                 labels: tuple[str, str] | None = None, diff: TreeDiff | None = None) -> None:
        self.roots = {"base": Path(base).expanduser(), "head": Path(head).expanduser()}
        self.labels = labels or (str(base), str(head))
        self.diff = diff if diff is not None else compare_trees(str(base), str(head)).diff
        self.changes = compare_data.changes_frame(self.diff)
        self.state = CompareState()
        self._positions = np.arange(0)
        self.errors = ErrorArea()
        self._build_views()
        super().__init__([stylesheet(), self.header, self.errors.widget, self.controls,
                          self.table.widget, self.detail.widget])
        self.add_class(ROOT_CLASS)
        self._apply(self.state, first=True)

    @classmethod
    def from_sources(cls, base: str, head: str | None,
                     ref: str | None = None) -> CompareDashboard:
        """From the notebook's settings: `base` a folder or a git ref of `head`, `head` a
        folder or git repository (at `ref`); see `explorer.review.pair.resolve_pair`."""
        pair = resolve_pair(base, head, ref)
        return cls(pair.base, pair.head, labels=(pair.base_label, pair.head_label))

    @classmethod
    def from_link(cls, repo: str, base: str, head: str) -> CompareDashboard:
        """From a review link's `?repo=…&base=…&head=…` (checked by
        `explorer.review.link.comparison_from_query`): both refs fetched shallowly."""
        base_root, base_label = resolve_source(repo, base)
        head_root, head_label = resolve_source(repo, head)
        return cls(base_root, head_root, labels=(base_label, head_label))

    def _build_views(self) -> None:
        guard = self.errors.guard
        self.header = w.HTML(compare_render.trees_html(
            self.labels[0], len(self.diff.base.files), self.labels[1],
            len(self.diff.head.files), f"{classes_line(self.diff)} · files: "
                                       f"{counts_line(self.diff)}"))
        self.status = w.ToggleButtons(options=self._status_options(),
                                      style={"button_width": "auto"})
        self.status.observe(guard(lambda c: self.set_view(status=_status(c["new"]))), "value")
        n_noise = int(self.changes["noise"].sum())
        self.hide_noise = w.Checkbox(description=f"hide bookkeeping: noise, environment, "
                                                 f"unchanged moves ({n_noise:,})", indent=False,
                                     layout=w.Layout(width="auto"))
        self.hide_noise.observe(guard(lambda c: self.set_view(hide_noise=c["new"])), "value")
        self.search = w.Text(placeholder="path, test, model or change contains …",
                             continuous_update=False, layout=w.Layout(width="300px"))
        self.search.observe(guard(lambda c: self.set_view(search=c["new"].strip())), "value")
        self.shown = w.HTML()
        self.controls = w.VBox([w.HBox([self.status, self.search],
                                       layout=w.Layout(flex_flow="row wrap", grid_gap="8px")),
                                w.HBox([self.hide_noise, self.shown],
                                       layout=w.Layout(align_items="center", grid_gap="12px"))])
        self.table = TableView(guard(self.open_pair), guard(self.sort), guard(self.turn_page),
                               guard(self.set_page_size), columns=COLUMNS, formatter=format_rows)
        self.detail = PairView(self.labels, guard(self.step_to), guard(self.set_playing),
                               guard(self.set_speed), guard(lambda: self.open_pair(None)))

    def _status_options(self) -> list[tuple[str, str]]:
        counts = self.changes["status"].value_counts()
        return [(f"all ({len(self.changes):,})", ALL)] + [
            (f"{status} ({int(counts.get(status, 0)):,})", status)
            for status in transitions.STATUSES if counts.get(status, 0) or status in (
                "request", "response")]

    # actions (each one transition) ----------------------------------------------------------

    def set_view(self, **changes) -> None:
        """Change `status` (a class of `explorer.review.diff.CLASSES`, or None for all),
        `hide_noise` (hide noise, environment and unchanged moves), `search`."""
        self._apply(transitions.set_view(self.state, **changes))

    def sort(self, column: str) -> None:
        self._apply(transitions.sort(self.state, column))

    def turn_page(self, pages: int) -> None:
        self._apply(pager.turn_page(self.state, pages, len(self._positions)))

    def set_page_size(self, page_size: int) -> None:
        self._apply(pager.set_page_size(self.state, page_size))

    def open_pair(self, path: str | None) -> None:
        """Open the base and head recordings of `path`; None closes them."""
        if path is None or path not in set(self.changes["path"]):
            self._apply(transitions.select(self.state, None))
            return
        sides, problems = self._load(path)
        if problems:
            self._apply(transitions.select(self.state, None))
            shown = "<br>".join(escape(problem) for problem in problems)
            self.detail.show_nothing(f"<p class='x-warn'>{shown}</p>")
            return
        self._apply(transitions.select(self.state, path, *(
            r.n_chunks if r is not None else 0 for r in (sides["base"], sides["head"]))), sides)

    def step_to(self, step: int) -> None:
        self._apply(playback.step_to(self.state, step))

    def set_playing(self, playing: bool) -> None:
        self._apply(playback.set_playing(self.state, playing))

    def set_speed(self, interval_ms: int) -> None:
        self._apply(playback.set_speed(self.state, interval_ms))

    # what the user sees ---------------------------------------------------------------------

    @property
    def filtered(self) -> pd.DataFrame:
        """The rows of the changes frame passing the view's filters, in the table's order."""
        return self.changes.iloc[self._positions]

    def _apply(self, new: CompareState, sides: dict | None = None, first: bool = False) -> None:
        old, self.state = self.state, new
        view = ("status", "hide_noise", "search", "sort_by", "descending")
        if first or any(getattr(old, n) != getattr(new, n) for n in view):
            rows = compare_data.keep(self.changes, new.status, new.hide_noise, new.search)
            self._positions = compare_data.sorted_positions(self.changes, rows, new.sort_by,
                                                            new.descending)
        if first or any(getattr(old, n) != getattr(new, n) for n in view + ("page",
                                                                             "page_size")):
            self._show_table()
        if new.selected != old.selected or sides is not None:
            self.table.show_selection(new.selected)
            self._show_pair(sides)
        elif (new.step, new.playing, new.interval_ms) != (old.step, old.playing, old.interval_ms):
            self.detail.show_step(new)

    def _show_table(self) -> None:
        state = self.state
        page = self.changes.iloc[self._positions[state.page * state.page_size:
                                                 (state.page + 1) * state.page_size]]
        self.table.show(page, state, len(self._positions))
        self.shown.value = (f"<span class='x-medium'><b>{len(self._positions):,}</b> of "
                            f"{len(self.changes):,} changes shown</span>")
        with self.status.hold_sync():
            self.status.value = state.status or ALL
        self.hide_noise.value = state.hide_noise

    def _show_pair(self, sides: dict | None) -> None:
        if self.state.selected is None or sides is None:
            self.detail.show_nothing()
            return
        path = self.state.selected
        row = self.changes.loc[self.changes["path"] == path].iloc[0].to_dict()
        details = next((c.details for c in self.diff.changes if c.path == path), None)
        self.detail.show_pair(row, details, sides["base"], sides["head"], self.state)

    def _load(self, path: str) -> tuple[dict[str, Recording | None], list[str]]:
        """Both sides of `path` (None where the file is not on that side) and any problems; a
        moved pair's base side is read from its old path."""
        row = self.changes.loc[self.changes["path"] == path].iloc[0]
        status = row["status"]
        wanted = {"base": status != "added", "head": status != "removed"}
        paths = {"base": row["source"], "head": path}
        sides: dict[str, Recording | None] = {"base": None, "head": None}
        problems = []
        for side, present in wanted.items():
            if present:
                opened = open_recording(paths[side], root=self.roots[side])
                sides[side] = opened.recording
                problems += [f"Cannot open the {side} side of {path}: {problem.reason}"
                             for problem in opened.problems]
        return sides, problems


def _status(value: str) -> str | None:
    return None if value == ALL else value


def _count(value) -> str:
    return "?" if pd.isna(value) else f"{int(value):,}"


def _pair(base, head, status: str) -> str:
    left = "—" if status == "added" else _count(base)
    right = "—" if status == "removed" else _count(head)
    return f"{left} → {right}"


def _delta(value) -> str:
    if pd.isna(value):
        return ""
    return f"{int(value):+,}" if value else "0"


def _model(row: dict) -> str:
    base, head = (row[k] if isinstance(row[k], str) else "" for k in ("base_model", "head_model"))
    if row["status"] not in ("added", "removed") and base and head and base != head:
        return f"{base} → {head}"
    return head or base


def format_rows(page: pd.DataFrame) -> list[dict]:
    """Table rows of the changes frame as display strings; unknown tokens are "?"."""
    rows = []
    for rec in page.to_dict("records"):
        test = rec["test_id"] if isinstance(rec["test_id"], str) and rec["test_id"] else None
        rows.append({
            "path": rec["path"], "tag": rec["status"], "status": rec["status"],
            "file": str(rec["test_file"]).rsplit("/", 1)[-1],
            "test": test.split("::", 1)[-1] if test else rec["path"].rsplit("/", 1)[-1],
            "model": _model(rec), "summary": rec["summary"],
            "tokens": _pair(rec["base_tokens"], rec["head_tokens"], rec["status"]),
            "delta": _delta(rec["token_delta"]),
            "chunks": _pair(rec["base_chunks"], rec["head_chunks"], rec["status"]),
        })
    return rows
