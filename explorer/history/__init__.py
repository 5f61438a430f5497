"""Git history: `gitlog` (the log, read without a checkout, and `cached_log`; objects come from
`git.py`), `versions` (each blob described once), `table` (one row per change), `load`
(`read_history`, behind `explorer.api.load_history`), `recordings` (one recording's versions),
`index_columns` (age and churn), `summary` and `figures`.
"""

from explorer.history.gitlog import HistoryError
from explorer.history.load import read_history, shallow_message

__all__ = ["HistoryError", "read_history", "shallow_message"]
