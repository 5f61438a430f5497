"""Explore recorded LLM API traffic: index, replay, price, review.

Every public name is imported on first use, so `import explorer` (or a low-level module such as
`explorer.wire.openai`) does not pull in pandas, the price database or the widget stack.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_PUBLIC = {  # name -> module that defines it
    "COLUMNS": "explorer.table.schema",
    "load_index": "explorer.table.index",
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

__all__ = ["COLUMNS", "CompareDashboard", "Dashboard", "Recording", "RecordingError", "cost_table",
           "load_history", "load_index", "load_prices", "load_recording", "price_frame", "resolve_source",
           "unpriced_summary"]


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'explorer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
