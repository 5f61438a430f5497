"""Where the History tab's frame comes from: given, read from git, or read where there is git
("auto"); when there is none, a reason the tab can show."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def history_of(history: pd.DataFrame | bool | str | None,
               root: Path | None) -> tuple[pd.DataFrame | None, str]:
    """The History tab's frame (given, read from git for True, or where there is git for
    "auto"), or None and why there is none."""
    if history is None or history is False:
        return None, "this dashboard was opened without it"
    if isinstance(history, pd.DataFrame):
        return history, ""
    if root is None:
        if history is True:
            raise ValueError("history=True needs a root folder in a git work tree")
        return None, "this dashboard was built from a frame without a root folder"
    from explorer.present.history_section import history_of_tree

    if history is True:
        return history_of_tree(root), ""
    from explorer.errors import ExplorerError

    try:
        return history_of_tree(root), ""
    except ExplorerError as exc:
        return None, str(exc).split(";", 1)[0]
