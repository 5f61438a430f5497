"""Explore recorded LLM API traffic: index, replay, price, review."""

__version__ = "0.1.0"

from explorer.columns import COLUMNS
from explorer.dashboard import Dashboard
from explorer.index import load_index
from explorer.pricing import cost_table, load_prices, price_frame, unpriced_summary
from explorer.recording import Recording, RecordingError, load_recording
from explorer.sources import resolve_source

__all__ = ["COLUMNS", "Dashboard", "Recording", "RecordingError", "cost_table", "load_index", "load_prices",
           "load_recording", "price_frame", "resolve_source", "unpriced_summary"]
