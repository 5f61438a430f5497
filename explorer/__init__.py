"""Explore recorded LLM API traffic: index, replay, price, review.

The package face: lazy re-exports of the front door (`explorer.api`) and of the two
dashboards, nothing else. Every public name is imported on first use, so `import explorer`
(or a low-level module such as `explorer.wire.openai`) does not pull in pandas, the price
database or the widget stack. No module of the package imports from here.
"""

from __future__ import annotations

import importlib

from explorer.ground.version import __version__

_PUBLIC = {  # name -> module that defines it
    "load_index": "explorer.api",
    "load_history": "explorer.api",
    "check": "explorer.api",
    "diff": "explorer.api",
    "price": "explorer.api",
    "open_recording": "explorer.api",
    "export": "explorer.api",
    "COLUMNS": "explorer.api",
    "cost_table": "explorer.api",
    "load_prices": "explorer.api",
    "price_frame": "explorer.api",
    "unpriced_summary": "explorer.api",
    "Recording": "explorer.api",
    "RecordingError": "explorer.api",
    "load_recording": "explorer.api",
    "resolve_source": "explorer.api",
    "Dashboard": "explorer.dashboard.app",
    "CompareDashboard": "explorer.dashboard.compare",
}

__all__ = ["COLUMNS", "CompareDashboard", "Dashboard", "Recording", "RecordingError",
           "__version__", "check", "cost_table", "diff", "export", "load_history", "load_index",
           "load_prices", "load_recording", "open_recording", "price", "price_frame",
           "resolve_source", "unpriced_summary"]


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'explorer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
