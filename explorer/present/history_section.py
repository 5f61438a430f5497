"""The history section of `explorer report`: timeline, churn and age, from a history frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from explorer.history.figures import by_month, history_figures, most_rerecorded
from explorer.history.index_columns import work_tree_of
from explorer.history.load import read_history, shallow_message
from explorer.present.numbers import count
from explorer.present.report_html import figure, paragraph, section, table


def history_of_tree(root: Path, cache: bool = True) -> pd.DataFrame:
    """The history of HEAD of the work tree holding `root`, only the files below `root`,
    priced where the pricing module is available."""
    top, prefix = work_tree_of(root)
    history = read_history(top, cache=cache)
    attrs = dict(history.attrs)
    history = history[history["path"].str.startswith(prefix)] if prefix else history
    try:
        from explorer.pricing.cost import price_frame
    except ImportError:
        pass
    else:
        history = price_frame(history)
    history.attrs.update(attrs, prefix=prefix)
    return history


def history_section(history: pd.DataFrame, plotly_included: bool) -> str:
    """Counts, the notes git leaves (shallow clone), the figures and two small tables."""
    if history.empty:
        return section("History", paragraph(history.attrs.get("empty_reason")
                                            or "No recording changes in the history."))
    first, last = history["committed_at"].min(), history["committed_at"].max()
    counts = (f"{count(len(history), 'recording change')} in "
              f"{count(history['commit'].nunique(), 'commit')} from {first:%Y-%m-%d} to "
              f"{last:%Y-%m-%d}; {count(history['blob'].nunique(), 'distinct version')} of "
              f"{count(history['path'].nunique(), 'file')}.")
    parts = [paragraph(counts)]
    note = shallow_message(history)
    if note:
        parts.append(paragraph(note))
    figures = history_figures(history)
    parts += [figure(fig, first=(i == 0 and not plotly_included))
              for i, fig in enumerate(figures.values())]
    parts += ["<h3>By month</h3>", table(by_month(history), index=True),
              "<h3>Most re-recorded tests</h3>", table(most_rerecorded(history), index=True)]
    return section("History", *parts)
