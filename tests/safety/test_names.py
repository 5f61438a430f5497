"""Crafted inputs cost one problem row each, in bounded time and memory: file names that are not
UTF-8, a hostile index.sqlite, JSON nested 1,000 deep, a tampered or planted cache, huge
numbers of tool calls and text blocks. Every good recording is kept."""

from __future__ import annotations

import copy
import json
import os
import pickle
import sqlite3
import subprocess
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

import orjson
import pytest
from support.good_recording import GOOD
from support.paths import FIXTURES

from explorer import load_recording
from explorer.dashboard.views.html import state_html
from explorer.record.recording import Recording
from explorer.record.replay import Accumulator, Replay
from explorer.review.diff import diff_trees
from explorer.review.normalize import differing_paths, normalize
from explorer.table import cache
from explorer.table.index import index_tree as load_index
from explorer.table.sqlite_stamps import StampsError, read_stamps
from explorer.wire import anthropic

REPO = Path(__file__).resolve().parents[2]
BAD_FILE = b"bad\xff name.json"
BAD_FOLDER = b"dir\xfe"
DEEP = 1000


def _recordings(root: Path) -> Path:
    folder = root / "tests" / "integration" / "inference" / "recordings"
    folder.mkdir(parents=True)
    for number in range(3):
        (folder / f"good{number}.json").write_bytes(orjson.dumps(GOOD))
    return folder


def non_utf8_tree(root: Path, text: str = "hello") -> Path:
    folder = _recordings(root)
    doc = copy.deepcopy(GOOD)
    doc["response"]["body"]["__data__"]["response"] = text
    raw = os.fsencode(folder)
    Path(os.fsdecode(raw + b"/" + BAD_FILE)).write_bytes(orjson.dumps(doc))
    inner = Path(os.fsdecode(raw + b"/" + BAD_FOLDER))
    inner.mkdir()
    (inner / "hidden.json").write_bytes(orjson.dumps(doc))
    return root


def explorer(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command line, with a strict UTF-8 stdout (a stray surrogate would fail)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run([sys.executable, "-m", "explorer", *args], capture_output=True,
                          env=env, cwd=cwd, timeout=300, check=False)


@pytest.fixture
def named_badly(tmp_path) -> Path:
    return non_utf8_tree(tmp_path / "tree")


def _one_line_each(output: str) -> None:
    assert output.count("bad\\xff name.json") >= 1
    lines = [line for line in output.splitlines() if "bad\\xff name.json" in line]
    assert all("not valid UTF-8" in line for line in lines)
    assert any("dir\\xfe" in line and "not valid UTF-8" in line for line in output.splitlines())
    assert "\udcff" not in output and "Traceback" not in output


def test_non_utf8_names_are_problem_rows_in_the_library(named_badly):
    frame = load_index(named_badly)
    assert sorted(frame["path"].str.rsplit("/", n=1).str[-1]) == [
        "good0.json", "good1.json", "good2.json"]
    problems = {p.path.rsplit("/", 1)[-1]: p.reason for p in frame.attrs["problems"]}
    assert set(problems) == {"bad\\xff name.json", "dir\\xfe"}
    assert "rename" in problems["bad\\xff name.json"]
    again = load_index(named_badly)  # warm: the same rows and problems from the cache
    assert again.equals(frame) and again.attrs["problems"] == frame.attrs["problems"]


@pytest.mark.parametrize("command", [
    ["index", "{root}"], ["index", "{root}", "--out", "{out}/rows.parquet"],
    ["index", "{root}", "--out", "{out}/rows.jsonl"], ["index", "{root}", "--out", "{out}/r.csv"],
    ["cost", "{root}"], ["cost", "{root}", "--format", "json"],
    ["export", "{root}", "--to", "{out}/sel"], ["report", "{root}", "--out", "{out}/r.html"],
])
def test_non_utf8_names_in_every_command(named_badly, tmp_path, command):
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(root=named_badly, out=out) for a in command]
    done = explorer(*args)
    text = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 0, text
    _one_line_each(text)
    if "--out" in args and args[-1].endswith((".parquet", ".jsonl", ".csv")):
        import pandas as pd

        written = Path(args[-1])
        rows = {".parquet": pd.read_parquet, ".csv": pd.read_csv,
                ".jsonl": lambda p: pd.read_json(p, lines=True)}[written.suffix](written)
        assert len(rows) == 3
    if command[0] == "export":
        copied = sorted(p.name for p in (out / "sel").rglob("*.json"))
        assert copied == ["good0.json", "good1.json", "good2.json"]


@pytest.mark.parametrize("output_format", ["table", "json", "markdown"])
def test_non_utf8_names_in_diff(tmp_path, output_format):
    base = non_utf8_tree(tmp_path / "base")
    head = non_utf8_tree(tmp_path / "head", text="changed")
    (head / "tests/integration/inference/recordings/good1.json").write_bytes(
        orjson.dumps({**GOOD, "test_id": "tests/integration/inference/test_x.py::test_new"}))
    done = explorer("diff", str(base), str(head), "--format", output_format)
    text = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 0, text
    # the good change is still reported (the comment counts noise per folder, no file list)
    assert "good1.json" in text or (output_format == "markdown" and "1 noise" in text)
    if output_format != "json":
        _one_line_each(text)
        return
    result = json.loads(done.stdout)
    assert result["changed"] == ["tests/integration/inference/recordings/good1.json"]
    shown = sorted((p["side"], p["path"].rsplit("/", 1)[-1]) for p in result["problems"])
    assert shown == [("base", "bad\\xff name.json"), ("base", "dir\\xfe"),
                     ("head", "bad\\xff name.json"), ("head", "dir\\xfe")]


def test_show_prints_a_non_utf8_path_with_escapes(named_badly):
    folder = os.fsencode(named_badly / "tests/integration/inference/recordings")
    done = explorer("show", os.fsdecode(folder + b"/" + BAD_FILE))
    assert done.returncode == 0
    assert "bad\\xff name.json" in done.stdout.decode()


# --- index.sqlite ------------------------------------------------------------------------


def _sqlite_tree(tmp_path: Path, build) -> Path:
    folder = _recordings(tmp_path / "tree")
    db = sqlite3.connect(folder / "index.sqlite")
    build(db)
    db.commit()
    db.close()
    return tmp_path / "tree"


def test_recursive_view_is_one_problem_not_a_memory_blowup(tmp_path):
    root = _sqlite_tree(tmp_path, lambda db: db.execute(
        "create view recordings(response_file, timestamp) as with recursive r(n) as "
        "(select 1 union all select n + 1 from r) select 'f' || n, randomblob(1000) from r"))
    tracemalloc.start()
    frame = load_index(root, cache=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(frame) == 3
    [problem] = frame.attrs["problems"]
    assert problem.path.endswith("index.sqlite") and "view, not a table" in problem.reason
    assert peak < 50 * 2**20


def test_virtual_table_and_missing_columns_are_refused(tmp_path):
    root = _sqlite_tree(tmp_path, lambda db: db.execute(
        "create virtual table recordings using fts5(response_file, timestamp)"))
    [problem] = load_index(root, cache=False).attrs["problems"]
    assert "virtual table" in problem.reason
    root = _sqlite_tree(tmp_path / "b", lambda db: db.execute(
        "create table recordings(file, stamp)"))
    [problem] = load_index(root, cache=False).attrs["problems"]
    assert "no response_file, timestamp column" in problem.reason


def _table(rows: int):
    def build(db):
        db.execute("create table recordings(response_file, timestamp)")
        db.executemany("insert into recordings values (?, ?)",
                       ((f"f{i}.json", "2025-01-02T03:04:05") for i in range(rows)))
    return build


def test_row_budget(tmp_path, monkeypatch):
    root = _sqlite_tree(tmp_path, _table(5000))
    monkeypatch.setattr("explorer.table.sqlite_stamps.MAX_ROWS", 1000)
    frame = load_index(root, cache=False)
    assert len(frame) == 3 and frame["recorded_at"].isna().all()
    [problem] = frame.attrs["problems"]
    assert "more than 1,000 rows" in problem.reason


def test_time_budget(tmp_path):
    root = _sqlite_tree(tmp_path, _table(50_000))
    path = next(root.rglob("index.sqlite"))
    assert len(read_stamps(path, "")) == 50_000
    with pytest.raises(StampsError, match="took longer than"):
        read_stamps(path, "", max_seconds=0)


def test_a_real_table_still_gives_recording_times(tmp_path):
    def build(db):
        db.execute("create table recordings(response_file, timestamp)")
        db.execute("insert into recordings values ('r.json', '2025-01-02T03:04:05')")
    folder = _recordings(tmp_path / "tree")
    (folder / "responses").mkdir()
    (folder / "responses" / "r.json").write_bytes(orjson.dumps(GOOD))
    db = sqlite3.connect(folder / "index.sqlite")
    build(db)
    db.commit()
    db.close()
    frame = load_index(tmp_path / "tree", cache=False)
    stamp = frame.loc[frame["path"].str.endswith("responses/r.json"), "recorded_at"].iloc[0]
    assert str(stamp) == "2025-01-02 03:04:05"
    assert frame.attrs["problems"] == []


# --- deep JSON ---------------------------------------------------------------------------


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _deep_doc(text: str, depth: int = DEEP) -> bytes:
    doc = copy.deepcopy(GOOD)
    doc["response"]["body"]["__data__"]["response"] = text
    doc["request"]["body"]["extra"] = "@@"
    data = orjson.dumps(doc).replace(b'"@@"', _deep(depth))
    orjson.loads(data)  # orjson reads it: the explorer must cope
    return data


def test_deep_json_in_diff_is_one_unreadable_file(tmp_path):
    sides = {}
    for side, text in (("base", "old"), ("head", "new")):
        folder = _recordings(tmp_path / side)
        (folder / "deep.json").write_bytes(_deep_doc(text))
        (folder / "good2.json").write_bytes(orjson.dumps({**GOOD, "test_id": side}))
        sides[side] = tmp_path / side
    result = diff_trees(str(sides["base"]), str(sides["head"]))
    assert result.changed == ["tests/integration/inference/recordings/deep.json",
                              "tests/integration/inference/recordings/good2.json"]
    deep = result.details["tests/integration/inference/recordings/deep.json"]
    assert deep["changed"] == ["readable"] and "nested more than" in deep["readable"]["base"]
    for output_format in ("table", "json", "markdown"):
        done = explorer("diff", str(sides["base"]), str(sides["head"]), "--format",
                        output_format)
        assert done.returncode == 0 and b"nested more than" in done.stdout


def test_deep_json_in_index_and_show(tmp_path):
    folder = _recordings(tmp_path / "tree")
    (folder / "deep.json").write_bytes(_deep_doc("still here"))
    frame = load_index(tmp_path / "tree", cache=False)
    assert len(frame) == 4
    done = explorer("show", str(folder / "deep.json"))
    assert done.returncode == 0 and b"still here" in done.stdout


def test_normalize_and_differing_paths_are_iterative():
    deep = orjson.loads(b'{"created": 1, "a": ' + _deep(DEEP) + b', "id": "chatcmpl-abc123x"}')
    normalized = normalize(deep)
    assert "created" not in normalized and normalized["id"] == "<id>"
    node, depth = normalized["a"], 1
    while node:
        node, depth = node[0], depth + 1
    assert depth == DEEP
    base = {"a": [1, 2, {"c": 3}], "b": 1}
    head = {"a": [1, 5, {"c": 4}, 7], "c": 2}
    assert list(differing_paths(base, head)) == [
        "$.a[1]", "$.a[2].c", "$.a[3:] (length 3 → 4)", "$.b", "$.c"]


# --- the cache ---------------------------------------------------------------------------


@pytest.fixture
def cached(tmp_path) -> tuple[Path, object]:
    root = tmp_path / "tree"
    _recordings(root)
    return root, load_index(root)


def _count_parses(monkeypatch) -> list:
    import explorer.table.index as index_module

    seen = []
    original = index_module.index_file

    def counting(root, rel, expected):
        seen.append(rel)
        return original(root, rel, expected)

    monkeypatch.setattr(index_module, "index_file", counting)
    return seen


def test_cache_is_data_and_warm_open_reads_it(cached, monkeypatch):
    root, frame = cached
    data = cache.cache_path(root).read_bytes()
    assert data.startswith(cache.MAGIC) and b"pickle" not in data
    parses = _count_parses(monkeypatch)
    assert load_index(root).equals(frame) and parses == []


def test_a_planted_pickle_is_never_run(cached, monkeypatch, tmp_path):
    root, frame = cached
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    blob = pickle.dumps(Payload())
    for magic in (b"EXPLORER-INDEX-CACHE-4\n", cache.MAGIC):
        cache.cache_path(root).write_bytes(magic + zlib.crc32(blob).to_bytes(4, "big") + blob)
        old = cache.cache_path(root).with_suffix(".bin")
        old.write_bytes(magic + zlib.crc32(blob).to_bytes(4, "big") + blob)
        parses = _count_parses(monkeypatch)
        assert load_index(root).equals(frame)
        assert len(parses) == 3 and not marker.exists()


def _rewrite_header(path: Path, change) -> None:
    """Edit the JSON header and keep the checksum valid (a deliberate tamper)."""
    data = path.read_bytes()
    start = len(cache.MAGIC) + cache.LENGTH_SIZE
    length = int.from_bytes(data[len(cache.MAGIC):start], "big")
    header = orjson.loads(data[start:start + length])
    body = data[start + length:]
    header, body = change(header, body)
    header["crc32"] = zlib.crc32(body)
    raw = orjson.dumps(header)
    path.write_bytes(cache.MAGIC + len(raw).to_bytes(cache.LENGTH_SIZE, "big") + raw + body)


@pytest.mark.parametrize("tamper", ["other_key", "other_root", "frame_swapped", "bad_sizes"])
def test_tampered_cache_is_rejected_and_rebuilt(cached, monkeypatch, tamper):
    root, frame = cached
    path = cache.cache_path(root)

    def change(header, body):
        if tamper == "other_key":
            header["key"] = "0.0.0:" + "0" * 32
        elif tamper == "other_root":
            header["root"] = "/elsewhere"
        elif tamper == "frame_swapped":  # a valid Arrow stream of the wrong table
            files = body[header["frame_bytes"]:]
            body = files + files
            header["frame_bytes"] = len(files)
        else:
            header["frame_bytes"] += 1
        return header, body

    _rewrite_header(path, change)
    assert cache.load(root) is None
    parses = _count_parses(monkeypatch)
    assert load_index(root).equals(frame) and len(parses) == 3
    assert cache.load(root) is not None


def test_a_parser_change_invalidates_every_cache(cached, monkeypatch):
    root, frame = cached
    monkeypatch.setattr(cache, "_KEY", "0.1.0:a-different-parser")
    parses = _count_parses(monkeypatch)
    assert load_index(root).equals(frame) and len(parses) == 3


def test_key_covers_version_schema_and_parser_sources():
    key = cache.cache_key()
    from explorer import __version__

    assert key.startswith(__version__ + ":")
    sources = {p.name for p in cache._parser_sources()}
    assert {"rows.py", "recording.py", "replay.py", "schema.py", "openai.py",
            "anthropic.py"} <= sources


def test_stale_temporary_files_are_removed(cached, tmp_path):
    root, _ = cached
    folder = cache.cache_path(root).parent
    stale, fresh = folder / "index-abc.arrows1234.tmp", folder / "index-def.arrows5678.tmp"
    other = folder / "notes.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"half a cache")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    (root / "tests/integration/inference/recordings/new.json").write_bytes(orjson.dumps(GOOD))
    load_index(root)  # a changed tree saves the cache again
    assert not stale.exists()
    assert fresh.exists() and other.exists()  # a save in progress, and not ours


# --- replay ------------------------------------------------------------------------------


def _naive_states(deltas):
    """The state at every step folded from scratch: the reference the replay must match."""
    for step in range(len(deltas) + 1):
        acc = Accumulator()
        for delta in deltas[:step]:
            acc.add(delta)
        calls = [(c.index, c.id, c.name, c.arguments) for c in acc.tool_calls()]
        yield "".join(acc.text), "".join(acc.reasoning), calls, acc.finish_reason


@pytest.mark.parametrize("path", sorted((FIXTURES / "tree").rglob("recordings/*.json")),
                         ids=lambda p: p.stem)
def test_replay_matches_a_fold_from_scratch_at_every_step(path):
    recording = load_recording(path)
    deltas = recording.parsed.deltas()
    for step, expected in enumerate(_naive_states(deltas)):
        state = recording.state_at(step)
        calls = [(c.index, c.id, c.name, c.arguments) for c in state.tool_calls]
        assert (state.text, state.reasoning, calls, state.finish_reason) == expected


CHUNK = "openai.types.chat.chat_completion_chunk.ChatCompletionChunk"


def _calls_stream(order: list[int]) -> dict:
    chunks = []
    for index in order:
        chunks.append({"__type__": CHUNK, "__data__": {"model": "m", "choices": [{
            "index": 0, "delta": {"tool_calls": [{"index": index, "id": f"call_{index}",
                                                  "function": {"name": f"f{index}",
                                                               "arguments": ""}}]}}]}})
        for piece in ('{"n": ', str(index), "}"):
            chunks.append({"__type__": CHUNK, "__data__": {"model": "m", "choices": [{
                "index": 0, "delta": {"tool_calls": [{"index": index,
                                                      "function": {"arguments": piece}}]}}]}})
    return {"request": {"method": "POST", "url": "http://x/v1/chat/completions",
                        "endpoint": "/v1/chat/completions", "model": "m",
                        "body": {"model": "m", "messages": []}},
            "response": {"is_streaming": True, "body": chunks}}


def test_calls_arriving_out_of_wire_order_replay_like_a_fresh_fold():
    recording = Recording(Path("x.json"), _calls_stream([2, 0, 1]))
    deltas = recording.parsed.deltas()
    for step, expected in enumerate(_naive_states(deltas)):
        state = recording.state_at(step)
        assert [(c.index, c.id, c.name, c.arguments) for c in state.tool_calls] == expected[2]
    step = 5  # call 0 (wire index 0) opened after call 2: it is now at position 0
    assert recording.state_at(step).new_arguments == {0: ""}
    assert recording.state_at(step + 1).new_arguments == {0: '{"n": '}


def test_anthropic_new_argument_text_is_highlighted_on_the_right_call():
    """A text block at index 0, tool_use blocks at 1 and 2: the second call's fragment must be
    marked on the second call, not looked up by its block index."""
    events = [
        {"type": "message_start", "message": {"model": "claude", "usage": {"input_tokens": 5}}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 0,
         "delta": {"type": "text_delta", "text": "Checking."}},
        {"type": "content_block_start", "index": 1, "content_block": {
            "type": "tool_use", "id": "toolu_a", "name": "weather", "input": {}}},
        {"type": "content_block_delta", "index": 1,
         "delta": {"type": "input_json_delta", "partial_json": '{"city": "Paris"}'}},
        {"type": "content_block_start", "index": 2, "content_block": {
            "type": "tool_use", "id": "toolu_b", "name": "time", "input": {}}},
        {"type": "content_block_delta", "index": 2,
         "delta": {"type": "input_json_delta", "partial_json": '{"tz": "CET"}'}},
    ]
    replay = Replay([anthropic.chunk(e) for e in events])
    state = replay.state_at(7)
    assert [c.index for c in state.tool_calls] == [0, 1]
    assert state.new_arguments == {1: '{"tz": "CET"}'}
    html = state_html(state)
    first, second = html.split("toolu_b")
    assert "<mark" not in first.split("toolu_a")[1]  # nothing new on the first call
    assert "<mark" in second and "CET" in second


def test_replay_memory_does_not_grow_with_calls_times_steps():
    sys.path.insert(0, str(REPO / "benchmarks"))
    from _hostile_inputs import tool_call_stream

    doc = tool_call_stream(5000)
    tracemalloc.start()
    recording = Recording(Path("calls.json"), doc)
    middle = recording.state_at(2500)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # a copy of every call per step would be ~12 million tuples (more than 1 GB)
    assert peak < 150 * 2**20
    assert len(middle.tool_calls) == 2500 and len(recording.final.tool_calls) == 5000
    assert middle.tool_calls[-1].arguments == '{"q": "item 2499"}'


def test_many_text_blocks_join_in_order():
    sys.path.insert(0, str(REPO / "benchmarks"))
    from _hostile_inputs import many_blocks_message

    doc = many_blocks_message(200_000)
    recording = Recording(Path("blocks.json"), doc)
    expected = "".join(f"block {i} " for i in range(200_000))
    assert recording.final.text == expected
    assert recording.messages[0].text == expected
