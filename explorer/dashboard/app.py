"""`Dashboard`: filters, table, recording detail, charts and costs over one index frame.

The dashboard keeps one `DashboardState`; every user action is a transition from
`explorer.dashboard.state.browse`, and `_apply` redraws only the parts whose inputs changed.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from dataclasses import replace
from html import escape
from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd

from explorer.api import Recording, load_index, open_recording
from explorer.dashboard.export_place import confined_target, served_as_app
from explorer.dashboard.frame_model import FrameModel
from explorer.dashboard.history_source import history_of
from explorer.dashboard.state import browse as transitions
from explorer.dashboard.state.browse import TABS, DashboardState, Selection
from explorer.dashboard.views.charts import ChartsView
from explorer.dashboard.views.cost import CostView
from explorer.dashboard.views.detail import DetailView
from explorer.dashboard.views.export import ExportView
from explorer.dashboard.views.filter_text import filters_text
from explorer.dashboard.views.filters import FiltersView
from explorer.dashboard.views.health import HealthView
from explorer.dashboard.views.history import HistoryView
from explorer.dashboard.views.table import TableView
from explorer.dashboard.widgets.assets import ROOT_CLASS, stylesheet
from explorer.dashboard.widgets.error_area import ErrorArea
from explorer.present.export import (
    ExportError,
    ExportResult,
    TargetExists,
    check_target,
    export_selection,
    save_frame,
)
from explorer.present.figures import COLUMNS as CHART_COLUMNS
from explorer.present.numbers import count

CACHED_RECORDINGS = 8
DEMO_BANNER = ("<div class='x-banner'><b>Demo data.</b> These are the bundled "
               "demo recordings written by the project's generator, not your tests. To explore "
               "your own tree, run <code>explorer open PATH</code> or set "
               "<code>EXPLORER_RECORDINGS=PATH</code> before starting the notebook.</div>")


class Dashboard(w.VBox):
    """Explore an index frame: `Dashboard(root_or_frame, label=None, root=None)`.

    `root_or_frame` is a recordings folder (indexed with `load_index`) or a frame from it; with
    a frame, recordings are opened from `root` (default: the frame's `attrs["root"]`).
    `history` (a frame from `load_history`, True to read the git history of the root's work
    tree, or "auto": read it when the root lies in one, when the tab is first shown or
    `load_history()` is called) fills the History tab. `git` indexes a folder with the git
    columns (age, churn, client versions; `explorer.api.load_index(root, git=True)`).
    """

    def __init__(self, root_or_frame: str | os.PathLike | pd.DataFrame, *,
                 label: str | None = None, root: str | os.PathLike | None = None,
                 history: pd.DataFrame | bool | str | None = None, git: bool = False) -> None:
        frame, self.root = _frame_and_root(root_or_frame, root, git)
        self._history_wanted = history if isinstance(history, str) else None  # "auto": later
        self._history, self._no_history = (None, "") if self._history_wanted else \
            history_of(history, self.root)
        self.label = label if label is not None else (str(self.root) if self.root else "frame")
        self.model = FrameModel(frame)
        self.state = DashboardState()
        self._keep = self.model.keep(self.state.filters)
        self._positions = np.arange(0)
        self._recordings: OrderedDict[str, Recording] = OrderedDict()
        self._charts_stale = self._cost_stale = self._health_stale = self._history_stale = True
        self._bad_where = ("", "")  # a where expression left out, and why (shown by its box)
        self.errors = ErrorArea()
        self._build_views()
        super().__init__([stylesheet(), self.banner, self.header, self.errors.widget,
                          w.HBox([self.filters.widget, self.tabs],
                                 layout=w.Layout(align_items="flex-start"))])
        self.add_class(ROOT_CLASS)
        self._redraw_selection()

    # construction -------------------------------------------------------------------------

    def _build_views(self) -> None:
        guard = self.errors.guard
        self.banner = w.HTML(DEMO_BANNER if self.is_demo else "")
        self.header = w.HTML(self._header_html())
        self.filters = FiltersView(self.model, guard(self.set_filters), guard(self.clear_filters))
        self.table = TableView(guard(self.open_recording), guard(self.sort), guard(self.turn_page),
                               guard(self.set_page_size))
        self.detail = DetailView(guard(self.step_to), guard(self.set_playing),
                                 guard(self.set_speed), guard(lambda: self.open_recording(None)),
                                 guard(self.show_whole_text))
        self.charts = ChartsView(guard(self._chart_clicked))
        self.cost = CostView()
        self.history = HistoryView(self._history, guard(self.open_version),
                                   guard(self.compare_versions), self._no_history)
        self.export_panel = ExportView(guard(self._export_clicked), guard(self._save_clicked),
                                       self.root, confined=served_as_app())
        self.health = HealthView()
        recordings = w.VBox([self.table.widget, self.detail.widget])
        self.tabs = w.Tab(children=[recordings, self.charts.widget, self.cost.widget,
                                    self.export_panel.widget, self.health.widget,
                                    self.history.widget],
                          titles=TABS,
                          layout=w.Layout(flex="1 1 auto", min_width="0"))
        self.tabs.observe(guard(lambda change: self.show_tab(TABS[change["new"]])),
                          "selected_index")

    @property
    def is_demo(self) -> bool:
        return self.label == "demo"

    def _header_html(self) -> str:
        problems = self.model.frame.attrs.get("problems") or []
        where = escape(str(self.root)) if self.root else "a frame"
        note = ""
        if problems:
            items = "".join(f"<li>{escape(p.path)}: {escape(p.reason)}</li>"
                            for p in problems[:50])
            note = (f"<details><summary class='x-warn'>{len(problems):,} file(s) could "
                    f"not be indexed</summary><ul>{items}</ul></details>")
        where = "" if self.label == str(self.root) else f"{where} · "  # the path once
        return (f"<div><b class='x-title'>Recordings: {escape(self.label)}</b> "
                f"<span class='x-grey x-small'>{where}"
                f"{count(self.model.n, 'recording')}</span>{note}</div>")

    # actions (each one transition) ----------------------------------------------------------

    def set_filters(self, **changes) -> None:
        """Change `Filters` fields, e.g. `set_filters(model=("gpt-4o",), streaming=True)`."""
        self._apply(transitions.set_filters(self.state, **changes))

    def clear_filters(self) -> None:
        self._apply(transitions.clear_filters(self.state))

    def sort(self, column: str) -> None:
        self._apply(transitions.sort(self.state, column))

    def turn_page(self, pages: int) -> None:
        self._apply(transitions.turn_page(self.state, pages, len(self._positions)))

    def set_page_size(self, page_size: int) -> None:
        self._apply(transitions.set_page_size(self.state, page_size))

    def open_recording(self, path: str | None) -> None:
        """Open the recording at `path` (relative to the root) in the detail; None closes it."""
        if path is None:
            self._apply(transitions.select(self.state, None))
            return
        recording, problem = self._load(path)
        if recording is None:
            self._apply(transitions.select(self.state, None))
            self.detail.show_nothing(_message(problem))
            return
        self._apply(transitions.select(self.state, path, recording.n_chunks))

    def compare_versions(self, base_blob: str, head_blob: str) -> None:
        """Two versions of the open recording side by side in the compare view (under the
        history tab), each written to a one-file tree in the cache folder."""
        import tempfile

        from explorer.api import cache_dir, version_trees
        from explorer.dashboard.compare import CompareDashboard

        if self._history is None or self.state.selected is None:
            return
        path = self._history.attrs.get("prefix", "") + self.state.selected.path
        folder = cache_dir() / "versions"
        folder.mkdir(parents=True, exist_ok=True)
        base, head = version_trees(self._history.attrs.get("repo"), path, base_blob, head_blob,
                                   Path(tempfile.mkdtemp(dir=folder)))
        view = CompareDashboard(base, head, labels=(f"{path}@{base_blob[:12]}",
                                                    f"{path}@{head_blob[:12]}"))
        self.history.compared.children = [view]

    def open_version(self, blob: str) -> None:
        """Open one version of the open recording (a blob id from its history) to step through."""
        from explorer.api import load_version

        if self._history is None or self.state.selected is None:
            return
        path = self.state.selected.path
        repo = self._history.attrs.get("repo")
        recording = load_version(repo, blob, self._history.attrs.get("prefix", "") + path)
        version = Selection(path, blob)
        self._recordings[version.key] = recording
        self._apply(replace(transitions.select(self.state, version, recording.n_chunks),
                            tab="recordings"))

    def step_to(self, step: int) -> None:
        self._apply(transitions.step_to(self.state, step))

    def set_playing(self, playing: bool) -> None:
        self._apply(transitions.set_playing(self.state, playing))

    def set_speed(self, interval_ms: int) -> None:
        self._apply(transitions.set_speed(self.state, interval_ms))

    def show_whole_text(self, whole: bool) -> None:
        """Send the open response's whole text (True), or only its end up to the step."""
        self._apply(transitions.set_whole_text(self.state, whole))

    def show_tab(self, tab: str) -> None:
        self._apply(transitions.set_tab(self.state, tab))

    def export(self, target: str | os.PathLike, force: bool = False) -> ExportResult:
        """Copy the filtered recordings to `target` (a folder, or a file ending in .zip)."""
        if self.root is None:
            raise ExportError("this dashboard was built from a frame without a root folder; "
                              "pass root=FOLDER to export its recordings")
        if not len(self._positions):
            raise ExportError("no recording matches the current filters; change them first")
        return export_selection(self.root, self.filtered, target, force=force)

    def save_table(self, path: str | os.PathLike, force: bool = False) -> Path:
        """Save the filtered frame to `path` (.csv, .parquet or .jsonl), outside the tree."""
        path = Path(path).expanduser().absolute()
        if self.root is not None:
            check_target(Path(self.root).expanduser().resolve(), path, force)
        elif path.exists() and not force:
            raise ExportError(f"{path} already exists; choose another name or replace it")
        return save_frame(self.filtered, path)

    def _export_clicked(self, target: str, force: bool) -> None:
        try:
            if self.export_panel.confined:  # a visitor of the app: its export folder only
                target, force = str(confined_target(target)), False
            self.export_panel.show_exported(self.export(_given(target), force))
        except (ExportError, OSError) as exc:
            self.export_panel.show_error("Not exported", _for_widgets(exc))

    def _save_clicked(self, path: str, suffix: str, force: bool) -> None:
        try:
            if self.export_panel.confined:
                saved = self.save_table(confined_target(path, suffix), False)
            else:
                saved = self.save_table(Path(_given(path)).with_suffix(suffix), force)
        except (ExportError, OSError) as exc:
            self.export_panel.show_error("Not saved", _for_widgets(exc), table=True)
            return
        self.export_panel.table_path.value = saved.name if self.export_panel.confined \
            else str(saved)
        self.export_panel.show_saved(saved, len(self._positions))

    def _chart_clicked(self, changes: dict) -> None:
        changes = dict(changes)
        path = changes.pop("select", None)
        self.set_filters(**changes)
        if path is not None:
            self.open_recording(path)

    # what the user sees ---------------------------------------------------------------------

    @property
    def filtered(self) -> pd.DataFrame:
        """The recordings passing the current filters, in the table's order."""
        return self.model.frame.iloc[self._positions]

    @property
    def recording(self) -> Recording | None:
        return self._recordings.get(self.state.selected.key) if self.state.selected else None

    def _apply(self, new: DashboardState) -> None:
        old, self.state = self.state, new
        if new.filters != old.filters or self._bad_where[0]:
            new = self._apply_filters(new, old)
        if (new.filters, new.sort_by, new.descending) != (old.filters, old.sort_by,
                                                           old.descending):
            self._positions = self.model.sorted_positions(self._keep, new.sort_by,
                                                          new.descending)
        if new.tab != old.tab:
            self.tabs.selected_index = TABS.index(new.tab)
        self._redraw(old, new)

    def _apply_filters(self, new: DashboardState, old: DashboardState) -> DashboardState:
        """Select the rows of `new.filters`. A where expression that cannot be applied is
        dropped, not kept from before: the rows are those of the other filters, and the
        count, the table and the box say so (the box keeps the text to correct)."""
        bad = self._bad_where if self.filters.where.value.strip() == self._bad_where[0] else ""
        try:
            self._keep = self.model.keep(new.filters)
        except Exception as exc:
            if not new.filters.where or new.filters.where == old.filters.where:
                raise
            bad = (new.filters.where, where_message(exc))
            new = replace(new, filters=new.filters.replace(where=""))
            self.state = new
            self._keep = self.model.keep(new.filters)
        self._bad_where = bad or ("", "")
        self.filters.show(new.filters, self.model.counts(new.filters))
        if bad:
            self.filters.show_where_error(*bad)
        described = filters_text(new.filters)
        self.table.show_filters(described, self._bad_where[0])
        self._charts_stale = self._cost_stale = self._health_stale = self._history_stale = True
        self.export_panel.show_selection(int(self._keep.sum()), described)
        return new

    def _redraw(self, old: DashboardState, new: DashboardState) -> None:
        table_inputs = ("filters", "sort_by", "descending", "page", "page_size")
        if any(getattr(old, name) != getattr(new, name) for name in table_inputs):
            self._show_table()
        if new.selected != old.selected:
            self._history_stale = True
            self.table.show_selection(new.selected.key if new.selected else None)
            self._show_detail(full=True)
        elif (new.step, new.playing, new.interval_ms, new.whole_text) != (
                old.step, old.playing, old.interval_ms, old.whole_text):
            self._show_detail(full=False)
        self._show_visible_panels()

    def _redraw_selection(self) -> None:
        """First draw: everything from the initial state."""
        self.filters.show(self.state.filters, self.model.counts(self.state.filters))
        self.export_panel.show_selection(int(self._keep.sum()),
                                         filters_text(self.state.filters))
        self.table.show_filters(filters_text(self.state.filters))
        self._positions = self.model.sorted_positions(self._keep, self.state.sort_by,
                                                      self.state.descending)
        self._show_table()
        self._show_detail(full=True)
        self._charts_stale = True
        self._show_visible_panels()

    def _show_table(self) -> None:
        page = self.model.page(self._positions, self.state.page, self.state.page_size)
        self.table.show(page, self.state, len(self._positions))

    def _show_detail(self, full: bool) -> None:
        recording = self.recording
        if recording is None:
            self.detail.show_nothing()
        elif full:
            self.detail.show_recording(recording, self.state.selected.key, self.state)
        else:
            self.detail.show_step(recording, self.state)

    def _show_visible_panels(self) -> None:
        """Charts and costs are drawn when their tab is shown (not before: the first page
        waits for none of them), and redrawn then, not on every change."""
        if self._charts_stale and self.state.tab == "charts":
            self.charts.show(self.model.selected_frame(self._keep, list(CHART_COLUMNS)))
            self._charts_stale = False
        if self._cost_stale and self.state.tab == "cost":
            self.cost.show(self.model.frame, self._keep)
            self._cost_stale = False
        if self._health_stale and self.state.tab == "health":
            self.health.show(self.model.frame, self._keep)
            self._health_stale = False
        if self._history_stale and self.state.tab == "history":
            self.load_history()
            self.history.show(self.state.filters)
            self.history.show_versions(self.state.selected.path if self.state.selected else None)
            self._history_stale = False

    def load_history(self) -> None:
        """Read the git history asked for with history="auto", once (the first page does
        not wait for it; a preheated app kernel calls this before its visitor arrives)."""
        if self._history_wanted is None:
            return
        wanted, self._history_wanted = self._history_wanted, None
        self._history, self._no_history = history_of(wanted, self.root)
        self.history.set_history(self._history, self._no_history)

    # recordings ----------------------------------------------------------------------------

    def _load(self, path: str) -> tuple[Recording | None, str]:
        """(recording, "") or (None, why it cannot be opened)."""
        if path in self._recordings:
            self._recordings.move_to_end(path)
            return self._recordings[path], ""
        if self.root is None:
            return None, ("This dashboard was built from a frame without a root folder, so "
                          "recordings cannot be opened; pass root=FOLDER.")
        if not self.model.has_path(path):
            return None, f"{path} is not a recording of this table; nothing opened"
        opened = open_recording(path, root=self.root)
        if opened.recording is None:
            return None, f"Cannot open {path}: {opened.problems[0].reason}"
        recording = opened.recording
        self._recordings[path] = recording
        if len(self._recordings) > CACHED_RECORDINGS:
            self._recordings.popitem(last=False)
        return recording, ""


def _given(path: str) -> str:
    if not path:
        raise ExportError("no target given; type a folder, or a file name ending in .zip")
    return path


def _for_widgets(exc: Exception) -> str:
    """The error's message, with the command-line advice put in the dashboard's terms."""
    if isinstance(exc, OSError):
        return f"{exc.filename or ''}: {exc.strerror or exc}; check that the folder is writable"
    if isinstance(exc, TargetExists):
        return f"{exc.message}; choose another target, or tick “replace the target”"
    return str(exc)


def where_message(exc: Exception) -> str:
    """A where expression's error in the dashboard's words (the box, not a CLI flag)."""
    text = str(exc) or type(exc).__name__
    return re.sub(r"--where\b", "where", text)


def _message(text: str) -> str:
    return f"<p class='x-warn'>{escape(text)}</p>"


def _frame_and_root(source, root, git: bool = False) -> tuple[pd.DataFrame, Path | None]:
    if isinstance(source, pd.DataFrame):
        root = root if root is not None else source.attrs.get("root")
        return source, Path(root) if root is not None else None
    folder = Path(source).expanduser()
    return load_index(folder, git=git).frame, Path(root) if root is not None else folder
