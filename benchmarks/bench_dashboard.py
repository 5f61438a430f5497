"""Dashboard speed on a 100,000-row frame, beside a bare pandas boolean filter on the same frame.

The frame repeats the rows of a real index (../shared/recordings, else the bundled demo) under
unique paths; the first copy keeps the real paths, so its recordings can be opened. Measured:
building the dashboard, a filter change (filter masks, counts beside every choice, the table's
page and every chart, with the Charts tab open), opening a recording, and moving one step.
Medians of several runs; each filter change uses a value not seen before (no cached mask),
unless marked "again".

    python benchmarks/bench_dashboard.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from explorer.dashboard import Dashboard
from explorer.table.index import index_tree as load_index

SHARED = Path(__file__).resolve().parents[2] / "shared" / "recordings"
FILTER_TARGET_MS = 200
STEP_TARGET_MS = 50


def source_root() -> Path:
    if SHARED.is_dir():
        return SHARED
    from explorer.demo.build import demo_root

    return demo_root()


def synthetic_frame(index: pd.DataFrame, rows: int) -> pd.DataFrame:
    """`rows` rows: copies of `index`, paths made unique by a copy folder (copy 0 is real)."""
    copies = -(-rows // len(index))
    parts = []
    for copy in range(copies):
        part = index.copy()
        if copy:
            part["path"] = f"copy{copy}/" + part["path"]
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True).head(rows)
    frame.attrs = dict(index.attrs)
    return frame


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def median_ms(actions: list[Callable[[], object]]) -> float:
    return statistics.median(timed(action) for action in actions)


def filter_changes(dash: Dashboard, frame: pd.DataFrame) -> dict[str, list[Callable]]:
    models = frame["model"].value_counts().index[:6].tolist()
    providers = frame["provider"].value_counts().index[:4].tolist()
    tools = sorted({t for names in frame["tools_called"].head(5000) for t in names})[:4]
    searches = ["gpt", "llama", "test_openai", "gemini"]

    def setter(**changes):
        return lambda: dash.set_filters(**changes)
    return {
        "model (one value)": [setter(model=(m,)) for m in models],
        "provider": [setter(model=(), provider=(p,)) for p in providers],
        "streaming toggle": [setter(provider=(), streaming=v) for v in (True, False, None)],
        "tool": [setter(tool=t) for t in tools] + [setter(tool="")],
        "text search": [setter(search=s) for s in searches] + [setter(search="")],
        "model again (cached mask)": [setter(model=(m,)) for m in models[:2] * 2],
    }


def bare_pandas_ms(frame: pd.DataFrame) -> float:
    model = frame["model"].value_counts().index[0]
    return median_ms([lambda: frame[frame["model"] == model] for _ in range(7)])


def stepping(dash: Dashboard, frame: pd.DataFrame) -> list[tuple[str, float]]:
    streams = frame[frame["streaming"].fillna(False).astype(bool)
                    & ~frame["path"].str.startswith("copy")]
    median_stream = streams.sort_values("n_chunks").iloc[len(streams) // 2]
    largest = streams.sort_values("n_chunks").iloc[-1]
    results = []
    for label, row in (("median stream", median_stream), ("largest stream", largest)):
        dash._recordings.clear()
        opened = timed(lambda path=row["path"]: dash.open_recording(path))
        assert dash.recording is not None, f"{row['path']} did not open"
        n = int(row["n_chunks"])
        results.append((f"open {label} ({n} chunks)", opened))
        first = [lambda k=k: dash.step_to(k) for k in range(1, min(n, 8))]
        last = [lambda k=k: dash.step_to(k) for k in range(max(n - 7, 1), n + 1)]
        results.append((f"one step near the start, {label}", median_ms(first)))
        results.append((f"one step near the end, {label}", median_ms(last)))
    return results


def report(rows: list[tuple[str, float, float | None]], baseline: float) -> None:
    print(f"\n{'measurement':42} {'ms':>9} {'x pandas filter':>16} {'target ms':>10}")
    for label, ms, target in rows:
        mark = "" if target is None else ("  ok" if ms < target else "  OVER")
        target_text = "" if target is None else f"{target:>10.0f}"
        print(f"{label:42} {ms:9.1f} {ms / baseline:16.1f} {target_text}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    root = source_root()
    index = load_index(root)
    frame = synthetic_frame(index, args.rows)
    print(f"{len(frame):,} rows built from {len(index):,} recordings in {root}")
    baseline = bare_pandas_ms(frame)
    rows: list[tuple[str, float, float | None]] = [("bare pandas boolean filter (baseline)",
                                                   baseline, None)]
    dash: Dashboard | None = None

    def build():
        nonlocal dash
        dash = Dashboard(frame, root=root, label="benchmark")
    rows.append(("build the dashboard", timed(build), None))
    dash.show_tab("charts")
    for label, actions in filter_changes(dash, frame).items():
        rows.append((f"filter change: {label}", median_ms(actions), FILTER_TARGET_MS))
    dash.clear_filters()
    dash.show_tab("recordings")
    rows.append(("filter change, Charts tab closed", median_ms(
        [lambda m=m: dash.set_filters(model=(m,)) for m in
         frame["model"].value_counts().index[6:10]]), FILTER_TARGET_MS))
    for label, ms in stepping(dash, frame):
        rows.append((label, ms, STEP_TARGET_MS))
    report(rows, baseline)


if __name__ == "__main__":
    main()
