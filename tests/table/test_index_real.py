"""Real-data tier: the llama-stack/ogx recordings in ../shared (skipped where absent)."""

from __future__ import annotations

import sqlite3

import orjson
import pytest
from support.paths import SHARED, shared_files

from explorer import load_recording
from explorer.table.index import index_tree as load_index
from explorer.wire import stream_chunks, unwrap

pytestmark = pytest.mark.real
STREAMED = [p for p in shared_files()
            if orjson.loads(p.read_bytes())["response"].get("is_streaming")]


@pytest.fixture(scope="module")
def frame():
    if not SHARED.is_dir():
        pytest.skip("../shared/recordings is absent (real-data tier)")
    return load_index(SHARED, cache=False)


def test_every_file_indexes_without_a_problem(frame, shared_recordings):
    assert frame.attrs["problems"] == []
    assert len(frame) == len(shared_files())
    assert frame["path"].is_unique
    assert set(frame["path"]) == {p.relative_to(shared_recordings).as_posix()
                                  for p in shared_files()}


def test_columns_are_filled_where_the_format_has_them(frame):
    ogx = frame[frame["path"].str.startswith("ogx-2026-05/")]
    assert ogx["area"].notna().all()
    assert frame["endpoint"].notna().all()
    assert frame["kind"].ne("other").sum() > len(frame) * 0.95
    # the only rows without a provider are local servers (llama.cpp, a vLLM chat without
    # metadata) with no provider in their test id
    assert frame["provider"].isna().sum() <= 2
    old = frame[frame["path"].str.startswith("llama-stack-2025-08/")]
    assert old["test_id"].isna().all()
    assert old["recorded_at"].notna().sum() == _sqlite_rows(), "index.sqlite gives timestamps"
    assert frame.loc[~frame.index.isin(old.index), "recorded_at"].isna().all()


@pytest.mark.parametrize("below", ["ogx-2026-05/tests/integration",
                                   "ogx-2026-05/tests/integration/common",
                                   "ogx-2026-05/tests/integration/openresponses/recordings"])
def test_area_does_not_depend_on_the_indexed_folder(frame, below):
    part = load_index(SHARED / below, cache=False)
    whole = frame.set_index("path")["area"]
    assert part["area"].notna().all()
    assert part["area"].tolist() == [whole[f"{below}/{path}"] for path in part["path"]]


def test_vllm_model_lists_are_vllm_whatever_the_test_says(frame):
    owned_by_vllm = [p.relative_to(SHARED).as_posix() for p in shared_files()
                     if b'"owned_by": "vllm"' in p.read_bytes()]
    assert owned_by_vllm
    assert set(frame.set_index("path").loc[owned_by_vllm, "provider"]) == {"vllm"}


def _sqlite_rows() -> int:
    total = 0
    for db in SHARED.rglob("index.sqlite"):
        with sqlite3.connect(f"{db.as_uri()}?mode=ro&immutable=1", uri=True) as connection:
            total += connection.execute("select count(*) from recordings").fetchone()[0]
    return total


def _usage_from_json(path):
    body = unwrap(orjson.loads(path.read_bytes())["response"]["body"])
    return body["usage"]


def test_token_totals_match_what_the_json_says(frame, shared_recordings):
    chats = frame[(frame["kind"] == "chat") & ~frame["streaming"] & frame["total_tokens"].notna()
                  & (frame["family"] == "openai")].head(5)
    assert len(chats) == 5
    for row in chats.itertuples():
        usage = _usage_from_json(shared_recordings / row.path)
        assert (row.prompt_tokens, row.completion_tokens, row.total_tokens) == (
            usage["prompt_tokens"], usage["completion_tokens"], usage["total_tokens"])


def test_gemini_completion_tokens_include_thoughts(frame, shared_recordings):
    gemini = frame[(frame["family"] == "gemini") & ~frame["streaming"]]
    assert len(gemini)
    for row in gemini.itertuples():
        meta = orjson.loads((shared_recordings / row.path).read_bytes())["response"]["body"][
            "usage_metadata"]
        expected = meta.get("candidates_token_count", 0) + meta.get("thoughts_token_count", 0)
        assert row.completion_tokens == expected
        assert row.prompt_tokens == meta["prompt_token_count"]


def test_streams_without_usage_are_unknown_not_zero(frame):
    no_usage = frame[frame["streaming"] & (frame["family"] == "openai")
                     & frame["prompt_tokens"].isna()]
    assert len(no_usage) > 0
    assert no_usage["completion_tokens"].isna().all()
    assert not (frame["total_tokens"] == 0).fillna(False).any()


def test_ollama_counts_come_from_the_done_chunk(frame, shared_recordings):
    generate = frame[(frame["endpoint"] == "/api/generate") & frame["streaming"]].head(3)
    for row in generate.itertuples():
        body = orjson.loads((shared_recordings / row.path).read_bytes())["response"]["body"]
        done = unwrap(body[-1])
        assert done["done"] is True
        assert (row.prompt_tokens, row.completion_tokens) == (done["prompt_eval_count"],
                                                              done["eval_count"])


def test_errors_are_flagged_with_a_short_message(frame):
    errors = frame[frame["is_error"]]
    assert len(errors) >= 8
    assert errors["error"].notna().all()
    assert (errors["error"].str.len() <= 200).all()


def test_tools_declared_and_called(frame):
    tavily = frame[frame["kind"] == "tool"]
    assert len(tavily) and (tavily["tools_called"].map(len) == 0).all()  # no model called it
    assert tavily["endpoint"].eq("tool_runtime/web_search").all()
    called = frame[frame["tools_called"].map(len) > 0]
    assert called["finish_reason"].isin(["tool_calls", "tool_use", "requires_action", "STOP",
                                         "stop"]).all()


def test_seed_case_replays_exactly(shared_recordings):
    path = next(shared_recordings.glob(
        "llama-stack-2025-10/**/recordings/4078aa36*.json"))
    recording = load_recording(path)
    first = recording.state_at(1)
    assert [(c.name, c.arguments) for c in first.tool_calls] == [("check_file_access", "")]
    final = recording.final
    assert [(c.name, c.arguments) for c in final.tool_calls] == [
        ("check_file_access", '{"user_id":"user_11111","filename":"secret_file.txt"}')]
    assert final.finish_reason == "tool_calls"
    usage = final.usage
    assert (usage["prompt_tokens"], usage["completion_tokens"], usage["total_tokens"]) == (
        507, 25, 532)


@pytest.mark.parametrize("path", STREAMED, ids=lambda p: p.name[:16])
def test_every_stream_replays(path):
    recording = load_recording(path)
    final = recording.final
    assert recording.n_chunks == len(stream_chunks(
        orjson.loads(path.read_bytes())["response"]["body"]))
    deltas = [recording.state_at(n).delta for n in range(1, recording.n_chunks + 1)]
    assert final.text == "".join(d.text for d in deltas)
    assert final.reasoning == "".join(d.reasoning for d in deltas)
    if final.finish_reason:
        for call in final.tool_calls:
            assert call.name
            orjson.loads(call.arguments or "{}")
    for step in (0, 1, recording.n_chunks // 2):
        state = recording.state_at(step)
        assert final.text.startswith(state.text)
