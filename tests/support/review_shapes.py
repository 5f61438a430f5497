"""Recordings shaped like the real ogx ones (`tests/integration/<area>/recordings/<sha>.json`),
built in code so a test can change one thing and say which."""

from __future__ import annotations

import copy
import json
from pathlib import Path

SYSTEM = "You are a helpful assistant"


def chat_request(messages: list[dict], model: str = "llama3.2:3b-instruct-fp16",
                 tools: list | None = None) -> dict:
    body = {"model": model, "messages": messages, "max_tokens": 512, "stream": False,
            "temperature": 0.0001}
    if tools:
        body["tools"] = tools
    return {"method": "POST", "url": "http://0.0.0.0:11434/v1/v1/chat/completions",
            "headers": {}, "body": body, "endpoint": "/v1/chat/completions", "model": model}


def chat_completion(text: str, response_id: str = "rec-e871b8007b8c",
                    tool_calls: list | None = None, model: str = "llama3.2:3b-instruct-fp16",
                    prompt_tokens: int = 40, completion_tokens: int = 9) -> dict:
    message = {"content": text, "refusal": None, "role": "assistant", "annotations": None,
               "audio": None, "function_call": None, "tool_calls": tool_calls}
    return {"body": {"__type__": "openai.types.chat.chat_completion.ChatCompletion",
                     "__data__": {"id": response_id, "choices": [{
                         "finish_reason": "tool_calls" if tool_calls else "stop", "index": 0,
                         "logprobs": None, "message": message}],
                         "created": 0, "model": model, "object": "chat.completion",
                         "service_tier": None, "system_fingerprint": "fp_ollama",
                         "usage": {"completion_tokens": completion_tokens,
                                   "prompt_tokens": prompt_tokens,
                                   "total_tokens": prompt_tokens + completion_tokens,
                                   "completion_tokens_details": None,
                                   "prompt_tokens_details": None}}},
            "is_streaming": False}


def recording(test_id: str | None, request: dict, response: dict) -> dict:
    return {"test_id": test_id, "request": request, "response": response,
            "id_normalization_mapping": {}}


def tool_call(call_id: str, name: str, arguments: str) -> dict:
    return {"id": call_id, "type": "function",
            "function": {"name": name, "arguments": arguments}}


def two_tool_turn(first: str, second: str, answers: tuple[str, str] = ("A", "B")) -> dict:
    """A request that replays two tool calls and their results (ids `first`, `second`);
    `answers` say which result answers which: ("A", "B") → first gets -212, second 100."""
    calls = [tool_call(first, "get_boiling_point", '{"liquid_name": "polyjuice"}'),
             tool_call(second, "get_boiling_point", '{"liquid_name": "water"}')]
    ids = {"A": first, "B": second}
    results = [{"role": "tool", "tool_call_id": ids[answers[0]], "content": "-212"},
               {"role": "tool", "tool_call_id": ids[answers[1]], "content": "100"}]
    messages = [{"role": "system", "content": SYSTEM},
                {"role": "user", "content": "Boiling points of polyjuice and water?"},
                {"role": "assistant", "content": "", "tool_calls": calls}, *results]
    return recording("tests/integration/agents/test_agents.py::test_tools[txt=ollama]",
                     chat_request(messages), chat_completion("-212 and 100."))


def variant(document: dict, **changes) -> dict:
    out = copy.deepcopy(document)
    out.update(changes)
    return out


def sha_name(number: int) -> str:
    return f"{number:064x}"


def write_recording(root: Path, area: str, name: str, document: dict) -> str:
    rel = f"tests/integration/{area}/recordings/{name}.json"
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return rel
