"""Explore recorded LLM API traffic: index, replay, price, review."""

__version__ = "0.1.0"

from explorer.columns import COLUMNS
from explorer.index import load_index
from explorer.recording import Recording, RecordingError, load_recording

__all__ = ["COLUMNS", "Recording", "RecordingError", "load_index", "load_recording"]
