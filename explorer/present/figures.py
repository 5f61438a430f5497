"""Charts of an index frame: pure functions from a frame to a plotly figure.

Unknown token counts are left out of every plot and counted in the title, never drawn as 0.
A trace's `meta` says what a click on it selects (see `click_target`), so a view can turn a
clicked bar or point into a filter without knowing how the figure was built.
"""

from __future__ import annotations

import html
from collections import Counter
from itertools import chain, pairwise

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from explorer.present.numbers import without_usage
from explorer.table.tokens import total_tokens

TOP = 15
MAX_POINTS = 5000  # above this many recordings a distribution is drawn from its quartiles
NONE_LABEL = "(none)"
OTHER_LABEL = "(other)"
TOKEN_COLORS = {"prompt": "#4c78a8", "completion": "#f58518"}
CHUNK_EDGES = (0, 1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000)
HEIGHT = 380
COLUMNS = ("path", "test_id", "test_file", "model", "provider", "kind", "streaming", "n_chunks",
           "prompt_tokens", "completion_tokens", "total_tokens", "tools_called", "tools_declared")  # read here
PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b", "#b279a2",
           "#ff9da6", "#9d755d")


def all_figures(frame: pd.DataFrame) -> dict[str, go.Figure]:
    """Every chart of the dashboard's Charts tab, by name."""
    return {
        "tokens_by_model": token_distribution(frame),
        "tokens_by_test_file": tokens_by_test_file(frame),
        "kind_provider": kind_and_provider(frame),
        "tool_calls": tool_call_frequency(frame),
        "chunks": chunks_per_stream(frame),
    }


def _labels(values: pd.Series) -> np.ndarray:
    """Strings for an axis: NA becomes "(none)"."""
    return values.astype(object).where(values.notna(), NONE_LABEL).astype(str).to_numpy()


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _unknown_note(frame: pd.DataFrame, columns: tuple[str, ...]) -> str:
    """"(12 without usage)": recordings that carry no token count (as the index and the
    report count them; `columns` are the ones the figure draws)."""
    unknown = without_usage(frame)
    return f" ({unknown:,} without usage)" if unknown else ""


def _figure(traces: list[dict], title: str, **layout) -> go.Figure:
    """Build the figure in one step (plotly validates once): title top left, legend under it."""
    base = {"title": {"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.98,
                      "xanchor": "left", "yanchor": "top"},
            "height": HEIGHT, "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}}
    for trace in traces:
        _escape_trace(trace)
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            for key in ("tickvals", "ticktext", "categoryarray"):
                if key in axis:
                    axis[key] = _escaped(axis[key])
    return go.Figure(data=traces, layout={**base, **layout})


def _escaped(values):
    """Text values as plotly shows them: its labels read a little HTML (links, tags), so every
    value from a recording is escaped (plotly shows the escaped text as typed); numbers kept."""
    if values is None or isinstance(values, (int, float)):
        return values
    if isinstance(values, str):
        return html.escape(values)
    if isinstance(values, np.ndarray) and values.dtype.kind not in "OUS":
        return values
    items = [_escaped(v) if isinstance(v, (str, list, tuple, np.ndarray)) else v for v in values]
    return np.array(items, dtype=object) if isinstance(values, np.ndarray) else items


def _escape_trace(trace: dict) -> None:
    for key in ("x", "y", "customdata", "name", "legendgroup"):
        if key in trace:
            trace[key] = _escaped(trace[key])


def _axis(title: str, **more) -> dict:
    return {"title": {"text": title}, **more}


def _short(label: str, limit: int = 32) -> str:
    """An axis label that fits: the end of a long model path or file name."""
    return label if len(label) <= limit else "…" + label[-(limit - 1):]


def _counts_axis(maximum: float) -> dict:
    """A y axis for counts: whole numbers only."""
    return {"rangemode": "tozero", "tickformat": ",d", **({"dtick": 1} if maximum <= 8 else {})}


def token_distribution(frame: pd.DataFrame, *, top: int = TOP,
                       max_points: int = MAX_POINTS) -> go.Figure:
    """Prompt and completion tokens per recording, one box pair per model (most used on top).

    Up to `max_points` recordings every recording is a point (hover: its test id and path);
    above that the boxes are drawn from quartiles with min–max whiskers.
    """
    columns = frame[["model", "path", "test_id", "prompt_tokens", "completion_tokens"]]
    counts = columns["model"].value_counts()
    models = counts.index[:top]
    in_top = columns["model"].isin(models).to_numpy(dtype=bool)
    traces = []
    for kind in ("prompt", "completion"):
        column = f"{kind}_tokens"
        known = in_top & columns[column].notna().to_numpy(dtype=bool)
        if known.sum() <= max_points:
            traces.append(_point_box(columns[known], column, kind))
        else:
            traces.append(_summary_box(columns.loc[known, ["model", column]], column, kind,
                                       models))
    positive = all((frame[c].dropna() > 0).all() for c in ("prompt_tokens", "completion_tokens"))
    more = f", top {top} of {len(counts):,} models" if len(counts) > top else ""
    title = f"Prompt and completion tokens by model{more}"
    title += _unknown_note(frame, ("prompt_tokens", "completion_tokens"))
    names = [str(m) for m in models][::-1]
    return _figure(traces, title, boxmode="group", height=max(HEIGHT, 34 * len(names) + 140),
                   xaxis=_axis("tokens per recording", type="log" if positive else "linear"),
                   yaxis={"categoryorder": "array", "categoryarray": names, "tickvals": names,
                          "ticktext": [_short(n) for n in names], "automargin": True})


def _point_box(rows: pd.DataFrame, column: str, kind: str) -> dict:
    return {
        "type": "box", "name": kind, "orientation": "h", "y": _labels(rows["model"]),
        "x": rows[column].astype(float).to_numpy(), "boxpoints": "all", "jitter": 0.5,
        "pointpos": 0, "marker": {"size": 4, "opacity": 0.6, "color": TOKEN_COLORS[kind]},
        "line": {"width": 1},
        "customdata": np.column_stack([rows["path"].astype(str).to_numpy(),
                                       _labels(rows["test_id"])]) if len(rows) else None,
        "hovertemplate": f"%{{x:,}} {kind} tokens<br>%{{customdata[1]}}<br>"
                         f"%{{customdata[0]}}<extra>%{{y}}</extra>",
        "meta": {"click": "model", "axis": "y", "points": True},
    }


def _summary_box(rows: pd.DataFrame, column: str, kind: str, models: pd.Index) -> dict:
    groups = rows[column].astype(float).groupby(rows["model"], observed=True)
    stats = groups.quantile([0.25, 0.5, 0.75]).unstack().reindex(models).dropna()
    low, high = groups.min().reindex(stats.index), groups.max().reindex(stats.index)
    return {
        "type": "box", "name": kind, "orientation": "h", "y": [str(m) for m in stats.index],
        "q1": stats[0.25].tolist(), "median": stats[0.5].tolist(), "q3": stats[0.75].tolist(),
        "lowerfence": low.tolist(), "upperfence": high.tolist(),
        "marker": {"color": TOKEN_COLORS[kind]},
        "hovertemplate": f"%{{y}} · {kind} tokens<extra>quartiles, min–max</extra>",
        "meta": {"click": "model", "axis": "y", "points": False},
    }


def tokens_by_test_file(frame: pd.DataFrame, *, top: int = TOP) -> go.Figure:
    """Known prompt + completion tokens summed per test file, the `top` largest, stacked."""
    columns = frame[["test_file", "prompt_tokens", "completion_tokens"]]
    sums = columns.groupby("test_file", observed=True).sum()
    sums = sums.astype(int).assign(total=lambda t: t.sum(axis=1))
    sums = sums[sums["total"] > 0].sort_values("total", ascending=False).head(top)[::-1]
    files = [str(f) for f in sums.index]
    traces = [{"type": "bar", "name": kind, "orientation": "h", "y": files,
               "x": sums[f"{kind}_tokens"].tolist(), "marker": {"color": TOKEN_COLORS[kind]},
               "hovertemplate": f"%{{y}}<br>%{{x:,}} {kind} tokens<extra></extra>",
               "meta": {"click": "test", "axis": "y"}} for kind in ("prompt", "completion")]
    notes = []
    if unknown := _unknown_note(frame, ("prompt_tokens", "completion_tokens")):
        notes.append(unknown.strip(" ()"))
    if no_file := int(frame["test_file"].isna().sum()):
        notes.append(f"{no_file:,} without a test id")
    title = f"Tokens per test file, top {top}" + (f" ({'; '.join(notes)})" if notes else "")
    ticks = [_short(f.removeprefix("tests/integration/"), 40) for f in files]
    return _figure(traces, title, barmode="stack", height=max(HEIGHT, 24 * len(sums) + 140),
                   xaxis=_axis("tokens"),
                   yaxis={"automargin": True, "tickvals": files, "ticktext": ticks})


def kind_and_provider(frame: pd.DataFrame, *, top_providers: int = 8) -> go.Figure:
    """Recordings (left) and known tokens (right) per kind, stacked by provider (the
    `top_providers` with most recordings; the rest stacked as "(other)")."""
    table = frame[["provider", "kind"]].assign(tokens=total_tokens(frame))
    grouped = table.groupby(["provider", "kind"], dropna=False, observed=True).agg(
        recordings=("tokens", "size"), tokens=("tokens", "sum")).reset_index()
    grouped["provider"] = _labels(grouped["provider"])
    grouped["kind"] = _labels(grouped["kind"])
    grouped = _other_providers(grouped, top_providers)
    order = grouped.groupby("kind")["recordings"].sum().sort_values(ascending=False)
    by_provider = grouped.groupby("provider")["recordings"].sum().sort_values(ascending=False)
    providers = sorted(by_provider.index, key=lambda p: p == OTHER_LABEL)  # "(other)" last
    traces = []
    for rank, provider in enumerate(providers):
        part = grouped[grouped["provider"] == provider]
        color = "#bab0ac" if provider == OTHER_LABEL else PALETTE[rank % len(PALETTE)]
        for axis, value in (("", "recordings"), ("2", "tokens")):
            traces.append({
                "type": "bar", "name": provider, "legendgroup": provider,
                "showlegend": not axis, "marker": {"color": color},
                "meta": {"click": "kind_provider", "axis": "x", "provider": provider},
                "x": part["kind"].tolist(), "y": part[value].astype(int).tolist(),
                "xaxis": f"x{axis}", "yaxis": f"y{axis}",
                "hovertemplate": f"%{{x}} · %{{fullData.name}}<br>%{{y:,}} {value}<extra></extra>"})
    categories = {"categoryorder": "array", "categoryarray": list(order.index)}
    title = "Recordings and tokens by kind and provider"
    return _figure(traces, title + _unknown_note(frame, ("prompt_tokens", "completion_tokens")),
                   barmode="stack", xaxis={"domain": [0, 0.44], **categories},
                   xaxis2={"domain": [0.58, 1], "anchor": "y2", **categories},
                   yaxis=_axis("recordings", **_counts_axis(order.max() if len(order) else 0)),
                   yaxis2=_axis("tokens (known)", anchor="x2", rangemode="tozero"))


def _other_providers(grouped: pd.DataFrame, top: int) -> pd.DataFrame:
    ranked = grouped.groupby("provider")["recordings"].sum().sort_values(ascending=False)
    if len(ranked) <= top:
        return grouped
    rest = ~grouped["provider"].isin(ranked.index[:top - 1])
    grouped.loc[rest, "provider"] = OTHER_LABEL
    return grouped.groupby(["provider", "kind"], as_index=False)[["recordings", "tokens"]].sum()


def tool_call_frequency(frame: pd.DataFrame, *, top: int = TOP) -> go.Figure:
    """How often each tool was called, beside how many recordings declared it."""
    called_lists = [names for names in frame["tools_called"].tolist() if len(names)]
    called = Counter(chain.from_iterable(called_lists))
    declared = Counter(chain.from_iterable(
        set(names) if len(names) > 1 else names
        for names in frame["tools_declared"].tolist() if len(names)))
    counts = pd.DataFrame({"called": pd.Series(called, dtype="int64"),
                           "declared": pd.Series(declared, dtype="int64")})
    counts = counts.fillna(0).sort_values(["called", "declared"], ascending=False).head(top)
    traces = [{"type": "bar", "name": column, "x": list(counts.index),
               "y": counts[column].astype(int).tolist(), "marker": {"color": color},
               "meta": {"click": "tool", "axis": "x"},
               "hovertemplate": f"%{{x}}<br>%{{y:,}} {noun}<extra></extra>"}
              for column, color, noun in (("called", "#54a24b", "calls"),
                                          ("declared", "#bab0ac", "recordings declaring it"))]
    title = f"Tool calls (top {top}; {_count(len(called_lists), 'recording')} with calls)"
    return _figure(traces, title, barmode="group",
                   yaxis=_axis("count", **_counts_axis(counts.to_numpy().max(initial=0))))


def chunk_bins(n_chunks: pd.Series) -> pd.DataFrame:
    """Streams per chunk-count range: columns low, high (inclusive), label, streams."""
    values = n_chunks.dropna().astype(int).to_numpy()
    top = values.max(initial=0)
    ranges = [(low, nxt - 1) for low, nxt in pairwise(CHUNK_EDGES) if low <= top]
    if top >= CHUNK_EDGES[-1]:
        ranges.append((CHUNK_EDGES[-1], top))
    rows = []
    for low, high in ranges:
        count = int(((values >= low) & (values <= high)).sum())
        if count:
            rows.append((low, high, str(low) if low == high else f"{low}–{high}", count))
    return pd.DataFrame(rows, columns=["low", "high", "label", "streams"])


def chunks_per_stream(frame: pd.DataFrame) -> go.Figure:
    """How many chunks each streamed response has, in ranges (1, 2, 3–4, 5–9, 10–19, ...)."""
    streams = frame.loc[frame["streaming"].fillna(False).to_numpy(dtype=bool), "n_chunks"]
    bins = chunk_bins(streams)
    trace = {"type": "bar", "name": "streams", "x": bins["label"].tolist(),
             "y": bins["streams"].tolist(), "marker": {"color": "#72b7b2"},
             "customdata": bins[["low", "high"]].to_numpy().tolist(),
             "hovertemplate": "%{x} chunks<br>%{y:,} streams<extra></extra>",
             "meta": {"click": "chunks", "axis": "x"}}
    title = f"Chunks per stream ({_count(len(streams), 'stream')})"
    return _figure([trace], title, showlegend=False, xaxis=_axis("chunks", type="category"),
                   yaxis=_axis("streams", **_counts_axis(
                       bins["streams"].max() if len(bins) else 0)))


def click_target(trace, point_index: int) -> dict:
    """What a click on point `point_index` of `trace` selects, as `Filters` field changes
    (plus "select": a recording path where the point is one recording); {} when nothing."""
    meta = trace.meta or {}
    axis_values = trace.x if meta.get("axis") == "x" else trace.y
    if not meta or axis_values is None or point_index >= len(axis_values):
        return {}
    value = html.unescape(str(axis_values[point_index]))
    if value == NONE_LABEL and meta["click"] != "kind_provider":
        return {}
    return _TARGETS[meta["click"]](trace, point_index, str(value), meta)


def _model_target(trace, index: int, value: str, meta: dict) -> dict:
    changes: dict = {"model": (value,)}
    if meta.get("points") and trace.customdata is not None:
        changes["select"] = html.unescape(str(trace.customdata[index][0]))
    return changes


def _kind_provider_target(trace, index: int, value: str, meta: dict) -> dict:
    changes: dict = {} if value == NONE_LABEL else {"kind": (value,)}
    if meta["provider"] not in (NONE_LABEL, OTHER_LABEL):
        changes["provider"] = (meta["provider"],)  # meta is data, never drawn: not escaped
    return changes


def _chunks_target(trace, index: int, value: str, meta: dict) -> dict:
    low, high = (int(v) for v in trace.customdata[index])
    return {"streaming": True, "where": f"n_chunks >= {low} and n_chunks <= {high}"}


_TARGETS = {
    "model": _model_target,
    "test": lambda trace, index, value, meta: {"test": value},
    "kind_provider": _kind_provider_target,
    "tool": lambda trace, index, value, meta: {"calls": value},
    "chunks": _chunks_target,
}
