"""Crafted-size recordings for bench_hostile.py: many tool calls, many text blocks, and
ordinary recordings of the same byte size as baselines."""

from __future__ import annotations

from pathlib import Path

import orjson

CHUNK_TYPE = "openai.types.chat.chat_completion_chunk.ChatCompletionChunk"
REQUEST = {"method": "POST", "url": "http://localhost:8000/v1/chat/completions",
           "endpoint": "/v1/chat/completions", "model": "gpt-4o",
           "body": {"model": "gpt-4o", "messages": [{"role": "user", "content": "go"}],
                    "stream": True}}


def _chunk(delta: dict, finish: str | None = None) -> dict:
    return {"__type__": CHUNK_TYPE, "__data__": {
        "id": "rec-1", "model": "gpt-4o", "object": "chat.completion.chunk", "created": 0,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}}


def tool_call_stream(n_calls: int) -> dict:
    """A stream that opens `n_calls` tool calls, each in a chunk of its own (id, name and
    its whole arguments), as a model calling the same tool many times would."""
    chunks = [_chunk({"role": "assistant", "tool_calls": [{
        "index": i, "id": f"call_{i}", "type": "function",
        "function": {"name": "lookup", "arguments": f'{{"q": "item {i}"}}'}}]})
        for i in range(n_calls)]
    chunks.append(_chunk({}, "tool_calls"))
    return {"test_id": "tests/integration/inference/test_many.py::test_calls",
            "request": REQUEST, "response": {"is_streaming": True, "body": chunks}}


def text_stream(n_chunks: int, piece: str) -> dict:
    """An ordinary text stream of `n_chunks` chunks (the baseline for the tool-call stream)."""
    chunks = [_chunk({"content": piece}) for _ in range(n_chunks)]
    chunks.append(_chunk({}, "stop"))
    return {"test_id": "tests/integration/inference/test_many.py::test_text",
            "request": REQUEST, "response": {"is_streaming": True, "body": chunks}}


def many_blocks_message(n_blocks: int) -> dict:
    """A whole (non-streamed) Anthropic-style message whose request and response each carry
    `n_blocks` text blocks."""
    blocks = [{"type": "text", "text": f"block {i} "} for i in range(n_blocks)]
    request = {"method": "POST", "url": "https://api.anthropic.com/v1/messages",
               "endpoint": "/v1/messages", "model": "claude-sonnet-4-5",
               "body": {"model": "claude-sonnet-4-5", "max_tokens": 100,
                        "messages": [{"role": "user", "content": blocks}]}}
    body = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
            "content": blocks, "stop_reason": "end_turn",
            "usage": {"input_tokens": 10, "output_tokens": 20}}
    return {"test_id": "tests/integration/messages/test_many.py::test_blocks",
            "request": request, "response": {"is_streaming": False, "body": body}}


def one_block_message(text: str) -> dict:
    """The same message with its text in one block (the baseline)."""
    doc = many_blocks_message(1)
    doc["request"]["body"]["messages"][0]["content"] = [{"type": "text", "text": text}]
    doc["response"]["body"]["content"] = [{"type": "text", "text": text}]
    return doc


def write(path: Path, doc: dict) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = orjson.dumps(doc)
    path.write_bytes(data)
    return len(data)
