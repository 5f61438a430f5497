"""The replay against a fold from scratch at every step; calls out of wire order; Anthropic's
new argument text on the right call; memory that does not grow with calls times steps; many
text blocks joined in order."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from support.paths import FIXTURES, benchmark_helper

from explorer import load_recording
from explorer.dashboard.views.html import state_html
from explorer.record.recording import Recording
from explorer.record.replay import Accumulator, Replay
from explorer.wire import anthropic


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
    tool_call_stream = benchmark_helper("_hostile_inputs").tool_call_stream

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
    many_blocks_message = benchmark_helper("_hostile_inputs").many_blocks_message

    doc = many_blocks_message(200_000)
    recording = Recording(Path("blocks.json"), doc)
    expected = "".join(f"block {i} " for i in range(200_000))
    assert recording.final.text == expected
    assert recording.messages[0].text == expected
