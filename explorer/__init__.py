"""Explore recorded LLM API traffic: index, replay, price, review."""

__version__ = "0.1.0"

from explorer.columns import COLUMNS
from explorer.index import load_index
from explorer.pricing import cost_table, load_prices, price_frame, unpriced_summary
from explorer.recording import Recording, RecordingError, load_recording
from explorer.sources import resolve_source

__all__ = ["COLUMNS", "Dashboard", "Recording", "RecordingError", "cost_table", "load_history", "load_index",
           "load_prices",
           "load_recording", "price_frame", "resolve_source", "unpriced_summary"]


def __getattr__(name: str):
    """`explorer.Dashboard` imports the widget stack only when it is asked for."""
    if name == "load_history":
        from explorer.history import load_history

        return load_history
    if name == "Dashboard":
        from explorer.dashboard import Dashboard

        return Dashboard
    raise AttributeError(f"module 'explorer' has no attribute {name!r}")
