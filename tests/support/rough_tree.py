"""A small tree for the first-session tests: a long stream, a one-step body, a tool-only
answer, a call that only declares a tool, and a failed call. Written into a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path

REC = "tests/integration/inference/recordings/"
LONG = REC + "long_stream.json"
ONE_STEP = REC + "one_step.json"
TOOL_ONLY = REC + "tool_only.json"
DECLARES = REC + "declares_only.json"
FAILED = REC + "failed_call.json"
N_LONG = 1399
SYSTEM_PROMPT = "You are a careful archivist. " * 104  # 3,016 characters
FIRST_USER = "Summarise the quarterly heron migration survey"
WEATHER = {"type": "function", "function": {"name": "get_weather", "description": "weather",
                                             "parameters": {"type": "object",
                                                            "properties": {}}}}
URL = "https://api.openai.com/v1/v1/chat/completions"


def _chunk(delta: dict, finish: str | None = None, usage: dict | None = None) -> dict:
    return {"__type__": "openai.types.chat.chat_completion_chunk.ChatCompletionChunk",
            "__data__": {"id": "c1", "model": "gpt-4o", "object": "chat.completion.chunk",
                         "created": 0, "usage": usage,
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}}


def _request(test: str, messages: list, tools: list | None = None, stream: bool = True) -> dict:
    body = {"model": "gpt-4o", "messages": messages, "stream": stream}
    if tools:
        body["tools"] = tools
    return {"test_id": f"tests/integration/inference/test_rough.py::{test}",
            "request": {"method": "POST", "url": URL, "headers": {}, "body": body,
                        "endpoint": "/v1/chat/completions", "model": "gpt-4o"}}


def word(i: int) -> str:
    return f"w{i:04d} "


def _long() -> dict:
    doc = _request("test_long", [{"role": "system", "content": SYSTEM_PROMPT},
                                 {"role": "user", "content": FIRST_USER}])
    chunks = [_chunk({"role": "assistant", "content": word(i)}) for i in range(N_LONG - 1)]
    usage = {"prompt_tokens": 900, "completion_tokens": 1398, "total_tokens": 2298}
    chunks.append(_chunk({}, "stop", usage))
    doc["response"] = {"body": chunks, "is_streaming": True}
    return doc


def _one_step() -> dict:
    doc = _request("test_one_step", [{"role": "user", "content": "hi"}], stream=False)
    doc["response"] = {"is_streaming": False, "body": {
        "__type__": "openai.types.chat.chat_completion.ChatCompletion",
        "__data__": {"id": "x", "model": "gpt-4o", "object": "chat.completion", "created": 0,
                     "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": "hello"}}]}}}
    return doc


def _tool_only() -> dict:
    doc = _request("test_tool_only", [{"role": "user", "content": "weather in Oslo?"}],
                   [WEATHER])
    call = {"index": 0, "id": "call_1", "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}
    doc["response"] = {"is_streaming": True, "body": [
        _chunk({"role": "assistant", "tool_calls": [call]}),
        _chunk({}, "tool_calls", {"prompt_tokens": 20, "completion_tokens": 9,
                                  "total_tokens": 29})]}
    return doc


def _declares_only() -> dict:
    doc = _request("test_declares_only", [{"role": "user", "content": "just chat"}], [WEATHER])
    doc["response"] = {"is_streaming": True, "body": [
        _chunk({"role": "assistant", "content": "sure"}), _chunk({}, "stop")]}
    return doc


def _failed() -> dict:
    doc = _request("test_failed", [{"role": "user", "content": "too long"}])
    doc["response"] = {"is_exception": True, "body": None,
                       "exception_data": {"message": "context length exceeded",
                                          "status_code": 400}}
    return doc


def make_tree(root: Path) -> Path:
    for rel, doc in ((LONG, _long()), (ONE_STEP, _one_step()), (TOOL_ONLY, _tool_only()),
                     (DECLARES, _declares_only()), (FAILED, _failed())):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc), encoding="utf-8")
    return root
