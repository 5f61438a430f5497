"""The notebook's one call: the dashboard its environment and its page's address ask for.

`EXPLORER_RECORDINGS` (and `EXPLORER_GIT_REF`) name the tree, else the bundled demo;
`EXPLORER_BASE` asks for the compare view; the History tab is read from git where the tree lies
in a git work tree (`EXPLORER_HISTORY=0` skips it); all read once, as `Settings`. Served by
Voila, the page's query string
(`?repo=URL&base=REF&head=REF`, a review link) asks for the compare view of two refs. A
kernel that Voila prepared ahead builds the dashboard first and learns the query string only
when a visitor arrives (`wait`, by default `page_request.wait_for_request`), so the common page
is ready at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

import ipywidgets as w

from explorer.api import comparison_from_query, resolve_source
from explorer.dashboard.app import Dashboard
from explorer.dashboard.compare import CompareDashboard
from explorer.dashboard.page_request import wait_for_request
from explorer.errors import ExplorerError
from explorer.ground.settings import Settings

Wait = Callable[[Settings], Mapping[str, object] | None]


def history_setting(label: str, settings: Settings) -> str | bool:
    """"auto" (the History tab filled where the tree lies in a git work tree) unless
    EXPLORER_HISTORY=0 (`explorer open --no-history`) or the tree is the bundled demo."""
    return False if label == "demo" or not settings.history else "auto"


def dashboard_for_page(wait: Wait = wait_for_request,
                       settings: Settings | None = None) -> w.Widget:
    """The dashboard this kernel's settings ask for.

    Args:
        wait: blocks until a visitor arrives and returns the request's details (Voila's
            query string among them), or None.
        settings: the environment's settings; None reads them once, here.

    Returns:
        The dashboard, or once a review link arrived in the page's query string the compare
        view of it (or a refusal that says why).
    """
    settings = settings if settings is not None else Settings.from_environment()
    try:
        dashboard = _home(settings)
    except ExplorerError as exc:  # a missing tree, a setting that is no number: said, in words
        dashboard = w.HTML(f"<p><b>The dashboard could not open:</b> {escape(str(exc))}</p>")
    settings = settings.with_page_request(wait(settings))
    try:
        link = comparison_from_query(settings.page_query)
        return CompareDashboard.from_link(*link) if link else dashboard
    except ExplorerError as exc:
        return w.HTML(f"<p><b>This review link was refused:</b> {escape(str(exc))}</p>")


def _home(settings: Settings) -> w.Widget:
    """The dashboard of the environment's tree, or its compare view when a base is set."""
    if settings.base:
        return CompareDashboard.from_sources(settings.base, settings.recordings,
                                             settings.git_ref)
    root, label = resolve_source(settings.recordings, settings.git_ref)
    dashboard = Dashboard(root, label=label, history=history_setting(label, settings))
    if dict(settings.voila).get("VOILA_PREHEAT") == "True":  # read before the visitor
        dashboard.load_history()
    return dashboard
