"""The fast index: the fold it stops early, rows sent as Arrow batches, one pool for all calls.

Each shortcut must give the very rows the general path gives: the summary fold against the
full fold, Arrow batches against row dicts, the kept pool against parsing in this process.
"""

from __future__ import annotations

import pickle
import shutil
import sys

import orjson
import pandas as pd
import pytest
from support.paths import FIXTURES

from explorer.record.recording import parse_document
from explorer.record.replay import Accumulator
from explorer.table import batches, index, workers
from explorer.table.schema import NAMES

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")


def full_fold(parsed) -> Accumulator:
    acc = Accumulator()
    for delta in parsed.deltas():
        acc.add(delta)
    return acc


def what_the_index_reads(acc: Accumulator) -> tuple:
    return (acc.finish_reason, acc.usage, acc.model, acc.tool_names(), acc.errors,
            acc.other_choices)


def chunk(content=None, model="gpt-x", finish=None, usage=None, calls=None, index=0):
    delta = {"content": content}
    if calls is not None:
        delta["tool_calls"] = calls
    return {"__type__": "openai.types.chat.chat_completion_chunk.ChatCompletionChunk",
            "__data__": {"model": model, "usage": usage,
                         "choices": [{"index": index, "delta": delta,
                                      "finish_reason": finish}]}}


def stream(*chunks) -> dict:
    return {"test_id": "t.py::t", "request": {"method": "POST", "url": "http://x/v1/chat",
                                               "endpoint": "/v1/chat/completions", "body": {}},
            "response": {"is_streaming": True, "body": list(chunks)}}


STREAMS = {
    "model only in a late chunk": stream(chunk("a", model=""), chunk("b", model=""),
                                         chunk("c", model="late"), chunk("d", model="other")),
    "tool call between text runs": stream(
        chunk("a"), chunk("b"),
        chunk(calls=[{"index": 0, "id": "c1", "function": {"name": "f", "arguments": "{"}}]),
        chunk("c"), chunk(calls=[{"index": 0, "function": {"arguments": "}"}}]),
        chunk(calls=[{"index": 1, "function": {"name": "g"}}]), chunk("d")),
    "finish and usage after text": stream(
        chunk("a"), chunk("b"), chunk(finish="stop"), chunk("late"),
        {"choices": [], "model": "gpt-x", "usage": {"prompt_tokens": 3, "completion_tokens": 2}}),
    "a second choice mid-stream": stream(chunk("a"), chunk("b", index=1), chunk("c")),
    "odd chunks": stream(chunk("a"), "not an object", None, {"choices": "x"}, chunk("b"),
                         {"choices": [{"index": None, "delta": {"content": "c"}}]}),
    "ollama": {"request": {"method": "POST", "url": "http://localhost:11434/api/chat",
                           "endpoint": "/api/chat", "body": {"model": "m"}},
               "response": {"is_streaming": True, "body": [
                   {"model": "m", "message": {"content": "a"}, "done": False},
                   {"model": "m", "message": {"content": "b"}, "done": False},
                   {"model": "m", "message": {"tool_calls": [{"function": {"name": "f"}}]},
                    "done": False},
                   {"model": "m", "message": {"content": "c"}, "done": False},
                   {"model": "m", "done": True, "done_reason": "stop",
                    "prompt_eval_count": 5, "eval_count": 7}]}},
}


@pytest.mark.parametrize("name", list(STREAMS))
def test_the_summary_reads_what_the_full_fold_reads(name):
    """Skipping runs of text-only chunks loses nothing the row uses: the model (first seen),
    tool calls in order, finish reason, usage, other choices."""
    parsed = parse_document(STREAMS[name])
    assert what_the_index_reads(parsed.summary()) == what_the_index_reads(full_fold(parsed))


def test_the_summary_agrees_with_the_full_fold_on_every_fixture():
    files = sorted(FIXTURES.rglob("*.json"))
    assert len(files) > 40
    checked = 0
    for path in files:
        try:
            parsed = parse_document(orjson.loads(path.read_bytes()))
        except Exception:  # noqa: BLE001, S112 - broken fixtures are not recordings
            continue
        assert what_the_index_reads(parsed.summary()) == what_the_index_reads(
            full_fold(parsed)), path
        checked += 1
    assert checked > 40


def test_a_batch_arrow_refuses_keeps_its_rows_and_gives_the_same_frame():
    good = {name: None for name in NAMES} | {"path": "a.json", "tools_declared": ["x"],
                                              "tools_called": [], "n_chunks": 2}
    odd = dict(good, path="b.json", model=7)  # a number where a text belongs
    arrow = batches.batch_of([("a.json", "row", dict(good))])
    fallback = batches.batch_of([("a.json", "row", dict(good)), ("b.json", "row", odd)])
    assert arrow.table is not None and fallback.table is None and len(fallback.rows) == 2
    frame = batches.frame_of([arrow, fallback])
    assert frame["path"].tolist() == ["a.json", "a.json", "b.json"]
    assert frame["tools_declared"].tolist() == [["x"], ["x"], ["x"]]
    assert [str(t) for t in frame.dtypes] == [str(t) for t in batches.frame_of(
        [batches.Batch(rows=[good])]).dtypes]


def test_a_batch_travels_from_a_worker_whole():
    """Pickled (as a worker returns it), a batch's table goes as one Arrow IPC buffer and comes
    back equal; a batch whose rows Arrow refused keeps them, and its problems and notes."""
    good = {name: None for name in NAMES} | {"path": "a.json", "tools_declared": ["x", "é"],
                                              "tools_called": [], "n_chunks": 2, "model": "m"}
    arrow = batches.batch_of([("a.json", "row", dict(good)), ("c.json", "problem", "bad")])
    arrow.issues.append(("a.json", "a note"))
    back = pickle.loads(pickle.dumps(arrow))
    assert back.table.equals(arrow.table) and back.table.schema.equals(arrow.table.schema)
    assert (back.others, back.issues, back.rows) == (arrow.others, arrow.issues, [])
    fallback = batches.batch_of([("b.json", "row", dict(good, path="b.json", model=7))])
    again = pickle.loads(pickle.dumps(fallback))
    assert again.table is None and again.rows == fallback.rows
    pd.testing.assert_frame_equal(batches.frame_of([back, again]),
                                  batches.frame_of([arrow, fallback]))


def _copied_tree(target, copies: int):
    source = FIXTURES / "tree" / "tests" / "integration"
    for number in range(copies):
        shutil.copytree(source, target / f"copy{number}" / "tests" / "integration")
    return target


@linux_only
def test_the_pool_starts_once_and_parallel_rows_equal_serial_ones(tmp_path, monkeypatch):
    root = _copied_tree(tmp_path / "tree", 6)
    assert len(list(root.rglob("*.json"))) >= max(index.PARALLEL_MIN_FILES,
                                                  2 * index.FILES_PER_WORKER)
    monkeypatch.setattr(workers, "usable_cpus", lambda: 2)
    workers.drop_pool()
    starts = []
    real_pool = index.process_pool

    def counted(count):
        starts.append(count)
        return real_pool(count)

    monkeypatch.setattr(index, "process_pool", counted)
    try:
        first = index.index_tree(root, cache=False)
        second = index.index_tree(root, cache=False)
    finally:
        workers.drop_pool()
    assert starts == [2], "each call started its own pool"
    monkeypatch.setenv("EXPLORER_WORKERS", "1")
    serial = index.index_tree(root, cache=False)
    assert starts == [2], "EXPLORER_WORKERS=1 parses in this process"
    pd.testing.assert_frame_equal(first, serial)
    pd.testing.assert_frame_equal(second, serial)
    assert first.attrs["problems"] == serial.attrs["problems"]
