"""The filter panel: every control shows how many recordings its choices would give.

Counts are those of `FrameModel.counts`: for each control, the other filters held fixed. The
panel reports user changes as `Filters` field changes and is redrawn from the state, with its
own observers silenced while it is being redrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from html import escape

import ipywidgets as w

from explorer.api import Filters
from explorer.dashboard.frame_model import FACETS, Counts, FrameModel
from explorer.dashboard.widgets.text_box import TypingBox

STREAMING = {"any": None, "streamed": True, "not streamed": False}
WIDTH = "100%"
SEARCHED = "test ids, paths, models, tool names and first user messages"
LABELS = {"search": "search", "test": "test id", "model": "model", "provider": "provider",
          "endpoint": "endpoint", "kind": "kind", "tool": "tool", "declares": "declares tool",
          "calls": "calls tool", "streaming": "streaming", "errors_only": "errors only",
          "where": "where"}


def _label(text: str) -> w.HTML:
    return w.HTML(f"<b class='x-small'>{text}</b>", layout=w.Layout(margin="6px 0 0 0"))


class FiltersView:
    def __init__(self, model: FrameModel, on_change: Callable[..., None],
                 on_clear: Callable[[], None]) -> None:
        self._model = model
        self._on_change = on_change
        self._quiet = False
        self.summary = w.HTML()
        self.search = TypingBox(placeholder="test, path, model, tool or prompt text …",
                                layout=w.Layout(width=WIDTH))
        self.test = TypingBox(placeholder="e.g. tests/integration/inference/* or test_name",
                              layout=w.Layout(width=WIDTH))
        self.where = w.Text(placeholder="prompt_tokens > 1000 (Enter)", continuous_update=False,
                            layout=w.Layout(width=WIDTH))
        self.facets = {name: self._facet(name) for name in FACETS}
        self.declares = w.Dropdown(layout=w.Layout(width=WIDTH))
        self.calls = w.Dropdown(layout=w.Layout(width=WIDTH))
        self.streaming = w.ToggleButtons(options=list(STREAMING), value="any",
                                         style={"button_width": "auto"})
        self.errors_only = w.Checkbox(description="errors only", indent=False,
                                      layout=w.Layout(width="auto"))
        self.clear = w.Button(description="✕ clear filters",
                              layout=w.Layout(width="140px"))
        self.clear.on_click(lambda _: on_clear())
        self.notes = {name: w.HTML() for name in ("search", "test", "where")}
        self._wire()
        self.widget = w.VBox([
            self.summary, self.clear,
            _label("search"), self.search, self.notes["search"],
            _label("test id"), self.test, self.notes["test"],
            _label("where"), self.where, self.notes["where"],
            w.HTML("<div class='x-note'>"
                   "Lists: Ctrl/⌘-click to choose several. The number beside a choice is how "
                   "many recordings it would give.</div>"),
            _label("model"), self.facets["model"], _label("provider"), self.facets["provider"],
            _label("kind"), self.facets["kind"], _label("endpoint"), self.facets["endpoint"],
            _label("health (can the recorder read it)"), self.facets["health"],
            _label("declares tool (request)"), self.declares,
            _label("calls tool (response)"), self.calls,
            _label("streaming"), self.streaming, self.errors_only,
        ], layout=w.Layout(width="270px", min_width="270px", padding="0 10px 0 0"))
        self.widget.add_class("x-filters")

    def _facet(self, name: str) -> w.SelectMultiple:
        size = len(self._model.values(name))
        return w.SelectMultiple(rows=min(max(size, 2), 6), layout=w.Layout(width=WIDTH))

    def _wire(self) -> None:
        for name in ("search", "test", "where"):
            self._observe(getattr(self, name), name, lambda value: value.strip())
        for name, widget in self.facets.items():
            self._observe(widget, name, tuple)
        self._observe(self.declares, "declares", lambda value: value or "")
        self._observe(self.calls, "calls", lambda value: value or "")
        self._observe(self.streaming, "streaming", STREAMING.get)
        self._observe(self.errors_only, "errors_only", bool)

    def _observe(self, widget: w.Widget, field: str, convert: Callable) -> None:
        def changed(change) -> None:
            if not self._quiet:
                self._on_change(**{field: convert(change["new"])})
        widget.observe(changed, "value")

    @contextmanager
    def _redrawing(self):
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def show(self, filters: Filters, counts: Counts) -> None:
        """Redraw every control from `filters`, with `counts` beside each choice."""
        with self._redrawing():
            applied = (f"<div class='x-small x-grey'>where <code>{escape(filters.where)}"
                       f"</code> applied</div>" if filters.where else "")
            self._summary = (f"<div class='x-larger'><b>{counts.matching:,}</b> of "
                             f"{counts.total:,} recordings match</div>" + applied
                             + no_match_hint(filters, counts))
            self.summary.value = self._summary
            for name in ("search", "test", "where"):
                box = getattr(self, name)
                if box.value.strip() != getattr(filters, name):
                    box.value = getattr(filters, name)
                self.notes[name].value = self._note(getattr(filters, name), counts.text[name])
            if filters.search and not counts.text["search"]:
                self.notes["search"].value = (
                    f"<span class='x-small x-warn'>no match in {SEARCHED}; try "
                    f"a shorter word, or the test id box for globs (*)</span>")
            for name, widget in self.facets.items():
                self._show_facet(widget, counts.facets[name], getattr(filters, name))
            self._show_tools(self.declares, counts.tools["declares"], filters.declares)
            self._show_tools(self.calls, counts.tools["calls"], filters.calls)
            self._show_streaming(counts.streaming, filters.streaming)
            self.errors_only.value = filters.errors_only
            self.errors_only.description = f"errors only ({counts.errors:,})"

    @staticmethod
    def _note(value: str, matching: int) -> str:
        if not value:
            return ""
        return f"<span class='x-small x-grey'>{matching:,} match</span>"

    def _show_facet(self, widget: w.SelectMultiple, counts: dict[str, int],
                    chosen: tuple[str, ...]) -> None:
        options = [(f"{value}  ({n:,})", value) for value, n in
                   sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
        options += [(f"{value}  (0)", value) for value in chosen if value not in counts]
        with widget.hold_sync():
            if list(widget.options) != options:
                widget.options = options
            widget.value = chosen

    def show_where_error(self, expression: str, message: str) -> None:
        """A where expression that cannot be applied, so is left out: kept in its box to be
        corrected, its error beside it, and the count saying it counts without it."""
        with self._redrawing():
            self.where.value = expression
        self.notes["where"].value = f"<div class='x-field-error'>{escape(message)}</div>"
        self.summary.value = (getattr(self, "_summary", "") + "<div class='x-field-error'>"
                              f"where <code>{escape(expression)}</code> is not applied: "
                              "counted without any where expression</div>")

    @staticmethod
    def _show_tools(widget: w.Dropdown, counts: dict[str, int], chosen: str) -> None:
        options = [("any tool", "")] + [(f"{name}  ({n:,})", name) for name, n in
                                        sorted(counts.items(), key=lambda i: (-i[1], i[0]))]
        if chosen and chosen not in counts:
            options.append((f"{chosen}  (0)", chosen))
        with widget.hold_sync():
            if list(widget.options) != options:
                widget.options = options
            widget.value = chosen

    def _show_streaming(self, counts: dict[str, int], chosen: bool | None) -> None:
        labels = ["any", f"streamed ({counts['streamed']:,})",
                  f"not streamed ({counts['not streamed']:,})"]
        options = list(zip(labels, STREAMING))
        with self.streaming.hold_sync():
            if list(self.streaming.options) != options:
                self.streaming.options = options
            self.streaming.value = next(k for k, v in STREAMING.items() if v is chosen)


def no_match_hint(filters: Filters, counts: Counts) -> str:
    """When nothing matches: which single filter to drop, and how many would match then."""
    if counts.matching or not counts.without:
        return ""
    tries = [f"without {LABELS.get(name, name)}: {n:,}" for name, n in
             sorted(counts.without.items(), key=lambda item: -item[1]) if n]
    advice = "; ".join(tries[:4]) if tries else "clear the filters"
    search = (f" Search looks in {SEARCHED}." if filters.search else "")
    return (f"<div class='x-nothing'>Nothing matches. Try "
            f"{escape(advice)}.{search}</div>")
