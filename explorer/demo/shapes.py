"""Wire shapes for the demo recordings: requests, whole bodies and streams of each provider.

Pure functions of their arguments (and of the `random.Random` passed in), so the demo tree is
byte-for-byte reproducible.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from typing import Any

OPENAI = "https://api.openai.com/v1/v1"
OLLAMA = "http://0.0.0.0:11434"
CHUNK = "openai.types.chat.chat_completion_chunk.ChatCompletionChunk"
CHAT = "openai.types.chat.chat_completion.ChatCompletion"
COMPLETION = "openai.types.completion.Completion"
EPOCH = "1970-01-01T00:00:00.000000Z"


def request_hash(test_id: str | None, request: dict) -> str:
    canonical = json.dumps({"test_id": test_id, "request": request}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def wrap(type_name: str, data: dict) -> dict:
    return {"__type__": type_name, "__data__": data}


def inference_request(url: str, endpoint: str, model: str, body: dict,
                      provider_metadata: dict | None = None) -> dict:
    """An inference call's recorded request (the envelope shared by the demo and test fixtures)."""
    request = {"method": "POST", "url": url, "headers": {}, "body": body,
               "endpoint": endpoint, "model": model}
    if provider_metadata is not None:
        request["provider_metadata"] = provider_metadata
    return request


PROVIDER_METADATA = {"vertexai": {"provider": "vertexai"},
                     "openai": {"openai_sdk_version": "2.31.0"}}


def inference(url: str, endpoint: str, model: str, body: dict, provider: str | None = None) -> dict:
    return inference_request(url, endpoint, model, body, PROVIDER_METADATA.get(provider))


def function_tool(name: str, description: str, properties: dict, required: list) -> dict:
    """An OpenAI-style function tool declaration."""
    return {"type": "function", "function": {
        "name": name, "description": description,
        "parameters": {"type": "object", "properties": properties, "required": required}}}


def pieces(rng: random.Random, text: str, most: int = 3) -> list[str]:
    """Cut text into stream deltas of 1..`most` words (whitespace kept with its word)."""
    words = re.findall(r"\s*\S+|\s+", text)
    out, i = [], 0
    while i < len(words):
        n = rng.randint(1, most)
        out.append("".join(words[i:i + n]))
        i += n
    return out or [""]


def fragments(rng: random.Random, text: str) -> list[str]:
    """Cut tool-call arguments into 1..8 character fragments, as providers stream them."""
    out, i = [], 0
    while i < len(text):
        n = rng.randint(1, 8)
        out.append(text[i:i + n])
        i += n
    return out


def openai_usage(prompt: int, completion: int, cached: int = 0, reasoning: int = 0,
                 details: bool = True) -> dict:
    usage = {"completion_tokens": completion, "prompt_tokens": prompt,
             "total_tokens": prompt + completion, "completion_tokens_details": None,
             "prompt_tokens_details": None}
    if details:
        usage["completion_tokens_details"] = {
            "accepted_prediction_tokens": 0, "audio_tokens": 0, "reasoning_tokens": reasoning,
            "rejected_prediction_tokens": 0}
        usage["prompt_tokens_details"] = {"audio_tokens": 0, "cached_tokens": cached}
    return usage


def openai_chat(rid: str, model: str, text: str | None, usage: dict,
                tool_calls: list[dict] | None = None, fingerprint: str = "fp_ollama") -> dict:
    calls = [{"id": c["id"], "function": {"arguments": c["arguments"], "name": c["name"]},
              "type": "function"} for c in tool_calls or []] or None
    message = {"content": text, "refusal": None, "role": "assistant", "annotations": [],
               "audio": None, "function_call": None, "tool_calls": calls}
    return wrap(CHAT, {
        "id": rid, "choices": [{"finish_reason": "tool_calls" if calls else "stop", "index": 0,
                                "logprobs": None, "message": message}],
        "created": 0, "model": model, "object": "chat.completion",
        "service_tier": None if fingerprint == "fp_ollama" else "default",
        "system_fingerprint": fingerprint, "usage": usage})


def openai_chunk(chunk_id: str, model: str, choices: list, usage: dict | None = None, *,
                 fingerprint: str | None = None, tier: str | None = None) -> dict:
    """One chat.completion.chunk, wrapped as the recorder stores it."""
    return wrap(CHUNK, {"id": chunk_id, "choices": choices, "created": 0, "model": model,
                        "object": "chat.completion.chunk", "service_tier": tier,
                        "system_fingerprint": fingerprint, "usage": usage})


def openai_delta(**fields: Any) -> dict:
    """A chunk's `delta`: every standard key present (None unless given), extra keys after."""
    base = {"content": None, "function_call": None, "refusal": None, "role": None,
            "tool_calls": None}
    return {**base, **fields}


def openai_choice(delta: dict, index: int = 0, finish: str | None = None) -> dict:
    return {"delta": delta, "finish_reason": finish, "index": index, "logprobs": None}


def _chunk(rid: str, model: str, fingerprint: str, choices: list, usage=None) -> dict:
    tier = None if fingerprint == "fp_ollama" else "default"
    return openai_chunk(rid, model, choices, usage, fingerprint=fingerprint, tier=tier)


def openai_stream(rng: random.Random, rid: str, model: str, *, text: str = "",
                  reasoning: str = "", tool_calls: list[dict] | None = None,
                  usage: dict | None = None, fingerprint: str = "fp_ollama",
                  finish: str | None = None) -> list[dict]:
    """Chat chunks: reasoning deltas, text deltas, tool calls by index, finish, usage."""
    def one(delta: dict, finish_reason: str | None = None) -> dict:
        return _chunk(rid, model, fingerprint, [openai_choice(delta, finish=finish_reason)])
    chunks = [one(openai_delta(content="", role="assistant"))]
    chunks += [one(openai_delta(reasoning=p)) for p in (pieces(rng, reasoning) if reasoning else [])]
    chunks += [one(openai_delta(content=p)) for p in (pieces(rng, text) if text else [])]
    for index, call in enumerate(tool_calls or []):
        head = {"index": index, "id": call["id"], "type": "function",
                "function": {"arguments": "", "name": call["name"]}}
        chunks.append(one(openai_delta(tool_calls=[head])))
        for part in fragments(rng, call["arguments"]):
            tail = {"index": index, "id": None, "type": None,
                    "function": {"arguments": part, "name": None}}
            chunks.append(one(openai_delta(tool_calls=[tail])))
    chunks.append(one(openai_delta(), finish or ("tool_calls" if tool_calls else "stop")))
    if usage is not None:
        chunks.append(_chunk(rid, model, fingerprint, [], usage))
    return chunks


def completion(rid: str, model: str, text: str, usage: dict | None, finish="stop") -> dict:
    return wrap(COMPLETION, {"id": rid, "choices": [{"finish_reason": finish, "index": 0,
                                                     "logprobs": None, "text": text}],
                             "created": 0, "model": model, "object": "text_completion",
                             "system_fingerprint": "fp_ollama", "usage": usage})


def completion_stream(rng: random.Random, rid: str, model: str, text: str) -> list[dict]:
    parts = pieces(rng, text)
    return [completion(rid, model, p, None, "stop" if i == len(parts) - 1 else None)
            for i, p in enumerate(parts)]


def embedding(rng: random.Random, model: str, n_inputs: int, dims: int, prompt: int) -> dict:
    data = [{"embedding": [round(rng.uniform(-0.08, 0.08), 6) for _ in range(dims)],
             "index": i, "object": "embedding"} for i in range(n_inputs)]
    return wrap("openai.types.create_embedding_response.CreateEmbeddingResponse", {
        "data": data, "model": model, "object": "list",
        "usage": {"prompt_tokens": prompt, "total_tokens": prompt}})


def ollama_object(kind: str, model: str, text: str, counts: tuple | None) -> dict:
    """A GenerateResponse (`response`) or ChatResponse (`message`); counts only when done."""
    done = counts is not None
    prompt, completion_ = counts or (None, None)
    zero = 0 if done else None
    data = {"model": model, "created_at": EPOCH, "done": done,
            "done_reason": "stop" if done else None, "total_duration": zero,
            "load_duration": zero, "prompt_eval_count": prompt, "prompt_eval_duration": zero,
            "eval_count": completion_, "eval_duration": zero}
    if kind == "generate":
        return wrap("ollama._types.GenerateResponse",
                    {**data, "response": text, "thinking": None, "context": None})
    message = {"role": "assistant", "content": text, "thinking": None, "images": None,
               "tool_calls": None}
    return wrap("ollama._types.ChatResponse", {**data, "message": message})


def ollama_stream(rng: random.Random, kind: str, model: str, text: str,
                  counts: tuple) -> list[dict]:
    chunks = [ollama_object(kind, model, p, None) for p in pieces(rng, text, 2)]
    return chunks + [ollama_object(kind, model, "", counts)]


def gemini_chunk(rid: str, parts: list, usage: dict, finish: str | None = None) -> dict:
    candidate: dict = {"content": {"parts": parts, "role": "model"}}
    if finish:
        candidate["finish_reason"] = finish
    return {"candidates": [candidate], "create_time": "2026-04-09T14:34:00.894815Z",
            "model_version": "gemini-2.5-flash", "response_id": rid,
            "usage_metadata": usage}


def gemini_usage(prompt: int, candidates: int, thoughts: int) -> dict:
    return {"candidates_token_count": candidates, "prompt_token_count": prompt,
            "thoughts_token_count": thoughts, "total_token_count": prompt + candidates + thoughts,
            "traffic_type": "ON_DEMAND"}


def gemini_stream(rng: random.Random, rid: str, text: str, thought: str, prompt: int,
                  thoughts: int) -> list[dict]:
    """A thought part first, then text; usage_metadata is cumulative on every chunk."""
    chunks = [gemini_chunk(rid, [{"text": thought, "thought": True}],
                           {"traffic_type": "ON_DEMAND"})]
    parts, seen = pieces(rng, text, 4), 0
    for i, part in enumerate(parts):
        seen += max(1, round(len(part.split()) * 1.3))
        chunks.append(gemini_chunk(rid, [{"text": part}], gemini_usage(prompt, seen, thoughts),
                                   "STOP" if i == len(parts) - 1 else None))
    return chunks


def sse(events: list[tuple[str, Any]]) -> list[str]:
    lines: list[str] = []
    for name, data in events:
        payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
        lines += [f"event: {name}", f"data: {payload}", ""]
    return lines


def anthropic_stream(rng: random.Random, msg_id: str, model: str, thinking: str, text: str,
                     prompt: int, output: int) -> list[str]:
    """Anthropic-style SSE: thinking block, text block, message_delta with the final usage."""
    def block(index: int, kind: str, key: str, parts: list[str]) -> list[tuple]:
        start = {"type": "content_block_start", "index": index,
                 "content_block": {"type": kind, key: ""}}
        deltas = [("content_block_delta", {"type": "content_block_delta", "index": index,
                                           "delta": {"type": f"{kind}_delta", key: p}})
                  for p in parts]
        stop = {"type": "content_block_stop", "index": index}
        return [("content_block_start", start), *deltas, ("content_block_stop", stop)]
    start = {"type": "message_start", "message": {
        "id": msg_id, "type": "message", "role": "assistant", "model": model, "content": [],
        "usage": {"input_tokens": prompt, "output_tokens": 0}}}
    end = {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
           "usage": {"input_tokens": prompt, "output_tokens": output}}
    return sse([("message_start", start), *block(0, "thinking", "thinking",
                                                  pieces(rng, thinking)),
                *block(1, "text", "text", pieces(rng, text)), ("message_delta", end),
                ("message_stop", {"type": "message_stop"})])
