"""Ollama's native API: /api/generate, /api/chat, /api/embed(dings), /api/tags, /api/ps, /api/pull."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from explorer.wire import openai
from explorer.wire.base import Delta, Tool, Turn, as_dict, as_str, make_usage


def chunk(obj: Any) -> Delta:
    """A GenerateResponse (`response`) or ChatResponse (`message`) object, streamed or whole."""
    obj = as_dict(obj)
    message = as_dict(obj.get("message"))
    done = obj.get("done") is True
    usage = None
    if "embeddings" in obj or "embedding" in obj:
        # an embedding has no output: the tokens it read are all it used
        usage = make_usage(prompt_tokens=obj.get("prompt_eval_count"),
                           total_tokens=obj.get("prompt_eval_count"))
    elif done or obj.get("prompt_eval_count") is not None:
        usage = make_usage(prompt_tokens=obj.get("prompt_eval_count"),
                           completion_tokens=obj.get("eval_count"))
    return Delta(
        text=as_str(obj.get("response")) or as_str(message.get("content")),
        reasoning=as_str(obj.get("thinking")) or as_str(message.get("thinking")),
        tool_calls=openai._tool_call_deltas(message.get("tool_calls")),
        finish_reason=(as_str(obj.get("done_reason")) or "stop") if done else None,
        usage=usage,
        model=as_str(obj.get("model")) or None,
    )


whole = chunk


def conversation(body: Any) -> list[Turn]:
    """`messages` for /api/chat; `system` + `prompt` for /api/generate; `input` for embeddings."""
    return openai.conversation(body)


first_user_text = openai.first_user_text


def tools(body: Any) -> list[Tool]:
    return openai.tools(body)



def text_run_end(chunks: list, start: int, calls: Container[int] = ()) -> int:
    """The first position from `start` whose chunk may add more than text, thinking and its
    model (the last, `done`, chunk, counts or a tool call: Ollama sends each call whole, so
    `calls`, the calls begun, changes nothing); the index skips the run before it once it
    knows the model."""
    for position in range(start, len(chunks)):
        obj = chunks[position]
        if type(obj) is not dict or obj.get("done") is True \
                or obj.get("prompt_eval_count") is not None:
            return position
        message = obj.get("message")
        if type(message) is dict and message.get("tool_calls"):
            return position
    return len(chunks)
