"""The notebook's one call: the dashboard its environment and its page's address ask for.

`EXPLORER_RECORDINGS` (and `EXPLORER_GIT_REF`) name the tree, else the bundled demo;
`EXPLORER_BASE` asks for the compare view; the History tab is read from git where the tree lies
in a git work tree (`EXPLORER_HISTORY=0` skips it). Served by Voila, the page's query string
(`?repo=URL&base=REF&head=REF`, a review link) asks for the compare view of two refs. A
kernel that Voila prepared ahead builds the dashboard first and learns the query string only
when a visitor arrives (`wait`, by default `page_request.wait_for_request`), so the common page
is ready at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from html import escape

import ipywidgets as w

from explorer.dashboard.app import Dashboard
from explorer.dashboard.compare import CompareDashboard
from explorer.dashboard.page_request import wait_for_request
from explorer.errors import ExplorerError
from explorer.review.link import comparison_from_query
from explorer.sources import resolve_source


def page_query() -> str | None:
    """The query string of the page Voila serves; None elsewhere (a QUERY_STRING left in the
    shell that started JupyterLab is no review link)."""
    return os.environ.get("QUERY_STRING") if "VOILA_SERVER_URL" in os.environ else None


def history_setting(label: str) -> str | bool:
    """"auto" (the History tab filled where the tree lies in a git work tree) unless
    EXPLORER_HISTORY=0 (`explorer open --no-history`) or the tree is the bundled demo."""
    return False if label == "demo" or os.environ.get("EXPLORER_HISTORY") == "0" else "auto"


def dashboard_for_page(wait: Callable[[], object] = wait_for_request) -> w.Widget:
    """The dashboard for this kernel's environment; after `wait()`, a review link in
    `QUERY_STRING` replaces it with the compare view (or a refusal that says why)."""
    recordings = os.environ.get("EXPLORER_RECORDINGS")
    ref = os.environ.get("EXPLORER_GIT_REF")
    base = os.environ.get("EXPLORER_BASE")
    if base:
        dashboard = CompareDashboard.from_sources(base, recordings, ref)
    else:
        root, label = resolve_source(recordings, ref)
        dashboard = Dashboard(root, label=label, history=history_setting(label))
        if os.environ.get("VOILA_PREHEAT") == "True":  # read before the visitor arrives
            dashboard.load_history()
    wait()
    try:
        link = comparison_from_query(page_query())
        return CompareDashboard.from_link(*link) if link else dashboard
    except ExplorerError as exc:
        return w.HTML(f"<p><b>This review link was refused:</b> {escape(str(exc))}</p>")
