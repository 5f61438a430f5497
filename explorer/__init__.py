"""Explore recorded LLM API traffic: index, replay, price, review.

Every public name is imported on first use, so `import explorer` (or a low-level module such as
`explorer.wire.openai`) does not pull in pandas, the price database or the widget stack.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__version__ = "0.1.0"

_PUBLIC = {  # name -> module that defines it
    "COLUMNS": "explorer.table.schema",
    "cost_table": "explorer.pricing.cost",
    "load_prices": "explorer.pricing.cost",
    "price_frame": "explorer.pricing.cost",
    "unpriced_summary": "explorer.pricing.cost",
    "Recording": "explorer.record.recording",
    "RecordingError": "explorer.record.recording",
    "load_recording": "explorer.record.recording",
    "resolve_source": "explorer.sources",
    "load_history": "explorer.history",
    "Dashboard": "explorer.dashboard.app",
    "CompareDashboard": "explorer.dashboard.compare",
}

__all__ = ["COLUMNS", "CompareDashboard", "Dashboard", "Recording", "RecordingError",
           "cost_table", "load_history", "load_index", "load_prices", "load_recording",
           "price_frame", "resolve_source", "unpriced_summary"]


def load_index(root: str | os.PathLike, *, cache: bool = True,
               progress: Callable[[int, int], None] | None = None,
               git: bool = False) -> pd.DataFrame:
    """Index every recording below `root` into a frame, one row per recording.

    Unreadable files are listed in `df.attrs["problems"]` (`Problem`s), never dropped
    silently. With `cache`, an unchanged tree is re-opened without parsing anything and a
    changed one re-parses only what changed. `progress(done, total)` is called during parsing.
    With `git`, `root` must lie in a git work tree: the columns of `GIT_COLUMNS` (age, churn,
    client versions) are added from the history of HEAD (see `load_history`). The history is
    read first, and the files git has unchanged take their rows from its versions, so each
    version is described once.
    """
    from explorer.table.index import load_index as index_tree

    root = Path(root).expanduser()
    if not git or not root.is_dir():  # a missing folder: the index says so
        return index_tree(root, cache=cache, progress=progress)
    from explorer.history.index_columns import add_git_columns, work_tree_history

    history, versions = work_tree_history(root, cache=cache, progress=progress)
    frame = index_tree(root, cache=cache, progress=progress, versions=versions)
    return add_git_columns(frame, history)


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'explorer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
