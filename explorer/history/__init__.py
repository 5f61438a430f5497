"""Every version of every recording, read from git: `load_history` and the index's git columns."""

from explorer.history.gitlog import HistoryError
from explorer.history.load import load_history, shallow_message

__all__ = ["HistoryError", "load_history", "shallow_message"]
